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

/**
 * procrustes, procrustes-size-shape, angular-shape, permutation-procrustes and aligned-cosine against
 * {@link ShapeReference} (the minimising map applied to the explicit data) on random and structured
 * data, with their invariances, identity values and bad input. Float64 1e-9 relative, float32 1e-4.
 */
class ShapeMeasuresTest {
    static final MetricOptions O = MetricOptions.DEFAULTS;

    record Case(String name, Matrix x, Matrix y) {}

    static List<Case> cases() {
        Matrix x = TestData.shiftedScaled(200, 7, 61);
        Matrix low = TestData.lowRank(180, 8, 3, 66);
        Matrix z = TestData.gaussian(150, 6, 64);
        return List.of(
                new Case("random", x, TestData.gaussian(200, 5, 62)),
                new Case("correlated, wider Y", x, TestData.correlatedWith(x, 9, 0.5, 63)),
                new Case("low rank X", low, TestData.correlatedWith(low, 5, 0.3, 67)),
                new Case("near rotation", z, noisy(TestData.times(z, TestData.orthogonal(6, 68)), 0.01, 69)));
    }

    /** Equal widths: a column permutation of X, scaled, with noise; and an unrelated pair. */
    static List<Case> equalWidthCases() {
        Matrix z = TestData.shiftedScaled(120, 6, 70);
        return List.of(
                new Case("permuted", z, noisy(TestData.times(z, permutation(new int[]{3, 0, 5, 1, 4, 2})), 0.2, 71)),
                new Case("unrelated", z, TestData.gaussian(120, 6, 72)));
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void procrustesFamilyMatchesTheExplicitMinimiser(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                assertRel(ShapeReference.procrustes(c.x(), c.y()), Similarity.compute(Metric.PROCRUSTES, c.x(), c.y(), b, O), 1e-9, c.name() + " procrustes");
                assertRel(ShapeReference.sizeShape(c.x(), c.y()), Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, c.x(), c.y(), b, O), 1e-9, c.name() + " size-shape");
                assertRel(ShapeReference.angular(c.x(), c.y()), Similarity.compute(Metric.ANGULAR_SHAPE, c.x(), c.y(), b, O), 1e-9, c.name() + " angular");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void alignedCosineMatchesTheReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                if (c.name().equals("low rank X")) continue; // YᵀX rank deficient: the alignment is not unique
                assertRel(ShapeReference.alignedCosine(c.x(), c.y()), Similarity.compute(Metric.ALIGNED_COSINE, c.x(), c.y(), b, O), 1e-9, c.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void permutationProcrustesMatchesEveryPermutation(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : equalWidthCases()) {
                assertRel(ShapeReference.permutationProcrustes(c.x(), c.y()),
                        Similarity.compute(Metric.PERMUTATION_PROCRUSTES, c.x(), c.y(), b, O), 1e-9, c.name());
            }
            // Y a column permutation of X: exactly 0 (the distance is summed directly, not by cancellation).
            Matrix z = equalWidthCases().get(0).x();
            assertEquals(0.0, Similarity.compute(Metric.PERMUTATION_PROCRUSTES, z, TestData.times(z, permutation(new int[]{2, 4, 0, 5, 3, 1})), b, O));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32AgreesWithTheReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Case c = cases().get(1);
            Matrix x = c.x().to(Precision.F32), y = c.y().to(Precision.F32);
            // The reference on the float32-rounded data, so only the kernels' rounding is measured.
            Matrix x64 = x.to(Precision.F64), y64 = y.to(Precision.F64);
            assertAbs(ShapeReference.procrustes(x64, y64), Similarity.compute(Metric.PROCRUSTES, x, y, b, O), 1e-4, "procrustes f32");
            assertAbs(ShapeReference.angular(x64, y64), Similarity.compute(Metric.ANGULAR_SHAPE, x, y, b, O), 1e-4, "angular f32");
            assertAbs(ShapeReference.alignedCosine(x64, y64), Similarity.compute(Metric.ALIGNED_COSINE, x, y, b, O), 1e-4, "aligned-cosine f32");
            Case e = equalWidthCases().get(0);
            Matrix ex = e.x().to(Precision.F32), ey = e.y().to(Precision.F32);
            double ref = ShapeReference.permutationProcrustes(ex.to(Precision.F64), ey.to(Precision.F64));
            assertRel(ref, Similarity.compute(Metric.PERMUTATION_PROCRUSTES, ex, ey, b, O), 1e-6, "permutation-procrustes f32");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void invariances(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Case c = cases().get(1);
            Matrix x = c.x(), y = c.y();
            Matrix xq = TestData.times(x, TestData.orthogonal(x.cols(), 73)), yq = TestData.times(y, TestData.orthogonal(y.cols(), 74));
            Matrix xs = TestData.shifted(TestData.scaled(x, 3.7), 11.0);
            for (Metric m : List.of(Metric.PROCRUSTES, Metric.ANGULAR_SHAPE, Metric.PROCRUSTES_SIZE_SHAPE, Metric.ALIGNED_COSINE)) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xq, yq, b, O), 1e-9, m.label() + " orthogonal maps");
            }
            for (Metric m : List.of(Metric.PROCRUSTES, Metric.ANGULAR_SHAPE)) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xs, y, b, O), 1e-9, m.label() + " scaling and translation");
            }
            // Size-and-shape keeps the scale: translation-invariant, homogeneous of degree 1 under scaling both sides.
            assertRel(Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, x, y, b, O),
                    Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, TestData.shifted(x, 5.0), TestData.shifted(y, -2.0), b, O), 1e-9, "size-shape translation");
            assertRel(2.5 * Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, x, y, b, O),
                    Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, TestData.scaled(x, 2.5), TestData.scaled(y, 2.5), b, O), 1e-9, "size-shape scaling");
            // Aligned cosine: isotropic scaling of either side (not translation: it works on the raw rows).
            assertRel(Similarity.compute(Metric.ALIGNED_COSINE, x, y, b, O),
                    Similarity.compute(Metric.ALIGNED_COSINE, TestData.scaled(x, 0.3), TestData.scaled(y, 7.0), b, O), 1e-9, "aligned-cosine scaling");
            // Permutation Procrustes: the same column permutation of both sides, and Y's columns permuted alone.
            Case e = equalWidthCases().get(1);
            Matrix p = permutation(new int[]{5, 3, 1, 0, 2, 4});
            double v = Similarity.compute(Metric.PERMUTATION_PROCRUSTES, e.x(), e.y(), b, O);
            assertRel(v, Similarity.compute(Metric.PERMUTATION_PROCRUSTES, TestData.times(e.x(), p), TestData.times(e.y(), p), b, O), 1e-12, "both permuted");
            assertRel(v, Similarity.compute(Metric.PERMUTATION_PROCRUSTES, e.x(), TestData.times(e.y(), p), b, O), 1e-12, "Y permuted");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void identityGivesTheIdealValue(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = cases().get(0).x();
            // The closed forms √(2 − 2‖·‖_*) and arccos bottom out near √ε, not 0.
            assertAbs(0, Similarity.compute(Metric.PROCRUSTES, x, x, b, O), 1e-6, "procrustes(X, X)");
            assertAbs(0, Similarity.compute(Metric.ANGULAR_SHAPE, x, x, b, O), 1e-6, "angular(X, X)");
            double norm = Reference.centered(x).getFrobeniusNorm();
            assertAbs(0, Similarity.compute(Metric.PROCRUSTES_SIZE_SHAPE, x, x, b, O), 1e-6 * norm, "size-shape(X, X)");
            assertEquals(0.0, Similarity.compute(Metric.PERMUTATION_PROCRUSTES, x, x, b, O), "permutation-procrustes(X, X)");
            assertAbs(1, Similarity.compute(Metric.ALIGNED_COSINE, x, x, b, O), 1e-12, "aligned-cosine(X, X)");
            // Y a rotation of X: distance 0 and aligned cosine 1 as well.
            Matrix xq = TestData.times(x, TestData.orthogonal(x.cols(), 75));
            assertAbs(0, Similarity.compute(Metric.PROCRUSTES, x, xq, b, O), 1e-6, "procrustes(X, XQ)");
            assertAbs(1, Similarity.compute(Metric.ALIGNED_COSINE, x, xq, b, O), 1e-12, "aligned-cosine(X, XQ)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void badInputIsNamed(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(50, 4, 76), y = TestData.gaussian(50, 3, 77);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Similarity.compute(Metric.PERMUTATION_PROCRUSTES, x, y, b, O));
            assertTrue(e.getMessage().contains("permutation-procrustes needs X and Y of equal widths") && e.getMessage().contains("dx=4, dy=3"), e.getMessage());
            double[] zero = x.f64().clone();
            for (int j = 0; j < 4; j++) zero[7 * 4 + j] = 0;
            ArithmeticException z = assertThrows(ArithmeticException.class,
                    () -> Similarity.compute(Metric.ALIGNED_COSINE, Matrix.of(50, 4, zero), y, b, O));
            assertTrue(z.getMessage().contains("row 7 of X is zero"), z.getMessage());
            Matrix constant = Matrix.of(50, 3, new double[150]);
            ArithmeticException k = assertThrows(ArithmeticException.class, () -> Similarity.compute(Metric.PROCRUSTES, x, constant, b, O));
            assertTrue(k.getMessage().contains("Y has no variance"), k.getMessage());
        }
    }

    /** The d×d matrix P with (XP)'s column j = X's column p[j]. */
    static Matrix permutation(int[] p) {
        int d = p.length;
        double[] a = new double[d * d];
        for (int j = 0; j < d; j++) a[p[j] * d + j] = 1;
        return Matrix.of(d, d, a);
    }

    static Matrix noisy(Matrix m, double noise, long seed) {
        Matrix e = TestData.gaussian(m.rows(), m.cols(), seed);
        double[] a = m.f64().clone();
        for (int i = 0; i < a.length; i++) a[i] += noise * e.f64()[i];
        return Matrix.of(m.rows(), m.cols(), a);
    }
}
