package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eigenspace-overlap, linear-regression, gulp and the correlation matches against
 * {@link ShapeReference} (the SVD of the explicit centred data, n×n GULP hat matrices,
 * PearsonsCorrelation and every permutation), on random, correlated, low-rank and d &gt; n data; their
 * invariances, identity values, asymmetry, streaming and bad input.
 */
class SubspaceMeasuresTest {
    static final MetricOptions O = MetricOptions.DEFAULTS;

    record Case(String name, Matrix x, Matrix y) {}

    static List<Case> cases() {
        Matrix x = TestData.shiftedScaled(200, 7, 81);
        Matrix low = TestData.lowRank(160, 9, 4, 82);
        Matrix wide = TestData.shiftedScaled(30, 40, 83);
        return List.of(
                new Case("random", x, TestData.gaussian(200, 5, 84)),
                new Case("correlated", x, TestData.correlatedWith(x, 9, 0.7, 85)),
                new Case("low rank X", low, TestData.correlatedWith(low, 6, 0.4, 86)),
                new Case("d > n", wide, TestData.correlatedWith(wide, 35, 1.0, 87)));
    }

    static List<Case> equalWidthCases() {
        Matrix z = TestData.shiftedScaled(150, 6, 88);
        return List.of(
                new Case("permuted", z, ShapeMeasuresTest.noisy(TestData.times(z,
                        ShapeMeasuresTest.permutation(new int[]{4, 2, 0, 5, 1, 3})), 0.8, 89)),
                new Case("unrelated", z, TestData.gaussian(150, 6, 90)));
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void subspaceMeasuresMatchTheDataSvd(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                assertRel(ShapeReference.eigenspaceOverlap(c.x(), c.y()), Similarity.compute(Metric.EIGENSPACE_OVERLAP, c.x(), c.y(), b, O), 1e-9, c.name() + " eigenspace-overlap");
                if (!c.name().equals("d > n")) { // with dx ≥ n, X̄ spans every centred Y: R² = 1, checked below
                    assertRel(ShapeReference.linearRegression(c.x(), c.y()), Similarity.compute(Metric.LINEAR_REGRESSION, c.x(), c.y(), b, O), 1e-9, c.name() + " linear-regression");
                }
                assertRel(ShapeReference.linearRegression(c.y(), c.x()), Similarity.compute(Metric.LINEAR_REGRESSION, c.y(), c.x(), b, O), 1e-9, c.name() + " linear-regression Y→X");
                for (double lambda : new double[]{1e-2, 1.0, 0.0}) {
                    if (lambda == 0 && c.name().equals("d > n")) continue; // both hats the projection on all centred vectors: 0
                    assertRel(ShapeReference.gulp(c.x(), c.y(), lambda), Similarity.compute(Metric.GULP, c.x(), c.y(), b, O.withGulpLambda(lambda)), 1e-9,
                            c.name() + " gulp λ=" + lambda);
                }
            }
            Case wide = cases().get(3);
            assertAbs(1, Similarity.compute(Metric.LINEAR_REGRESSION, wide.x(), wide.y(), b, O), 1e-9, "d > n: X̄ spans every centred Y");
        }
    }

    /**
     * GULP whitens Σ + λI by the Cholesky factor for every λ &gt; 2·tol·λ_max, even on rank-deficient data
     * (at λ = 1e-9 only the ridge shows that every direction is kept: tr((Σ+λI)⁻¹) is too large for
     * {@link Cca#byCholesky}'s trace test), and by the eigendecomposition at λ = 0 there. A backend that
     * refuses the factor sends λ &gt; 0 to the eigen route; the two routes agree to 1e-11 (relative), and
     * both match the hat-matrix reference to 1e-10 (the reference's own error grows as λ falls).
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void gulpTakesTheCholeskyRouteForEveryPositiveLambda(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            int[] factors = {0}, eigens = {0};
            Backend counted = new ForwardingBackend(b) {
                @Override public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) {
                    double[] w = super.inverseCholeskyFactor(a, d, minPivot);
                    if (w != null) factors[0]++;
                    return w;
                }
                @Override public dev.repsim.backend.Decompositions.Eigen eigenSymmetric(double[] a, int d) {
                    eigens[0]++;
                    return super.eigenSymmetric(a, d);
                }
            };
            Backend eigenOnly = new ForwardingBackend(b) {
                @Override public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) { return null; }
            };
            Matrix x = TestData.lowRank(300, 40, 12, 91); // rank 12 of 40: Σ_x singular
            Matrix y = TestData.correlatedWith(x, 30, 0.5, 92);
            for (double lambda : new double[]{1.0, 1e-2, 1e-5, 1e-8, 1e-9}) {
                factors[0] = eigens[0] = 0;
                MetricOptions o = O.withGulpLambda(lambda);
                double viaFactor = Similarity.compute(Metric.GULP, x, y, counted, o);
                assertTrue(factors[0] == 2 && eigens[0] == 0, "λ=" + lambda + ": " + factors[0] + " factors, " + eigens[0] + " eigendecompositions");
                assertRel(Similarity.compute(Metric.GULP, x, y, eigenOnly, o), viaFactor, 1e-11, "λ=" + lambda + " Cholesky against eigen route");
                assertRel(ShapeReference.gulp(x, y, lambda), viaFactor, 1e-10, "λ=" + lambda + " against the reference");
            }
            factors[0] = eigens[0] = 0;
            assertRel(ShapeReference.gulp(x, y, 0), Similarity.compute(Metric.GULP, x, y, counted, O.withGulpLambda(0)), 1e-9, "λ=0");
            assertTrue(eigens[0] >= 1, "λ = 0 on rank-deficient X drops its null directions by the eigen route");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void correlationMatchesMatchPearsonAndEveryPermutation(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : equalWidthCases()) {
                assertRel(ShapeReference.hardCorrelationMatch(c.x(), c.y()), Similarity.compute(Metric.HARD_CORRELATION_MATCH, c.x(), c.y(), b, O), 1e-9, c.name() + " hard");
                assertRel(ShapeReference.softCorrelationMatch(c.x(), c.y()), Similarity.compute(Metric.SOFT_CORRELATION_MATCH, c.x(), c.y(), b, O), 1e-9, c.name() + " soft");
            }
            for (Case c : cases()) {
                assertRel(ShapeReference.softCorrelationMatch(c.x(), c.y()), Similarity.compute(Metric.SOFT_CORRELATION_MATCH, c.x(), c.y(), b, O), 1e-9, c.name() + " soft");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32AgreesWithTheReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Case c = cases().get(1);
            Matrix x = c.x().to(Precision.F32), y = c.y().to(Precision.F32);
            Matrix x64 = x.to(Precision.F64), y64 = y.to(Precision.F64);
            assertAbs(ShapeReference.eigenspaceOverlap(x64, y64), Similarity.compute(Metric.EIGENSPACE_OVERLAP, x, y, b, O), 1e-4, "eigenspace-overlap f32");
            assertAbs(ShapeReference.linearRegression(x64, y64), Similarity.compute(Metric.LINEAR_REGRESSION, x, y, b, O), 1e-4, "linear-regression f32");
            assertAbs(ShapeReference.gulp(x64, y64, 0.01), Similarity.compute(Metric.GULP, x, y, b, O), 1e-4, "gulp f32");
            assertAbs(ShapeReference.softCorrelationMatch(x64, y64), Similarity.compute(Metric.SOFT_CORRELATION_MATCH, x, y, b, O), 1e-4, "soft f32");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void invariancesAndIdentity(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Case c = cases().get(1);
            Matrix x = c.x(), y = c.y();
            Matrix xq = TestData.times(x, TestData.orthogonal(x.cols(), 91)), yq = TestData.times(y, TestData.orthogonal(y.cols(), 92));
            Matrix xs = TestData.shifted(TestData.scaled(x, 3.7), 11.0), ys = TestData.shifted(TestData.scaled(y, 0.2), -4.0);
            Matrix xa = TestData.times(x, TestData.invertible(x.cols(), 93));
            for (Metric m : List.of(Metric.EIGENSPACE_OVERLAP, Metric.LINEAR_REGRESSION, Metric.GULP)) {
                double v = Similarity.compute(m, x, y, b, O);
                assertRel(v, Similarity.compute(m, xq, yq, b, O), 1e-9, m.label() + " orthogonal maps");
                assertRel(v, Similarity.compute(m, xs, ys, b, O), 1e-9, m.label() + " scaling and translation");
            }
            // Subspace measures see only the column spaces: any invertible map of X.
            for (Metric m : List.of(Metric.EIGENSPACE_OVERLAP, Metric.LINEAR_REGRESSION)) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xa, y, b, O), 1e-9, m.label() + " invertible map of X");
            }
            assertAbs(1, Similarity.compute(Metric.EIGENSPACE_OVERLAP, x, x, b, O), 1e-12, "eigenspace-overlap(X, X)");
            assertAbs(1, Similarity.compute(Metric.LINEAR_REGRESSION, x, x, b, O), 1e-12, "linear-regression(X, X)");
            assertAbs(0, Similarity.compute(Metric.GULP, x, x, b, O), 1e-6, "gulp(X, X)");
            assertAbs(0, Similarity.compute(Metric.GULP, x, xq, b, O), 1e-6, "gulp(X, XQ)");
            // Asymmetry: Y = X's first 3 columns is predicted exactly from X, not the other way round.
            Matrix first3 = TestData.times(x, Matrix.of(7, 3, new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
            assertAbs(1, Similarity.compute(Metric.LINEAR_REGRESSION, x, first3, b, O), 1e-12, "X predicts its own columns");
            double back = Similarity.compute(Metric.LINEAR_REGRESSION, first3, x, b, O);
            assertTrue(back < 0.999, "3 columns cannot predict 7 independent ones: " + back);
            assertRel(ShapeReference.linearRegression(first3, x), back, 1e-9, "linear-regression(first 3 columns, X)");
            // Correlation matches: column permutations, per-column positive scaling, translation; identity 1.
            Case e = equalWidthCases().get(0);
            Matrix p = ShapeMeasuresTest.permutation(new int[]{1, 5, 0, 2, 4, 3});
            Matrix ex = e.x(), ey = e.y();
            Matrix eyp = TestData.shifted(TestData.times(ey, Matrix.of(6, 6, diagonal(0.5, 2, 3, 0.1, 7, 1))), 3.0);
            for (Metric m : List.of(Metric.HARD_CORRELATION_MATCH, Metric.SOFT_CORRELATION_MATCH)) {
                double v = Similarity.compute(m, ex, ey, b, O);
                assertRel(v, Similarity.compute(m, TestData.times(ex, p), ey, b, O), 1e-12, m.label() + " permuted X");
                assertRel(v, Similarity.compute(m, ex, eyp, b, O), 1e-9, m.label() + " scaled and shifted columns");
                assertAbs(1, Similarity.compute(m, ex, ex, b, O), 1e-12, m.label() + "(X, X)");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void streamingEqualsInMemory(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : List.of(cases().get(2), equalWidthCases().get(0))) {
                CrossCovariance left = CrossCovariance.of(c.x().rows(0, 37), c.y().rows(0, 37), b);
                CrossCovariance merged = left.merge(CrossCovariance.of(c.x().rows(37, c.x().rows()), c.y().rows(37, c.y().rows()), b));
                for (Metric m : Metric.values()) {
                    if (m.ordinal() < Metric.PROCRUSTES.ordinal() || !Similarity.isStreamable(m)) continue;
                    if (m.needsEqualWidths() && c.x().cols() != c.y().cols()) continue;
                    assertRel(Similarity.compute(m, c.x(), c.y(), b, O), Similarity.fromCovariance(m, merged, Precision.F64, b, O), 1e-9,
                            c.name() + " " + m.label());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void badInputIsNamed(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(40, 4, 94), y = TestData.gaussian(40, 3, 95);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Similarity.compute(Metric.HARD_CORRELATION_MATCH, x, y, b, O));
            assertTrue(e.getMessage().contains("hard-correlation-match needs X and Y of equal widths") && e.getMessage().contains("dx=4, dy=3"), e.getMessage());
            // A constant column (not a round number, so its centring leaves rounding): no correlation.
            double[] a = y.f64().clone();
            for (int i = 0; i < 40; i++) a[i * 3 + 2] = 0.1 + 0.2;
            for (Metric m : List.of(Metric.HARD_CORRELATION_MATCH, Metric.SOFT_CORRELATION_MATCH)) {
                Matrix yc = Matrix.of(40, 3, a);
                Matrix xx = m == Metric.HARD_CORRELATION_MATCH ? TestData.gaussian(40, 3, 96) : x;
                IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(m, xx, yc, b, O));
                assertTrue(k.getMessage().contains("column 2 of Y is constant"), k.getMessage());
            }
            IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> O.withGulpLambda(-1));
            assertTrue(l.getMessage().contains("--gulp-lambda"), l.getMessage());
            Matrix constant = Matrix.of(40, 4, new double[160]);
            for (Metric m : List.of(Metric.EIGENSPACE_OVERLAP, Metric.LINEAR_REGRESSION, Metric.GULP)) {
                ArithmeticException k = assertThrows(ArithmeticException.class, () -> Similarity.compute(m, constant, y, b, O));
                assertTrue(k.getMessage().contains(m.label() + " is undefined: X has no variance"), k.getMessage());
                // A study matrix that reuses each representation's whitening names the representation; one that
                // runs pair by pair (on a device) names the pair's side.
                ArithmeticException r = assertThrows(ArithmeticException.class,
                        () -> SimilarityMatrix.of(m, List.of(y, constant), b, O, () -> {}));
                String side = b instanceof FusedKernels ? "Y" : "representation 2";
                assertTrue(r.getMessage().contains(m.label() + " is undefined: " + side + " has no variance"), r.getMessage());
            }
            ArithmeticException k = assertThrows(ArithmeticException.class, () -> Similarity.compute(Metric.LINEAR_REGRESSION, y, constant, b, O));
            assertTrue(k.getMessage().contains("linear-regression is undefined: Y has no variance"), k.getMessage());
        }
    }

    static double[] diagonal(double... v) {
        double[] a = new double[v.length * v.length];
        for (int i = 0; i < v.length; i++) a[i * v.length + i] = v[i];
        return a;
    }
}
