package dev.repsim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repsim.backend.JavaBackend;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.KernelStats;
import dev.repsim.metrics.MinibatchCka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Gram-space measures of {@code metrics --spark local[2]}: RBF CKA (biased and debiased, median
 * bandwidth) and the neighbour overlaps from blocked all-pairs tasks, debiased linear CKA and minibatch
 * CKA from row blocks, equal the local run for 1, 2, 3 and 7 blocks (CKA within 1e-9 relative, the neighbour measures exactly: the same sets), on random and
 * on tied, integer-valued data, in float64 and float32; above --spark-pairs-limit RBF CKA is the
 * minibatch estimate, equal to the core's estimator on the whole matrix.
 */
class SparkGramMetricsTest {
    static final String GRAM = "rbf-cka,rbf-cka-debiased,linear-cka-debiased,minibatch-cka,jaccard-knn,mutual-knn";
    static final String[] NEIGHBOURS = {"jaccard-knn", "mutual-knn"};

    @TempDir
    static Path dir;
    static Matrix x, y;

    @BeforeAll
    static void data() {
        x = Fixtures.x();
        y = Fixtures.y(x);
        Npy.write(dir.resolve("X.npy"), x);
        Npy.write(dir.resolve("Y.npy"), y);
        Npy.write(dir.resolve("T.npy"), Fixtures.tied(300, 5, 3));
        Npy.write(dir.resolve("U.npy"), Fixtures.tied(300, 4, 4));
    }

    private static List<String> args(Path a, Path b, String metrics, String... more) {
        List<String> l = new ArrayList<>(List.of("metrics", a.toString(), b.toString(), "--metrics", metrics, "--json", "--backend", "java"));
        l.addAll(List.of(more));
        return l;
    }

    private static JsonNode local(Path a, Path b, String metrics, String... more) throws Exception {
        return Cli.run(args(a, b, metrics, more).toArray(String[]::new)).json();
    }

    private static JsonNode spark(Path a, Path b, String metrics, int parts, String... more) throws Exception {
        List<String> l = args(a, b, metrics, more);
        l.addAll(List.of("--spark", "local[2]", "--partitions", Integer.toString(parts)));
        return Cli.run(l.toArray(String[]::new)).json();
    }

    private static void assertSame(JsonNode local, JsonNode spark, String what) {
        Cli.assertSameResult(local, spark, what);
        for (String m : NEIGHBOURS) {
            if (local.get("metrics").has(m)) {
                assertEquals(local.get("metrics").get(m).asDouble(), spark.get("metrics").get(m).asDouble(), 0.0, what + ": " + m + " (the same sets)");
            }
        }
        assertEquals("exact all-pairs", spark.get("spark").get("route").asText(), what);
    }

    @Test
    void everyBlockingGivesTheLocalResultInBothPrecisions() throws Exception {
        for (String p : new String[]{"f64", "f32"}) {
            // with a co-moment measure too (one command, two jobs). In float32 the co-moment kernels accumulate in
            // float32 runs of rows that a partitioning cuts differently: those are checked apart, to float32 rounding.
            String metrics = p.equals("f64") ? GRAM + ",linear-cka" : GRAM.replace("linear-cka-debiased,", "");
            JsonNode local = local(dir.resolve("X.npy"), dir.resolve("Y.npy"), metrics, "--precision", p, "--batch-size", "128");
            assertTrue(local.get("metrics").get("rbf-cka").asDouble() > 0.2, "the fixture's X and Y are related: " + local);
            for (int parts : new int[]{1, 2, 3, 7}) {
                JsonNode r = spark(dir.resolve("X.npy"), dir.resolve("Y.npy"), metrics, parts, "--precision", p, "--batch-size", "128");
                assertSame(local, r, p + ", " + parts + " blocks");
                assertEquals(parts, r.get("spark").get("partitions").asInt());
            }
        }
    }

    @Test
    void float32CoMomentsAgreeToFloat32Rounding() throws Exception {
        String m = "linear-cka-debiased";
        double local = local(dir.resolve("X.npy"), dir.resolve("Y.npy"), m, "--precision", "f32").get("metrics").get(m).asDouble();
        double spark = spark(dir.resolve("X.npy"), dir.resolve("Y.npy"), m, 3, "--precision", "f32").get("metrics").get(m).asDouble();
        assertTrue(Math.abs(local - spark) <= 1e-6 * Math.abs(local), "expected " + local + ", got " + spark);
    }

    @Test
    void tiedIntegerRowsGiveTheLocalResult() throws Exception {
        for (String p : new String[]{"f64", "f32"}) {
            String metrics = p.equals("f64") ? GRAM : GRAM.replace("linear-cka-debiased,", "");
            JsonNode local = local(dir.resolve("T.npy"), dir.resolve("U.npy"), metrics, "--precision", p, "--k", "7");
            for (int parts : new int[]{2, 7}) {
                assertSame(local, spark(dir.resolve("T.npy"), dir.resolve("U.npy"), metrics, parts, "--precision", p, "--k", "7"), "tied " + p + ", " + parts);
            }
        }
    }

    @Test
    void theDefaultBackendGivesTheLocalResult() throws Exception {
        String[] common = {"metrics", dir.resolve("X.npy").toString(), dir.resolve("Y.npy").toString(), "--metrics", "rbf-cka,rbf-cka-debiased,mutual-knn",
                "--json", "--precision", "f32"};
        JsonNode local = Cli.run(common).json();
        List<String> l = new ArrayList<>(List.of(common));
        l.addAll(List.of("--spark", "local[2]", "--partitions", "3"));
        JsonNode r = Cli.run(l.toArray(String[]::new)).json();
        Cli.assertSameResult(local, r, "auto backend");
        assertEquals(local.get("metrics").get("mutual-knn").asDouble(), r.get("metrics").get("mutual-knn").asDouble(), 0.0);
    }

