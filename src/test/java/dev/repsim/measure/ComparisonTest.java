package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Verdicts on synthetic samples whose truth is known: equal distributions, a 20 % shift, interval coverage. */
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

    @Test
    void equalDistributionsRarelyGetAWinner() {
        SplittableRandom rnd = new SplittableRandom(11);
        int rejected = 0, winners = 0, trials = 2000;
        for (int t = 0; t < trials; t++) {
            double[] a = normal(rnd, 20, 100, 0.05), b = normal(rnd, 20, 100, 0.05);
            if (MannWhitney.pValue(a, b) < Comparison.ALPHA) rejected++;
            if (t < 300 && Comparison.of(Samples.of(a), Samples.of(b), Comparison.Better.HIGHER, t, 500).significant()) winners++;
        }
        // false-positive rate near alpha = 1 % (expected 20 of 2000; binomial sd 4.5)
        assertTrue(rejected >= 5 && rejected <= 40, "U test rejected " + rejected + " of " + trials);
        assertTrue(winners <= 9, "a winner named in " + winners + " of 300 equal pairs");
    }

    @Test
    void twentyPercentShiftNamesTheRightWinner() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int t = 0; t < 50; t++) {
            double[] fast = normal(rnd, 10, 120, 0.05), slow = normal(rnd, 10, 100, 0.05);
            Comparison c = Comparison.of(Samples.of(fast), Samples.of(slow), Comparison.Better.HIGHER, t);
            assertEquals(Comparison.Verdict.FIRST, c.verdict(), "trial " + t + ": " + c);
            assertTrue(c.ratioLow() > 1 && c.p() < Comparison.ALPHA, c.toString());
            // the same numbers read as times: lower is better, so the second wins
            assertEquals(Comparison.Verdict.SECOND, Comparison.of(Samples.of(fast), Samples.of(slow), Comparison.Better.LOWER, t).verdict());
            assertEquals(Comparison.Verdict.SECOND, Comparison.of(Samples.of(slow), Samples.of(fast), Comparison.Better.HIGHER, t).verdict());
        }
    }

    @Test
    void shiftBetweenForkGroupedSamplesIsFound() {
        SplittableRandom rnd = new SplittableRandom(8);
        List<double[]> fast = new ArrayList<>(), slow = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            fast.add(normal(rnd, 4, 120 * (1 + 0.02 * gaussian(rnd)), 0.03));
            slow.add(normal(rnd, 4, 100 * (1 + 0.02 * gaussian(rnd)), 0.03));
        }
        Comparison c = Comparison.of(new Samples(fast), new Samples(slow), Comparison.Better.HIGHER, 1);
        assertEquals(Comparison.Verdict.FIRST, c.verdict(), c.toString());
        assertEquals(20, c.a().count());
        assertEquals(5, c.a().forks());
    }

    @Test
    void tooFewSamplesCannotBeSignificant() {
        Comparison c = Comparison.of(Samples.of(200, 201, 202), Samples.of(100, 101, 102), Comparison.Better.HIGHER, 1);
        assertEquals(Comparison.Verdict.NONE, c.verdict());
        assertTrue(c.tooFewSamples());
        assertEquals(2.0, c.ratio(), 0.02);
        Comparison one = Comparison.of(Samples.of(200), Samples.of(100, 101), Comparison.Better.HIGHER, 1);
        assertTrue(Double.isNaN(one.ratioLow()) && one.verdict() == Comparison.Verdict.NONE);
    }

    @Test
    void ratioIntervalCoversTheTrueRatio() {
        SplittableRandom rnd = new SplittableRandom(21);
        int covered = 0, trials = 300;
        for (int t = 0; t < trials; t++) {
            Comparison c = Comparison.of(Samples.of(normal(rnd, 25, 120, 0.1)), Samples.of(normal(rnd, 25, 100, 0.1)),
                    Comparison.Better.HIGHER, t, 1000);
            if (c.ratioLow() <= 1.2 && 1.2 <= c.ratioHigh()) covered++;
        }
        assertTrue(covered >= 0.88 * trials && covered <= 0.995 * trials, covered + " of " + trials);
    }
}
