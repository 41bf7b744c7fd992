package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Set;

import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Similarity#checkMagnitude}'s range is one the metrics carry: every metric on every backend stays
 * finite with the representations scaled (by powers of two, which round exactly as the unscaled values) to
 * the edges of the range of each precision, and the metrics that do not change under isotropic scaling
 * give the unscaled values. Just outside, the input is refused with a message, where before the sums
 * overflowed or underflowed and a ratio of them read 0, 1 or √2 with exit status 0.
 */
class MagnitudeRangeTest {
    private static final MetricOptions O = MetricOptions.DEFAULTS.withBatchSize(64);
    /** Invariant under isotropic scaling of either side (not under translation, for some). */
    private static final Set<Metric> SCALE_INVARIANT = scaleInvariant();

    private static Set<Metric> scaleInvariant() {
        Set<Metric> s = EnumSet.copyOf(InvarianceTest.COVERED);
        s.remove(Metric.RSM_NORM_DIFFERENCE); // a norm of distances
        return s;
    }

    private final Matrix x = TestData.shiftedScaled(120, 12, 61);
    private final Matrix y = TestData.correlatedWith(x, 12, 1.5, 62);

    /** m·2^k with k chosen so that max|m·2^k| lies in [2^(e−1), 2^e) (top) or [2^−e, 2^(−e+1)) (bottom). */
    private static Matrix toEdge(Matrix m, int e, boolean top) {
        int exp = Math.getExponent(m.maxAbs());
        return TestData.scaled(m, Math.scalb(1.0, top ? e - 1 - exp : -e - exp));
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void everyMetricCarriesTheEdgesOfTheRange(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Precision p : Precision.values()) {
                int e = p == Precision.F64 ? 200 : 50;
                double tol = p == Precision.F64 ? 1e-9 : 1e-4;
                Matrix xp = x.to(p), yp = y.to(p);
                for (boolean top : new boolean[]{true, false}) {
                    Matrix xs = toEdge(x, e, top).to(p), ys = toEdge(y, e, !top).to(p);
                    for (Metric m : Metric.values()) {
                        String at = m.label() + ", " + p + ", X at the " + (top ? "top" : "bottom") + " and Y at the other edge";
                        double v = Similarity.compute(m, xs, ys, b, O);
                        assertTrue(Double.isFinite(v), at + ": " + v);
                        if (SCALE_INVARIANT.contains(m)) assertRel(Similarity.compute(m, xp, yp, b, O), v, tol, at);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void justOutsideTheRangeIsRefusedWithTheReason(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Precision p : Precision.values()) {
                int e = p == Precision.F64 ? 200 : 50;
                Matrix over = TestData.scaled(toEdge(x, e, true), 4.0), under = TestData.scaled(toEdge(x, e, false), 0.25);
                var tooLarge = assertThrows(IllegalArgumentException.class,
                        () -> Similarity.compute(Metric.LINEAR_CKA, over.to(p), y.to(p), b, O), p.toString());
                assertTrue(tooLarge.getMessage().startsWith("X has values up to") && tooLarge.getMessage().contains("divide it by a constant"),
                        tooLarge.getMessage());
                var tooSmall = assertThrows(IllegalArgumentException.class,
                        () -> Similarity.compute(Metric.LINEAR_CKA, y.to(p), under.to(p), b, O), p.toString());
                assertTrue(tooSmall.getMessage().startsWith("Y has no value larger than") && tooSmall.getMessage().contains("multiply it"),
                        tooSmall.getMessage());
            }
            // Zeros are not a magnitude problem: the metric says what is wrong with them.
            Matrix zeros = Matrix.of(x.rows(), x.cols(), new double[x.rows() * x.cols()]);
            var e = assertThrows(ArithmeticException.class, () -> Similarity.compute(Metric.LINEAR_CKA, zeros, y, b, O));
            assertTrue(e.getMessage().contains("no variance"), e.getMessage());
        }
    }
}
