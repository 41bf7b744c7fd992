package dev.repsim.metrics.rsa;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.DistanceTiles;

/**
 * Distance correlation (Székely, Rizzo and Bakirov 2007), V-statistic: with a_ij = ‖x_i − x_j‖ and
 * A = a double-centred (A_ij = a_ij − ā_i· − ā_·j + ā_··), likewise B from Y,
 * V²(X,Y) = (1/n²) Σ_ij A_ij B_ij and dCor = √(V²(X,Y) / √(V²(X,X) V²(Y,Y))).
 *
 * <p>Two streamed passes over the distance tiles, never an n×n matrix: the first sums each row of a and
 * b (the means, a being symmetric), the second the products of the double-centred entries. Summing the
 * centred entries, rather than expanding Σ A B into Σ a b minus mean terms, avoids the cancellation
 * that makes the expansion lose digits when the distances vary little around a large mean.
 */
public final class DistanceCorrelation {
    private DistanceCorrelation() {}

    public static double compute(Matrix x, Matrix y, Backend backend) {
        return compute(x, y, backend, DistanceTiles.TILE);
    }

    /** With row blocks of {@code tile} rows (tests cover several blocks with small n). */
    public static double compute(Matrix x, Matrix y, Backend backend, int tile) {
        int n = x.rows();
        double[] rx = new double[n], ry = new double[n];
        PairTiles.paired(x, y, backend, tile, (dx, dy, i0, rows, j0, cols, diagonal) -> {
            for (int p = 0; p < rows; p++) {
                for (int q = diagonal ? p + 1 : 0, at = p * cols + q; q < cols; q++, at++) {
                    double a = Math.sqrt(dx[at]), b = Math.sqrt(dy[at]);
                    rx[i0 + p] += a;
                    rx[j0 + q] += a;
                    ry[i0 + p] += b;
                    ry[j0 + q] += b;
                }
            }
        });
        double tx = 0, ty = 0;
        for (int i = 0; i < n; i++) {
            tx += rx[i];
            ty += ry[i];
        }
        double gx = tx / ((double) n * n), gy = ty / ((double) n * n);
        for (int i = 0; i < n; i++) {
            rx[i] /= n;
            ry[i] /= n;
        }
        // Σ over all ordered pairs: each i < j stands for (i, j) and (j, i); the diagonal (a_ii = 0) once.
        double[] s = new double[3];
        PairTiles.paired(x, y, backend, tile, (dx, dy, i0, rows, j0, cols, diagonal) -> {
            double xy = 0, xx = 0, yy = 0;
            for (int p = 0; p < rows; p++) {
                double ax = gx - rx[i0 + p], ay = gy - ry[i0 + p];
                for (int q = diagonal ? p + 1 : 0, at = p * cols + q; q < cols; q++, at++) {
                    double a = Math.sqrt(dx[at]) + ax - rx[j0 + q], b = Math.sqrt(dy[at]) + ay - ry[j0 + q];
                    xy += a * b;
                    xx += a * a;
                    yy += b * b;
                }
            }
            s[0] += 2 * xy;
            s[1] += 2 * xx;
            s[2] += 2 * yy;
        });
        for (int i = 0; i < n; i++) {
            double a = gx - 2 * rx[i], b = gy - 2 * ry[i];
            s[0] += a * b;
            s[1] += a * a;
            s[2] += b * b;
        }
        if (!(s[1] > 0)) throw new IllegalArgumentException("distance-correlation is undefined: all rows of X are identical");
        if (!(s[2] > 0)) throw new IllegalArgumentException("distance-correlation is undefined: all rows of Y are identical");
        // V² ≥ 0 for the V-statistic; rounding can leave a tiny negative when X and Y are independent.
        return Math.sqrt(Math.max(0.0, s[0]) / Math.sqrt(s[1] * s[2]));
    }
}