    /** Above 20 000 rows the bandwidth is the median of 2²⁰ seeded pairs, locally and on Spark alike. */
    @Test
    void aboveTheExactMedianLimitTheSampledBandwidthIsTheLocalOne() throws Exception {
        int n = 20_100;
        SplittableRandom r = new SplittableRandom(9);
        double[] a = new double[n * 3], b = new double[n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) a[i * 3 + j] = r.nextGaussian();
            b[i * 2] = a[i * 3] + 0.5 * r.nextGaussian();
            b[i * 2 + 1] = a[i * 3 + 1] * a[i * 3 + 2];
        }
        Path big = dir.resolve("big-x.npy"), bigY = dir.resolve("big-y.npy");
        Npy.write(big, Matrix.of(n, 3, a));
        Npy.write(bigY, Matrix.of(n, 2, b));
        JsonNode local = local(big, bigY, "rbf-cka");
        assertSame(local, spark(big, bigY, "rbf-cka", 2), "n = " + n);
    }

    @Test
    void shardsCutDifferentlyFromTheBlocksGiveTheLocalResult() throws Exception {
        Path xs = Files.createDirectories(dir.resolve("x-shards"));
        Fixtures.shards(x, xs, 250, 100, 1, 249);
        JsonNode local = local(dir.resolve("X.npy"), dir.resolve("Y.npy"), GRAM, "--sigma", "0.8");
        assertSame(local, spark(xs, dir.resolve("Y.npy"), GRAM, 3, "--sigma", "0.8"), "shards");
    }

    @Test
    void aboveThePairsLimitRbfCkaIsTheMinibatchEstimate() throws Exception {
        JsonNode r = spark(dir.resolve("X.npy"), dir.resolve("Y.npy"), "rbf-cka,linear-cka", 3, "--spark-pairs-limit", "599",
                "--sigma-abs", "3", "--batch-size", "128", "--seed", "5");
        assertEquals("minibatch", r.get("spark").get("route").asText());
        // the core's estimator on the whole matrix: seeded batches, unbiased HSIC per batch with σ = 3
        List<KernelStats.Hsic> perBatch = new ArrayList<>();
        Matrix yf = y.to(Precision.F64);
        try (JavaBackend b = new JavaBackend()) {
            for (int[] idx : MinibatchCka.batches(x.rows(), 128, 5)) {
                perBatch.add(MinibatchCka.rbfBatch(x.selectRows(idx), yf.selectRows(idx), 9, 9, b));
            }
        }
        double expected = MinibatchCka.cka(perBatch);
        double got = r.get("metrics").get("rbf-cka").asDouble();
        assertTrue(Math.abs(expected - got) <= 1e-9 * Math.abs(expected), "expected " + expected + ", got " + got);
        JsonNode exact = spark(dir.resolve("X.npy"), dir.resolve("Y.npy"), "rbf-cka", 3, "--sigma-abs", "3");
        assertEquals("exact all-pairs", exact.get("spark").get("route").asText());
        assertTrue(Math.abs(exact.get("metrics").get("rbf-cka").asDouble() - got) > 1e-6, "the estimate is not the exact value: " + got);
    }

    @Test
    void refusalsAndBadInputAreOneLineNamingTheProblem() throws Exception {
        Cli r = Cli.run("metrics", dir.resolve("X.npy").toString(), dir.resolve("Y.npy").toString(), "--metrics", "rbf-cka,cknna",
                "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("not [cknna]"), r.err());

        r = Cli.run("metrics", dir.resolve("X.npy").toString(), dir.resolve("Y.npy").toString(), "--metrics", "mutual-knn",
                "--spark", "local[2]", "--spark-pairs-limit", "100");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("above --spark-pairs-limit 100") && r.err().contains("[mutual-knn]"), r.err());

        Path bad = dir.resolve("bad.npy");
        double[] v = x.f64().clone();
        v[450 * Fixtures.DX + 2] = Double.POSITIVE_INFINITY;
        Npy.write(bad, Matrix.of(x.rows(), x.cols(), v));
        r = Cli.run("metrics", bad.toString(), dir.resolve("Y.npy").toString(), "--metrics", "rbf-cka", "--spark", "local[2]", "--partitions", "3");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(bad + ": non-finite value (NaN or Inf) at row 450, column 2"), r.err());

        // finite, but too small for the metrics' float64 sums: refused before the all-pairs work
        Path tiny = dir.resolve("tiny.npy");
        double[] t = y.to(Precision.F64).f64().clone();
        for (int i = 0; i < t.length; i++) t[i] *= 1e-300;
        Npy.write(tiny, Matrix.of(y.rows(), y.cols(), t));
        r = Cli.run("metrics", dir.resolve("X.npy").toString(), tiny.toString(), "--metrics", "jaccard-knn", "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(tiny + " has no value larger than"), r.err());

        Path shortY = dir.resolve("short.npy");
        Npy.write(shortY, Fixtures.rows(y, 0, 599));
        r = Cli.run("metrics", dir.resolve("X.npy").toString(), shortY.toString(), "--metrics", "jaccard-knn", "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(shortY + ": has 599 rows but"), r.err());

        Path table = Files.createDirectories(dir.resolve("t.parquet"));
        r = Cli.run("metrics", table.toString(), table.toString(), "--metrics", "rbf-cka", "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(table + " is a Parquet table"), r.err());
    }
}
