package dev.repsim.metrics.neighbours;

/**
 * Second-order cosine similarity (Hamilton et al. 2016, "Cultural shift or linguistic drift?", §3):
 * for each row i, the union U_i of its k nearest neighbours in X and in Y; the vectors
 * s_X(i) = (cos(x_i, x_j))_{j ∈ U_i} and s_Y(i) likewise; the measure is the mean over rows of
 * cos(s_X(i), s_Y(i)). As the paper defines it, the vectors hold cosine similarities (ReSi's version
 * puts cosine distances 1 − cos there, which changes the value).
 */
public final class SecondOrderCosine {
    private SecondOrderCosine() {}

    public static double compute(NeighbourSets s) {
        int n = s.n();
        int[] seen = new int[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double xy = 0, xx = 0, yy = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int j : pass == 0 ? s.x()[i] : s.y()[i]) {
                    if (seen[j] == i + 1) continue; // in both lists: once
                    seen[j] = i + 1;
                    double a = NeighbourSets.cosine(s.unitX(), i, j), b = NeighbourSets.cosine(s.unitY(), i, j);
                    xy += a * b;
                    xx += a * a;
                    yy += b * b;
                }
            }
            if (!(xx > 0) || !(yy > 0)) {
                throw new IllegalArgumentException("second-order-cosine is undefined for row " + i + ": it is orthogonal to all its neighbours in "
                        + (xx > 0 ? "Y" : "X") + " (a zero vector of similarities)");
            }
            sum += xy / Math.sqrt(xx * yy);
        }
        return sum / n;
    }
}
