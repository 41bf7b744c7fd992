package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.measure.StudyWorkload;
import dev.repsim.measure.Workload;
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
        List<String> args = new ArrayList<>(List.of("plan", "--results", results.toString()));
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
}
