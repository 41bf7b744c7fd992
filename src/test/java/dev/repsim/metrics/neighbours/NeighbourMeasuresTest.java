package dev.repsim.metrics.neighbours;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Reference;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.TestData;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jaccard-knn, mutual-knn, rank-similarity, second-order-cosine and cknna against references written
 * from their definitions: the full cosine-similarity matrix, neighbours by sorting it, sets, and for
 * CKNNA the explicit n×n masked kernels with the unbiased HSIC (as platonic-rep forms them).
 */
class NeighbourMeasuresTest {
    static final List<Metric> MEASURES = List.of(Metric.JACCARD_KNN, Metric.MUTUAL_KNN, Metric.RANK_SIMILARITY,
            Metric.SECOND_ORDER_COSINE, Metric.CKNNA);

    // ---- reference ----

    static double[][] cosines(Matrix m) {
        int n = m.rows();
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ab = 0, aa = 0, bb = 0;
                for (int t = 0; t < m.cols(); t++) {
                    ab += m.get(i, t) * m.get(j, t);
                    aa += m.get(i, t) * m.get(i, t);
                    bb += m.get(j, t) * m.get(j, t);
                }
                c[i][j] = ab / Math.sqrt(aa * bb);
            }
        }
        return c;
    }

    /** The k most similar other rows, most similar first (ties to the lower index). */
    static int[][] knn(double[][] cos, int k) {
        int n = cos.length;
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            int r = i;
            out[i] = IntStream.range(0, n).filter(j -> j != r).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> -cos[r][j]).thenComparing(j -> j))
                    .limit(k).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    static Set<Integer> set(int[] a) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int v : a) s.add(v);
        return s;
    }

    static Map<Metric, Double> reference(Matrix x, Matrix y, int k) {
        double[][] cx = cosines(x), cy = cosines(y);
        int[][] nx = knn(cx, k), ny = knn(cy, k);
        int n = x.rows();
        double jac = 0, mut = 0, rank = 0, soc = 0;
        for (int i = 0; i < n; i++) {
            Set<Integer> a = set(nx[i]), b = set(ny[i]);
            Set<Integer> both = new HashSet<>(a), union = new LinkedHashSet<>(a);
            both.retainAll(b);
            union.addAll(b);
            jac += (double) both.size() / union.size();
            mut += (double) both.size() / k;
            double score = 0, best = 0;
            List<Integer> lx = new ArrayList<>(a), ly = new ArrayList<>(b);
            for (int j : both) {
                int rx = lx.indexOf(j) + 1, ry = ly.indexOf(j) + 1;
                score += 2.0 / ((1 + Math.abs(rx - ry)) * (rx + ry));
            }
            for (int t = 1; t <= both.size(); t++) best += 1.0 / t;
            rank += both.isEmpty() ? 0 : score / best;
            double xy = 0, xx = 0, yy = 0;
            for (int j : union) {
                xy += cx[i][j] * cy[i][j];
                xx += cx[i][j] * cx[i][j];
                yy += cy[i][j] * cy[i][j];
            }
            soc += xy / Math.sqrt(xx * yy);
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        out.put(Metric.JACCARD_KNN, jac / n);
        out.put(Metric.MUTUAL_KNN, mut / n);
        out.put(Metric.RANK_SIMILARITY, rank / n);
        out.put(Metric.SECOND_ORDER_COSINE, soc / n);
        double kl = maskedHsic(cx, cy, nx, ny), kk = maskedHsic(cx, cx, nx, nx), ll = maskedHsic(cy, cy, ny, ny);
        out.put(Metric.CKNNA, kl / Math.sqrt(kk * ll));
        return out;
    }

    /** platonic-rep's similarity(K, L): M = both masks, HSIC₁(M∘K, M∘L) with explicit n×n matrices. */
    static double maskedHsic(double[][] k, double[][] l, int[][] nk, int[][] nl) {
        int n = k.length;
        double[][] mk = new double[n][n], ml = new double[n][n];
        for (int i = 0; i < n; i++) {
            Set<Integer> both = set(nk[i]);
            both.retainAll(set(nl[i]));
            for (int j : both) {
                mk[i][j] = k[i][j];
                ml[i][j] = l[i][j];
            }
        }
        RealMatrix a = new Array2DRowRealMatrix(mk, false), b = new Array2DRowRealMatrix(ml, false);
        return Reference.hsicUnbiased(a, b);
    }

    // ---- data ----

    /** Rows in a few clusters, and a noisy rotation of them: neighbours that partly agree. */
    static Matrix clustered(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[5][d];
        for (double[] c : centres) for (int t = 0; t < d; t++) c[t] = 3 * r.nextGaussian();
        double[] a = new double[n * d];
        for (int i = 0; i < n; i++) for (int t = 0; t < d; t++) a[i * d + t] = centres[i % 5][t] + r.nextGaussian();
        return Matrix.of(n, d, a);
    }

    static List<Matrix[]> pairs() {
        Matrix c = clustered(90, 8, 1);
        Matrix g = TestData.gaussian(70, 5, 3);
        return List.of(
                new Matrix[] {c, TestData.correlatedWith(c, 6, 1.5, 2)},
                new Matrix[] {g, TestData.correlatedWith(g, 9, 0.4, 4)},
                new Matrix[] {TestData.gaussian(64, 4, 5), TestData.gaussian(64, 7, 6)});
    }

    static double value(Metric m, Matrix x, Matrix y, Backend b, int k) {
        return Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS.withK(k));
    }

    // ---- agreement ----

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void everyMeasureMatchesTheReferenceAndIsTheSameBitsOnEveryBackend(String name) {
        int checked32 = 0;
        try (Backend b = TestData.open(name); Backend java = Backends.open("java", null)) {
            for (Matrix[] xy : pairs()) {
                for (int k : new int[] {3, 10}) {
                    Map<Metric, Double> want = reference(xy[0], xy[1], k);
                    // float32 sets are those of the rounded data (ranks are not continuous in the data)
                    Matrix x32 = xy[0].to(Precision.F32), y32 = xy[1].to(Precision.F32);
                    Map<Metric, Double> want32 = reference(x32.to(Precision.F64), y32.to(Precision.F64), k);
                    for (Metric m : MEASURES) {
                        String what = name + " " + m.label() + " k=" + k + " n=" + xy[0].rows();
                        double got = value(m, xy[0], xy[1], b, k);
                        assertRel(want.get(m), got, 1e-9, what);
                        assertEquals(Double.doubleToLongBits(value(m, xy[0], xy[1], java, k)), Double.doubleToLongBits(got), what + ": bits differ from java");
                        // A device ranks float32 sets in float32: neighbours closer than its rounding may swap.
                        if (separated(x32, k) && separated(y32, k)) {
                            assertAbs(want32.get(m), value(m, x32, y32, b, k), 1e-4, what + " f32");
                            checked32++;
                        }
                    }
                }
            }
        }
        assertTrue(checked32 >= 3 * MEASURES.size(), "float32 was compared on " + checked32 / MEASURES.size() + " of 6 cases only");
    }

    /**
     * Whether every row's k + 1 most similar others differ in cosine by more than 10⁻⁶, well above
     * float32 rounding (√d·6·10⁻⁸), so that float32 arithmetic ranks them as float64 does.
     */
    static boolean separated(Matrix m, int k) {
        double[][] cos = cosines(m.to(Precision.F64));
        for (int i = 0; i < cos.length; i++) {
            double[] row = cos[i].clone();
            row[i] = Double.NEGATIVE_INFINITY;
            java.util.Arrays.sort(row);
            for (int r = row.length - 1; r > row.length - 1 - k - 1 && r > 0; r--) {
                if (row[r] - row[r - 1] < 1e-6) return false;
            }
        }
        return true;
    }

    // ---- invariances and ideal values ----

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void orthogonalMapsAndScalingChangeNothingAndIdentityIsOne(String name) {
        Matrix x = clustered(80, 6, 11), y = TestData.correlatedWith(x, 5, 1.0, 12);
        Matrix xq = TestData.scaled(TestData.times(x, TestData.orthogonal(6, 13)), 7.0);
        int[] perm = IntStream.range(0, 80).map(i -> (i * 17 + 5) % 80).toArray();
        try (Backend b = TestData.open(name)) {
            for (Metric m : MEASURES) {
                double v = value(m, x, y, b, 6);
                assertRel(v, value(m, xq, TestData.scaled(y, 0.1), b, 6), 1e-9, name + " " + m.label() + " orthogonal map and scaling");
                assertRel(v, value(m, x.selectRows(perm), y.selectRows(perm), b, 6), 1e-12, name + " " + m.label() + " permuted samples");
                assertEquals(1.0, value(m, x, x, b, 6), 1e-12, name + " " + m.label() + " identity");
            }
        }
    }

    @Test
    void theSetMeasuresAreSymmetricAndCknnaFollowsPlatonicRepInEitherOrder() {
        Matrix x = clustered(60, 5, 21), y = TestData.correlatedWith(x, 4, 2.0, 22);
        try (Backend b = Backends.open("java", null)) {
            for (Metric m : MEASURES) {
                if (m == Metric.CKNNA) continue;
                assertEquals(value(m, x, y, b, 5), value(m, y, x, b, 5), 1e-14, m.label());
            }
            // platonic-rep's cross term 1ᵀK̃L̃1 is not symmetric in K̃ and L̃ (their masks are not symmetric)
            assertRel(reference(y, x, 5).get(Metric.CKNNA), value(Metric.CKNNA, y, x, b, 5), 1e-9, "cknna(Y, X)");
        }
    }

    // ---- bad input ----

    @Test
    void badInputIsNamed() {
        Matrix x = TestData.gaussian(12, 3, 31), y = TestData.gaussian(12, 4, 32);
        try (Backend b = Backends.open("java", null)) {
            for (Metric m : MEASURES) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> value(m, x, y, b, 12));
                assertTrue(e.getMessage().contains("--k between") && e.getMessage().contains("n-1 = 11"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> value(Metric.CKNNA, x, y, b, 1));
            assertTrue(e.getMessage().contains("cknna needs --k between 2"), e.getMessage());
            double[] a = x.f64().clone();
            a[5 * 3] = a[5 * 3 + 1] = a[5 * 3 + 2] = 0;
            Matrix zero = Matrix.of(12, 3, a);
            e = assertThrows(IllegalArgumentException.class, () -> value(Metric.JACCARD_KNN, zero, y, b, 3));
            assertTrue(e.getMessage().contains("X: ") && e.getMessage().contains("row 5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> value(Metric.MUTUAL_KNN, x, TestData.gaussian(11, 4, 33), b, 3));
        }
    }
}
