package dev.repsim.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.backend.JavaBackend;
import dev.repsim.cli.Main;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A whole study through the command line: every number in results.json, CSV files and figures. */
class StudyRunTest {

    @Test
    void studyWritesEveryResult(@TempDir Path dir) throws Exception {
        StudyFixture f = new StudyFixture(dir, 30);
        assertEquals(0, Main.execute("study", f.studyFile("").toString()));
        Path out = dir.resolve("out");
        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(30, r.get("n").asInt());
        // the chance levels the report states: 29 of the 89 other pooled points share a variant, 2 an image
        assertEquals(29.0 / 89, r.get("neighbourChance").get("sameVariant").asDouble(), 1e-15);
        assertEquals(2.0 / 89, r.get("neighbourChance").get("sameImage").asDouble(), 1e-15);
        assertTrue(Files.readString(out.resolve("report.html")).contains(String.format(java.util.Locale.ROOT, "by chance %.3f", 29.0 / 89)));

        // similarity values are the metric of the same two matrices
        try (JavaBackend b = new JavaBackend()) {
            for (String model : List.of("stable", "fragile")) {
                for (Metric m : List.of(Metric.LINEAR_CKA, Metric.RBF_CKA, Metric.CCA_MEAN)) {
                    JsonNode mat = r.get("variantSimilarity").get(model).get(m.label());
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            double expected = Similarity.compute(m, f.embedding(model, StudyFixture.VARIANTS.get(i)),
                                    f.embedding(model, StudyFixture.VARIANTS.get(j)), b, MetricOptions.DEFAULTS);
                            assertEquals(expected, mat.get(i).get(j).asDouble(), 1e-12, model + " " + m.label() + " " + i + "," + j);
                        }
                    }
                }
            }
            JsonNode mm = r.get("modelSimilarity").get("background").get("linear-cka");
            assertEquals(Similarity.compute(Metric.LINEAR_CKA, f.embedding("stable", "background"), f.embedding("fragile", "background"), b,
                    MetricOptions.DEFAULTS), mm.get(0).get(1).asDouble(), 1e-12);
        }
        // the fragile model changes more on background than the stable one
        double stable = r.get("variantSimilarity").get("stable").get("linear-cka").get(0).get(2).asDouble();
        double fragile = r.get("variantSimilarity").get("fragile").get("linear-cka").get(0).get(2).asDouble();
        assertTrue(stable > 0.9 && fragile < stable, stable + " vs " + fragile);

        // neighbour shares against a brute-force reference
        for (String model : List.of("stable", "fragile")) {
            double[][] ref = bruteForceShares(f, model, 5);
            JsonNode nb = r.get("neighbours").get(model);
            for (int v = 0; v < 3; v++) {
                String variant = StudyFixture.VARIANTS.get(v);
                assertEquals(ref[v][0], nb.get("sameVariant").get(variant).asDouble(), 1e-12, model + " same variant " + variant);
                assertEquals(ref[v][1], nb.get("sameImage").get(variant).asDouble(), 1e-12, model + " same image " + variant);
            }
        }
        assertEquals(90, r.get("umap").get("fragile").get("xy").size());

        // files: CSV per table, PNG per figure, the report with every figure inlined
        assertTrue(Files.readString(out.resolve("csv/variants-stable-linear-cka.csv")).startsWith("variant,full,foreground,background\nfull,"));
        assertTrue(Files.readString(out.resolve("csv/models-full-cca-mean.csv")).startsWith("model,stable,fragile\nstable,"));
        assertTrue(Files.readString(out.resolve("csv/neighbours.csv")).startsWith("model,variant,k,same_variant_share,same_image_share"));
        assertEquals(91, Files.readAllLines(out.resolve("csv/umap-stable.csv")).size());
        long pngs;
        try (Stream<Path> s = Files.list(out.resolve("figures"))) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        // 2 models × 3 metrics + 3 variants × 3 metrics + 2 share charts + 2 compositions + 2 UMAPs
        assertEquals(6 + 9 + 2 + 2 + 2, pngs);
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(pngs, html.split("src=\"data:image/png;base64,", -1).length - 1);
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    /** Plain-loop k-NN on the pooled (column-centred) rows; [variant] = {same-variant share, same-image share}. */
    static double[][] bruteForceShares(StudyFixture f, String model, int k) {
        int n = f.n, nv = 3, rows = n * nv;
        double[][] z = new double[rows][];
        for (int v = 0; v < nv; v++) {
            Matrix m = f.embedding(model, StudyFixture.VARIANTS.get(v));
            for (int i = 0; i < n; i++) {
                z[v * n + i] = new double[m.cols()];
                for (int c = 0; c < m.cols(); c++) z[v * n + i][c] = m.get(i, c);
            }
        }
        double[][] out = new double[nv][2];
        for (int a = 0; a < rows; a++) {
            final int row = a;
            Integer[] others = java.util.stream.IntStream.range(0, rows).filter(b -> b != row).boxed().toArray(Integer[]::new);
            double[] d = new double[rows];
            for (int b = 0; b < rows; b++) {
                double s = 0;
                for (int c = 0; c < z[a].length; c++) s += (z[a][c] - z[b][c]) * (z[a][c] - z[b][c]);
                d[b] = s;
            }
            Arrays.sort(others, (x, y) -> d[x] != d[y] ? Double.compare(d[x], d[y]) : Integer.compare(x, y));
            int sameV = 0, sameI = 0;
            for (int t = 0; t < k; t++) {
                if (others[t] / n == a / n) sameV++;
                if (others[t] % n == a % n) sameI++;
            }
            out[a / n][0] += sameV / (double) k / n;
            out[a / n][1] += sameI / (double) k / n;
        }
        return out;
    }

    @Test
    void cannotFinishIsAnErrorBeforeAnyWork(@TempDir Path dir) throws Exception {
        StudyFixture f = new StudyFixture(dir, 5); // 5 images, 6 features: CCA cannot run
        int code = Main.execute("study", f.studyFile("").toString());
        assertEquals(2, code);
        assertFalse(Files.exists(dir.resolve("out/report.html")));
        assertFalse(Files.exists(dir.resolve("out/results.json")));
    }
}
