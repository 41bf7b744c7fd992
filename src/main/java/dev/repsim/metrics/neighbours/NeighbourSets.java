package dev.repsim.metrics.neighbours;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.KnnShare;

/**
 * The k nearest other rows of every row of X and of Y by cosine similarity, nearest first, with the
 * unit rows for the cosines the measures weigh them by. The sets are {@link KnnShare#neighbours}: for
 * float64 rows exact and the same on every backend (ties to the lower index); float32 rows on a device
 * backend are ranked in the device's arithmetic. Cosines are float64 and canonical (one summation
 * order), so every measure built on these is the same bits on every backend for float64 input.
 */
public record NeighbourSets(int k, int[][] x, int[][] y, Matrix unitX, Matrix unitY) {

    public static NeighbourSets of(Matrix x, Matrix y, int k, Backend backend) {
        int n = x.rows();
        if (k < 1 || k >= n) throw new IllegalArgumentException("--k must be between 1 and n-1 = " + (n - 1) + ", got " + k);
        return new NeighbourSets(k, neighbours(x, k, backend, "X"), neighbours(y, k, backend, "Y"),
                KnnShare.unitRows(x.to(Precision.F64)), KnnShare.unitRows(y.to(Precision.F64)));
    }

    /** One side's sets; an error (a row of zeros has no cosine) says which side. */
    private static int[][] neighbours(Matrix z, int k, Backend backend, String side) {
        try {
            return KnnShare.neighbours(z, k, KnnShare.Distance.COSINE, backend);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(side + ": " + e.getMessage(), e);
        }
    }

    public int n() { return x.length; }

    /** cos(x_i, x_j) = 1 − ‖u_i − u_j‖²/2 of the unit rows, the distance in the canonical order. */
    static double cosine(Matrix unit, int i, int j) {
        int d = unit.cols();
        return 1 - 0.5 * FixedOrderSums.squaredDistance(unit.f64(), i * d, unit.f64(), j * d, d);
    }

    /** Number of rows in both of two neighbour lists, marking with a scratch array of n zeros (left zero). */
    static int common(int[] a, int[] b, int[] scratch) {
        for (int j : a) scratch[j] = 1;
        int c = 0;
        for (int j : b) c += scratch[j];
        for (int j : a) scratch[j] = 0;
        return c;
    }
}
