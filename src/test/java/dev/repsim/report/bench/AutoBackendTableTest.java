package dev.repsim.report.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The committed results/auto-backend.json is what bench-report derives from the committed result sets. */
class AutoBackendTableTest {

    @Test
    void theCommittedTableMatchesTheCommittedResults() throws Exception {
        Path results = Path.of("results");
        String expected = AutoBackendTable.toJson(BenchResults.load(results));
        String committed = Files.readString(results.resolve(AutoBackendTable.FILE));
        assertEquals(expected, committed, "results/auto-backend.json is stale: run bin/repsim bench-report");
    }

    @Test
    void theTableCoversTheMeasuredCpuAndLeavesOutForcedCores() throws Exception {
        var table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(AutoBackendTable.toJson(BenchResults.load(Path.of("results"))));
        assertTrue(table.path("machines").size() >= 1, table.toString());
        for (var m : table.path("machines")) {
            assertFalse(m.path("microarchitecture").asText().isEmpty(), m.toString());
            for (var c : m.path("cells")) {
                for (var p : c.path("points")) {
                    if (p.path("significant").asBoolean()) {
                        double r = p.path("ratio").asDouble();
                        double lo = p.path("ci95").get(0).asDouble(), hi = p.path("ci95").get(1).asDouble();
                        assertTrue(lo > 1 || hi < 1, "a significant ratio's CI excludes 1: " + p);
                        assertTrue(lo <= r && r <= hi, p.toString());
                    }
                }
            }
        }
    }
}
