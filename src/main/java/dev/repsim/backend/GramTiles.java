package dev.repsim.backend;

import dev.repsim.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * The inner products x_i·x_j among the rows of one matrix X, one tile at a time: the source of passes
 * over all pairs of rows (the RBF kernel statistics) that never hold the n×n Gram matrix. Block I is
 * rows [I·t, min(n, (I+1)·t)) for the tile size t; tile (I, J), I ≤ J, holds x_i·x_j for the rows i of
 * block I and j of block J, row-major float64. On the diagonal (I = J) only the upper triangle (j ≥ i)
 * is defined: a symmetric product computes half the tile.
 *
 * <p>A tile is a view that stays valid until the next {@link #tile} or {@link #close}: a backend may
 * reuse one buffer, native or not, so that tiles are neither allocated nor copied out (at n = 4 000,
 * copying the blas tiles to new arrays and mirroring the diagonal ones took about a fifth of the time
 * of the Gram pass).
 */
public abstract class GramTiles implements AutoCloseable {
    /** The matrix whose rows are multiplied, after subtracting {@link #mean} (when not null). */
    protected final Matrix x;
    protected final double[] mean;
    private final int tile;

    protected GramTiles(Matrix x, double[] mean, int tile) {
        if (tile < 1) throw new IllegalArgumentException("tile must be >= 1, got " + tile);
        if (mean != null && mean.length != x.cols()) throw new IllegalArgumentException(mean.length + " means for " + x);
        this.x = x;
        this.mean = mean;
        this.tile = tile;
    }

    /** Tile (I, J) of X·Xᵀ, I ≤ J: rows of block I × rows of block J (for I = J, the upper triangle). */
    public final MemorySegment tile(int bi, int bj) {
        int blocks = (x.rows() + tile - 1) / tile;
        if (bi > bj || bi < 0 || bj >= blocks) {
            throw new IllegalArgumentException("tile (" + bi + ", " + bj + ") is not on or above the diagonal of " + blocks + " blocks");
        }
        int i0 = bi * tile, m = Math.min(tile, x.rows() - i0);
        if (bi == bj) return upper(i0, m);
        int j0 = bj * tile;
        return product(i0, m, j0, Math.min(tile, x.rows() - j0));
    }

    /** Rows [i0, i0+m) times their transpose, at least the upper triangle (m × m). */
    protected abstract MemorySegment upper(int i0, int m);

    /** Rows [i0, i0+m) times the transpose of rows [j0, j0+n) (m × n). */
    protected abstract MemorySegment product(int i0, int m, int j0, int n);

    @Override
    public void close() {}

    /** How {@link #of} multiplies two row blocks (already centred): A·Aᵀ (upper triangle at least) and A·Bᵀ. */
    interface BlockProducts {
        MemorySegment upper(Matrix a);

        MemorySegment product(Matrix a, Matrix b);
    }

    /**
     * Tiles from a backend's {@link Backend#multOuterUpper} and {@link Backend#multTransB} on row blocks
     * of X (copied, and centred, once on first use), each into a new array.
     */
    static GramTiles of(Backend backend, Matrix x, double[] mean, int tile) {
        return of(x, mean, tile, new BlockProducts() {
            @Override
            public MemorySegment upper(Matrix a) { return MemorySegment.ofArray(backend.multOuterUpper(a)); }

            @Override
            public MemorySegment product(Matrix a, Matrix b) { return MemorySegment.ofArray(backend.multTransB(a, b)); }
        });
    }

    /** Tiles of products of row blocks of X − 1μᵀ, each block copied (and centred) once, on first use. */
    static GramTiles of(Matrix x, double[] mean, int tile, BlockProducts products) {
        Matrix[] blocks = new Matrix[(x.rows() + tile - 1) / tile];
        return new GramTiles(x, mean, tile) {
            private Matrix block(int r0, int m) {
                int b = r0 / tile;
                if (blocks[b] == null) blocks[b] = mean == null ? x.rows(r0, r0 + m) : x.centeredRows(r0, r0 + m, mean);
                return blocks[b];
            }

            @Override
            protected MemorySegment upper(int i0, int m) { return products.upper(block(i0, m)); }

            @Override
            protected MemorySegment product(int i0, int m, int j0, int n) { return products.product(block(i0, m), block(j0, n)); }
        };
    }
}
