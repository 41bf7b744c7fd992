package dev.repsim.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.Csv;
import dev.repsim.report.BarChart;
import dev.repsim.report.Heatmap;
import dev.repsim.report.Png;
import dev.repsim.report.ScatterPlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a study's results: {@code results.json}, one CSV per table under {@code csv/}, the PNG
 * figures under {@code figures/}, and {@code report.html} with the same figures inlined. Every file
 * is written through a temporary file and a rename; the report is written last.
 */
public final class StudyOutputs {
    private StudyOutputs() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the report of a study with this output folder is. */
    public static Path report(Path output) {
        return output.resolve("report.html");
    }

    /** Where the results of a study with this output folder are. */
    static Path results(Path output) {
        return output.resolve("results.json");
    }

    public static Path write(StudyResults r, Path output, Map<String, byte[]> examplePngs) {
        List<String> files = new ArrayList<>();
        Path json = results(output);
        try {
            byte[] bytes = JSON.writeValueAsBytes(r);
            AtomicFiles.write(json, out -> out.write(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the results: " + e.getMessage(), e);
        }
        files.add("results.json");

        // variant × variant per model, model × model per variant
        Map<String, byte[]> variantFigs = new LinkedHashMap<>(), modelFigs = new LinkedHashMap<>();
        r.variantSimilarity().forEach((model, perMetric) -> perMetric.forEach((metric, m) -> {
            String base = "variants-" + model + "-" + metric;
            files.add(matrixCsv(output, base, "variant", r.variants(), m));
            variantFigs.put(model + "\u0000" + metric, figure(output, base, heatmap(model + " · " + metric, r.variants(), m, metric)));
        }));
        r.modelSimilarity().forEach((variant, perMetric) -> perMetric.forEach((metric, m) -> {
            String base = "models-" + variant + "-" + metric;
            List<String> names = r.models().stream().map(StudyResults.ModelInfo::name).toList();
            files.add(matrixCsv(output, base, "model", names, m));
            modelFigs.put(variant + "\u0000" + metric, figure(output, base, heatmap(variant + " · " + metric, names, m, metric)));
        }));

        // neighbour analysis
        List<List<String>> nbRows = new ArrayList<>();
        Map<String, byte[]> compositionFigs = new LinkedHashMap<>();
        r.neighbours().forEach((model, res) -> {
            for (String v : r.variants()) nbRows.add(List.of(model, v, Integer.toString(res.k()), num(res.sameVariant().get(v)), num(res.sameImage().get(v))));
            String base = "neighbours-" + model;
            files.add(matrixCsv(output, base, "variant", r.variants(), res.composition()));
            compositionFigs.put(model, figure(output, base, new Heatmap(model + " · rows: a point's variant, columns: its " + res.k() + " neighbours' variants",
                    r.variants(), r.variants(), res.composition(), 0, 1, 2).render()));
        });
        Csv.write(output.resolve("csv/neighbours.csv"), List.of("model", "variant", "k", "same_variant_share", "same_image_share"), nbRows);
        List<String> modelNames = new ArrayList<>(r.neighbours().keySet());
        double[][] sameVariant = new double[modelNames.size()][r.variants().size()], sameImage = new double[modelNames.size()][r.variants().size()];
        for (int m = 0; m < modelNames.size(); m++) {
            NeighbourStage.Result res = r.neighbours().get(modelNames.get(m));
            for (int v = 0; v < r.variants().size(); v++) {
                sameVariant[m][v] = res.sameVariant().get(r.variants().get(v));
                sameImage[m][v] = res.sameImage().get(r.variants().get(v));
            }
        }
        int k = r.k();
        Map<String, byte[]> shareFigs = new LinkedHashMap<>();
        shareFigs.put("same variant", figure(output, "neighbours-same-variant", new BarChart("neighbours from the same variant (k=" + k + ")",
                "share of the k neighbours", r.variants(), modelNames, sameVariant, false, Double.NaN).render()));
        shareFigs.put("same image", figure(output, "neighbours-same-image", new BarChart("neighbours that are the same image in another variant (k=" + k + ")",
                "share of the k neighbours", r.variants(), modelNames, sameImage, false, Double.NaN).render()));
        files.add("csv/neighbours.csv");

        // UMAP
        Map<String, byte[]> umapFigs = new LinkedHashMap<>();
        r.umap().forEach((model, u) -> {
            List<List<String>> rows = new ArrayList<>();
            int[] group = new int[u.xy().length];
            for (int row = 0; row < u.xy().length; row++) {
                int v = row / r.n();
                StudyResults.Image img = r.images().get(row % r.n());
                group[row] = v;
                rows.add(List.of(img.dataset(), img.path(), img.label(), r.variants().get(v), num(u.xy()[row][0]), num(u.xy()[row][1])));
            }
            Csv.write(output.resolve("csv/umap-" + model + ".csv"), List.of("dataset", "image", "label", "variant", "x", "y"), rows);
            files.add("csv/umap-" + model + ".csv");
            umapFigs.put(model, figure(output, "umap-" + model,
                    new ScatterPlot(model + " · UMAP of pooled embeddings", "UMAP 1", "UMAP 2", u.xy(), group, r.variants()).render()));
        });

        Path report = report(output);
        AtomicFiles.writeString(report, StudyReport.html(r, variantFigs, modelFigs, shareFigs, compositionFigs, umapFigs, examplePngs, files));
        return report;
    }

    private static java.awt.image.BufferedImage heatmap(String title, List<String> labels, double[][] m, String metric) {
        // CKA and CCA-family values lie in [0, 1]; a fixed scale keeps figures comparable. Debiased
        // estimators and RSA can dip below 0, so their scale opens downwards when they do; distances
        // (procrustes-size-shape, angular-shape, gulp, rsm-norm-difference, ...) are not bounded by 1, so it opens upwards.
        double lo = 0, hi = 1;
        for (double[] row : m) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new Heatmap(title, labels, labels, m, lo < 0 ? Math.floor(lo * 10) / 10 : 0, hi > 1 ? Math.ceil(hi * 10) / 10 : 1, 3).render();
    }

    private static byte[] figure(Path output, String base, java.awt.image.BufferedImage img) {
        return Png.write(output.resolve("figures").resolve(base + ".png"), img);
    }

    /** A labelled square matrix: first column and header row carry the labels; {@code corner} names them. */
    private static String matrixCsv(Path output, String base, String corner, List<String> labels, double[][] m) {
        List<String> header = new ArrayList<>();
        header.add(corner);
        header.addAll(labels);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            List<String> row = new ArrayList<>();
            row.add(labels.get(i));
            for (double v : m[i]) row.add(num(v));
            rows.add(row);
        }
        String rel = "csv/" + base + ".csv";
        Csv.write(output.resolve(rel), header, rows);
        return rel;
    }

    /** Shortest decimal that reads back as the same double. */
    static String num(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("non-finite value " + v + " in the results");
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
