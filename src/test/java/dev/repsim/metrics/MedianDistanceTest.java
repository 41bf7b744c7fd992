package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact median of all n² squared distances equals sorting them all (np.median semantics). */
class MedianDistanceTest {

    static double bruteForce(Matrix x) {
        int n = x.rows();
        double[] all = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int c = 0; c < x.cols(); c++) s += Math.pow(x.get(i, c) - x.get(j, c), 2);
            all[i * n + j] = s;
        }
        return Reference.median(all);
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void exactForOddAndEvenCountsAndAnyTile(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (int n : new int[]{2, 3, 10, 57, 200}) {
                Matrix x = TestData.gaussian(n, 5, n).centered();
                double ref = bruteForce(x);
                for (int tile : new int[]{1, 4, 1024}) {
                    double got = MedianDistance.exact(new DistanceTiles(x, b, tile), n, x, 7);
                    assertEquals(ref, got, 1e-12 * Math.max(1, ref), "n=" + n + " tile=" + tile);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void manyDuplicateRowsGiveAZeroMedian(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            // 30 copies of one point and 10 others: most pairs are at distance 0.
            double[] a = new double[40 * 3];
            for (int i = 30; i < 40; i++) for (int c = 0; c < 3; c++) a[i * 3 + c] = i * (c + 1);
            Matrix x = Matrix.of(40, 3, a);
            assertEquals(0.0, MedianDistance.exact(new DistanceTiles(x, b, 7), 40, x, 1));
            org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                    () -> RbfCka.compute(x, x, b, MetricOptions.DEFAULTS, false));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void sampledMedianIsCloseForLargeN(String backendName) {
        Matrix x = TestData.gaussian(3000, 8, 61).centered();
        double ref;
        try (Backend b = TestData.open(backendName)) {
            ref = MedianDistance.exact(new DistanceTiles(x, b, 512), 3000, x, 1);
        }
        double est = MedianDistance.sampledMedian(x, MedianDistance.SAMPLE_PAIRS, 3);
        assertEquals(ref, est, 5e-3 * ref, "sampled median within 0.5%");
    }
}
