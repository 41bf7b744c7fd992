package dev.repsim.measure;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.repsim.measure.SummaryTest.forked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verdicts on synthetic samples whose truth is known: equal distributions, a 20 % shift, interval coverage,
 * with forks whose levels differ as well as their iterations (forks spread about 5 % and iterations 3 % on
 * the Zen 5 host's committed runs).
 */
class ComparisonTest {

    /** n throughput samples around centre with relative noise sd. */
    static double[] normal(SplittableRandom rnd, int n, double centre, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = centre * (1 + sd * gaussian(rnd));
        return v;
    }

    static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian on every JDK this project targets
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** Equal cells: a winner is named about as rarely as α says, though the iterations alone would separate the forks. */
    @Test
    void equalDistributionsRarelyGetAWinner() {
        SplittableRandom rnd = new SplittableRandom(11);
        int winners = 0, trials = 2000;
        for (int t = 0; t < trials; t++) {
            Comparison c = Comparison.of(forked(rnd, 4, 5, 100, 0.05, 0.03), forked(rnd, 3, 5, 100, 0.05, 0.03), Comparison.Better.HIGHER);
            if (c.significant()) winners++;
        }
        // α = 1 %: expected 20 of 2000 (binomial sd 4.5); the flooring of Welch's degrees of freedom errs low
        assertTrue(winners <= 35, "a winner named in " + winners + " of " + trials + " equal pairs");
    }

    @Test
    void twentyPercentShiftNamesTheRightWinner() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < 50; t++) {
            Samples fast = forked(rnd, 5, 5, 120, 0.02, 0.03), slow = forked(rnd, 5, 5, 100, 0.02, 0.03);
            Comparison c = Comparison.of(fast, slow, Comparison.Better.HIGHER);
            assertEquals(Comparison.Verdict.FIRST, c.verdict(), "trial " + t + ": " + c);
            assertTrue(c.ratioLow() > 1 && c.p() < Comparison.ALPHA, c.toString());
            // the same numbers read as times: lower is better, so the second wins
            assertEquals(Comparison.Verdict.SECOND, Comparison.of(fast, slow, Comparison.Better.LOWER).verdict());
            assertEquals(Comparison.Verdict.SECOND, Comparison.of(slow, fast, Comparison.Better.HIGHER).verdict());
        }
    }

    /** Welch's statistic and p on the log fork medians, against Commons Math (t, then its t distribution at the floored df). */
    @Test
    void pValueIsWelchsOnTheLogForkMedians() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            Samples a = forked(rnd, 3 + t % 3, 5, 104, 0.03, 0.03), b = forked(rnd, 4, 7, 100, 0.05, 0.03);
            double[] la = a.logForkMedians(), lb = b.logForkMedians();
            double va = Summary.variance(la) / la.length, vb = Summary.variance(lb) / lb.length;
            double df = (va + vb) * (va + vb) / (va * va / (la.length - 1) + vb * vb / (lb.length - 1));
            double stat = new TTest().t(la, lb);
            double want = 2 * new TDistribution(Math.max(1, Math.floor(df))).cumulativeProbability(-Math.abs(stat));
            assertEquals(want, Comparison.of(a, b, Comparison.Better.HIGHER).p(), 1e-9 + 1e-6 * want, "trial " + t);
        }
    }

    @Test
    void oneForkOnASideCannotBeSignificant() {
        Comparison c = Comparison.of(Samples.of(200, 201, 202, 199, 200), Samples.of(100, 101, 102, 99, 100), Comparison.Better.HIGHER);
        assertEquals(Comparison.Verdict.NONE, c.verdict());
        assertTrue(c.tooFewForks());
        assertEquals(2.0, c.ratio(), 0.02);
        assertTrue(Double.isNaN(c.ratioLow()) && Double.isNaN(c.p()));
    }

    @Test
    void ratioIntervalCoversTheTrueRatio() {
        SplittableRandom rnd = new SplittableRandom(21);
        int covered = 0, trials = 600;
        for (int t = 0; t < trials; t++) {
            Comparison c = Comparison.of(forked(rnd, 4, 5, 120, 0.05, 0.03), forked(rnd, 3, 5, 100, 0.05, 0.03), Comparison.Better.HIGHER);
            if (c.ratioLow() <= 1.2 && 1.2 <= c.ratioHigh()) covered++;
        }
        // nominally 95 %; flooring the degrees of freedom widens it a little
        assertTrue(covered >= 0.92 * trials && covered <= 0.995 * trials, covered + " of " + trials);
    }
}
