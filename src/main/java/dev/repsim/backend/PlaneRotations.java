package dev.repsim.backend;

/**
 * A sequence of plane rotations of the rows of a row-major matrix, recorded while an iterative solver
 * (implicit QL on a tridiagonal matrix, implicit QR on a bidiagonal one) runs on the small diagonals, and
 * applied in batches. Applying them one by one as they arise would sweep the whole matrix for every
 * rotation sequence; a batch is applied instead in strips of {@value #STRIP} columns, each strip taking
 * every rotation of the batch while it stays in the L2 cache. The divide-and-conquer solvers use it on their
 * leaves (up to 33 rows), where the recorded rotations are applied to an identity; it applied them to the
 * whole of Qᵀ, Uᵀ and Vᵀ before those solvers, in runs of strips split between threads.
 */
final class PlaneRotations {
    /** Columns per strip: 64 doubles of each of ~10³ rows, about 0.5 MiB, within a 1 MiB L2. */
    static final int STRIP = 64;
    /** Rotations per batch (24 B each). */
    private static final int BATCH = 1 << 17;

    private final double[] target;
    private final int width;
    private final int[] first;
    private final int[] second;
    private final double[] cos;
    private final double[] sin;
    private int count;

    /**
     * Rotations of the rows of {@code target} (rows of {@code width} values), applied in batches of at most
     * {@code batch}; with a null target, none (a solver asked for values only records nothing).
     */
    PlaneRotations(double[] target, int width, int batch) {
        this.target = target;
        this.width = width;
        int capacity = target == null ? 0 : Math.max(1, Math.min(batch, BATCH));
        this.first = new int[capacity];
        this.second = new int[capacity];
        this.cos = new double[capacity];
        this.sin = new double[capacity];
    }

    /** Records nothing: for a solver asked for values only. */
    static PlaneRotations none() {
        return new PlaneRotations(null, 0, 0);
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

    /** Applies the recorded rotations, in order, to the target, one strip of columns at a time. */
    void flush() {
        if (count == 0) return;
        applyStrips(0, (width + STRIP - 1) / STRIP);
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
