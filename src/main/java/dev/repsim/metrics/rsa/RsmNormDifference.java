package dev.repsim.metrics.rsa;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.DistanceTiles;

/**
 * ‖d_X − d_Y‖₂ over the vectors of Euclidean distances ‖x_i − x_j‖ of all pairs i &lt; j: the Frobenius
 * norm of the difference of the distance vectors (ReSi's spectral norm of the n×n matrices is not this).
 * One streamed pass over the distance tiles of X and Y.
 */
public final class RsmNormDifference {
    private RsmNormDifference() {}

    public static double compute(Matrix x, Matrix y, Backend backend) {
        return compute(x, y, backend, DistanceTiles.TILE);
    }

    /** With row blocks of {@code tile} rows (tests cover several blocks with small n). */
    public static double compute(Matrix x, Matrix y, Backend backend, int tile) {
        double[] sum = new double[1];
        PairTiles.paired(x, y, backend, tile, (dx, dy, i0, rows, j0, cols, diagonal) -> {
            double s = 0;
            for (int p = 0; p < rows; p++) {
                for (int q = diagonal ? p + 1 : 0, at = p * cols + q; q < cols; q++, at++) {
                    double e = Math.sqrt(dx[at]) - Math.sqrt(dy[at]);
                    s += e * e;
                }
            }
            sum[0] += s;
        });
        return Math.sqrt(sum[0]);
    }
}
