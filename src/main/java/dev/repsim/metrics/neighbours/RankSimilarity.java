package dev.repsim.metrics.neighbours;

/**
 * Rank similarity (Wang et al. 2022, as ReSi implements it): for each row, over the neighbours j in
 * both k-nearest lists, with r_X(j) and r_Y(j) their ranks (1 = nearest),
 * Σ_j 2 / ((1 + |r_X(j) − r_Y(j)|)(r_X(j) + r_Y(j))), divided by its largest possible value for that
 * many common neighbours, Σ_{t=1}^{c} 1/t (all of them at ranks 1 … c in both); a row with no common
 * neighbour scores 0. The measure is the mean over rows, in [0, 1].
 */
public final class RankSimilarity {
    private RankSimilarity() {}

    public static double compute(NeighbourSets s) {
        int n = s.n(), k = s.k();
        int[] rankX = new int[n]; // rank in X's list of row i, 0 when absent
        double[] harmonic = new double[k + 1];
        for (int t = 1; t <= k; t++) harmonic[t] = harmonic[t - 1] + 1.0 / t;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int[] nx = s.x()[i], ny = s.y()[i];
            for (int r = 0; r < k; r++) rankX[nx[r]] = r + 1;
            double score = 0;
            int common = 0;
            for (int r = 0; r < k; r++) {
                int rx = rankX[ny[r]], ry = r + 1;
                if (rx == 0) continue;
                common++;
                score += 2.0 / ((1 + Math.abs(rx - ry)) * (double) (rx + ry));
            }
            if (common > 0) sum += score / harmonic[common];
            for (int j : nx) rankX[j] = 0;
        }
        return sum / n;
    }
}
