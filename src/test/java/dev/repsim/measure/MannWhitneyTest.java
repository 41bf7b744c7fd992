package dev.repsim.measure;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The U test against independent references: SciPy's values (asymptotic, continuity-corrected) and commons-math3. */
class MannWhitneyTest {

    @Test
    void matchesScipyIncludingTies() {
        // scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic', use_continuity=True).pvalue
        assertEquals(0.07414553111140683, MannWhitney.pValue(new double[] {1.1, 2.3, 3.0, 4.8, 5.5, 6.1},
                new double[] {2.0, 4.1, 7.2, 8.3, 9.9, 10.5, 11.0}), 1e-6);
        assertEquals(0.012999854364387305, MannWhitney.pValue(new double[] {1, 2, 2, 3, 3, 3, 4},
                new double[] {3, 4, 4, 5, 5, 6}), 1e-6);
        assertEquals(0.08085559837005224, MannWhitney.pValue(new double[] {0, 1, 2}, new double[] {3, 4, 5}), 1e-6);
        assertEquals(0.08085559837005224, MannWhitney.smallestPValue(3, 3), 1e-6);
    }

    @Test
    void symmetricAndOneWhenAllTied() {
        double[] a = {5, 7, 9, 11}, b = {6, 8, 20, 21, 22};
        assertEquals(MannWhitney.pValue(a, b), MannWhitney.pValue(b, a), 1e-12);
        assertEquals(1.0, MannWhitney.pValue(new double[] {3, 3}, new double[] {3, 3, 3}));
    }

    @Test
    void closeToCommonsMathWithoutTies() {
        // commons-math3 has no continuity correction: the two agree within its size (0.5 / sd of U)
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] a = new double[30], b = new double[25];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextDouble();
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextDouble() + 0.2;
            double ours = MannWhitney.pValue(a, b), theirs = new MannWhitneyUTest().mannWhitneyUTest(a, b);
            assertEquals(theirs, ours, 0.02, "trial " + trial);
            assertTrue(ours >= theirs, "the continuity correction is conservative");
        }
    }

    @Test
    void erfcAgainstKnownValues() {
        assertEquals(1.0, MannWhitney.erfc(0), 1e-7);
        assertEquals(0.157299207050285, MannWhitney.erfc(1), 1e-7);
        assertEquals(1.842700792949715, MannWhitney.erfc(-1), 1e-7);
        assertEquals(2.209049699858544e-05, MannWhitney.erfc(3), 1e-11);
    }
}
