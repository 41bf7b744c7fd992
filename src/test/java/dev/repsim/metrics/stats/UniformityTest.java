package dev.repsim.metrics.stats;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** uniformity-difference against the definition written out over all pairs (Wang and Isola 2020). */
class UniformityTest {

    static double uniformity(Matrix m) {
        int n = m.rows(), d = m.cols();
        double[][] u = new double[n][d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += m.get(i, c) * m.get(i, c);
            for (int c = 0; c < d; c++) u[i][c] = m.get(i, c) / Math.sqrt(s);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double t = 0;
                for (int c = 0; c < d; c++) t += (u[i][c] - u[j][c]) * (u[i][c] - u[j][c]);
                sum += Math.exp(-2 * t);
            }
        }
        return Math.log(sum / (n * (n - 1) / 2.0));
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void matchesTheDefinition(String name) {
        Matrix[][] pairs = {
                {TestData.gaussian(57, 5, 1), TestData.shiftedScaled(57, 8, 2)},
                {TestData.lowRank(40, 9, 2, 3), TestData.gaussian(40, 3, 4)},
        };
        try (Backend b = TestData.open(name)) {
            for (Matrix[] xy : pairs) {
                double want = Math.abs(uniformity(xy[0]) - uniformity(xy[1]));
                for (int tile : new int[] {6, 1024}) {
                    assertRel(want, Uniformity.difference(xy[0], xy[1], b, tile), 1e-9, name + " tile " + tile);
                    assertAbs(want, Uniformity.difference(xy[0].to(Precision.F32), xy[1].to(Precision.F32), b, tile), 1e-4, name + " f32");
                }
            }
        }
    }

    @Test
    void invariantToOrthogonalMapsAndScalingOfRowsAndZeroForTheSameRepresentation() {
        Matrix x = TestData.gaussian(50, 6, 11), y = TestData.shiftedScaled(50, 4, 12);
        try (Backend b = Backends.open("java", null)) {
            double v = Uniformity.difference(x, y, b);
            Matrix xq = TestData.scaled(TestData.times(x, TestData.orthogonal(6, 13)), 3.0);
            assertRel(v, Uniformity.difference(xq, y, b), 1e-9, "orthogonal map and isotropic scaling");
            assertEquals(0.0, Uniformity.difference(x, xq, b), 1e-12);
            // the most uniform data (rows spread over the sphere) against collapsed data (all rows nearly equal)
            double[] near = new double[50 * 6];
            for (int i = 0; i < near.length; i++) near[i] = 1 + 1e-3 * (i % 7);
            assertTrue(Uniformity.difference(x, Matrix.of(50, 6, near), b) > 1.0);
        }
    }

    @Test
    void aZeroRowIsNamed() {
        double[] a = TestData.gaussian(10, 3, 21).f64().clone();
        a[6] = a[7] = a[8] = 0;
        try (Backend b = Backends.open("java", null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(Metric.UNIFORMITY_DIFFERENCE,
                    TestData.gaussian(10, 2, 22), Matrix.of(10, 3, a), b, MetricOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("row 2 of Y is all zeros"), e.getMessage());
        }
    }
}
