package dev.repsim.backend;

/** Completing (or trimming) symmetric results of which a product computed one triangle (syrk-style). */
public final class Symmetric {
    private Symmetric() {}

    /**
     * Copies the upper triangle of the row-major n×n {@code c} onto the lower one, in cache-sized blocks
     * (a plain column-wise copy misses the cache on every element once rows exceed it).
     */
    public static void mirrorUpper(double[] c, int n) {
        final int bs = 64;
        for (int ib = 0; ib < n; ib += bs) {
            for (int jb = 0; jb <= ib; jb += bs) {
                int iEnd = Math.min(n, ib + bs);
                for (int i = ib; i < iEnd; i++) {
                    int jEnd = Math.min(i, jb + bs);
                    for (int j = jb; j < jEnd; j++) c[i * n + j] = c[j * n + i];
                }
            }
        }
    }

    /**
     * Sets the strictly lower triangle of the row-major n×n {@code c} to zero: an upper-triangle result
     * whose producer may have written some entries below the diagonal (whole register tiles straddle it).
     */
    public static void clearLower(double[] c, int n) {
        for (int i = 1; i < n; i++) java.util.Arrays.fill(c, i * n, i * n + i, 0.0);
    }
}
