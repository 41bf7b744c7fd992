package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.SimilarityMatrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The similarity matrices of the study: per model, variant × variant for every metric (how much a
 * model's representation changes when parts of the image are removed); per variant, model × model
 * (how much two models agree on the same inputs). Entry [i][j] is the metric of (i, j), row i's
 * representation as X; only i ≤ j is computed where the metric is symmetric for the pair's widths, both
 * orders where it is not (linear-regression, cknna; PWCCA between representations of equal width, which
 * weights by the first one; see {@code Similarity.isSymmetric}); the
 * diagonal is computed too rather than assumed to be 1. Each representation's own statistics are computed
 * once per matrix ({@link SimilarityMatrix}).
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
                        Similarity.checkShape(m, s.n(), Math.toIntExact(wa), Math.toIntExact(wb), s.options());
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
        // one step per unordered pair (an asymmetric metric's two orders are one step)
        long pv = (long) variants.size() * (variants.size() + 1) / 2, pm = (long) models.size() * (models.size() + 1) / 2;
        long total = s.metrics().size() * (models.size() * pv + (models.size() > 1 ? variants.size() * pm : 0));
        Map<String, Map<String, double[][]>> byModel = new LinkedHashMap<>();
        Map<String, Map<String, double[][]>> byVariant = new LinkedHashMap<>();
        try (Progress p = new Progress("study: similarity matrices", total, "metric evaluations")) {
            for (String model : models) {
                Map<String, double[][]> perMetric = new LinkedHashMap<>();
                List<Matrix> reps = variants.stream().map(v -> e.get(model, v)).toList();
                for (Metric m : s.metrics()) {
                    perMetric.put(m.label(), matrix(m, reps, variants, backend, s, p, "model " + model + ", "));
                }
                byModel.put(model, perMetric);
            }
            if (models.size() > 1) {
                for (String variant : variants) {
                    Map<String, double[][]> perMetric = new LinkedHashMap<>();
                    List<Matrix> reps = models.stream().map(mo -> e.get(mo, variant)).toList();
                    for (Metric m : s.metrics()) {
                        perMetric.put(m.label(), matrix(m, reps, models, backend, s, p, "variant " + variant + ", "));
                    }
                    byVariant.put(variant, perMetric);
                }
            }
        }
        return new Result(byModel, byVariant);
    }

    /**
     * All pairs of the representations through {@link SimilarityMatrix} (each representation's own statistics
     * computed once); every value must be finite. A metric that is undefined for these embeddings (a
     * representation with no variance, say) or refuses them is bad input of the study, named as such.
     */
    private static double[][] matrix(Metric m, List<Matrix> reps, List<String> names, Backend b, Study s, Progress p, String where) {
        double[][] out;
        try {
            out = SimilarityMatrix.of(m, reps, b, s.options(), p::step);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InputException(s.file(), m.label() + " of " + where + "between " + String.join(", ", names) + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out.length; j++) {
                // A metric that returns NaN/Inf on finite input is a bug to surface, never a cell to draw.
                if (!Double.isFinite(out[i][j])) {
                    throw new IllegalStateException(m.label() + " returned " + out[i][j] + " for " + where + names.get(i) + " vs " + names.get(j));
                }
            }
        }
        return out;
    }
}
