package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.measure.StudyWorkload;
import dev.repsim.measure.Workload;
import dev.repsim.util.RepoRoot;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code repsim plan} on a results folder of synthetic cells whose timings follow a known law. */
class PlanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** java: t = A + B·n·d² seconds; blas twice that; a NumPy cell, which plan must leave out. */
    private static final double A = 0.002, B = 1e-11;

    @TempDir
    Path dir;
    Path results;

    private static double truth(int n, int d) {
        return A + B * n * (double) d * d;
    }

    @BeforeEach
    void results() throws Exception {
        results = dir.resolve("results");
        Path m = results.resolve("m1");
        Files.createDirectories(m);
        Files.writeString(m.resolve("machine.json"), "{\"machine\": \"m1\", \"memory_gib\": 16}");
        ArrayNode cells = JSON.createArrayNode();
        for (int n : new int[]{1000, 4000, 16000}) {
            for (int d : new int[]{256, 768}) {
                cells.add(cell("linear-cka", "java", n, d, truth(n, d), 8.0 * n * d));
                cells.add(cell("linear-cka", "blas", n, d, 2 * truth(n, d), 4.0 * n * d));
            }
        }
        cells.add(cell("linear-cka", "numpy", 4000, 768, truth(4000, 768) / 10, Double.NaN));
        Files.writeString(m.resolve("metric-grid.json"), cells.toString());
    }

    private static ObjectNode cell(String metric, String backend, int n, int d, double seconds, double bytes) {
        ObjectNode c = JSON.createObjectNode();
        c.put("benchmark", "dev.repsim.bench.MetricBenchmark.compute");
        ObjectNode p = c.putObject("params");
        p.put("metric", metric).put("backend", backend).put("n", Integer.toString(n)).put("d", Integer.toString(d)).put("precision", "f64");
        c.putObject("primaryMetric").put("score", 1 / seconds).put("scoreUnit", "ops/s").put("scoreError", 0.0);
        if (!Double.isNaN(bytes)) c.putObject("secondaryMetrics").putObject("·gc.alloc.rate.norm").put("score", bytes);
        return c;
    }

    private JsonNode planJson(String... extra) throws Exception {
        return planJson(results, extra);
    }

    /** {@code plan --results DIR EXTRA... --json}: exit 0 and one JSON object on one line. */
    private static JsonNode planJson(Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("plan", "--results", dir.toString()));
        args.addAll(List.of(extra));
        args.add("--json");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line: " + r.out());
        return JSON.readTree(r.out());
    }

    private static Set<String> keys(JsonNode o) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) s.add(it.next());
        return s;
    }

    @Test
    void jsonHasTheDocumentedKeysAndTheKnownTimes() throws Exception {
        JsonNode root = planJson("--n", "8000", "--d", "512", "--metrics", "linear-cka", "--price", "m1=2.5");
        assertEquals(List.of("workload", "options", "best"), List.copyOf(iterable(root)));
        assertEquals(8000, root.get("workload").get("n").asInt());
        assertEquals(512, root.get("workload").get("dy").asInt());
        JsonNode opts = root.get("options");
        assertEquals(2, opts.size(), "java and blas; the NumPy baseline is not a repsim backend: " + opts);
        Set<String> expected = new TreeSet<>(List.of("machine", "backend", "metric", "predicted_s", "ci95_s", "memory_bytes", "fits",
                "extrapolated", "cost_usd", "rank"));
        for (JsonNode o : opts) {
            assertEquals(expected, keys(o));
            assertEquals("m1", o.get("machine").asText());
            assertEquals("linear-cka", o.get("metric").asText());
            double s = o.get("predicted_s").asDouble();
            double want = (o.get("backend").asText().equals("blas") ? 2 : 1) * truth(8000, 512);
            assertEquals(want, s, want * 1e-6, o.toString());
            assertEquals(2, o.get("ci95_s").size());
            assertTrue(o.get("ci95_s").get(0).asDouble() <= s && s <= o.get("ci95_s").get(1).asDouble(), o.toString());
            assertEquals(s / 3600 * 2.5, o.get("cost_usd").asDouble(), 1e-12);
            assertFalse(o.get("extrapolated").asBoolean());
            assertTrue(o.get("fits").asBoolean());
            assertTrue(o.get("memory_bytes").asLong() > 8000L * 1024 * 8, "inputs alone are 2·n·d·8 bytes: " + o);
        }
        assertEquals("java", opts.get(0).get("backend").asText());
        assertEquals(1, opts.get(0).get("rank").asInt());
        assertEquals(2, opts.get(1).get("rank").asInt());
        JsonNode best = root.get("best");
        assertEquals("m1", best.get("machine").asText());
        assertEquals("java", best.get("backend").asText());
        assertEquals("blas", best.get("runner_up").get("backend").asText());
        assertTrue(best.get("clearly_faster").asBoolean(), "exact timings give intervals of zero width: " + best);
    }

    private static List<String> iterable(JsonNode o) {
        List<String> l = new ArrayList<>();
        o.fieldNames().forEachRemaining(l::add);
        return l;
    }

    @Test
    void outsideTheGridIsExtrapolatedAndWithoutPriceCostIsNull() throws Exception {
        JsonNode root = planJson("--n", "100000", "--d", "512", "--metrics", "linear-cka");
        for (JsonNode o : root.get("options")) {
            assertTrue(o.get("extrapolated").asBoolean(), o.toString());
            assertTrue(o.get("cost_usd").isNull(), o.toString());
        }
        assertTrue(root.get("best").get("extrapolated").asBoolean());
    }

    @Test
    void memoryBeyondTheHeapDoesNotFit() throws Exception {
        // 16 GiB of memory, a 4 GiB default heap: two 2 000 000 × 768 f64 inputs alone are 24 GiB
        JsonNode root = planJson("--n", "2000000", "--d", "768", "--metrics", "linear-cka");
        for (JsonNode o : root.get("options")) assertFalse(o.get("fits").asBoolean(), o.toString());
        assertTrue(root.get("best").isNull(), "nothing that does not fit is recommended");
    }

    @Test
    void memoryBetweenInputsAndTheAllocationBoundIsNotKnown() throws Exception {
        // java allocates 8·n·d per evaluation on top of 16·n·d of inputs; the heap is 4 GiB: at n = 300 000,
        // d = 768 the inputs fit (3.4 GiB) and inputs + allocation (5.1 GiB) do not, but the allocation counts garbage
        JsonNode root = planJson("--n", "300000", "--d", "768", "--metrics", "linear-cka");
        JsonNode java = root.get("options").get(0);
        assertEquals("java", java.get("backend").asText());
        assertTrue(java.get("fits").isNull(), java.toString());
        assertEquals(24.0 * 300000 * 768, java.get("memory_bytes").asDouble(), 24.0 * 300000 * 768 * 1e-6);
        assertEquals("java", root.get("best").get("backend").asText(), "an unknown fit is still a candidate");
    }

    @Test
    void helpIsFormatted() {
        CliRun r = CliRun.of("plan", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("95 % interval"), r.out());
        assertFalse(r.err().contains("WARN"), r.err());
    }

    @Test
    void tableRanksTheOptions() {
        CliRun r = CliRun.of("plan", "--results", results.toString(), "--n", "8000", "--d", "512", "--metrics", "linear-cka");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("1 ") || l.startsWith("2 ")).toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).contains(" java "), r.out());
        assertTrue(lines.get(1).contains(" blas "), r.out());
        assertTrue(r.out().contains("best: m1 java"), r.out());
    }

    @Test
    void studyWorkloadIsEveryVariantPairPerModelAndEveryModelPairPerVariant() throws Exception {
        Path study = study(12, Map.of("narrow", 6, "wide", 10));
        Workload w = StudyWorkload.of(study, null);
        Map<List<Integer>, Long> counts = new HashMap<>();
        for (Workload.Pair p : w.pairs()) {
            assertEquals(12, p.n());
            counts.put(List.of(p.dx(), p.dy()), p.count());
        }
        // 3 variants: 6 variant pairs (i ≤ j) per model; 3 model pairs (i ≤ j) per variant, 3 variants
        assertEquals(Map.of(List.of(6, 6), 6L + 3, List.of(10, 10), 6L + 3, List.of(6, 10), 3L), counts);
        assertEquals("f64", w.precision());

        // the study's total is the sum of its pairs' predictions, each as a single-pair plan gives it
        double total = planJson("--study", study.toString()).get("options").get(0).get("predicted_s").asDouble();
        double sum = 9 * single(12, 6, 6) + 9 * single(12, 10, 10) + 3 * single(12, 6, 10);
        assertEquals(sum, total, sum * 1e-9);
    }

    private double single(int n, int dx, int dy) throws Exception {
        JsonNode o = planJson("--n", Integer.toString(n), "--d", Integer.toString(dx), "--dy", Integer.toString(dy), "--metrics", "linear-cka").get("options").get(0);
        assertEquals("java", o.get("backend").asText());
        return o.get("predicted_s").asDouble();
    }

    /** A study of n images with masks and precomputed embeddings of the given widths, three variants, linear CKA. */
    private Path study(int n, Map<String, Integer> widths) throws Exception {
        Path s = dir.resolve("study");
        for (int i = 0; i < n; i++) {
            String rel = (i % 2 == 0 ? "a/" : "b/") + "img" + i + ".png";
            for (String f : List.of("images", "masks")) {
                Path p = s.resolve(f).resolve(rel);
                Files.createDirectories(p.getParent());
                ImageIO.write(new BufferedImage(4, 4, f.equals("images") ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY), "png", p.toFile());
            }
        }
        StringBuilder models = new StringBuilder();
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(widths).entrySet()) {
            models.append("  - name: ").append(e.getKey()).append("\n    embeddings: {");
            List<String> parts = new ArrayList<>();
            for (String v : List.of("full", "foreground", "background")) {
                Path npy = s.resolve("emb").resolve(e.getKey() + "-" + v + ".npy");
                Npy.write(npy, Matrix.of(n, e.getValue(), new double[n * e.getValue()]));
                parts.add(v + ": emb/" + e.getKey() + "-" + v + ".npy");
            }
            models.append(String.join(", ", parts)).append("}\n");
        }
        Path f = s.resolve("study.yaml");
        Files.writeString(f, """
                name: plan test
                output: out
                datasets:
                  - name: toy
                    images: images
                    masks: masks
                models:
                """ + models + """
                variants: [full, foreground, background]
                metrics: [linear-cka]
                """);
        return f;
    }

    @Test
    void badInputIsOneLineAndStatus2() throws Exception {
        List<List<String>> cases = List.of(
                List.of("--n", "1000", "--d", "256", "--metrics", "no-such-metric"),
                List.of("--n", "1000", "--d", "256", "--metrics", "rbf-cka"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--precision", "f32"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--price", "m1=abc"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--price", "m1"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--price", "m1=-1"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--price", "m1=NaN"),
                List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--price", "elsewhere=1"),
                List.of("--n", "0", "--d", "256", "--metrics", "linear-cka"),
                List.of("--d", "256", "--metrics", "linear-cka"),
                List.of("--n", "1000", "--d", "256"));
        for (List<String> c : cases) {
            List<String> args = new ArrayList<>(List.of("plan", "--results", results.toString()));
            args.addAll(c);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.status(), c + ": " + r.err());
            assertEquals("", r.out(), c.toString());
            assertEquals(1, r.err().strip().lines().count(), c + ": " + r.err());
            assertTrue(r.err().startsWith("repsim plan: "), r.err());
        }
        CliRun missing = CliRun.of("plan", "--results", dir.resolve("nowhere").toString(), "--n", "1000", "--d", "256", "--metrics", "linear-cka");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains(dir.resolve("nowhere").toString()), missing.err());
        assertEquals("", missing.out());
    }

    // --- --spark-workers: the committed Spark runs (results/cpu-zen5-2c/spark, spark/bench.sh) ---

    private static final Path COMMITTED = RepoRoot.find().resolve("results");
    private static final Path ZEN5_SPARK = COMMITTED.resolve("cpu-zen5-2c").resolve("spark");
    /** Student's t 0.975 quantile, from the standard table, by degrees of freedom (1 to 30). */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /** The runs of every {@code PREFIX*.csv} of a Spark results folder with workers > 0: {workers, work, seconds}. */
    private static List<double[]> runs(Path spark, String prefix) throws Exception {
        List<double[]> out = new ArrayList<>();
        List<Path> files;
        try (var s = Files.list(spark)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".csv")).sorted().toList();
        }
        assertFalse(files.isEmpty(), spark + ": no " + prefix + "*.csv");
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            List<String> header = List.of(lines.getFirst().split(","));
            for (String l : lines.subList(1, lines.size())) {
                String[] v = l.split(",");
                double workers = Double.parseDouble(v[header.indexOf("workers")]), seconds = Double.parseDouble(v[header.indexOf("seconds")]);
                if (workers == 0) continue;
                // CKA: the co-moments of X and Y's 2·dim joined columns, rows·(2·dim)²; embedding: the embeddings
                double work = prefix.equals("cka-")
                        ? Double.parseDouble(v[header.indexOf("rows")]) * Math.pow(2 * Double.parseDouble(v[header.indexOf("dim")]), 2)
                        : Double.parseDouble(v[header.indexOf("embeddings")]);
                out.add(new double[]{workers, work, seconds});
            }
        }
        return out;
    }

    /**
     * The documented model fitted here independently: t = [c +] u·(a + b/W), c only when the runs have two
     * sizes or more, a, b, c ≥ 0, least squares in relative error, by trying every subset of the terms
     * with Commons Math's QR and keeping the best one with non-negative coefficients; run {@code skip} left out.
     */
    private static final class Reference {
        final boolean fixedStart;
        final double[] coefficients;

        Reference(List<double[]> runs, int skip) {
            fixedStart = runs.stream().mapToDouble(r -> r[1]).distinct().count() > 1;
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (i == skip) continue;
                double[] t = terms(runs.get(i)[0], runs.get(i)[1]);
                for (int j = 0; j < t.length; j++) t[j] /= runs.get(i)[2];
                rows.add(t);
            }
            int k = rows.getFirst().length;
            double[] best = null;
            double bestResidual = Double.POSITIVE_INFINITY;
            for (int mask = 1; mask < 1 << k; mask++) {
                List<Integer> cols = new ArrayList<>();
                for (int j = 0; j < k; j++) if ((mask >> j & 1) == 1) cols.add(j);
                double[][] a = new double[rows.size()][cols.size()];
                for (int i = 0; i < rows.size(); i++) for (int j = 0; j < cols.size(); j++) a[i][j] = rows.get(i)[cols.get(j)];
                double[] ones = new double[rows.size()];
                java.util.Arrays.fill(ones, 1);
                double[] x;
                try {
                    x = new QRDecomposition(new Array2DRowRealMatrix(a)).getSolver().solve(new ArrayRealVector(ones)).toArray();
                } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
                    continue;
                }
                if (java.util.Arrays.stream(x).anyMatch(v -> v < 0)) continue;
                double[] full = new double[k];
                for (int j = 0; j < cols.size(); j++) full[cols.get(j)] = x[j];
                double r = 0;
                for (double[] row : rows) {
                    double e = -1;
                    for (int j = 0; j < k; j++) e += row[j] * full[j];
                    r += e * e;
                }
                if (r < bestResidual) {
                    bestResidual = r;
                    best = full;
                }
            }
            coefficients = best;
        }

        double[] terms(double workers, double work) {
            return fixedStart ? new double[]{1, work, work / workers} : new double[]{work, work / workers};
        }

        double seconds(double workers, double work) {
            double[] t = terms(workers, work);
            double s = 0;
            for (int j = 0; j < t.length; j++) s += coefficients[j] * t[j];
            return s;
        }

        /** The 95 % interval's half-width in log: Student's quantile × the RMS of the leave-one-out log errors. */
        static double spread(List<double[]> runs) {
            double ss = 0;
            for (int i = 0; i < runs.size(); i++) {
                double e = Math.log(runs.get(i)[2] / new Reference(runs, i).seconds(runs.get(i)[0], runs.get(i)[1]));
                ss += e * e;
            }
            return T975[runs.size() - 1] * Math.sqrt(ss / runs.size());
        }
    }

    private JsonNode committedPlan(String... extra) throws Exception {
        return planJson(COMMITTED, extra);
    }

    /** Whether W workers and u work lie outside the runs. */
    private static boolean outside(List<double[]> runs, int workers, double work) {
        double wMin = runs.stream().mapToDouble(r -> r[0]).min().orElseThrow(), wMax = runs.stream().mapToDouble(r -> r[0]).max().orElseThrow();
        double uMin = runs.stream().mapToDouble(r -> r[1]).min().orElseThrow(), uMax = runs.stream().mapToDouble(r -> r[1]).max().orElseThrow();
        return workers < wMin || workers > wMax || work < uMin || work > uMax;
    }

    @Test
    void clusterCoMomentsFollowTheCommittedCkaRuns() throws Exception {
        List<double[]> runs = runs(ZEN5_SPARK, "cka-");
        Reference ref = new Reference(runs, -1);
        double spread = Reference.spread(runs);
        double u = 20_000_000 * 512.0 * 512;

        JsonNode root = committedPlan("--n", "20000000", "--d", "256", "--metrics", "linear-cka,cca-mean", "--spark-workers", "1,2,8");
        assertEquals(List.of("workload", "options", "best", "cluster"), iterable(root));
        JsonNode cluster = root.get("cluster");
        assertEquals(3, cluster.size(), "one machine has Spark runs: " + cluster);
        Map<Integer, Double> predicted = new HashMap<>();
        for (JsonNode c : cluster) {
            int w = c.get("workers").asInt();
            double want = ref.seconds(w, u);
            assertEquals("cpu-zen5-2c", c.get("machine").asText());
            assertEquals("spark", c.get("backend").asText());
            assertEquals("co-moments", c.get("stage").asText());
            assertEquals("[\"linear-cka\",\"cca-mean\"]", c.get("metrics").toString(), "one reduction serves both");
            assertEquals(want, c.get("predicted_s").asDouble(), want * 1e-9, c.toString());
            assertEquals(want * Math.exp(-spread), c.get("ci95_s").get(0).asDouble(), want * 1e-9, c.toString());
            assertEquals(want * Math.exp(spread), c.get("ci95_s").get(1).asDouble(), want * 1e-9, c.toString());
            assertEquals(ref.seconds(1, u) / want, c.get("speedup").asDouble(), 1e-9, c.toString());
            assertEquals(outside(runs, w, u), c.get("extrapolated").asBoolean(), c.toString());
            predicted.put(w, want);
        }
        assertTrue(cluster.get(2).get("extrapolated").asBoolean(), "8 workers were not measured");
        // the fit lies among the measured runs of each worker count, and 8 workers are not 8 times one
        for (int w : new int[]{1, 2}) {
            double lo = runs.stream().filter(r -> r[0] == w && r[1] == u).mapToDouble(r -> r[2]).min().orElseThrow();
            double hi = runs.stream().filter(r -> r[0] == w && r[1] == u).mapToDouble(r -> r[2]).max().orElseThrow();
            assertTrue(lo <= predicted.get(w) && predicted.get(w) <= hi, w + " workers: " + predicted.get(w) + " outside " + lo + "–" + hi);
        }
        assertTrue(predicted.get(1) / predicted.get(8) < 8 * 0.75, "Amdahl's serial part: " + predicted);
    }

    @Test
    void clusterWorkScalesWithNTimesTheJoinedWidthSquaredAndOtherSizesAreExtrapolated() throws Exception {
        assertFalse(new Reference(runs(ZEN5_SPARK, "cka-"), -1).fixedStart, "one size measured: time proportional to the work");
        double base = committedPlan("--n", "20000000", "--d", "256", "--metrics", "linear-cka", "--spark-workers", "2").get("cluster").get(0).get("predicted_s").asDouble();
        JsonNode twice = committedPlan("--n", "40000000", "--d", "256", "--metrics", "linear-cka", "--spark-workers", "2").get("cluster").get(0);
        assertEquals(2 * base, twice.get("predicted_s").asDouble(), base * 1e-9);
        assertTrue(twice.get("extrapolated").asBoolean(), "40 M rows were not measured");
        // dx + dy = 384 against the measured 512
        JsonNode narrow = committedPlan("--n", "20000000", "--d", "256", "--dy", "128", "--metrics", "linear-cka", "--spark-workers", "2").get("cluster").get(0);
        assertEquals(base * (384.0 * 384) / (512.0 * 512), narrow.get("predicted_s").asDouble(), base * 1e-9);
        assertTrue(narrow.get("extrapolated").asBoolean());
    }

    @Test
    void clusterEmbeddingFollowsTheCommittedRunsWithoutAssumingLinearScaling() throws Exception {
        List<double[]> runs = runs(ZEN5_SPARK, "embed-");
        Reference ref = new Reference(runs, -1);
        double spread = Reference.spread(runs);
        // the demo study: 26 images × 5 variants × 2 models
        double u = 26 * 5 * 2;
        Path demo = RepoRoot.find().resolve("data/demo/study.yaml");
        JsonNode root = committedPlan("--study", demo.toString(), "--spark-workers", "1,2,8");
        int metrics = root.get("workload").get("metrics").size();
        int embeddingRows = 0, totalRows = 0;
        for (JsonNode c : root.get("cluster")) {
            int w = c.get("workers").asInt();
            double emb = ref.seconds(w, u), speedup = ref.seconds(1, u) / emb;
            if (c.get("stage").asText().equals("embedding")) {
                embeddingRows++;
                assertEquals(emb, c.get("predicted_s").asDouble(), emb * 1e-9, c.toString());
                assertEquals(emb * Math.exp(-spread), c.get("ci95_s").get(0).asDouble(), emb * 1e-9, c.toString());
                assertEquals(emb * Math.exp(spread), c.get("ci95_s").get(1).asDouble(), emb * 1e-9, c.toString());
                assertEquals(speedup, c.get("speedup").asDouble(), 1e-9, c.toString());
                assertEquals(outside(runs, w, u), c.get("extrapolated").asBoolean(), c.toString());
                assertTrue(c.get("driver_backend").isNull());
                if (ref.coefficients[2] == 0) assertEquals(1.0, c.get("speedup").asDouble(), 1e-12, "runs without a gain predict none: " + c);
            } else {
                totalRows++;
                assertEquals("total", c.get("stage").asText());
                // the driver: the fastest backend of the machine with every metric, summed over them
                String backend = c.get("driver_backend").asText();
                double similarity = 0;
                int found = 0;
                boolean driverExtrapolated = false;
                for (JsonNode o : root.get("options")) {
                    if (!o.get("machine").asText().equals("cpu-zen5-2c") || !o.get("backend").asText().equals(backend)) continue;
                    similarity += o.get("predicted_s").asDouble();
                    driverExtrapolated |= o.get("extrapolated").asBoolean();
                    found++;
                }
                assertEquals(metrics, found, backend + " has every metric");
                for (String other : root.get("options").findValuesAsText("backend").stream().distinct().toList()) {
                    double s = 0;
                    int k = 0;
                    for (JsonNode o : root.get("options")) {
                        if (o.get("machine").asText().equals("cpu-zen5-2c") && o.get("backend").asText().equals(other)) {
                            s += o.get("predicted_s").asDouble();
                            k++;
                        }
                    }
                    assertTrue(k < metrics || s >= similarity, other + " would be a faster driver than " + backend);
                }
                assertEquals(emb + similarity, c.get("predicted_s").asDouble(), (emb + similarity) * 1e-9, c.toString());
                assertEquals(outside(runs, w, u) || driverExtrapolated, c.get("extrapolated").asBoolean(), c.toString());
            }
        }
        assertEquals(3, embeddingRows);
        assertEquals(3, totalRows);
        assertTrue(root.get("cluster").get(4).get("extrapolated").asBoolean(), "8 workers were not measured: " + root.get("cluster").get(4));
    }

    @Test
    void clusterTableHasTheRowsAfterThePlan() {
        CliRun r = CliRun.of("plan", "--results", COMMITTED.toString(), "--n", "20000000", "--d", "256", "--metrics", "linear-cka", "--spark-workers", "2,8");
        assertEquals(0, r.status(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.matches("^[28] +co-moments +cpu-zen5-2c .*")).toList();
        assertEquals(2, rows.size(), r.out());
        assertFalse(rows.get(0).endsWith("extrapolated"), r.out());
        assertTrue(rows.get(1).endsWith("extrapolated"), r.out());
        assertTrue(r.out().indexOf("spark cluster") > r.out().indexOf("best:"), r.out());
    }

    @Test
    void clusterBadInputIsOneLineAndStatus2() throws Exception {
        // the synthetic results have no spark folder
        assertPlanError(List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--spark-workers", "2"), results.toString(), "cka-*.csv");
        assertPlanError(List.of("--n", "1000", "--d", "256", "--metrics", "rbf-cka", "--spark-workers", "2"), "rbf-cka", "block pairs");
        assertPlanError(List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka,cknna", "--spark-workers", "2"), "cknna", "not run on Spark");
        assertPlanError(List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--precision", "f32", "--spark-workers", "2"), "float64");
        assertPlanError(List.of("--n", "1000", "--d", "256", "--metrics", "linear-cka", "--spark-workers", "0"), "--spark-workers");

        Path spark = results.resolve("m1").resolve("spark");
        Files.createDirectories(spark);
        Files.writeString(spark.resolve("cka-test.csv"), "master,workers,partitions,rows,dim,seconds,rows_per_second,linear_cka\n"
                + "standalone[1],1,2,1000,64,2.0,500,0.5\nstandalone[2],2,2,1000,64,1.2,833,0.5\n");
        Path study = study(12, Map.of("narrow", 6, "wide", 10));
        assertPlanError(List.of("--study", study.toString(), "--spark-workers", "2"), spark.toString(), "missing embed-*.csv");

        Files.writeString(spark.resolve("cka-test.csv"), "master,workers,partitions,rows,dim,seconds,rows_per_second,linear_cka\n"
                + "standalone[1],1,2,1000,64,2.0,500,0.5\nstandalone[2],2,2,1000,64,fast,833,0.5\n");
        assertPlanError(List.of("--n", "1000", "--d", "64", "--metrics", "linear-cka", "--spark-workers", "2"), spark.resolve("cka-test.csv").toString(), "line 3", "seconds");

        Files.writeString(spark.resolve("cka-test.csv"), "master,workers,partitions,rows,seconds\nstandalone[1],1,2,1000,2.0\n");
        assertPlanError(List.of("--n", "1000", "--d", "64", "--metrics", "linear-cka", "--spark-workers", "2"), spark.resolve("cka-test.csv").toString(), "missing column 'dim'");

        Files.writeString(spark.resolve("cka-test.csv"), "master,workers,partitions,rows,dim,seconds,rows_per_second,linear_cka\n"
                + "standalone[2],2,2,1000,64,2.0,500,0.5\nstandalone[2],2,8,1000,64,1.2,833,0.5\nlocal[2],0,2,1000,64,1.0,1000,0.5\n");
        assertPlanError(List.of("--n", "1000", "--d", "64", "--metrics", "linear-cka", "--spark-workers", "2"), spark.toString(), "one worker count");
    }

    private void assertPlanError(List<String> options, String... inMessage) {
        List<String> args = new ArrayList<>(List.of("plan", "--results", results.toString()));
        args.addAll(options);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.status(), options + ": " + r.err() + r.out());
        assertEquals("", r.out(), options.toString());
        assertEquals(1, r.err().strip().lines().count(), options + ": " + r.err());
        assertTrue(r.err().startsWith("repsim plan: "), r.err());
        for (String s : inMessage) assertTrue(r.err().contains(s), options + ": '" + s + "' not in " + r.err());
    }
}
