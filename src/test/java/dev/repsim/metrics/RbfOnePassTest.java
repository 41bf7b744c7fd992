package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass RBF statistics (Taylor moments around a sampled bandwidth) against (1) a plain-loop
 * reference that builds both n×n kernels with the exact median of all n² direct-form distances, and
 * (2) the separate median and statistics passes, for n from the path's smallest ({@link RbfOnePass#MIN_ROWS})
 * to above 1024; tiles of 300 rows leave partial tiles. Tolerances: the raw sums (ΣK∘L, ΣK², row sums) to 1e-11 relative (the
 * Taylor remainder is below 2⁻⁵³ per entry by construction; the sums run in different orders); CKA to
 * the project's float64 tolerance of 1e-9 relative (centring subtracts sums of similar size, which
 * amplifies the rounding of both computations alike), debiased CKA (near 0 for independent data) to
 * 1e-9 absolute.
 */
class RbfOnePassTest {
    private static final double SUMS = 1e-11;
    private static final double CKA = 1e-9;
    private static final int TILE = 300;

    record Pair(String name, Matrix x, Matrix y) {}

    static Pair[] pairs() {
        Matrix g = TestData.gaussian(1100, 160, 11).centered();
        Matrix lr = TestData.lowRank(1150, 120, 40, 12).centered();
        return new Pair[] {
            new Pair("correlated", g, TestData.correlatedWith(g, 90, 0.7, 13).centered()),
            new Pair("independent", g, TestData.gaussian(1100, 140, 14).centered()),
            new Pair("low-rank", lr, TestData.correlatedWith(lr, 100, 0.2, 15).centered()),
            new Pair("small n", TestData.gaussian(RbfOnePass.MIN_ROWS, 50, 16).centered(), TestData.gaussian(RbfOnePass.MIN_ROWS, 30, 17).centered()),
        };
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void matchesPlainLoopReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Pair c : pairs()) {
                for (double s : new double[] {0.5, 1.3}) {
                    KernelStats one = RbfOnePass.stats(c.x(), null, c.y(), null, b, s, 3, TILE);
                    assertNotNull(one, c.name() + ": the one-pass path must apply here (narrow window)");
                    double[] k = kernel(c.x(), s), l = kernel(c.y(), s);
                    int n = c.x().rows();
                    assertRel(ckaBiased(k, l, n), one.biased().cka(), CKA, c.name() + " s=" + s + " biased");
                    assertEquals(ckaUnbiased(k, l, n), one.unbiased().cka(), CKA, c.name() + " s=" + s + " unbiased");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void equalsTheSeparatePasses(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Pair c : pairs()) {
                MetricOptions o = MetricOptions.DEFAULTS;
                KernelStats one = RbfOnePass.stats(c.x(), null, c.y(), null, b, o.sigma(), o.seed(), TILE);
                KernelStats two = RbfCka.stats(c.x(), c.y(), RbfCka.bandwidth(c.x(), b, o, "X"),
                        RbfCka.bandwidth(c.y(), b, o, "Y"), b, TILE);
                assertNotNull(one, c.name() + ": the one-pass path must apply here (narrow window)");
                assertRel(two.kl(), one.kl(), SUMS, c.name() + " ΣK∘L");
                assertRel(two.kk(), one.kk(), SUMS, c.name() + " ΣK²");
                assertRel(two.ll(), one.ll(), SUMS, c.name() + " ΣL²");
                for (int i = 0; i < c.x().rows(); i += 97) {
                    assertRel(two.rowK()[i], one.rowK()[i], SUMS, c.name() + " row sum K " + i);
                    assertRel(two.rowL()[i], one.rowL()[i], SUMS, c.name() + " row sum L " + i);
                }
                assertRel(two.biased().cka(), one.biased().cka(), CKA, c.name() + " CKA");
            }
        }
    }

    /**
     * Rows shifted by offsets of 10–100 and centred on the fly (the path {@link RbfCka#compute} takes)
     * give the statistics of the centred copies: the Gram tiles see the same centred values, and only the
     * sampled window (drawn from the raw rows) can move c₀, by rounding; sums to 1e-11 relative.
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void centringOnTheFlyEqualsCentredCopies(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Pair c : pairs()) {
                Matrix x = shifted(c.x(), 31), y = shifted(c.y(), 32);
                double[] mx = x.columnMeans(), my = y.columnMeans();
                KernelStats fly = RbfOnePass.stats(x, mx, y, my, b, 0.5, 3, TILE);
                KernelStats copy = RbfOnePass.stats(x.centered(mx), null, y.centered(my), null, b, 0.5, 3, TILE);
                assertNotNull(fly, c.name());
                assertNotNull(copy, c.name());
                assertRel(copy.kl(), fly.kl(), SUMS, c.name() + " ΣK∘L");
                assertRel(copy.kk(), fly.kk(), SUMS, c.name() + " ΣK²");
                assertRel(copy.ll(), fly.ll(), SUMS, c.name() + " ΣL²");
                assertRel(copy.biased().cka(), fly.biased().cka(), CKA, c.name() + " CKA");
                assertRel(copy.biased().cka(), RbfCka.compute(x, y, b, MetricOptions.DEFAULTS.withSeed(3), false), CKA,
                        c.name() + " through RbfCka.compute");
            }
        }
    }

    private static Matrix shifted(Matrix m, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] off = new double[m.cols()];
        for (int j = 0; j < off.length; j++) off[j] = 10 + 90 * r.nextDouble();
        double[] v = m.f64().clone();
        for (int k = 0; k < v.length; k++) v[k] += off[k % off.length];
        return Matrix.of(m.rows(), m.cols(), v);
    }

    /** Rank 6: distances spread widely, so the sampled window is too wide for the expansion. */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void wideWindowsFallBackToTheSeparatePasses(String backendName) {
        Matrix x = TestData.lowRank(1100, 40, 6, 21).centered(), y = TestData.gaussian(1100, 3, 22).centered();
        try (Backend b = TestData.open(backendName)) {
            assertNull(RbfOnePass.stats(x, null, y, null, b, 0.5, 0, TILE));
            double[] k = kernel(x, 0.5), l = kernel(y, 0.5);
            assertRel(ckaBiased(k, l, 1100), RbfCka.compute(x, y, b, MetricOptions.DEFAULTS, false), CKA, "fallback");
        }
    }

