package dev.repsim.metrics.rsa;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.DistanceTiles;
import dev.repsim.metrics.KnnShare;

/**
 * Every pair of rows i &lt; j once, as squared Euclidean distances from the backend's row-block tiles
 * ({@link DistanceTiles}, of the rows less their column means, so the expanded form loses little to
 * cancellation): the passes over all pairs that never hold an n×n matrix. Memory is O(n·d + tile²).
 *
 * <p>The expanded form ‖a‖² + ‖b‖² − 2a·b has an absolute error of up to E = {@link KnnShare#screenBound}
 * ·(‖a‖² + ‖b‖²), which the square root of a near-zero distance magnifies (√E for a duplicated row).
 * For float64 rows every entry below {@link #REFINE}·E, whose square root could be off by more than
 * 2⁻³¹ relative, is replaced by the direct form Σ(a_c − b_c)² (canonical order); those are the
 * near-duplicate pairs only. Float32 rows get the same treatment below {@link #REFINE_F32}.
 */
public final class PairTiles {
    /** Float64 entries closer to 0 than this many error bounds are recomputed in the direct form. */
    static final double REFINE = 0x1p30;
    /**
     * Float32 entries below this share of ‖a‖² + ‖b‖² (distances within about 9 % of the rows' scale) are
     * recomputed in float64 from the float32 rows: the rigorous float32 bound would cover nearly every
     * pair, while the typical error, √d·2⁻²⁴ of the norms, matters only for the near pairs.
     */
    static final double REFINE_F32 = 0x1p-8;

    private PairTiles() {}

    /** The squared distances of one tile, row-major (rows of block I × rows of block J). */
    public interface One {
        void tile(double[] d, int i0, int rows, int j0, int cols, boolean diagonal);
    }

    /** The same tile of X's and Y's squared distances. */
    public interface Two {
        void tile(double[] dx, double[] dy, int i0, int rows, int j0, int cols, boolean diagonal);
    }

    /** Visits the upper block triangle of X's tiles; on a diagonal tile only q &gt; p is a pair i &lt; j. */
    public static void each(Matrix x, Backend backend, int tile, One visit) {
        try (DistanceTiles t = new DistanceTiles(x, x.columnMeans(), backend, tile)) {
            for (int i = 0; i < t.blockCount(); i++) {
                for (int j = i; j < t.blockCount(); j++) {
                    visit.tile(refined(t, x, i, j), t.start(i), t.size(i), t.start(j), t.size(j), i == j);
                }
            }
        }
    }

    /** {@link #each} over X and Y in lock step (same rows, widths may differ). */
    public static void paired(Matrix x, Matrix y, Backend backend, int tile, Two visit) {
        try (DistanceTiles tx = new DistanceTiles(x, x.columnMeans(), backend, tile);
             DistanceTiles ty = new DistanceTiles(y, y.columnMeans(), backend, tile)) {
            for (int i = 0; i < tx.blockCount(); i++) {
                for (int j = i; j < tx.blockCount(); j++) {
                    visit.tile(refined(tx, x, i, j), refined(ty, y, i, j), tx.start(i), tx.size(i), tx.start(j), tx.size(j), i == j);
                }
            }
        }
    }

    /** Tile (I, J) with its near-zero entries in the direct form. */
    private static double[] refined(DistanceTiles t, Matrix x, int bi, int bj) {
        double[] d = t.tile(bi, bj);
        double[] norms = t.norms();
        boolean f64 = x.precision() == Precision.F64;
        int dim = x.cols(), i0 = t.start(bi), rows = t.size(bi), j0 = t.start(bj), cols = t.size(bj);
        double limit = f64 ? REFINE * KnnShare.screenBound(dim) : REFINE_F32;
        for (int p = 0; p < rows; p++) {
            int a = i0 + p;
            for (int q = bi == bj ? p + 1 : 0, at = p * cols + q; q < cols; q++, at++) {
                int b = j0 + q;
                if (d[at] < limit * (norms[a] + norms[b])) {
                    d[at] = f64 ? FixedOrderSums.squaredDistance(x.f64(), a * dim, x.f64(), b * dim, dim) : direct(x.f32(), a * dim, b * dim, dim);
                }
            }
        }
        return d;
    }

    /** Σ(a_c − b_c)² of float32 rows, in float64. */
    private static double direct(float[] v, int a, int b, int dim) {
        double s = 0;
        for (int c = 0; c < dim; c++) {
            double e = (double) v[a + c] - v[b + c];
            s += e * e;
        }
        return s;
    }
}
