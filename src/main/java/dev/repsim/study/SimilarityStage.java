package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The similarity matrices of the study: per model, variant × variant for every metric (how much a
 * model's representation changes when parts of the image are removed); per variant, model × model
 * (how much two models agree on the same inputs). For a symmetric metric (PWCCA included, see
 * {@code Cca.pwcca}) only i ≤ j is computed and mirrored; an asymmetric one ({@link Metric#isSymmetric})
 * has every cell computed, row i the first argument. The diagonal is computed too rather than assumed.
 */
public final class SimilarityStage {
    private SimilarityStage() {}

    /**
     * @param byModel   model → metric label → variant × variant matrix
     * @param byVariant variant → metric label → model × model matrix
     */
    public record Result(Map<String, Map<String, double[][]>> byModel, Map<String, Map<String, double[][]>> byVariant) {}

    /**
     * Checks every pair the stage will compute (sample counts, CCA's n &gt; d) before any work, so a
     * study that cannot finish fails at once.
     */
    public static void check(Study s, Embeddings e) {
        for (Metric m : s.metrics()) {
            for (Study.Model a : s.models()) {
                for (Study.Model b : s.models()) {
                    try {
                        // one variant suffices: all variants of a model have the same shape
                        Similarity.validate(m, e.get(a.name(), s.variants().get(0)), e.get(b.name(), s.variants().get(0)), s.options());
                    } catch (IllegalArgumentException ex) {
                        throw ccaProblem(s, ex, a, b, e.width(a.name()), e.width(b.name()), e.n());
                    }
                }
            }
        }
    }

    /**
     * Checks CCA's n &gt; max(dx, dy) from the models' widths before anything is embedded (widths of −1,
     * symbolic in the model, are checked after embedding by {@link #check}).
     */
    public static void checkWidths(Study s, Map<String, Long> widths) {
        for (Metric m : s.metrics()) {
            try {
                Similarity.checkNeighbours(m, s.n(), s.options());
            } catch (IllegalArgumentException ex) {
                throw new InputException(s.file(), "metrics: " + ex.getMessage().replace("--k ", "metric-k ") + " (the study has " + s.n() + " images)");
            }
            for (Study.Model a : s.models()) {
                for (Study.Model b : s.models()) {
                    long wa = widths.getOrDefault(a.name(), -1L), wb = widths.getOrDefault(b.name(), -1L);
                    if (wa < 1 || wb < 1) continue;
                    try {
                        Similarity.checkCcaSamples(m, s.n(), Math.toIntExact(wa), Math.toIntExact(wb), s.options());
                    } catch (IllegalArgumentException ex) {
                        throw ccaProblem(s, ex, a, b, wa, wb, s.n());
                    }
                }
            }
        }
    }

    private static InputException ccaProblem(Study s, IllegalArgumentException ex, Study.Model a, Study.Model b, long wa, long wb, long n) {
        return new InputException(s.file(), "metrics: " + ex.getMessage().replace("give --cca-ridge", "set cca-ridge").replace("--k ", "metric-k ") + " (models '" + a.name() + "' and '" + b.name() + "' have "
                + wa + " and " + wb + " features, the study has " + n + " images)");
    }

    public static Result run(Study s, Embeddings e, Backend backend) {
        List<String> variants = s.variants();
        List<String> models = s.models().stream().map(Study.Model::name).toList();
        int pv = variants.size() * (variants.size() + 1) / 2, pm = models.size() * (models.size() + 1) / 2;
        long total = 0;
        for (Metric m : s.metrics()) {
            int cv = m.isSymmetric() ? pv : variants.size() * variants.size(), cm = m.isSymmetric() ? pm : models.size() * models.size();
            total += (long) models.size() * cv + (models.size() > 1 ? (long) variants.size() * cm : 0);
        }
        Map<String, Map<String, double[][]>> byModel = new LinkedHashMap<>();
        Map<String, Map<String, double[][]>> byVariant = new LinkedHashMap<>();
        try (Progress p = new Progress("study: similarity matrices", total, "metric evaluations")) {
            for (String model : models) {
                Map<String, double[][]> perMetric = new LinkedHashMap<>();
                for (Metric m : s.metrics()) {
                    perMetric.put(m.label(), matrix(m, variants.size(), (i, j) -> {
                        double v = compute(m, e.get(model, variants.get(i)), e.get(model, variants.get(j)), backend, s.options(),
                                "model " + model + ", " + variants.get(i) + " vs " + variants.get(j));
                        p.step();
                        return v;
                    }));
                }
                byModel.put(model, perMetric);
            }
            if (models.size() > 1) {
                for (String variant : variants) {
                    Map<String, double[][]> perMetric = new LinkedHashMap<>();
                    for (Metric m : s.metrics()) {
                        perMetric.put(m.label(), matrix(m, models.size(), (i, j) -> {
                            double v = compute(m, e.get(models.get(i), variant), e.get(models.get(j), variant), backend, s.options(),
                                    "variant " + variant + ", " + models.get(i) + " vs " + models.get(j));
                            p.step();
                            return v;
                        }));
                    }
                    byVariant.put(variant, perMetric);
                }
            }
        }
        return new Result(byModel, byVariant);
    }

    private interface Cell {
        double at(int i, int j);
    }

    /** The size × size matrix of the metric's cells: i ≤ j mirrored when it is symmetric, else every cell. */
    private static double[][] matrix(Metric m, int size, Cell cell) {
        double[][] out = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = m.isSymmetric() ? i : 0; j < size; j++) {
                out[i][j] = cell.at(i, j);
                if (m.isSymmetric()) out[j][i] = out[i][j];
            }
        }
        return out;
    }

    private static double compute(Metric m, Matrix x, Matrix y, Backend b, MetricOptions o, String what) {
        double v = Similarity.compute(m, x, y, b, o);
        // A metric that returns NaN/Inf on finite input is a bug to surface, never a cell to draw.
        if (!Double.isFinite(v)) throw new IllegalStateException(m.label() + " returned " + v + " for " + what);
        return v;
    }
}
