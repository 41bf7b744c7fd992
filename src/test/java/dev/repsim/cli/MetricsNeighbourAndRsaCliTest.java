package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.Npy;
import dev.repsim.metrics.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code repsim metrics} with the RSA, distance, neighbour and uniformity measures: keys, --k, --rdm, bad input. */
class MetricsNeighbourAndRsaCliTest {
    static final List<String> NAMES = List.of("rsa", "rsm-norm-difference", "distance-correlation", "second-order-cosine",
            "rank-similarity", "jaccard-knn", "mutual-knn", "cknna", "uniformity-difference");

    @TempDir
    Path dir;

    Path matrix(String name, int n, int d, long seed) {
        Path p = dir.resolve(name);
        Npy.write(p, TestData.gaussian(n, d, seed));
        return p;
    }

    JsonNode json(CliRun r) throws Exception {
        assertEquals(0, r.status(), r.err());
        return new ObjectMapper().readTree(r.out()).get("metrics");
    }

    @Test
    void allIncludesEveryMeasureUnderItsName() throws Exception {
        Path x = matrix("x.npy", 40, 5, 1), y = matrix("y.npy", 40, 3, 2);
        JsonNode m = json(CliRun.of("metrics", x.toString(), y.toString(), "--metrics", "all", "--backend", "java", "--json"));
        for (String name : NAMES) assertTrue(m.get(name).isNumber(), name);
    }

    @Test
    void kAndRdmChangeTheirMeasures() throws Exception {
        Path x = matrix("x.npy", 50, 6, 3), y = matrix("y.npy", 50, 4, 4);
        String list = "rsa,jaccard-knn";
        JsonNode a = json(CliRun.of("metrics", x.toString(), y.toString(), "--metrics", list, "--json"));
        JsonNode b = json(CliRun.of("metrics", x.toString(), y.toString(), "--metrics", list, "--k", "4", "--rdm", "euclidean", "--json"));
        assertNotEquals(a.get("rsa").asDouble(), b.get("rsa").asDouble());
        assertNotEquals(a.get("jaccard-knn").asDouble(), b.get("jaccard-knn").asDouble());
    }

    @Test
    void badOptionsExitWithStatus2AndOneLine() {
        Path x = matrix("x.npy", 10, 3, 5), y = matrix("y.npy", 10, 3, 6);
        CliRun r = CliRun.of("metrics", x.toString(), y.toString(), "--metrics", "mutual-knn", "--k", "10");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("mutual-knn needs --k between 1 and n-1 = 9, got 10"), r.err());
        r = CliRun.of("metrics", x.toString(), y.toString(), "--metrics", "rsa", "--rdm", "cosine");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--rdm: unknown RDM 'cosine'"), r.err());
        r = CliRun.of("metrics", x.toString(), y.toString(), "--metrics", "jaccard-knn", "--k", "0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--k must be at least 1"), r.err());
    }
}
