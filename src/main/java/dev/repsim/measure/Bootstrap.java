package dev.repsim.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded percentile bootstrap of medians: the same seed gives the same intervals, so a report regenerated
 * from the same files does not change. Resamples whole forks when the samples are grouped by fork (the
 * spread between forks is usually larger than inside one), else single samples.
 */
final class Bootstrap {
    /** Resamples per interval: enough for stable 2.5/97.5 % percentiles (about 50 resamples beyond each). */
    static final int RESAMPLES = 2000;

    private final SplittableRandom random;
    private final int resamples;

    Bootstrap(long seed, int resamples) {
        if (resamples < 100) throw new IllegalArgumentException("too few resamples: " + resamples);
        this.random = new SplittableRandom(seed);
        this.resamples = resamples;
    }

    int resamples() {
        return resamples;
    }

    /** The median of one resample of s. */
    double resampledMedian(Samples s) {
        if (s.groupedByFork()) {
            int f = s.forkCount();
            double[][] picked = new double[f][];
            int total = 0;
            for (int i = 0; i < f; i++) {
                picked[i] = s.forks().get(random.nextInt(f));
                total += picked[i].length;
            }
            double[] v = new double[total];
            int k = 0;
            for (double[] p : picked) {
                System.arraycopy(p, 0, v, k, p.length);
                k += p.length;
            }
            return Samples.median(v);
        }
        double[] src = s.forks().get(0);
        double[] v = new double[src.length];
        for (int i = 0; i < v.length; i++) v[i] = src[random.nextInt(src.length)];
        return Samples.median(v);
    }

    /** The [2.5 %, 97.5 %] percentiles of the statistics (sorted in place). */
    static double[] interval95(double[] stats) {
        Arrays.sort(stats);
        return new double[] {percentile(stats, 0.025), percentile(stats, 0.975)};
    }

    /** Linear interpolation between order statistics of sorted values. */
    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
