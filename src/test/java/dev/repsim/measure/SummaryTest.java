package dev.repsim.measure;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {

    @Test
    void medianCvAndCounts() {
        Samples s = new Samples(List.of(new double[] {1, 5}, new double[] {3, 2, 4}));
        Summary sum = Summary.of(s);
        assertEquals(3, sum.median());
        assertEquals(5, sum.count());
        assertEquals(2, sum.forks());
        // mean 3, sample sd sqrt(10/4)
        assertEquals(Math.sqrt(2.5) / 3, sum.cv(), 1e-12);
        assertEquals(2.5, Samples.of(1, 2, 3, 4).median());
    }

    @Test
    void oneForkHasNoInterval() {
        // however many iterations: they share one JVM's state, so they are not independent replicates
        Summary s = Summary.of(Samples.of(10, 12, 9, 14, 11, 13, 10.5, 9.5));
        assertEquals(10.75, s.median());
        assertFalse(s.hasInterval());
        assertTrue(Double.isNaN(Summary.of(Samples.of(7)).cv()));
    }

    /** exp(m ± t₀.₉₇₅,F−1 · s/√F) over the log fork medians, against Commons Math's t quantile. */
    @Test
    void intervalIsStudentTOnTheLogForkMedians() {
        Samples s = new Samples(List.of(new double[] {10, 9, 11}, new double[] {20, 20, 21}, new double[] {30, 29, 31, 30}));
        double[] l = {Math.log(10), Math.log(20), Math.log(30)};
        double m = (l[0] + l[1] + l[2]) / 3, sd = Math.sqrt(((l[0] - m) * (l[0] - m) + (l[1] - m) * (l[1] - m) + (l[2] - m) * (l[2] - m)) / 2);
        double half = new TDistribution(2).inverseCumulativeProbability(0.975) * sd / Math.sqrt(3);
        Summary sum = Summary.of(s);
        assertEquals(Math.exp(m - half), sum.ciLow(), 1e-3 * Math.exp(m - half));
        assertEquals(Math.exp(m + half), sum.ciHigh(), 1e-3 * Math.exp(m + half));
    }

    /** F forks whose levels differ (as on a cloud host) as well as their iterations: the interval covers about 95 %. */
    @Test
    void intervalCoversTheTrueCentreWhenForksDiffer() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int forks : new int[] {2, 3, 5}) {
            int covered = 0, trials = 600;
            for (int t = 0; t < trials; t++) {
                Summary s = Summary.of(forked(rnd, forks, 5, 100, 0.05, 0.03));
                if (s.ciLow() <= 100 && 100 <= s.ciHigh()) covered++;
            }
            assertTrue(covered >= 0.91 * trials && covered <= 0.985 * trials, forks + " forks: " + covered + " of " + trials);
        }
    }

    /** forks × perFork samples: each fork's level centre·e^(betweenSd·z), each sample that level·(1 + withinSd·z). */
    static Samples forked(SplittableRandom rnd, int forks, int perFork, double centre, double betweenSd, double withinSd) {
        List<double[]> out = new ArrayList<>();
        for (int f = 0; f < forks; f++) out.add(ComparisonTest.normal(rnd, perFork, centre * Math.exp(betweenSd * ComparisonTest.gaussian(rnd)), withinSd));
        return new Samples(out);
    }

    @Test
    void rejectsNonFiniteSamples() {
        assertThrows(IllegalArgumentException.class, () -> Samples.of(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Samples(List.of()));
    }
}
