package dev.repsim.report.bench;

import dev.repsim.measure.Microarchitecture;
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

    /**
     * results/ holds each machine's own kernels only (bench-report would refuse the rest without
     * --allow-forced-core): another CPU's code paths measured on this one go elsewhere (run-cpu.sh --results).
     */
    @Test
    void everyCommittedResultSetRanOnItsMachinesOwnCodePaths() {
        var sets = BenchResults.load(Path.of("results"));
        assertFalse(sets.isEmpty());
        for (var m : sets) {
            assertTrue(m.ownCodePaths(), m.id() + ": OpenBLAS core " + m.coreForcing() + ", forced JVM options " + m.forcedJvmFlags());
        }
    }

    @Test
    void theTableCoversTheMeasuredCpuAndLeavesOutForcedCoresAndUnknownCpus() throws Exception {
        var sets = BenchResults.load(Path.of("results"));
        var table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(AutoBackendTable.toJson(sets));
        assertTrue(table.path("machines").size() >= 1, table.toString());
        // the Intel set (cpu-intel-avx512-2c: family 6 model 167, which Microarchitecture does not name) is committed but not in the table
        assertTrue(sets.stream().anyMatch(m -> "cpu".equals(m.text("kind")) && Microarchitecture.UNKNOWN.equals(m.text("microarchitecture"))),
                "no committed CPU result set of an unknown microarchitecture to check against");
        for (var m : table.path("machines")) {
            assertFalse(m.path("microarchitecture").asText().isEmpty(), m.toString());
            assertNotEquals(Microarchitecture.UNKNOWN, m.path("microarchitecture").asText(), "auto would hand this set's crossovers to any unknown CPU: " + m.path("machine"));
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
