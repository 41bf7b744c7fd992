package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as other checks call it: exit status, stdout, stderr. */
class MetricsCommandTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    Path matrix(String name, int n, int d, long seed) {
        Path p = dir.resolve(name);
        Npy.write(p, TestData.gaussian(n, d, seed));
        return p;
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        Path x = matrix("x.npy", 60, 5, 1), y = matrix("y.npy", 60, 4, 2);
        CliRun r = run("metrics", x.toString(), y.toString(), "--metrics", "all", "--backend", "java", "--repeat", "3", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("n", "dx", "dy", "backend", "precision", "metrics", "asymmetric", "skipped", "cca-correlations", "timings_ms"),
                iterable(j.fieldNames()));
        // dx != dy: 'all' leaves out the measures that match columns one to one, and says so.
        assertEquals(List.of("permutation-procrustes", "hard-correlation-match"), iterable(j.get("skipped").fieldNames()));
        assertTrue(j.get("skipped").get("permutation-procrustes").asText().contains("dx=5, dy=4"), j.get("skipped").toString());
        assertFalse(j.get("metrics").has("permutation-procrustes"));
        assertEquals(List.of("linear-regression", "cknna"), iterable(j.get("asymmetric").fieldNames()));
        assertEquals(60, j.get("n").asInt());
        assertEquals("java", j.get("backend").asText());
        assertEquals("f64", j.get("precision").asText());
        for (String m : List.of("linear-cka", "linear-cka-debiased", "rbf-cka", "rbf-cka-debiased", "minibatch-cka",
                "cca-mean", "cca-r2", "svcca", "pwcca")) {
            assertTrue(j.get("metrics").get(m).isNumber(), m);
            assertTrue(j.get("timings_ms").get(m).asDouble() >= 0, m);
        }
        assertEquals(4, j.get("cca-correlations").size());
        assertEquals(1, r.out().strip().lines().count(), "exactly one JSON object");
    }

    /** The core's tests run without the Spark module (spark/): --spark says how to get it, and the options that need it say so. */
    @Test
    void sparkWithoutTheSparkModuleSaysHowToGetIt() throws Exception {
        Path x = matrix("x.npy", 20, 3, 12), y = matrix("y.npy", 20, 2, 13);
        CliRun r = run("metrics", x.toString(), y.toString(), "--metrics", "linear-cka", "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("repsim metrics: --spark: the Spark module is not on the class path"), r.err());
        r = run("metrics", x.toString(), y.toString(), "--metrics", "rbf-cka,cknna", "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("mutual-knn]; not [cknna]"), r.err());
        r = run("metrics", x.toString(), y.toString(), "--metrics", "linear-cka", "--partitions", "3");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--spark-conf and --partitions need --spark"), r.err());
    }

    @Test
    void autoSaysWhichBackendEachMetricRanOnAndItsValuesAreThatBackends() throws Exception {
        Path x = matrix("x.npy", 80, 6, 5), y = matrix("y.npy", 80, 5, 6);
        ObjectMapper om = new ObjectMapper();
        CliRun r = run("metrics", x.toString(), y.toString(), "--metrics", "linear-cka,cca-mean", "--backend", "auto", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = om.readTree(r.out());
        org.junit.jupiter.api.Assumptions.assumeFalse(j.get("backend").asText().equals("opencl"), "an OpenCL GPU is present");
        for (String m : List.of("linear-cka", "cca-mean")) {
            JsonNode pick = j.get("backend_picks").get(m);
            String b = pick.get("backend").asText();
            assertTrue(List.of("java", "blas").contains(b), pick.toString());
            assertTrue(pick.get("reason").asText().length() > 10, pick.toString());
            // the value is what that backend computes
            JsonNode alone = om.readTree(run("metrics", x.toString(), y.toString(), "--metrics", m, "--backend", b, "--json").out());
            assertEquals(alone.get("metrics").get(m).asDouble(), j.get("metrics").get(m).asDouble(), 0.0, m + " on " + b);
        }
        java.util.Set<String> used = new java.util.TreeSet<>();
        j.get("backend_picks").forEach(p -> used.add(p.get("backend").asText()));
        assertEquals(used.size() == 1 ? used.iterator().next() : "auto", j.get("backend").asText());
    }

    @Test
    void streamingGivesTheInMemoryResult() throws Exception {
        Path x = matrix("x.npy", 500, 6, 3), y = matrix("y.npy", 500, 3, 4);
        ObjectMapper om = new ObjectMapper();
        String list = "linear-cka,cca-mean,pwcca,procrustes,gulp,linear-regression,soft-correlation-match";
        JsonNode a = om.readTree(run("metrics", x.toString(), y.toString(), "--metrics", list, "--json").out());
        JsonNode b = om.readTree(run("metrics", x.toString(), y.toString(), "--metrics", list, "--stream", "--json").out());
        for (String m : list.split(",")) {
            assertEquals(a.get("metrics").get(m).asDouble(), b.get("metrics").get(m).asDouble(), 1e-12, m);
        }
    }

    @Test
    void badInputGivesOneLineNoStdoutAndNonZeroExit() throws Exception {
        Path x = matrix("x.npy", 10, 3, 5), y = matrix("y.npy", 10, 2, 6), shortY = matrix("short.npy", 9, 2, 7);
        Path tiny = matrix("tiny.npy", 1, 2, 8), three = matrix("three.npy", 3, 2, 9), wide = matrix("wide.npy", 10, 12, 11);
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "not numpy");
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, Matrix.of(10, 2, new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, Double.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
        // Finite, but its fourth powers overflow float64 (linear CKA read 0.0 with exit status 0); the second
        // is fine in float64 and overflows float32's products; the third underflows.
        Path huge = dir.resolve("huge.npy"), big = dir.resolve("big.npy"), small = dir.resolve("small.npy");
        Npy.write(huge, TestData.scaled(TestData.gaussian(10, 2, 12), 1e80));
        Npy.write(big, TestData.scaled(TestData.gaussian(10, 2, 13), 1e20));
        Npy.write(small, TestData.scaled(TestData.gaussian(10, 2, 14), 1e-300));
        Path noColumns = dir.resolve("none.npy");
        Npy.write(noColumns, Matrix.of(10, 0, new double[0]));
        Path constant = dir.resolve("constant.npy");
        Npy.write(constant, Matrix.of(10, 2, new double[20]));
        Object[][] cases = {
                {new String[]{x.toString(), dir.resolve("nope.npy").toString(), "--metrics", "linear-cka"}, "nope.npy: no such file"},
                {new String[]{x.toString(), text.toString(), "--metrics", "linear-cka"}, "text.npy: not an .npy file"},
                {new String[]{x.toString(), shortY.toString(), "--metrics", "linear-cka"}, "short.npy: has 9 rows"},
                {new String[]{tiny.toString(), tiny.toString(), "--metrics", "linear-cka"}, "tiny.npy: has n=1"},
                {new String[]{three.toString(), three.toString(), "--metrics", "linear-cka-debiased"}, "needs at least 4"},
                {new String[]{x.toString(), nan.toString(), "--metrics", "linear-cka"}, "nan.npy: non-finite value (NaN or Inf) at row 4, column 1"},
                {new String[]{huge.toString(), y.toString(), "--metrics", "linear-cka"}, "huge.npy has values up to"},
                {new String[]{x.toString(), huge.toString(), "--metrics", "linear-cka", "--stream"}, "huge.npy has values up to"},
                {new String[]{x.toString(), big.toString(), "--metrics", "linear-cka", "--precision", "f32"}, "big.npy has values up to"},
                {new String[]{small.toString(), y.toString(), "--metrics", "rsa"}, "small.npy has no value larger than"},
                {new String[]{noColumns.toString(), y.toString(), "--metrics", "linear-cka"}, "none.npy: has no feature columns"},
                {new String[]{constant.toString(), y.toString(), "--metrics", "linear-cka"}, "constant.npy, "},
                {new String[]{constant.toString(), y.toString(), "--metrics", "jaccard-knn", "--k", "3"}, "every row is the same"},
                {new String[]{x.toString(), y.toString(), "--metrics", "linear-cka,bogus"}, "--metrics: unknown metric 'bogus'"},
                {new String[]{x.toString(), wide.toString(), "--metrics", "cca-mean"}, "needs more samples than features"},
                {new String[]{x.toString(), y.toString(), "--metrics", "permutation-procrustes"}, "x.npy: permutation-procrustes needs X and Y of equal widths (it matches columns one to one): dx=3, dy=2"},
                {new String[]{x.toString(), y.toString(), "--metrics", "gulp", "--gulp-lambda", "-1"}, "--gulp-lambda must be >= 0"},
                {new String[]{x.toString(), y.toString(), "--metrics", "linear-cka", "--backend", "gpu9"}, "--backend: unknown backend 'gpu9'"},
                {new String[]{x.toString(), y.toString(), "--metrics", "linear-cka", "--precision", "f16"}, "--precision"},
        };
        for (Object[] c : cases) {
            String[] rest = (String[]) c[0];
            String[] args = new String[rest.length + 2];
            args[0] = "metrics";
            System.arraycopy(rest, 0, args, 1, rest.length);
            args[args.length - 1] = "--json";
            CliRun r = run(args);
            assertEquals(2, r.status(), String.join(" ", args) + " -> " + r.err());
            assertEquals("", r.out(), "nothing on stdout for " + c[1]);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains((String) c[1]), "expected '" + c[1] + "' in: " + r.err());
        }
        // Streaming learns the largest magnitude only at the end of the pass (after its progress line).
        CliRun streamed = run("metrics", small.toString(), y.toString(), "--metrics", "cca-mean", "--stream", "--json");
        assertEquals(2, streamed.status(), streamed.err());
        assertEquals("", streamed.out());
        assertTrue(streamed.err().contains("small.npy has no value larger than"), streamed.err());
    }

    @Test
    void knnReportsSharesPerLabel() throws Exception {
        Path z = matrix("z.npy", 30, 3, 10);
        Path labels = dir.resolve("labels.txt");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 30; i++) s.append(i < 15 ? "full" : "center").append('\n');
        Files.writeString(labels, s.toString());
        CliRun r = run("knn", z.toString(), "--labels", labels.toString(), "--k", "4", "--backend", "java", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(4, j.get("k").asInt());
        assertTrue(j.get("per_label").has("full") && j.get("per_label").has("center"));
        // Labels from a CSV column (RFC 4180: a quoted field may hold a comma).
        Path index = dir.resolve("index.csv");
        StringBuilder csv = new StringBuilder("row,image,variant\n");
        for (int i = 0; i < 30; i++) csv.append(i).append(",\"cat, ").append(i).append(".png\",").append(i < 15 ? "full" : "center").append('\n');
        Files.writeString(index, csv.toString());
        CliRun fromCsv = run("knn", z.toString(), "--labels", index.toString(), "--label-column", "variant", "--k", "4", "--backend", "java", "--json");
        assertEquals(0, fromCsv.status(), fromCsv.err());
        assertEquals(j.get("per_label"), new ObjectMapper().readTree(fromCsv.out()).get("per_label"));
        CliRun noColumn = run("knn", z.toString(), "--labels", index.toString(), "--label-column", "label");
        assertEquals(2, noColumn.status());
        assertTrue(noColumn.err().contains("index.csv: missing column 'label'"), noColumn.err());
        CliRun bad = run("knn", z.toString(), "--labels", labels.toString(), "--k", "30");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--k"), bad.err());
        // Shares that would come from the tie-break alone, or from no features at all, are refused.
        Path constant = dir.resolve("constant.npy"), none = dir.resolve("none.npy");
        Npy.write(constant, Matrix.of(30, 3, new double[90]));
        Npy.write(none, Matrix.of(30, 0, new double[0]));
        CliRun tied = run("knn", constant.toString(), "--labels", labels.toString(), "--k", "4");
        assertEquals(2, tied.status());
        assertTrue(tied.err().contains("every row is the same"), tied.err());
        CliRun empty = run("knn", none.toString(), "--labels", labels.toString(), "--k", "4");
        assertEquals(2, empty.status());
        assertTrue(empty.err().contains("none.npy: has no feature columns"), empty.err());
        double[] withZeroRow = TestData.gaussian(30, 3, 15).f64().clone();
        java.util.Arrays.fill(withZeroRow, 6, 9, 0.0);
        Path zeroRow = dir.resolve("zero-row.npy");
        Npy.write(zeroRow, Matrix.of(30, 3, withZeroRow));
        CliRun cosine = run("knn", zeroRow.toString(), "--labels", labels.toString(), "--k", "4", "--metric", "cosine");
        assertEquals(2, cosine.status());
        assertTrue(cosine.err().contains("zero-row.npy: cosine distance is undefined for row 2"), cosine.err());
        for (String name : new String[]{"latin1.txt", "latin1.csv"}) {
            Path latin1 = dir.resolve(name);
            Files.write(latin1, (name.endsWith(".csv") ? "variant\nf\u00fcll\n" : "f\u00fcll\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            CliRun notUtf8 = run("knn", z.toString(), "--labels", latin1.toString(), "--label-column", "variant", "--k", "4");
            assertEquals(2, notUtf8.status());
            assertTrue(notUtf8.err().contains(name + ": not UTF-8 text"), notUtf8.err());
        }
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
