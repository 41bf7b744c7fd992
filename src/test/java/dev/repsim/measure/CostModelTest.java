package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost model on synthetic timings whose coefficients are known. */
class CostModelTest {
    private static final CostModel.Key KEY = new CostModel.Key("m", "java", "linear-cka", "f64");
    private static final int[] NS = {1000, 4000, 20000, 60000};
    private static final int[] DS = {256, 512, 1024};

    /** t = a + b·n·d² + c·d³ (and bytes = 8·n·d + 16·d²) on the grid, times exp(noise · gaussian). */
    private static List<CostModel.Point> feature(double a, double b, double c, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<CostModel.Point> pts = new ArrayList<>();
        for (int n : NS) {
            for (int d : DS) {
                double t = a + b * n * (double) d * d + c * (double) d * d * d;
                pts.add(new CostModel.Point(n, d, t * Math.exp(noise * r.nextGaussian()), 8.0 * n * d + 16.0 * d * d));
            }
        }
        return pts;
    }

    @Test
    void exactTimingsGiveBackTheCoefficients() {
        double a = 0.004, b = 3e-11, c = 7e-10;
        CostModel m = CostModel.fit(KEY, WorkTerms.FEATURE, feature(a, b, c, 0, 1));
        double[] k = m.coefficients();
        assertEquals(a, k[0], a * 1e-6);
        assertEquals(b, k[1], b * 1e-6);
        assertEquals(c, k[2], c * 1e-6);
        assertTrue(m.looMaxAbsError() < 1e-6, "LOO error of an exact model: " + m.looMaxAbsError());
        double[] mem = m.memoryCoefficients();
        assertEquals(0, mem[0], 1e-3);
        assertEquals(8, mem[1], 8e-6);
        assertEquals(16, mem[2], 16e-6);
        CostModel.Prediction p = m.predict(10000, 768, 768);
        double truth = a + b * 10000 * 768.0 * 768 + c * 768.0 * 768 * 768;
        assertEquals(truth, p.seconds(), truth * 1e-6);
        assertEquals(8.0 * 10000 * 768 + 16.0 * 768 * 768, p.heapBytes(), 1);
    }

    @Test
    void noisyTimingsGiveCoefficientsWithinTheNoiseAndAnHonestInterval() {
        double a = 0.004, b = 3e-11, c = 7e-10;
        CostModel m = CostModel.fit(KEY, WorkTerms.FEATURE, feature(a, b, c, 0.05, 7));
        double[] k = m.coefficients();
        // the n·d² term dominates every large cell: it is pinned down tightly; d³ less so
        assertEquals(b, k[1], b * 0.1);
        assertEquals(c, k[2], c * 0.5);
        double loo = m.looMedianAbsError();
        assertTrue(loo > 0.005 && loo < 0.2, "median LOO error with 5 % noise: " + loo);
        CostModel.Prediction p = m.predict(30000, 768, 768);
        double truth = a + b * 30000 * 768.0 * 768 + c * 768.0 * 768 * 768;
        assertTrue(p.low() < truth && truth < p.high(), truth + " outside [" + p.low() + ", " + p.high() + "]");
        assertTrue(p.high() / p.low() < 2, "5 % noise on 12 cells gives a narrow interval: " + p.low() + " – " + p.high());
    }

    @Test
    void gramTermsAreRecovered() {
        double a = 0.01, b = 2e-12, c = 4e-9;
        List<CostModel.Point> pts = new ArrayList<>();
        for (int n : new int[]{500, 1000, 4000, 8000}) {
            for (int d : DS) pts.add(new CostModel.Point(n, d, a + b * (double) n * n * d + c * (double) n * n, Double.NaN));
        }
        CostModel m = CostModel.fit(new CostModel.Key("m", "blas", "rbf-cka", "f64"), WorkTerms.GRAM, pts);
        assertEquals(a, m.coefficients()[0], a * 1e-6);
        double[] k = m.coefficients();
        assertEquals(b, k[1], b * 1e-6);
        assertEquals(c, k[2], c * 1e-6);
        assertEquals(null, m.memoryCoefficients(), "no cell measured the heap");
        assertTrue(Double.isNaN(m.predict(2000, 512, 512).heapBytes()));
    }

    @Test
    void coefficientsStayNonNegative() {
        // timings that fall with d: the unconstrained fit wants a negative d³ coefficient
        List<CostModel.Point> pts = List.of(new CostModel.Point(1000, 256, 2.0, Double.NaN), new CostModel.Point(1000, 512, 1.5, Double.NaN),
                new CostModel.Point(1000, 1024, 1.0, Double.NaN), new CostModel.Point(2000, 512, 1.6, Double.NaN));
        for (double k : CostModel.fit(KEY, WorkTerms.FEATURE, pts).coefficients()) assertTrue(k >= 0, "coefficient " + k);
    }

    @Test
    void predictionsOutsideTheMeasuredRangeAreFlagged() {
        CostModel m = CostModel.fit(KEY, WorkTerms.FEATURE, feature(0.004, 3e-11, 7e-10, 0, 1));
        assertFalse(m.predict(10000, 768, 768).extrapolated());
        assertFalse(m.predict(1000, 256, 1024).extrapolated(), "the grid's corners are measured");
        assertTrue(m.predict(100000, 768, 768).extrapolated(), "n above the grid");
        assertTrue(m.predict(500, 768, 768).extrapolated(), "n below the grid");
        assertTrue(m.predict(10000, 2048, 768).extrapolated(), "dx above the grid");
        assertTrue(m.predict(10000, 768, 128).extrapolated(), "dy below the grid");
    }

    @Test
    void oneCellGivesNoLooErrorAndNoInterval() {
        CostModel m = CostModel.fit(KEY, WorkTerms.FEATURE, List.of(new CostModel.Point(1000, 768, 0.5, Double.NaN)));
        assertTrue(Double.isNaN(m.looMedianAbsError()));
        CostModel.Prediction p = m.predict(1000, 768, 768);
        assertEquals(0.5, p.seconds(), 1e-12);
        assertTrue(Double.isNaN(p.low()) && Double.isNaN(p.high()));
    }

    @Test
    void looErrorIsThePredictionOfEachCellWithoutIt() {
        // three cells on a line t = n·1e-4 except the last, 50 % slow: LOO predicts it from the other two
        List<CostModel.Point> pts = List.of(new CostModel.Point(1000, 100, 0.1, Double.NaN), new CostModel.Point(2000, 100, 0.2, Double.NaN),
                new CostModel.Point(4000, 100, 0.6, Double.NaN));
        CostModel m = CostModel.fit(new CostModel.Key("m", "java", "minibatch-cka", "f64"), WorkTerms.MINIBATCH, pts);
        double[] e = m.looRelativeErrors();
        // without the slow cell the other two fit t = 1e-4·n exactly, predicting 0.4 for 0.6
        assertEquals(0.4 / 0.6 - 1, e[2], 1e-9);
    }

    @Test
    void badCellsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CostModel.fit(KEY, WorkTerms.FEATURE, List.of(new CostModel.Point(1000, 768, 0, Double.NaN))));
        assertThrows(IllegalArgumentException.class, () -> CostModel.fit(KEY, WorkTerms.FEATURE, List.of(new CostModel.Point(1000, 768, Double.NaN, Double.NaN))));
        assertThrows(IllegalArgumentException.class, () -> CostModel.fit(KEY, WorkTerms.FEATURE, List.of()));
    }
}
