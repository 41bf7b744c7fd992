package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CCA family against the QR-based float64 reference (singular values of QxᵀQy), which shares no code
 * with the production covariance-whitening path. Tolerance 1e-9 relative (f64), 1e-4 absolute (f32).
 */
class CcaTest {

    record Case(String name, Matrix x, Matrix y) {}

    static Case[] cases() {
        Matrix x = TestData.shiftedScaled(400, 17, 21);
        Matrix z = TestData.gaussian(250, 12, 22);
        return new Case[]{
                new Case("random", x, TestData.gaussian(400, 9, 23)),
                new Case("correlated", x, TestData.correlatedWith(x, 25, 2.0, 24)),
                new Case("equal widths", z, TestData.correlatedWith(z, 12, 1.0, 25)),
        };
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void correlationsMatchQrReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                double[] ref = Reference.ccaCorrelations(Reference.centered(c.x()), Reference.centered(c.y()));
                double[] got = Similarity.ccaCorrelations(c.x(), c.y(), b, MetricOptions.DEFAULTS);
                assertEquals(ref.length, got.length, c.name() + " count");
                for (int i = 0; i < ref.length; i++) {
                    assertAbs(ref[i], got[i], 1e-9, c.name() + " rho[" + i + "]");
                    if (i > 0) assertTrue(got[i] <= got[i - 1], "descending");
                }
                assertRel(Reference.mean(ref), Similarity.compute(Metric.CCA_MEAN, c.x(), c.y(), b, MetricOptions.DEFAULTS), 1e-9, "cca-mean");
                double r2 = java.util.Arrays.stream(ref).map(v -> v * v).average().orElseThrow();
                assertRel(r2, Similarity.compute(Metric.CCA_R2, c.x(), c.y(), b, MetricOptions.DEFAULTS), 1e-9, "cca-r2");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void svccaAndPwccaMatchReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                for (double keep : new double[]{0.99, 0.7}) {
                    assertRel(Reference.svcca(c.x(), c.y(), keep),
                            Similarity.compute(Metric.SVCCA, c.x(), c.y(), b, MetricOptions.DEFAULTS.withSvccaKeep(keep)), 1e-9,
                            c.name() + " svcca keep=" + keep);
                }
                assertRel(Reference.pwcca(c.x(), c.y()), Similarity.compute(Metric.PWCCA, c.x(), c.y(), b, MetricOptions.DEFAULTS),
                        1e-9, c.name() + " pwcca");
            }
        }
    }

    /**
     * SVCCA is the mean CCA of the data projected on its principal directions, with or without a ridge: the
     * projections are formed here in float64 (Commons Math SVD), so the check covers SVCCA's shortcut of
     * whitening them by their eigenvalues (Λ_k + ridge)^{-1/2} rather than by their own covariance.
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void svccaIsMeanCcaOfTheProjections(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(400, 20, 41), y = TestData.correlatedWith(x, 14, 0.8, 42);
            Matrix px = TestData.fromReal(Reference.reduce(Reference.centered(x), 0.9));
            Matrix py = TestData.fromReal(Reference.reduce(Reference.centered(y), 0.9));
            assertTrue(px.cols() < x.cols() && py.cols() < y.cols(), "keep = 0.9 drops directions: " + px.cols() + ", " + py.cols());
            for (double ridge : new double[]{0, 0.5}) {
                MetricOptions o = MetricOptions.DEFAULTS.withSvccaKeep(0.9).withCcaRidge(ridge);
                assertRel(Similarity.compute(Metric.CCA_MEAN, px, py, b, o), Similarity.compute(Metric.SVCCA, x, y, b, o), 1e-9,
                        "ridge " + ridge);
            }
        }
    }

    /**
     * X of rank 4 in 10 columns against 6 columns of Y: 4 correlations, the ranks' minimum. R²_CCA, which
     * comes from ‖W_xᵀ C_xy W_y‖²_F / min(k_x, k_y) without an SVD, is their mean square (min(dx, dy) = 6
     * would not be).
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void rankDeficientDirectionsAreDropped(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            // X has rank 4 in 10 columns; Y = 5 independent columns plus a copy of X's first latent direction.
            Matrix latent = TestData.gaussian(300, 4, 26);
            Matrix x = TestData.times(latent, TestData.gaussian(4, 10, 27));
            double[] y = new double[300 * 6];
            Matrix noise = TestData.gaussian(300, 5, 28);
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < 5; j++) y[i * 6 + j] = noise.get(i, j);
                y[i * 6 + 5] = latent.get(i, 0);
            }
            Matrix ym = Matrix.of(300, 6, y);
            double[] rho = Similarity.ccaCorrelations(x, ym, b, MetricOptions.DEFAULTS);
            assertEquals(4, rho.length, "min(rank X, rank Y) correlations");
            assertAbs(1.0, rho[0], 1e-9, "shared direction");
            // The reference's bases are rank-revealing (SVD), so its correlations are those of X's column space.
            RealMatrix ux = ShapeReference.leftBasis(x), uy = ShapeReference.leftBasis(ym);
            assertEquals(4, ux.getColumnDimension(), "rank of X in the reference");
            double[] ref = new SingularValueDecomposition(ux.transpose().multiply(uy)).getSingularValues();
            for (int i = 0; i < rho.length; i++) assertAbs(Math.min(1, ref[i]), rho[i], 1e-9, "rho[" + i + "]");
            assertRel(meanSquare(rho), Similarity.compute(Metric.CCA_R2, x, ym, b, MetricOptions.DEFAULTS), 1e-12, "cca-r2");
        }
    }

    static double meanSquare(double[] rho) {
        return java.util.Arrays.stream(rho).map(v -> v * v).sum() / rho.length;
    }

    /**
     * The two whitenings ({@link Cca#whiten}): the cases above take the Cholesky route (so the reference
     * comparisons test it), and the eigendecomposition's whitening gives the same correlations to 1e-12.
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void choleskyAndEigenWhiteningsAgree(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                Cca.Covariances cov = Cca.Covariances.of(CrossCovariance.of(c.x(), c.y(), b));
                double tol = Cca.RANK_TOL_F64;
                Cca.Whitening cx = Cca.byCholesky(cov.xx(), cov.dx(), 0, tol, b), cy = Cca.byCholesky(cov.yy(), cov.dy(), 0, tol, b);
                assertTrue(cx != null && cy != null, c.name() + ": full rank, well conditioned: the Cholesky route");
                double[] viaCholesky = Cca.correlations(cov, cx, cy, b);
                double[] viaEigen = Cca.correlations(cov, Cca.byEigen(cov.xx(), cov.dx(), tol, b, "X", "CCA"),
                        Cca.byEigen(cov.yy(), cov.dy(), tol, b, "Y", "CCA"), b);
                assertEquals(viaEigen.length, viaCholesky.length, c.name());
                for (int i = 0; i < viaEigen.length; i++) assertAbs(viaEigen[i], viaCholesky[i], 1e-12, c.name() + " rho[" + i + "]");
            }
        }
    }

    /**
     * The route follows the spectrum: a covariance with eigenvalues over six orders of magnitude is
     * whitened by its Cholesky factor, one with a direction 10⁻¹³ below the largest (under the tolerance
     * 10⁻¹⁰) by the eigendecomposition, which drops that direction; both whiten what they keep (WᵀCW = I).
     * The second is refused inside the factorisation, at a pivot below the floor, not after U⁻¹.
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void nearSingularCovarianceTakesTheEigenRoute(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            int d = 12;
            Matrix q = TestData.orthogonal(d, 35);
            for (double smallest : new double[] {1e-6, 1e-13}) {
                double[] c = new double[d * d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        double v = 0;
                        for (int t = 0; t < d; t++) v += q.get(i, t) * q.get(j, t) * (t == 0 ? smallest : Math.pow(10, -3.0 * t / d));
                        c[i * d + j] = v;
                    }
                }
                for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) c[i * d + j] = c[j * d + i];
                Cca.Whitening w = Cca.whiten(c, d, 0, Cca.RANK_TOL_F64, b, "X");
                double[] floor = {Double.NaN};
                boolean[] factored = {false};
                Backend watched = new ForwardingBackend(b) {
                    @Override public double[] inverseCholeskyFactor(double[] a, int n, double minPivot) {
                        floor[0] = minPivot;
                        double[] x = super.inverseCholeskyFactor(a, n, minPivot);
                        factored[0] = x != null;
                        return x;
                    }
                };
                boolean cholesky = Cca.byCholesky(c, d, 0, Cca.RANK_TOL_F64, watched) != null;
                assertEquals(smallest > 1e-10, cholesky, "Cholesky route for smallest eigenvalue " + smallest);
                // The refusal comes from the pivot floor 2·tol·bound, before U⁻¹ is formed.
                assertTrue(floor[0] > 0, "a pivot floor was asked for: " + floor[0]);
                assertEquals(cholesky, factored[0], "the factor was refused at a pivot, smallest " + smallest);
                assertEquals(smallest > 1e-10 ? d : d - 1, w.k(), "directions kept, smallest " + smallest);
                for (int i = 0; i < w.k(); i++) {
                    for (int j = 0; j < w.k(); j++) {
                        double s = 0;
                        for (int r = 0; r < d; r++) for (int t = 0; t < d; t++) s += w.w()[r * w.k() + i] * c[r * d + t] * w.w()[t * w.k() + j];
                        assertAbs(i == j ? 1.0 : 0.0, s, 1e-8, "(WᵀCW)[" + i + "," + j + "], smallest " + smallest);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32IsWithinTolerance(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(3000, 24, 29), y = TestData.correlatedWith(x, 16, 4.0, 30);
            for (Metric m : new Metric[]{Metric.CCA_MEAN, Metric.CCA_R2, Metric.SVCCA, Metric.PWCCA}) {
                double ref = Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS);
                assertAbs(ref, Similarity.compute(m, x.to(Precision.F32), y.to(Precision.F32), b, MetricOptions.DEFAULTS), 1e-4, m.label());
            }
        }
    }

    /**
     * Regularised CCA (λ on both covariance diagonals) against its float64 reference, for every CCA metric,
     * with ridges small and large against the cases' variances (about 0.05 to 50), and with n &lt; d, where
     * only the ridge defines CCA. A ridge keeps every direction, so there are min(dx, dy) correlations.
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void ridgeMatchesReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix w = TestData.shiftedScaled(20, 30, 47);
            java.util.List<Case> all = new java.util.ArrayList<>(java.util.List.of(cases()));
            all.add(new Case("n < dx", w, TestData.correlatedWith(w, 12, 1.0, 48)));
            for (Case c : all) {
                for (double ridge : new double[]{0.1, 2.0}) {
                    String at = c.name() + ", ridge " + ridge;
                    MetricOptions o = MetricOptions.DEFAULTS.withCcaRidge(ridge);
                    double[] ref = Reference.ridgeCcaCorrelations(Reference.centered(c.x()), Reference.centered(c.y()), ridge);
                    double[] got = Similarity.ccaCorrelations(c.x(), c.y(), b, o);
                    assertEquals(Math.min(c.x().cols(), c.y().cols()), ref.length, at);
                    assertEquals(ref.length, got.length, at + " count");
                    for (int i = 0; i < ref.length; i++) assertAbs(ref[i], got[i], 1e-9, at + " rho[" + i + "]");
                    assertRel(Reference.mean(ref), Similarity.compute(Metric.CCA_MEAN, c.x(), c.y(), b, o), 1e-9, at + " cca-mean");
                    assertRel(meanSquare(ref), Similarity.compute(Metric.CCA_R2, c.x(), c.y(), b, o), 1e-9, at + " cca-r2");
                    assertRel(Reference.ridgePwcca(c.x(), c.y(), ridge), Similarity.compute(Metric.PWCCA, c.x(), c.y(), b, o), 1e-9,
                            at + " pwcca");
                    for (double keep : new double[]{0.99, 0.7}) {
                        double svcca = Reference.mean(Reference.ridgeCcaCorrelations(
                                Reference.reduce(Reference.centered(c.x()), keep), Reference.reduce(Reference.centered(c.y()), keep), ridge));
                        assertRel(svcca, Similarity.compute(Metric.SVCCA, c.x(), c.y(), b, o.withSvccaKeep(keep)), 1e-9,
                                at + " svcca keep=" + keep);
                    }
                }
            }
        }
    }

    @Test
    void tooFewSamplesNeedsRidge() {
        try (Backend b = TestData.open("java")) {
            Matrix x = TestData.gaussian(20, 30, 31), y = TestData.gaussian(20, 5, 32);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Similarity.compute(Metric.CCA_MEAN, x, y, b, MetricOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("--cca-ridge"), e.getMessage());
            double ridge = Similarity.compute(Metric.CCA_MEAN, x, y, b, MetricOptions.DEFAULTS.withCcaRidge(0.1));
            assertTrue(ridge > 0 && ridge <= 1, "regularised CCA " + ridge);
            MetricOptions o = MetricOptions.DEFAULTS.withCcaRidge(0.1);
            assertRel(meanSquare(Similarity.ccaCorrelations(x, y, b, o)), Similarity.compute(Metric.CCA_R2, x, y, b, o), 1e-12, "regularised cca-r2");
        }
    }

    @Test
    void ridgeShrinksCorrelations() {
        try (Backend b = TestData.open("java")) {
            Matrix x = TestData.gaussian(200, 8, 33), y = TestData.correlatedWith(x, 6, 1.0, 34);
            double plain = Similarity.compute(Metric.CCA_MEAN, x, y, b, MetricOptions.DEFAULTS);
            double ridge = Similarity.compute(Metric.CCA_MEAN, x, y, b, MetricOptions.DEFAULTS.withCcaRidge(5.0));
            assertTrue(ridge < plain, "ridge " + ridge + " < plain " + plain);
        }
    }
}
