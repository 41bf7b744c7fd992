package dev.repsim.metrics.rsa;

import java.util.Arrays;

/**
 * Spearman's ρ of two equally long vectors of pair dissimilarities: the Pearson correlation of their
 * ranks, tied values sharing their average rank (as scipy.stats.spearmanr and rsatoolbox rank).
 *
 * <p>Exact: with N values, 2·rank − (N + 1) is the integer c = (below) + (below or equal) − N, so
 * Σ c_x c_y, Σ c_x² and Σ c_y² are sums of integers below N² &lt; 2⁶³, summed exactly in 128 bits
 * ({@link ExactSum}); ρ = Σ c_x c_y / √(Σ c_x² Σ c_y²) is then rounded only in its last three steps.
 * Ranks come from binary searches in a sorted copy: memory is the two vectors and one copy.
 */
final class PairSpearman {
    private PairSpearman() {}

    /** ρ of a and b; overwrites a. */
    static double rho(double[] a, double[] b) {
        int m = a.length;
        double[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int p = 0; p < m; p++) a[p] = centredRank(sorted, a[p]);
        System.arraycopy(b, 0, sorted, 0, m);
        Arrays.sort(sorted);
        ExactSum ab = new ExactSum(), aa = new ExactSum(), bb = new ExactSum();
        for (int p = 0; p < m; p++) {
            long ca = (long) a[p], cb = centredRank(sorted, b[p]);
            ab.add(ca * cb);
            aa.add(ca * ca);
            bb.add(cb * cb);
        }
        double sa = aa.value(), sb = bb.value();
        if (!(sa > 0) || !(sb > 0)) {
            throw new IllegalArgumentException("rsa is undefined: every pair of rows of " + (sa > 0 ? "Y" : "X")
                    + " has the same dissimilarity (Spearman's correlation of constant ranks)");
        }
        return ab.value() / Math.sqrt(sa * sb);
    }

    /** 2·(average rank of v) − (N + 1): the number of values below v plus those at or below v, less N. */
    static long centredRank(double[] sorted, double v) {
        return (long) firstAbove(sorted, v, false) + firstAbove(sorted, v, true) - sorted.length;
    }

    /** Index of the first value &gt; v (orEqual) or ≥ v, in {@link Double#compare} order (as Arrays.sort). */
    private static int firstAbove(double[] s, double v, boolean orEqual) {
        int lo = 0, hi = s.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Double.compare(s[mid], v);
            if (c < 0 || (orEqual && c == 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
