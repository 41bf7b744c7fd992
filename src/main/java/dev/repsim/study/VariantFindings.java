package dev.repsim.study;

import dev.repsim.metrics.Metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's one-paragraph reading of the variant-by-variant similarities: per model, which variant
 * keeps most and which least of the full image's representation, and whether the foreground alone or
 * the background alone stays closer to it (the question of Cadet et al. 2023). Computed from linear CKA
 * when the study has it, else from its first metric, read in that metric's direction (a distance is
 * smallest where most is kept).
 */
final class VariantFindings {
    static final String FULL = "full";

    private VariantFindings() {}

    /** The paragraph, or null when the study has no {@code full} variant or no other variant to compare. */
    static String paragraph(StudyResults r) {
        int full = r.variants().indexOf(FULL);
        if (full < 0 || r.variants().size() < 2 || r.metrics().isEmpty() || r.variantSimilarity().isEmpty()) return null;
        String metric = r.metrics().contains("linear-cka") ? "linear-cka" : r.metrics().getFirst();
        boolean distance = Metric.parse(metric).isDistance();
        // closer(a, b): value a means more of the representation kept than value b
        java.util.function.BiPredicate<Double, Double> closer = distance ? (a, b) -> a < b : (a, b) -> a > b;
        List<String> sentences = new ArrayList<>();
        for (StudyResults.ModelInfo m : r.models()) {
            var byMetric = r.variantSimilarity().get(m.name());
            if (byMetric == null || byMetric.get(metric) == null) continue;
            double[] row = byMetric.get(metric)[full];
            int best = -1, worst = -1;
            for (int v = 0; v < row.length; v++) {
                if (v == full) continue;
                if (best < 0 || closer.test(row[v], row[best])) best = v;
                if (worst < 0 || closer.test(row[worst], row[v])) worst = v;
            }
            StringBuilder s = new StringBuilder(best == worst
                    ? distance ? String.format(Locale.ROOT, "%s's %s lies %.3f from its full-image representation", m.name(), r.variants().get(best), row[best])
                    : String.format(Locale.ROOT, "%s keeps %.3f of its full-image representation in %s", m.name(), row[best], r.variants().get(best))
                    : String.format(Locale.ROOT, "%s keeps most of its full-image representation in %s (%.3f) and least in %s (%.3f)",
                    m.name(), r.variants().get(best), row[best], r.variants().get(worst), row[worst]));
            int fg = r.variants().indexOf("foreground"), bg = r.variants().indexOf("background");
            if (fg >= 0 && bg >= 0 && row[fg] != row[bg]) {
                boolean fgCloser = closer.test(row[fg], row[bg]);
                s.append(String.format(Locale.ROOT, "; it is closer to the %s alone (%.3f) than to the %s alone (%.3f)",
                        fgCloser ? "foreground" : "background", fgCloser ? row[fg] : row[bg], fgCloser ? "background" : "foreground",
                        fgCloser ? row[bg] : row[fg]));
            }
            sentences.add(s.toString());
        }
        if (sentences.isEmpty()) return null;
        return "What the numbers show (" + metric + " of each variant against the full image, " + (distance ? "a distance: 0" : "1")
                + " = the representation did not change): "
                + String.join(". ", sentences) + ".";
    }
}
