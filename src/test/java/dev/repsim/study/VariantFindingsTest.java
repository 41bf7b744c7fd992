package dev.repsim.study;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The report's reading of the numbers names, per model, the variants that keep most and least of the full image's representation. */
class VariantFindingsTest {
    private static final List<String> VARIANTS = List.of("full", "foreground", "background", "center", "border");

    private static StudyResults results(List<String> variants, List<String> metrics, Map<String, Map<String, double[][]>> sims) {
        return new StudyResults("t", "s.yaml", "now", 3, List.of(), variants,
                sims.keySet().stream().sorted().map(m -> new StudyResults.ModelInfo(m, "onnx", 8)).toList(), metrics, "java", "f64", 2,
                "euclidean", sims, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** A symmetric matrix with 1 on the diagonal and {@code row} as the full variant's row and column. */
    private static double[][] matrix(double... row) {
        int n = row.length + 1;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = 1;
        for (int i = 1; i < n; i++) m[0][i] = m[i][0] = row[i - 1];
        return m;
    }

    @Test
    void namesTheBestAndWorstVariantAndTheCloserHalfPerModel() {
        StudyResults r = results(VARIANTS, List.of("rbf-cka", "linear-cka"), Map.of(
                "a", Map.of("linear-cka", matrix(0.40, 0.70, 0.55, 0.95), "rbf-cka", matrix(0.9, 0.1, 0.2, 0.3)),
                "b", Map.of("linear-cka", matrix(0.80, 0.30, 0.85, 0.60), "rbf-cka", matrix(0.1, 0.9, 0.2, 0.3))));
        String p = VariantFindings.paragraph(r);
        assertTrue(p.startsWith("What the numbers show (linear-cka of each variant against the full image"), p);
        assertTrue(p.contains("a keeps most of its full-image representation in border (0.950) and least in foreground (0.400); "
                + "it is closer to the background alone (0.700) than to the foreground alone (0.400)"), p);
        assertTrue(p.contains("b keeps most of its full-image representation in center (0.850) and least in background (0.300); "
                + "it is closer to the foreground alone (0.800) than to the background alone (0.300)"), p);
    }

    /** A distance reads the other way: the smallest value keeps most, and 0 means unchanged. */
    @Test
    void aDistanceIsReadInItsDirection() {
        StudyResults r = results(VARIANTS, List.of("procrustes-size-shape", "gulp"), Map.of(
                "u", Map.of("procrustes-size-shape", matrix(2.435, 2.815, 4.049, 2.976), "gulp", matrix(1, 2, 3, 4))));
        String p = VariantFindings.paragraph(r);
        assertTrue(p.startsWith("What the numbers show (procrustes-size-shape of each variant against the full image, a distance: 0 = "), p);
        assertTrue(p.contains("u keeps most of its full-image representation in foreground (2.435) and least in center (4.049); "
                + "it is closer to the foreground alone (2.435) than to the background alone (2.815)"), p);
        StudyResults one = results(List.of("full", "center"), List.of("gulp"), Map.of("a", Map.of("gulp", matrix(0.25))));
        assertTrue(VariantFindings.paragraph(one).endsWith("a's center lies 0.250 from its full-image representation."), VariantFindings.paragraph(one));
    }

    @Test
    void usesTheFirstMetricWithoutLinearCkaAndNothingWithoutTheFullVariant() {
        StudyResults r = results(List.of("full", "center"), List.of("rbf-cka"), Map.of("a", Map.of("rbf-cka", matrix(0.25))));
        assertEquals("What the numbers show (rbf-cka of each variant against the full image, 1 = the representation did not change): "
                + "a keeps 0.250 of its full-image representation in center.", VariantFindings.paragraph(r));
        assertNull(VariantFindings.paragraph(results(List.of("center", "border"), List.of("rbf-cka"), Map.of("a", Map.of("rbf-cka", matrix(0.5))))));
    }
}
