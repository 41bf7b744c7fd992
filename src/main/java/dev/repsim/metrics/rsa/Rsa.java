package dev.repsim.metrics.rsa;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.DistanceTiles;

/**
 * Representational similarity analysis (Kriegeskorte et al. 2008): Spearman's ρ between the upper
 * triangles (i &lt; j) of the RDMs of X and Y, each the correlation distance 1 − corr(x_i, x_j) between
 * rows (repsim's default; rsatoolbox's own default is the Euclidean RDM) or, with {@link Rdm#EUCLIDEAN}, the Euclidean distance.
 *
 * <p>Both RDMs are ranks of squared Euclidean distances: of the rows for Euclidean, of the rows
 * centred across features and scaled to unit length for correlation (1 − corr = ‖u_i − u_j‖²/2).
 * Float64 RDMs are the canonical direct-form distances ({@link FixedOrderSums}) on every backend, so
 * the ranks, ties included, and ρ are the same bits on every backend and machine; float32 RDMs come
 * from the backend's distance tiles (the device's arithmetic). ρ itself is exact up to its last
 * roundings ({@link PairSpearman}).
 *
 * <p>Limit: exact ranks need every one of the n(n−1)/2 values of both RDMs at once (24 bytes a pair),
 * so rsa holds them in memory and refuses, saying so, when n(n−1)/2 exceeds a Java array
 * (n &gt; 65 536) or the free heap; it never samples or approximates.
 */
public final class Rsa {
    /** Largest n whose n(n−1)/2 pairs fit one Java array. */
    public static final int MAX_ROWS = 65_536;

    private Rsa() {}

    public static double compute(Matrix x, Matrix y, Rdm rdm, Backend backend) {
        return compute(x, y, rdm, backend, DistanceTiles.TILE);
    }

    /** With row blocks of {@code tile} rows (tests cover several blocks with small n). */
    public static double compute(Matrix x, Matrix y, Rdm rdm, Backend backend, int tile) {
        int n = x.rows();
        long pairs = (long) n * (n - 1) / 2;
        if (n > MAX_ROWS) {
            throw new IllegalArgumentException("rsa ranks all n(n-1)/2 pairs exactly in memory and supports n <= " + MAX_ROWS
                    + ", got n=" + n + "; compare a subset of the samples");
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (24 * pairs > free) {
            throw new IllegalArgumentException("rsa ranks all " + pairs + " pairs exactly in memory: it needs "
                    + (24 * pairs >> 20) + " MiB, " + (free >> 20) + " MiB of heap are free; raise -Xmx (REPSIM_JAVA_OPTS) or compare fewer samples");
        }
        double[] dx = dissimilarities(rows(x, rdm, "X"), backend, tile, (int) pairs);
        double[] dy = dissimilarities(rows(y, rdm, "Y"), backend, tile, (int) pairs);
        return PairSpearman.rho(dx, dy);
    }

    /** Rows whose squared Euclidean distances rank like the RDM's entries, in the input's precision. */
    static Matrix rows(Matrix m, Rdm rdm, String side) {
        if (rdm == Rdm.EUCLIDEAN) return m;
        int n = m.rows(), d = m.cols();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int c = 0; c < d; c++) mean += m.get(i, c);
            mean /= d;
            for (int c = 0; c < d; c++) out[i * d + c] = m.get(i, c) - mean;
            double s = FixedOrderSums.squaredNorm(out, i * d, d);
            if (!(s > 0)) {
                throw new IllegalArgumentException("rsa: row " + i + " of " + side + " is constant, so its correlation distance to"
                        + " other rows is undefined (use --rdm euclidean, or drop the row)");
            }
            double f = 1.0 / Math.sqrt(s);
            for (int c = 0; c < d; c++) out[i * d + c] *= f;
        }
        return Matrix.of(n, d, out).to(m.precision());
    }

    /** The squared distances of all pairs i &lt; j, pair (i, j) at i·n − i(i+1)/2 + j − i − 1. */
    private static double[] dissimilarities(Matrix z, Backend backend, int tile, int pairs) {
        int n = z.rows(), d = z.cols();
        double[] out = new double[pairs];
        if (z.precision() == Precision.F64) {
            double[] v = z.f64();
            for (int i = 0, at = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) out[at++] = FixedOrderSums.squaredDistance(v, i * d, v, j * d, d);
            }
            return out;
        }
        PairTiles.each(z, backend, tile, (t, i0, rows, j0, cols, diagonal) -> {
            for (int p = 0; p < rows; p++) {
                long i = i0 + p;
                for (int q = diagonal ? p + 1 : 0; q < cols; q++) {
                    long j = j0 + q;
                    out[(int) (i * n - i * (i + 1) / 2 + j - i - 1)] = t[p * cols + q];
                }
            }
        });
        return out;
    }
}
