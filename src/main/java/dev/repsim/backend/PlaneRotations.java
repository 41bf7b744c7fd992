package dev.repsim.backend;

import java.util.concurrent.ForkJoinPool;

/**
 * A sequence of plane rotations of the rows of a row-major matrix, recorded while an iterative solver
 * (implicit QL on a tridiagonal matrix, implicit QR on a bidiagonal one) runs on the small diagonals, and
 * applied in batches. Applying them one by one as they arise would sweep the whole matrix for every
 * rotation sequence; a batch is applied instead in strips of {@value #STRIP} columns, each strip taking
 * every rotation of the batch while it stays in the L2 cache. Strips are independent (each element goes
 * through the same rotations in the same order whichever thread takes its strip), so the result does not
 * depend on the thread count.
 */
final class PlaneRotations {
    /** Columns per strip: 64 doubles of each of ~10³ rows, about 0.5 MiB, within a 1 MiB L2. */
    static final int STRIP = 64;
    /** Rotations per batch (24 B each). */
    private static final int BATCH = 1 << 17;

    private final double[] target;
    private final int width;
    private final ForkJoinPool pool;
    private final int[] first;
    private final int[] second;
    private final double[] cos;
    private final double[] sin;
    private int count;

    /**
     * Rotations of the rows of {@code target} (rows of {@code width} values), or, with a null target,
     * none (a solver asked for values only records nothing).
     */
    PlaneRotations(double[] target, int width, ForkJoinPool pool) {
        this(target, width, pool, BATCH);
    }

    /** As above, applying them in batches of at most {@code batch} (a small matrix needs no 3 MiB buffer). */
    PlaneRotations(double[] target, int width, ForkJoinPool pool, int batch) {
        this.target = target;
        this.width = width;
        this.pool = pool;
        int capacity = target == null ? 0 : Math.max(1, Math.min(batch, BATCH));
        this.first = new int[capacity];
        this.second = new int[capacity];
        this.cos = new double[capacity];
        this.sin = new double[capacity];
    }

    /** Records (row i, row j) ← (c·row i − s·row j, s·row i + c·row j). */
    void add(int i, int j, double c, double s) {
        if (target == null) return;
        if (count == first.length) flush();
        first[count] = i;
        second[count] = j;
        cos[count] = c;
        sin[count] = s;
        count++;
    }

    /** Applies the recorded rotations, in order, to the target. */
    void flush() {
        if (count == 0) return;
        int strips = (width + STRIP - 1) / STRIP;
        long work = (long) count * width;
        int threads = Parts.threads(pool, work, strips);
        // One contiguous run of strips per thread. Handing strips out one at a time put neighbouring
        // strips on different cores at once; a strip's edge is a cache-line edge only by chance (arrays are
        // 8-byte aligned), so two cores wrote one line of every row in turn, and two threads ran no
        // faster than one (572 k rotations of a 768 × 768 Qᵀ). Now only the runs' meeting edges are shared.
        Parts.runs(pool, threads, strips, (t, s0, s1) -> applyStrips(s0, s1));
        count = 0;
    }

    private void applyStrips(int s0, int s1) {
        for (int s = s0; s < s1; s++) applyStrip(s * STRIP, Math.min(width, (s + 1) * STRIP));
    }

    /**
     * The batch on columns [c0, c1). A run of rotations that share a row from one to the next goes to
     * {@link RowKernels#rotateChain}, which keeps that row in registers: runs where each one's second row
     * is the previous one's first (a QL sweep: (i, i+1), (i−1, i), …) and runs where each one's first row
     * is the previous one's second (a bidiagonal QR sweep: (k, k+1), (k+1, k+2), …). The arithmetic per
     * element is the same as one rotation at a time.
     */
    private void applyStrip(int c0, int c1) {
        int n = c1 - c0;
        for (int r = 0; r < count; ) {
            int end = r + 1;
            while (end < count && second[end] == first[end - 1]) end++;
            if (end - r > 1) {
                RowKernels.rotateChain(target, width, c0, n, first, second[r], false, cos, sin, r, end);
                r = end;
                continue;
            }
            while (end < count && first[end] == second[end - 1]) end++;
            if (end - r > 1) RowKernels.rotateChain(target, width, c0, n, second, first[r], true, cos, sin, r, end);
            else RowKernels.rotate(target, first[r] * width + c0, second[r] * width + c0, n, cos[r], sin[r]);
            r = end;
        }
    }
}
