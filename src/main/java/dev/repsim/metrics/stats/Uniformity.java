package dev.repsim.metrics.stats;

import dev.repsim.backend.Backend;
import dev.repsim.backend.RowNorms;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.DistanceTiles;
import dev.repsim.metrics.KnnShare;
import dev.repsim.metrics.rsa.PairTiles;

/**
 * Uniformity (Wang and Isola 2020): log mean_{i&lt;j} exp(−2‖x̃_i − x̃_j‖²) of the rows scaled to unit
 * length, and the measure {@code uniformity-difference} = |uniformity(X) − uniformity(Y)|. One streamed
 * pass over the distance tiles of each side; on the unit sphere every term lies in [e⁻⁸, 1], so the
 * mean neither underflows nor loses the small terms.
 */
public final class Uniformity {
    private Uniformity() {}

    public static double difference(Matrix x, Matrix y, Backend backend) {
        return difference(x, y, backend, DistanceTiles.TILE);
    }

    /** With row blocks of {@code tile} rows (tests cover several blocks with small n). */
    public static double difference(Matrix x, Matrix y, Backend backend, int tile) {
        return Math.abs(of(x, backend, tile, "X") - of(y, backend, tile, "Y"));
    }

    /** The uniformity of the rows of z (at least two rows, none all zeros). */
    static double of(Matrix z, Backend backend, int tile, String side) {
        double[] norms = RowNorms.squared(z);
        for (int i = 0; i < norms.length; i++) {
            if (!(norms[i] > 0)) throw new IllegalArgumentException("uniformity-difference: row " + i + " of " + side + " is all zeros (it has no direction)");
        }
        Matrix unit = KnnShare.unitRows(z.to(Precision.F64)).to(z.precision());
        double[] sum = new double[1];
        PairTiles.each(unit, backend, tile, (d, i0, rows, j0, cols, diagonal) -> {
            double s = 0;
            for (int p = 0; p < rows; p++) {
                for (int q = diagonal ? p + 1 : 0, at = p * cols + q; q < cols; q++, at++) s += Math.exp(-2 * d[at]);
            }
            sum[0] += s;
        });
        long n = z.rows();
        return Math.log(sum[0] / (n * (n - 1) / 2));
    }
}
