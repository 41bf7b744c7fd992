package dev.repsim.backend;

import dev.repsim.linalg.Matrix;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The inner products x_i·x_j among the rows of one matrix X, one tile at a time: the source of passes
 * over all pairs of rows (the RBF kernel statistics) that never hold the n×n Gram matrix. Block I is
 * rows [I·t, min(n, (I+1)·t)) for the tile size t; tile (I, J), I ≤ J, holds x_i·x_j for the rows i of
 * block I and j of block J, row-major float64. On the diagonal (I = J) only the upper triangle (j ≥ i)
 * is defined: a symmetric product computes half the tile.
 *
 * <p>A tile is a view that stays valid until the next {@link #tile} or {@link #close}: a backend may
 * reuse one buffer, native or not, so that tiles are neither allocated nor copied out (at n = 4 000 the
 * copies and allocations cost about a third as much as the products themselves).
 */
public abstract class GramTiles implements AutoCloseable {
    private final List<Matrix> blocks;

    /** Splits X into blocks of {@code tile} rows (copies, made once: backends cache them by identity). */
    protected GramTiles(Matrix x, int tile) {
        if (tile < 1) throw new IllegalArgumentException("tile must be >= 1, got " + tile);
        int count = (x.rows() + tile - 1) / tile;
        blocks = new ArrayList<>(count);
        for (int b = 0; b < count; b++) blocks.add(x.rows(b * tile, Math.min(x.rows(), (b + 1) * tile)));
    }

    /** Tile (I, J) of X·Xᵀ, I ≤ J: rows of block I × rows of block J (for I = J, the upper triangle). */
    public final MemorySegment tile(int bi, int bj) {
        if (bi > bj) throw new IllegalArgumentException("tiles lie on or above the diagonal, got (" + bi + ", " + bj + ")");
        Matrix a = blocks.get(bi);
        return bi == bj ? upper(a) : product(a, blocks.get(bj));
    }

    /** A·Aᵀ, at least its upper triangle. */
    protected abstract MemorySegment upper(Matrix a);

    /** A·Bᵀ. */
    protected abstract MemorySegment product(Matrix a, Matrix b);

    @Override
    public void close() {}

    /** Tiles from a backend's {@link Backend#multOuterUpper} and {@link Backend#multTransB} (new arrays). */
    static GramTiles of(Backend backend, Matrix x, int tile) {
        return new GramTiles(x, tile) {
            @Override
            protected MemorySegment upper(Matrix a) { return MemorySegment.ofArray(backend.multOuterUpper(a)); }

            @Override
            protected MemorySegment product(Matrix a, Matrix b) { return MemorySegment.ofArray(backend.multTransB(a, b)); }
        };
    }
}
