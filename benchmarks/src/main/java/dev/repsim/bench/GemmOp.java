package dev.repsim.bench;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;

/**
 * The three products of {@link Backend}, as the metrics call them on an n × d pair X, Y. multTransB
 * is measured the way a row-blocked Gram or distance pass calls it (the issue forbids holding an
 * n × n matrix): a block of {@link #BLOCK_ROWS} rows of X against all of Y, a {@code BLOCK_ROWS × n}
 * result, so it runs at every n of the grid.
 */
public enum GemmOp {
    /** XᵀX, d × d: a syrk. */
    multInner,
    /** XᵀY, d × d: a GEMM. */
    multTransA,
    /** X[0:b]·Yᵀ, b × n with b = min(n, BLOCK_ROWS): a GEMM. */
    multTransB;

    public static final int BLOCK_ROWS = 1024;

    /** Rows of X that multTransB multiplies (the whole X for the other two). */
    public int leftRows(int n) {
        return this == multTransB ? Math.min(n, BLOCK_ROWS) : n;
    }

    /** Nominal flops of one call (see {@link NominalFlops}). */
    public double flops(int n, int d) {
        return switch (this) {
            case multInner -> NominalFlops.syrk(n, d);
            case multTransA -> NominalFlops.gemm(d, d, n);
            case multTransB -> NominalFlops.gemm(leftRows(n), n, d);
        };
    }

    /** Bytes of the float64 result one call returns. */
    public long resultBytes(int n, int d) {
        return this == multTransB ? 8L * leftRows(n) * n : 8L * d * d;
    }

    /** Runs the product; {@code left} is X, or its first rows for multTransB. */
    public double[] run(Backend backend, Matrix left, Matrix y) {
        return switch (this) {
            case multInner -> backend.multInner(left);
            case multTransA -> backend.multTransA(left, y);
            case multTransB -> backend.multTransB(left, y);
        };
    }
}
