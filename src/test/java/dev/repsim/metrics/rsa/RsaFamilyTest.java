package dev.repsim.metrics.rsa;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.TestData;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rsa, rsm-norm-difference and distance-correlation against float64 references built here from their
 * definitions (full n×n matrices, Commons Math's Pearson and Spearman with average ranks for ties),
 * on every backend, in one row block and in many (tile 7), float64 to 1e-9 and float32 to 1e-4.
 */
class RsaFamilyTest {
    static final int[] TILES = {7, 1024};

    // ---- references ----

    /** The upper triangle (i < j, row by row) of an RDM: 1 − Pearson r of rows, or Euclidean distance. */
    static double[] rdm(Matrix m, Rdm rdm) {
        int n = m.rows();
        List<Double> out = new ArrayList<>();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[m.cols()];
            for (int c = 0; c < m.cols(); c++) rows[i][c] = m.get(i, c);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                out.add(rdm == Rdm.CORRELATION ? 1 - new PearsonsCorrelation().correlation(rows[i], rows[j]) : distance(m, i, j));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double distance(Matrix m, int i, int j) {
        double s = 0;
        for (int c = 0; c < m.cols(); c++) {
            double t = m.get(i, c) - m.get(j, c);
            s += t * t;
        }
        return Math.sqrt(s);
    }

    static double rsa(Matrix x, Matrix y, Rdm r) {
        return new SpearmansCorrelation().correlation(rdm(x, r), rdm(y, r));
    }

    static double rsmNormDifference(Matrix x, Matrix y) {
        double[] a = rdm(x, Rdm.EUCLIDEAN), b = rdm(y, Rdm.EUCLIDEAN);
        double s = 0;
        for (int p = 0; p < a.length; p++) s += (a[p] - b[p]) * (a[p] - b[p]);
        return Math.sqrt(s);
    }

    /** Székely's double-centred distance matrices, formed in full. */
    static RealMatrix doubleCentred(Matrix m) {
        int n = m.rows();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = distance(m, i, j);
        double[] row = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) row[i] += a[i][j] / n;
            all += row[i] / n;
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i][j] = a[i][j] - row[i] - row[j] + all;
        return new Array2DRowRealMatrix(c, false);
    }

    static double dcor(Matrix x, Matrix y) {
        RealMatrix a = doubleCentred(x), b = doubleCentred(y);
        int n = x.rows();
        double vxy = 0, vxx = 0, vyy = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            vxy += a.getEntry(i, j) * b.getEntry(i, j) / ((double) n * n);
            vxx += a.getEntry(i, j) * a.getEntry(i, j) / ((double) n * n);
            vyy += b.getEntry(i, j) * b.getEntry(i, j) / ((double) n * n);
        }
        return Math.sqrt(vxy / Math.sqrt(vxx * vyy));
    }

    // ---- data ----

    /**
     * Two representations of the same samples; {@code tied}: integer data whose squared Euclidean
     * distances tie exactly (in any summation order), so the average ranks of ties matter.
     */
    record Case(String name, Matrix x, Matrix y, boolean tied) {}

    /** Random pairs and structured ones: correlated, low rank, shifted far from 0, and tied integer grids. */
    static List<Case> pairs() {
        Matrix x = TestData.shiftedScaled(61, 9, 1);
        return List.of(
                new Case("independent gaussian", TestData.gaussian(53, 6, 2), TestData.gaussian(53, 11, 3), false),
                new Case("correlated, shifted", x, TestData.correlatedWith(x, 5, 0.5, 4), false),
                new Case("rank 2", TestData.lowRank(40, 12, 2, 7), TestData.gaussian(40, 3, 8), false),
                new Case("integer grid", integerGrid(47, 4, 3, 5), integerGrid(47, 3, 2, 6), true));
    }

    /** Small integers: many exactly tied distances, so the average ranks of ties matter. */
    static Matrix integerGrid(int n, int d, int levels, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * d];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(levels);
        for (int i = 0; i < n; i++) a[i * d] = i % 2 == 0 ? 7 : -3; // no row is constant
        return Matrix.of(n, d, a);
    }

    static MetricOptions opts(Rdm r) {
        return MetricOptions.DEFAULTS.withRdm(r);
    }

    // ---- agreement ----

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void rsaMatchesTheReferenceAndIsTheSameBitsOnEveryBackend(String name) {
        try (Backend b = TestData.open(name); Backend java = Backends.open("java", null)) {
            for (Case c : pairs()) {
                for (Rdm r : Rdm.values()) {
                    // Correlation distances that tie in exact arithmetic need not tie once rounded (any order).
                    if (c.tied() && r == Rdm.CORRELATION) continue;
                    double want = rsa(c.x(), c.y(), r);
                    // float32 ranks are those of the rounded data (ranks are not continuous in the data)
                    Matrix x32 = c.x().to(Precision.F32), y32 = c.y().to(Precision.F32);
                    double want32 = rsa(x32.to(Precision.F64), y32.to(Precision.F64), r);
                    String what = name + " rsa " + r.label() + ", " + c.name();
                    for (int tile : TILES) {
                        double got = Rsa.compute(c.x(), c.y(), r, b, tile);
                        assertRel(want, got, 1e-9, what);
                        // float64 RDMs are canonical: identical bits on every backend and tile size
                        assertEquals(Double.doubleToLongBits(Rsa.compute(c.x(), c.y(), r, java, 1024)), Double.doubleToLongBits(got), what);
                        // float32 tiles break exact ties arbitrarily: only untied data has a float32 bound
                        if (!c.tied()) assertAbs(want32, Rsa.compute(x32, y32, r, b, tile), 1e-4, what + " f32");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void rsmNormDifferenceAndDistanceCorrelationMatchTheReference(String name) {
        try (Backend b = TestData.open(name)) {
            for (Case c : pairs()) {
                Matrix[] xy = {c.x(), c.y()};
                double rsm = rsmNormDifference(xy[0], xy[1]), dc = dcor(xy[0], xy[1]);
                for (int tile : TILES) {
                    assertRel(rsm, RsmNormDifference.compute(xy[0], xy[1], b, tile), 1e-9, name + " rsm-norm-difference tile " + tile + ", " + c.name());
                    assertRel(dc, DistanceCorrelation.compute(xy[0], xy[1], b, tile), 1e-9, name + " distance-correlation tile " + tile + ", " + c.name());
                    Matrix x32 = xy[0].to(Precision.F32), y32 = xy[1].to(Precision.F32);
                    assertAbs(1, RsmNormDifference.compute(x32, y32, b, tile) / rsm, 1e-4, name + " rsm f32, " + c.name());
                    assertAbs(dc, DistanceCorrelation.compute(x32, y32, b, tile), 1e-4, name + " dcor f32, " + c.name());
                }
            }
        }
    }

    @Test
    void rsmNormDifferenceIsTheVectorNormNotTheSpectralNormOfTheMatrices() {
        // ReSi's defect: the spectral norm of D_X − D_Y. The measure is the 2-norm of the pair vector.
        Matrix x = TestData.gaussian(30, 4, 11), y = TestData.gaussian(30, 5, 12);
        int n = 30;
        double[][] diff = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) diff[i][j] = distance(x, i, j) - distance(y, i, j);
        double spectral = new SingularValueDecomposition(new Array2DRowRealMatrix(diff)).getNorm();
        try (Backend b = Backends.open("java", null)) {
            double got = Similarity.compute(Metric.RSM_NORM_DIFFERENCE, x, y, b, MetricOptions.DEFAULTS);
            assertRel(rsmNormDifference(x, y), got, 1e-9, "rsm-norm-difference");
            assertTrue(Math.abs(got - spectral) > 1e-3 * got, "must not be the spectral norm " + spectral + ", got " + got);
        }
    }

    // ---- invariances and ideal values ----

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void invariancesAndIdentity(String name) {
        Matrix x = TestData.shiftedScaled(45, 7, 21), y = TestData.correlatedWith(x, 6, 1.0, 22);
        Matrix xq = TestData.shifted(TestData.times(x, TestData.orthogonal(7, 23)), 3.0);
        Matrix ys = TestData.scaled(y, 4.5);
        try (Backend b = TestData.open(name)) {
            // Euclidean-RDM rsa and dCor: orthogonal maps, translation, isotropic scaling of either side
            double rsa = Rsa.compute(x, y, Rdm.EUCLIDEAN, b), dc = DistanceCorrelation.compute(x, y, b);
            assertRel(rsa, Rsa.compute(xq, ys, Rdm.EUCLIDEAN, b), 1e-9, name + " rsa euclidean invariance");
            assertRel(dc, DistanceCorrelation.compute(xq, ys, b), 1e-9, name + " dcor invariance");
            // correlation RDM: isotropic scaling and a constant added to every feature
            double rc = Rsa.compute(x, y, Rdm.CORRELATION, b);
            assertRel(rc, Rsa.compute(TestData.scaled(x, 0.01), addConstant(y, -40), Rdm.CORRELATION, b), 1e-9, name + " rsa correlation invariance");
            // rsm-norm-difference: orthogonal maps and translation (distances unchanged), not scaling
            double rsm = RsmNormDifference.compute(x, y, b);
            assertRel(rsm, RsmNormDifference.compute(xq, TestData.shifted(y, -2), b), 1e-9, name + " rsm invariance");
            assertNotEquals(rsm, RsmNormDifference.compute(x, ys, b), 1e-3);
            // identity
            assertEquals(1.0, Rsa.compute(x, x, Rdm.CORRELATION, b), 1e-15);
            assertEquals(1.0, Rsa.compute(x, xq, Rdm.EUCLIDEAN, b), 1e-12);
            assertEquals(1.0, DistanceCorrelation.compute(x, x, b), 1e-12);
            assertEquals(0.0, RsmNormDifference.compute(x, x, b), 1e-12);
        }
    }

    @Test
    void rsaIsExactlyInvariantToPermutingTheSamples() {
        Matrix x = integerGrid(33, 4, 3, 31), y = TestData.gaussian(33, 5, 32);
        int[] perm = new int[33];
        for (int i = 0; i < 33; i++) perm[i] = (i * 7 + 3) % 33;
        try (Backend b = Backends.open("java", null)) {
            for (Rdm r : Rdm.values()) {
                assertEquals(Rsa.compute(x, y, r, b), Rsa.compute(x.selectRows(perm), y.selectRows(perm), r, b), 0.0, r.label());
            }
        }
    }

    @Test
    void independentDataHasSmallDistanceCorrelationAndRsa() {
        Matrix x = TestData.gaussian(400, 3, 41), y = TestData.gaussian(400, 3, 42);
        try (Backend b = Backends.open("java", null)) {
            assertTrue(DistanceCorrelation.compute(x, y, b) < 0.2);
            assertTrue(Math.abs(Rsa.compute(x, y, Rdm.EUCLIDEAN, b)) < 0.05);
        }
    }

    // ---- bad input ----

    @Test
    void badInputIsNamed() {
        double[] a = TestData.gaussian(20, 4, 51).f64().clone();
        for (int c = 0; c < 4; c++) a[3 * 4 + c] = 2.5; // row 3 constant
        Matrix x = Matrix.of(20, 4, a), y = TestData.gaussian(20, 4, 52);
        try (Backend b = Backends.open("java", null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(Metric.RSA, x, y, b, opts(Rdm.CORRELATION)));
            assertTrue(e.getMessage().contains("row 3 of X is constant"), e.getMessage());
            Similarity.compute(Metric.RSA, x, y, b, opts(Rdm.EUCLIDEAN)); // fine with Euclidean distances
            Matrix same = Matrix.of(20, 2, new double[40]);
            e = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(Metric.DISTANCE_CORRELATION, y, same, b, MetricOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("all rows of Y are identical"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(Metric.RSA, same, y, b, opts(Rdm.EUCLIDEAN)));
            assertTrue(e.getMessage().contains("same dissimilarity"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Similarity.compute(Metric.RSA, y.rows(0, 2), y.rows(0, 2), b, MetricOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("at least 3 samples"), e.getMessage());
            Matrix tall = Matrix.of(Rsa.MAX_ROWS + 1, 1, new double[Rsa.MAX_ROWS + 1]);
            e = assertThrows(IllegalArgumentException.class, () -> Rsa.compute(tall, tall, Rdm.EUCLIDEAN, b));
            assertTrue(e.getMessage().contains("n <= 65536"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Rdm.parse("cosine"));
            assertTrue(e.getMessage().contains("--rdm"), e.getMessage());
        }
    }

    static Matrix addConstant(Matrix m, double c) {
        double[] a = m.f64().clone();
        for (int i = 0; i < a.length; i++) a[i] += c;
        return Matrix.of(m.rows(), m.cols(), a);
    }
}
