package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** magnitude-difference and concentricity-difference against {@link ShapeReference}, invariances, bad input. */
class CentroidStatsTest {
    static final MetricOptions O = MetricOptions.DEFAULTS;

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void matchTheReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(300, 11, 101), y = TestData.shiftedScaled(300, 4, 102);
            Matrix clustered = TestData.shifted(TestData.scaled(TestData.gaussian(300, 11, 103), 0.1), 1.0); // tight around a far centroid
            for (Matrix[] p : List.of(new Matrix[]{x, y}, new Matrix[]{x, clustered}, new Matrix[]{clustered, y})) {
                assertRel(ShapeReference.magnitudeDifference(p[0], p[1]), Similarity.compute(Metric.MAGNITUDE_DIFFERENCE, p[0], p[1], b, O), 1e-9, "magnitude");
                assertRel(ShapeReference.concentricityDifference(p[0], p[1]), Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, p[0], p[1], b, O), 1e-9, "concentricity");
                assertAbs(ShapeReference.concentricityDifference(p[0], p[1]),
                        Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, p[0].to(Precision.F32), p[1].to(Precision.F32), b, O), 1e-4, "concentricity f32");
            }
            // Orthogonal maps keep both; isotropic scaling keeps concentricity and scales the magnitude.
            Matrix xq = TestData.times(x, TestData.orthogonal(11, 104));
            for (Metric m : List.of(Metric.MAGNITUDE_DIFFERENCE, Metric.CONCENTRICITY_DIFFERENCE)) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xq, y, b, O), 1e-9, m.label() + " orthogonal map");
                assertEquals(0.0, Similarity.compute(m, x, x, b, O), m.label() + "(X, X)");
            }
            assertRel(Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, x, y, b, O),
                    Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, TestData.scaled(x, 4.0), TestData.scaled(y, 0.25), b, O), 1e-9, "concentricity scaling");
            assertRel(3 * Similarity.compute(Metric.MAGNITUDE_DIFFERENCE, x, y, b, O),
                    Similarity.compute(Metric.MAGNITUDE_DIFFERENCE, TestData.scaled(x, 3.0), TestData.scaled(y, 3.0), b, O), 1e-9, "magnitude scaling");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void undefinedCosinesAreNamed(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix centred = Matrix.of(2, 2, new double[]{1, 2, -1, -2});
            Matrix y = TestData.shiftedScaled(2, 2, 105);
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, centred, y, b, O));
            assertTrue(e.getMessage().contains("mean row of X is zero"), e.getMessage());
            Matrix zeroRow = Matrix.of(3, 2, new double[]{1, 2, 0, 0, 3, 1});
            ArithmeticException z = assertThrows(ArithmeticException.class,
                    () -> Similarity.compute(Metric.CONCENTRICITY_DIFFERENCE, TestData.shiftedScaled(3, 2, 106), zeroRow, b, O));
            assertTrue(z.getMessage().contains("row 1 of Y is zero"), z.getMessage());
        }
    }
}
