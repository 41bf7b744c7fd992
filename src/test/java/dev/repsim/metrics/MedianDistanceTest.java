package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.CanonicalReference;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exact median of all n² squared distances equals sorting them all (np.median semantics), the
 * distances summed by the scalar loop of the canonical order: equal bit for bit.
 */
class MedianDistanceTest {

    static double bruteForce(Matrix x) {
        int n = x.rows();
        double[] all = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) all[i * n + j] = CanonicalReference.squaredDistance(x, i, j);
        return Reference.median(all);
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void exactForOddAndEvenCounts(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (int n : new int[]{2, 3, 10, 57, 200, 1024}) {
                Matrix x = TestData.gaussian(n, 13, n).centered();
                assertEquals(bruteForce(x), MedianDistance.of(x, b, 7), 0.0, "n=" + n);
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
            assertEquals(0.0, MedianDistance.of(x, b, 1));
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
            ref = MedianDistance.of(x, b, 1);
        }
        double est = MedianDistance.sampledMedian(x, MedianDistance.SAMPLE_PAIRS, 3);
        assertEquals(ref, est, 5e-3 * ref, "sampled median within 0.5%");
    }
}
