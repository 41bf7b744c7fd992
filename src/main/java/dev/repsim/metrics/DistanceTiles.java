package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the upper block triangle (I ≤ J) of the n×n squared-distance matrix of the rows of X, one
 * tile at a time, so that O(n²) work needs only O(tile²) memory. The distance matrix is symmetric, so a
 * tile with I &lt; J stands for itself and its transpose; a diagonal tile (I = J) is complete.
 */
final class DistanceTiles {
    /** Rows per tile: 1024² doubles = 8 MiB per tile keeps BLAS efficient and memory small. */
    static final int TILE = 1024;

    private final List<Matrix> blocks;
    private final int[] starts;
    private final Backend backend;
    private final Matrix x;
    /** ‖x_i‖², computed on first use (only the Gram-tile consumers need them). */
    private double[] norms;

    DistanceTiles(Matrix x, Backend backend, int tile) {
        this.backend = backend;
        int n = x.rows();
        int count = (n + tile - 1) / tile;
        this.blocks = new ArrayList<>(count);
        this.starts = new int[count];
        this.x = x;
        for (int b = 0; b < count; b++) {
            starts[b] = b * tile;
            blocks.add(x.rows(b * tile, Math.min(n, (b + 1) * tile)));
        }
    }

    int blockCount() { return blocks.size(); }

    int start(int block) { return starts[block]; }

    int size(int block) { return blocks.get(block).rows(); }

    /**
     * Inner products between the rows of blocks I and J (rows of I × rows of J); for I = J a symmetric
     * product (half the work) whose diagonal is replaced by the squared norms, so that
     * ‖a‖² + ‖a‖² − 2·g is exactly 0 there.
     */
    double[] gram(int i, int j) {
        Matrix a = blocks.get(i);
        double[] g = backend.multTransB(a, i == j ? a : blocks.get(j));
        if (i == j) {
            int m = a.rows(), o = starts[i];
            double[] nn = norms();
            for (int r = 0; r < m; r++) g[r * m + r] = nn[o + r];
        }
        return g;
    }

    /** Squared row norms ‖x_i‖², for the distances ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j of {@link #gram} entries. */
    double[] norms() {
        if (norms == null) norms = dev.repsim.backend.RowNorms.squared(x);
        return norms;
    }

    /** Squared distances between the rows of blocks I and J (rows of I × rows of J). */
    double[] tile(int i, int j) {
        Matrix a = blocks.get(i);
        double[] d = backend.squaredDistances(a, i == j ? a : blocks.get(j));
        if (i == j) {
            // ‖a‖² + ‖a‖² − 2a·a rounds to a tiny non-zero; a point's distance to itself is exactly 0.
            int m = a.rows();
            for (int r = 0; r < m; r++) d[r * m + r] = 0.0;
        }
        return d;
    }

    /** Number of (I ≤ J) tiles, for progress. */
    long tileCount() {
        long b = blocks.size();
        return b * (b + 1) / 2;
    }
}
