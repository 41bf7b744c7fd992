package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SummaryTest {

    @Test
    void medianCvAndCounts() {
        Samples s = new Samples(List.of(new double[] {1, 5}, new double[] {3, 2, 4}));
        Summary sum = Summary.of(s, 1);
        assertEquals(3, sum.median());
        assertEquals(5, sum.count());
        assertEquals(2, sum.forks());
        // mean 3, sample sd sqrt(10/4)
        assertEquals(Math.sqrt(2.5) / 3, sum.cv(), 1e-12);
        assertEquals(2.5, Samples.of(1, 2, 3, 4).median());
    }

    @Test
    void sameSeedSameInterval() {
        Samples s = Samples.of(10, 12, 9, 14, 11, 13, 10.5, 9.5);
        assertEquals(Summary.of(s, 42), Summary.of(s, 42));
    }

    @Test
    void oneSampleHasNoInterval() {
        Summary s = Summary.of(Samples.of(7), 1);
        assertEquals(7, s.median());
        assertFalse(s.hasInterval());
        assertTrue(Double.isNaN(s.cv()));
    }

    @Test
    void forkGroupedIntervalReflectsTheSpreadBetweenForks() {
        // forks agree inside but differ between each other: resampling forks sees medians from 10 to 30
        Samples s = new Samples(List.of(new double[] {10, 10, 10}, new double[] {20, 20, 20}, new double[] {30, 30, 30}));
        Summary sum = Summary.of(s, 3);
        assertEquals(10, sum.ciLow());
        assertEquals(30, sum.ciHigh());
    }

    @Test
    void intervalCoversTheTrueMedian() {
        SplittableRandom rnd = new SplittableRandom(9);
        int covered = 0, trials = 400;
        for (int t = 0; t < trials; t++) {
            Summary s = Summary.of(Samples.of(ComparisonTest.normal(rnd, 31, 100, 0.1)), t);
            if (s.ciLow() <= 100 && 100 <= s.ciHigh()) covered++;
        }
        assertTrue(covered >= 0.88 * trials && covered <= 0.995 * trials, covered + " of " + trials);
    }

    @Test
    void rejectsNonFiniteSamples() {
        assertThrows(IllegalArgumentException.class, () -> Samples.of(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Samples(List.of()));
    }
}
