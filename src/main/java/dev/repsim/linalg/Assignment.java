package dev.repsim.linalg;

import java.util.Arrays;

/**
 * Optimal one-to-one assignment on a dense square weight matrix (the linear assignment problem):
 * the Hungarian method in its shortest-augmenting-path form with row and column potentials
 * (Kuhn 1955; Jonker &amp; Volgenant 1987), O(d³) time and O(d) extra memory. Written here because
 * the libraries on Maven Central that solve it (JGraphT's Kuhn–Munkres) work on graph objects, about
 * d² edge objects for a dense d×d matrix.
 */
public final class Assignment {
    private Assignment() {}

    /**
     * The permutation π maximising Σᵢ w[i][π(i)] for a d×d row-major matrix of finite weights;
     * {@code result[i]} is the column assigned to row i.
     */
    public static int[] maximize(double[] w, int d) {
        if (d < 1 || w.length != (long) d * d) throw new IllegalArgumentException("assignment needs a d×d matrix, d ≥ 1; got " + w.length + " values for d=" + d);
        double[] cost = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(w[i])) throw new IllegalArgumentException("assignment weight (" + i / d + ", " + i % d + ") is " + w[i]);
            cost[i] = -w[i];
        }
        return minimize(cost, d);
    }

    /** The permutation minimising Σᵢ c[i][π(i)] (finite costs; see {@link #maximize}). */
    static int[] minimize(double[] c, int d) {
        // 1-based internally: column 0 is the virtual start of each augmenting path.
        double[] u = new double[d + 1], v = new double[d + 1], minv = new double[d + 1];
        int[] rowOf = new int[d + 1], way = new int[d + 1];
        boolean[] used = new boolean[d + 1];
        for (int i = 1; i <= d; i++) {
            rowOf[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                // Grow the alternating tree by the column with the smallest reduced cost.
                used[j0] = true;
                int i0 = rowOf[j0], j1 = -1;
                double delta = Double.POSITIVE_INFINITY;
                int base = (i0 - 1) * d - 1;
                for (int j = 1; j <= d; j++) {
                    if (used[j]) continue;
                    double cur = c[base + j] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= d; j++) {
                    if (used[j]) {
                        u[rowOf[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOf[j0] != 0);
            // Augment: flip the matched edges along the path back to the start.
            do {
                int j1 = way[j0];
                rowOf[j0] = rowOf[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] colOf = new int[d];
        for (int j = 1; j <= d; j++) colOf[rowOf[j] - 1] = j - 1;
        return colOf;
    }
}
