package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.GramTiles;
import dev.repsim.linalg.Matrix;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the upper block triangle (I ≤ J) of the n×n squared-distance matrix of the rows of X, one
 * tile at a time, so that O(n²) work needs only O(tile²) memory. The distance matrix is symmetric, so a
 * tile with I &lt; J stands for itself and its transpose; a diagonal tile (I = J) is complete. Close it
 * after a pass over {@link #gram} tiles (they may live in native memory).
 */
public final class DistanceTiles implements AutoCloseable {
    /** Rows per tile: 1024² doubles = 8 MiB per tile keeps BLAS efficient and memory small. */
    public static final int TILE = 1024;

    private final Backend backend;
    private final Matrix x;
    /** Subtracted from every row (null: none): the tiles are those of X − 1μᵀ, without a centred copy. */
    private final double[] mean;
    private final int tile;
    private final int count;
    /** Row blocks for {@link #tile}, and the Gram source for {@link #gram}: each made on first use. */
    private List<Matrix> blocks;
    private GramTiles grams;
    /** ‖x_i‖², computed on first use (only the Gram-tile consumers need them). */
    private double[] norms;

    public DistanceTiles(Matrix x, Backend backend, int tile) {
        this(x, null, backend, tile);
    }

    /** Tiles of the rows x_i − μ (as {@link Matrix#centered(double[])} holds them). */
    public DistanceTiles(Matrix x, double[] mean, Backend backend, int tile) {
        this.backend = backend;
        this.x = x;
        this.mean = mean;
        this.tile = tile;
        this.count = (x.rows() + tile - 1) / tile;
    }

    public int blockCount() { return count; }

    public int start(int block) { return block * tile; }

    public int size(int block) { return Math.min(tile, x.rows() - block * tile); }

    /**
     * Inner products between the rows of blocks I and J (rows of I × rows of J, row-major), a view valid
     * until the next call. For I = J only the upper triangle is defined (a symmetric product, half the
     * work), and its diagonal holds the squared norms, so that ‖a‖² + ‖a‖² − 2·g is exactly 0 there.
     */
    MemorySegment gram(int i, int j) {
        if (grams == null) grams = backend.gramTiles(x, mean, tile);
        MemorySegment g = grams.tile(i, j);
        if (i == j) {
            int m = size(i), o = start(i);
            double[] nn = norms();
            for (int r = 0; r < m; r++) g.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) r * m + r, nn[o + r]);
        }
        return g;
    }

    /**
     * The squared distances ‖a‖² + ‖b_c‖² − 2·g_c of a vector of {@link #gram} entries g (from index at)
     * and the columns' squared norms (from norms[no]), clamped at 0: rounding can make the expansion
     * slightly negative.
     */
    static DoubleVector distances(VectorSpecies<Double> s, MemorySegment g, long at, double[] norms, int no, double a) {
        DoubleVector gv = DoubleVector.fromMemorySegment(s, g, at * Double.BYTES, ByteOrder.nativeOrder());
        return DoubleVector.fromArray(s, norms, no).add(a).sub(gv.mul(2.0)).max(0.0);
    }

    /** One entry's {@link #distances}. */
    static double distance(MemorySegment g, long at, double[] norms, int no, double a) {
        return Math.max(0.0, a + norms[no] - 2.0 * g.getAtIndex(ValueLayout.JAVA_DOUBLE, at));
    }

    /** Squared row norms ‖x_i‖², for the distances ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j of {@link #gram} entries. */
    public double[] norms() {
        if (norms == null) norms = dev.repsim.backend.RowNorms.squared(x, mean);
        return norms;
    }

    /** Squared distances between the rows of blocks I and J (rows of I × rows of J). */
    public double[] tile(int i, int j) {
        if (blocks == null) {
            blocks = new ArrayList<>(count);
            for (int b = 0; b < count; b++) {
                int r0 = start(b), r1 = r0 + size(b);
                blocks.add(mean == null ? x.rows(r0, r1) : x.centeredRows(r0, r1, mean));
            }
        }
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
        long b = count;
        return b * (b + 1) / 2;
    }

    @Override
    public void close() {
        if (grams != null) grams.close();
        grams = null;
    }
}