    /** The order is the smallest p whose remainder bound f(ρ, p) reaches 2⁻⁵³; none for wide windows. */
    @Test
    void orderIsTheSmallestThatMeetsTheBound() {
        for (double rho : new double[] {1e-4, 1e-3, 2e-3, 5e-3, 1e-2}) {
            int p = RbfOnePass.order(rho);
            assertTrue(p >= 1 && bound(rho, p) <= 0x1p-53, "rho=" + rho + " p=" + p);
            if (p > 1) assertTrue(bound(rho, p - 1) > 0x1p-53, "rho=" + rho + ": p−1 would do");
        }
        assertEquals(-1, RbfOnePass.order(0.05));
        assertEquals(-1, RbfOnePass.order(Double.NaN));
    }

    /** e^{−(p+1)} (ρ(p+1)/(1−ρ))^{p+1} / (p+1)!, written out independently. */
    private static double bound(double rho, int p) {
        double q = p + 1, f = Math.exp(-q) * Math.pow(rho * q / (1 - rho), q);
        for (int i = 2; i <= p + 1; i++) f /= i;
        return f;
    }

    /** Row-major n×n Gaussian kernel with σ² = s²·(median of all n² direct-form squared distances). */
    static double[] kernel(Matrix x, double s) {
        int n = x.rows(), d = x.cols();
        double[] dist = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double t = 0;
                for (int c = 0; c < d; c++) {
                    double u = x.get(i, c) - x.get(j, c);
                    t += u * u;
                }
                dist[i * n + j] = t;
            }
        }
        double[] sorted = dist.clone();
        Arrays.sort(sorted);
        double med = 0.5 * (sorted[(n * n - 1) / 2] + sorted[n * n / 2]);
        double[] k = new double[n * n];
        for (int i = 0; i < k.length; i++) k[i] = Math.exp(-dist[i] / (2 * s * s * med));
        return k;
    }

    /** tr(KHLH)/√(tr(KHKH) tr(LHLH)) with the O(n²) centring identity, in plain loops. */
    static double ckaBiased(double[] k, double[] l, int n) {
        return hsic(k, l, n) / Math.sqrt(hsic(k, k, n) * hsic(l, l, n));
    }

    private static double hsic(double[] k, double[] l, int n) {
        double kl = 0, sk = 0, sl = 0, cross = 0;
        double[] rk = new double[n], rl = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                kl += k[i * n + j] * l[i * n + j];
                rk[i] += k[i * n + j];
                rl[i] += l[i * n + j];
            }
            sk += rk[i];
            sl += rl[i];
            cross += rk[i] * rl[i];
        }
        return kl - 2.0 / n * cross + sk * sl / ((double) n * n);
    }

    /** Song et al. (2012) unbiased HSIC on kernels with zeroed diagonals, then the CKA ratio. */
    static double ckaUnbiased(double[] k, double[] l, int n) {
        return unbiased(k, l, n) / Math.sqrt(unbiased(k, k, n) * unbiased(l, l, n));
    }

    private static double unbiased(double[] k0, double[] l0, int n) {
        double[] k = k0.clone(), l = l0.clone();
        for (int i = 0; i < n; i++) {
            k[i * n + i] = 0;
            l[i * n + i] = 0;
        }
        double kl = 0, sk = 0, sl = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double rk = 0, rl = 0;
            for (int j = 0; j < n; j++) {
                kl += k[i * n + j] * l[i * n + j];
                rk += k[i * n + j];
                rl += l[i * n + j];
            }
            sk += rk;
            sl += rl;
            cross += rk * rl;
        }
        return (kl + sk * sl / ((double) (n - 1) * (n - 2)) - 2.0 / (n - 2) * cross) / ((double) n * (n - 3));
    }

    private static void assertRel(double expected, double actual, double tol, String label) {
        assertEquals(expected, actual, tol * Math.max(1e-300, Math.abs(expected)), label);
    }
}
