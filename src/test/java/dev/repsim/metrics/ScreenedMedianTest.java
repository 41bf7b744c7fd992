package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.CanonicalReference;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32-screened exact median (n² &gt; 2²⁰, so n ≥ 1025) against sorting all n² direct-form
 * float64 distances computed by the scalar loop of the canonical summation order
 * ({@link CanonicalReference}). The values the code calls exact must equal it bit for bit, whatever the
 * vector width or the backend that computed the screening Gram tiles; a screening mistake (a
 * misclassified entry) would shift the median by a whole gap between neighbouring distances.
 */
class ScreenedMedianTest {
    /** Exact: the code and the reference sum the same squares in the same order. */
    private static final double TOL = 0.0;

    /** All n² direct-form distances (the canonical order's scalar definition), sorted. */
    static double[] sortedDistances(Matrix x) {
        int n = x.rows();
        double[] all = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = CanonicalReference.squaredDistance(x, i, j);
                all[i * n + j] = s;
                all[j * n + i] = s;
            }
        }
        Arrays.sort(all);
        return all;
    }

    static double medianOfSorted(double[] s) {
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    private static void check(Matrix x, Backend b, String what) {
        double ref = medianOfSorted(sortedDistances(x));
        double got = MedianDistance.of(x, b, 11);
        assertEquals(ref, got, TOL, what);
    }

    private static Matrix scaledGaussian(int n, int d, double scale, long seed) {
        return TestData.scaled(TestData.gaussian(n, d, seed), scale);
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void gaussianLowRankAndOddCounts(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            check(TestData.gaussian(1200, 24, 1).centered(), b, "gaussian n=1200");
            check(TestData.gaussian(1101, 200, 2).centered(), b, "gaussian n=1101 (odd n²), d=200");
            check(TestData.lowRank(2100, 40, 3, 3).centered(), b, "rank 3 in d=40, n=2100 (three blocks)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void uncentredRowsWithALargeCommonOffset(String backendName) {
        // Row norms ~1e8·d dwarf the distances ~2d: the float32 estimate is useless in absolute terms, so
        // nearly every pair is undecided and must be resolved in float64 (a stress test of the bound).
        Matrix g = TestData.gaussian(1100, 16, 4);
        double[] a = g.f64().clone();
        for (int i = 0; i < a.length; i++) a[i] += 1e4;
        try (Backend b = TestData.open(backendName)) {
            check(Matrix.of(1100, 16, a), b, "offset 1e4, not centred");
            check(TestData.shiftedScaled(1300, 12, 5), b, "uneven column means and scales, not centred");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void heavilyDuplicatedRowsTieAtTheMedian(String backendName) {
        // 1500 rows, each a copy of one of 20 small-integer points: a few hundred distinct distances,
        // thousands of exact ties at each, including the median.
        Random r = new Random(6);
        int n = 1500, d = 6, points = 20;
        double[] p = new double[points * d];
        for (int i = 0; i < p.length; i++) p[i] = r.nextInt(9) - 4;
        double[] a = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(p, r.nextInt(points) * d, a, i * d, d);
        Matrix x = Matrix.of(n, d, a);
        double[] sorted = sortedDistances(x);
        double ref = medianOfSorted(sorted);
        int ties = 0;
        for (double v : sorted) if (v == ref) ties++;
        assertTrue(ties > 10_000, "the test needs many ties at the median, has " + ties);
        try (Backend b = TestData.open(backendName)) {
            assertEquals(ref, MedianDistance.of(x, b, 11), "duplicated rows");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void tinyAndHugeMagnitudes(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            check(scaledGaussian(1100, 8, 1e-30, 7), b, "values ~1e-30");
            check(scaledGaussian(1100, 8, 1e-150, 8), b, "values ~1e-150 (distances ~1e-300)");
            // Squares of ~1e-200 underflow to 0 in float64: every direct-form distance is 0, and so is the median.
            check(scaledGaussian(1100, 8, 1e-200, 9), b, "values ~1e-200 (squares underflow)");
            check(scaledGaussian(1100, 8, 1e150, 10), b, "values ~1e150 (distances ~1e301)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32Rows(String backendName) {
        double[] g = TestData.gaussian(1300, 20, 12).centered().f64();
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) f[i] = (float) (3.7 * g[i]);
        try (Backend b = TestData.open(backendName)) {
            check(Matrix.of(1300, 20, f), b, "float32 rows (median of their float64 direct-form distances)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void windowThatMissesFallsBackExactly(String backendName) {
        // Forced misses (ranks() refuses these windows, so the float64 histogram select runs, then a screened
        // pass around its values). With the 1e4 offset the expanded-form select alone is off by ~1e-8
        // relative, so this also checks that the fallback returns the direct-form values.
        double[] off = TestData.gaussian(1100, 10, 19).f64().clone();
        for (int i = 0; i < off.length; i++) off[i] += 1e4;
        Matrix[] cases = {TestData.gaussian(1100, 10, 13).centered(), Matrix.of(1100, 10, off)};
        try (Backend b = TestData.open(backendName)) {
            for (Matrix x : cases) {
                double[] sorted = sortedDistances(x);
                double ref = medianOfSorted(sorted);
                int m = sorted.length;
                double max = sorted[m - 1];
                ScreenedMedian s = ScreenedMedian.prepare(x);
                double[][] windows = {{0, Math.nextUp(0.0)}, {2 * max, Double.POSITIVE_INFINITY},
                        {sorted[m / 4 * 3], Math.nextUp(max)}};
                for (double[] w : windows) {
                    assertNull(s.ranks(b, w[0], w[1], (m - 1) / 2, m / 2), "window " + Arrays.toString(w));
                    assertEquals(ref, MedianDistance.screened(s, x, b, w[0], w[1]), TOL,
                            "fallback after window " + Arrays.toString(w));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void windowWithTooManyPairsFallsBackExactly(String backendName) {
        Matrix x = TestData.gaussian(1100, 12, 20).centered();
        double[] sorted = sortedDistances(x);
        double ref = medianOfSorted(sorted);
        int m = sorted.length;
        try (Backend b = TestData.open(backendName)) {
            ScreenedMedian s = ScreenedMedian.prepare(x);
            s.collectLimit = 2000;
            // The window holds ~12 000 pairs: the pass must give up rather than return a partial set.
            double lo = sorted[m / 2 - 12_000], hi = sorted[m / 2 + 12_000];
            assertNull(s.ranks(b, lo, hi, (m - 1) / 2, m / 2));
            assertEquals(ref, MedianDistance.screened(s, x, b, lo, hi), TOL, "fallback after overflow");
        }
    }

    /** The first index whose value is ≥ v (sorted ascending). */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void anyRankInsideAWindowIsExact(String backendName) {
        // Interval selection at many ranks, including those of the diagonal zeros (window starting at 0).
        Matrix x = TestData.lowRank(1200, 30, 5, 14).centered();
        double[] sorted = sortedDistances(x);
        int m = sorted.length;
        try (Backend b = TestData.open(backendName)) {
            ScreenedMedian s = ScreenedMedian.prepare(x);
            double[][] windows = {{sorted[m / 5], sorted[m / 2]}, {0, sorted[m / 50]},
                    {sorted[m - 1000], Double.POSITIVE_INFINITY}};
            for (double[] w : windows) {
                long r0 = lowerBound(sorted, w[0]), r1 = lowerBound(sorted, w[1]) - 1;
                long[] ranks = {r0, r0 + 1, r0 + 7, (r0 + r1) / 2, r1 - 1, r1};
                double[] got = s.ranks(b, w[0], w[1], ranks);
                assertNotNull(got, "window " + Arrays.toString(w));
                for (int k = 0; k < ranks.length; k++) {
                    double ref = sorted[(int) ranks[k]];
                    assertEquals(ref, got[k], TOL * ref, "rank " + ranks[k] + " in " + Arrays.toString(w));
                }
                assertNull(s.ranks(b, w[0], w[1], r1 + 1 < m ? r1 + 1 : r0 - 1), "rank just outside");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32EstimateIsWithinTheBound(String backendName) {
        Matrix offset = TestData.shifted(TestData.gaussian(1100, 768, 15), 30);
        Matrix[] cases = {TestData.gaussian(1100, 768, 16).centered(), offset,
                scaledGaussian(1100, 96, 1e-35, 17), TestData.lowRank(1100, 300, 2, 18)};
        try (Backend b = TestData.open(backendName)) {
            for (Matrix x : cases) {
                ScreenedMedian s = ScreenedMedian.prepare(x);
                assertEquals(2, s.blockCount());
                double worst = 0;
                for (int[] t : new int[][]{{0, 0}, {0, 1}, {1, 1}}) {
                    double[] g = s.gram(b, t[0], t[1]);
                    int i0 = t[0] * ScreenedMedian.TILE, j0 = t[1] * ScreenedMedian.TILE;
                    int cols = t[1] == 0 ? ScreenedMedian.TILE : x.rows() - j0;
                    int rows = t[0] == 0 ? ScreenedMedian.TILE : x.rows() - i0;
                    for (int p = 0; p < rows; p += 3) {
                        for (int q = 0; q < cols; q++) {
                            int i = i0 + p, j = j0 + q;
                            double v = 0;
                            for (int c = 0; c < x.cols(); c++) {
                                double dd = x.get(i, c) - x.get(j, c);
                                v += dd * dd;
                            }
                            double err = Math.abs(s.estimate(g[p * cols + q], i, j) - s.scaled(v, false));
                            double e = s.bound(i, j);
                            if (!(err <= e)) throw new AssertionError(x + " pair " + i + "," + j + ": |D~ − V| = " + err + " > E = " + e);
                            worst = Math.max(worst, err / e);
                        }
                    }
                }
                // The bound is a worst case; it must not be vacuous either (it would then screen nothing).
                assertTrue(worst > 1e-4, x + ": largest |D~ − V|/E only " + worst);
            }
        }
    }
}
