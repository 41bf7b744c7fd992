package dev.repsim.metrics.neighbours;

/**
 * CKNNA, centred kernel nearest-neighbour alignment (Huh et al. 2024), as platonic-rep's
 * {@code AlignmentMetrics.cknna} defines it with its defaults (unbiased, rows scaled to unit length as
 * its measure_alignment does): K and L the cosine kernels of X and Y; for a pair of kernels, the mask
 * M_ij = 1 when j is among the k nearest other rows of i under both; then
 * CKNNA = HSIC₁(M∘K, M∘L) / √(HSIC₁(M_K∘K, M_K∘K) · HSIC₁(M_L∘L, M_L∘L)), HSIC₁ the unbiased estimator
 * (Song et al. 2012) and M_K the mask of K with itself (its own k nearest). platonic-rep adds 10⁻⁶ to
 * the denominator; this does not, and says so when the denominator is not positive.
 *
 * <p>The masked kernels have k entries a row, so every term is O(n·k): with K̃ = M∘K,
 * Σ K̃∘L̃ᵀ runs over the pairs that are in each other's masks, 1ᵀK̃L̃1 = Σ_l (column sum l of K̃)(row sum l
 * of L̃). The mask is not symmetric, so neither is that term: like platonic-rep's, cknna(X, Y) can
 * differ from cknna(Y, X) in the last digits or more.
 */
public final class Cknna {
    private Cknna() {}

    public static double compute(NeighbourSets s) {
        if (s.k() < 2) throw new IllegalArgumentException("cknna needs --k >= 2 (platonic-rep's limit), got " + s.k());
        if (s.n() < 4) throw new IllegalArgumentException("cknna needs at least 4 samples, got " + s.n());
        double kl = hsic(s, s.x(), s.y(), true, false);
        double kk = hsic(s, s.x(), s.x(), true, true);
        double ll = hsic(s, s.y(), s.y(), false, false);
        if (!(kk * ll > 0)) {
            throw new IllegalArgumentException("cknna is undefined: the masked kernel HSIC of " + (kk > 0 ? "Y" : "X") + " with itself is "
                    + (kk > 0 ? ll : kk) + " (not positive)");
        }
        return kl / Math.sqrt(kk * ll);
    }

    /**
     * Unbiased HSIC of M∘K and M∘L with M = the rows in both lists a and b; K the cosines of X
     * (kFromX) or Y, L those of X (lFromX) or Y.
     */
    private static double hsic(NeighbourSets s, int[][] a, int[][] b, boolean kFromX, boolean lFromX) {
        int n = s.n();
        int[][] mask = new int[n][];
        int[] mark = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j : a[i]) mark[j] = 1;
            int c = 0;
            int[] both = new int[b[i].length];
            for (int j : b[i]) if (mark[j] == 1) both[c++] = j;
            for (int j : a[i]) mark[j] = 0;
            mask[i] = java.util.Arrays.copyOf(both, c);
        }
        double[] rowK = new double[n], colK = new double[n], rowL = new double[n];
        double cross = 0; // Σ_ij K̃_ij L̃_ji
        for (int i = 0; i < n; i++) {
            for (int j : mask[i]) {
                double kij = NeighbourSets.cosine(kFromX ? s.unitX() : s.unitY(), i, j);
                double lij = NeighbourSets.cosine(lFromX ? s.unitX() : s.unitY(), i, j);
                rowK[i] += kij;
                colK[j] += kij;
                rowL[i] += lij;
                if (contains(mask[j], i)) cross += kij * lij; // L̃_ji = L_ij when i is in j's mask
            }
        }
        double sumK = 0, sumL = 0, kl = 0;
        for (int i = 0; i < n; i++) {
            sumK += rowK[i];
            sumL += rowL[i];
            kl += colK[i] * rowL[i];
        }
        double m = n;
        return (cross + sumK * sumL / ((m - 1) * (m - 2)) - 2 * kl / (m - 2)) / (m * (m - 3));
    }

    private static boolean contains(int[] list, int v) {
        for (int j : list) if (j == v) return true;
        return false;
    }
}
