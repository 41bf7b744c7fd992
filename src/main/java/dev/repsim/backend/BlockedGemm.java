package dev.repsim.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cache-blocked, multi-threaded C = Â·B̂ after Goto &amp; van de Geijn (2008), "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 34(3): the loops over column panels (nc), the
 * reduction (kc) and row blocks (mc) surround a packed macro-kernel whose innermost step is the
 * register-tile micro-kernel of a {@link PackedKernel}.
 *
 * <p>Work is split between threads in one of two ways, both without barriers so that a thread slowed
 * by other processes only does less of the work:
 * <ul>
 *   <li><b>reduction split</b> (long K, e.g. XᵀY with many samples): threads take kc-deep slices of
 *   the reduction and accumulate into private copies of C, summed at the end;</li>
 *   <li><b>output tiles</b> (short K, e.g. Gram matrices XXᵀ): threads take disjoint tiles of C.</li>
 * </ul>
 * A symmetric product (AᵀA, AAᵀ) computes the register tiles touching the upper triangle only (half the
 * work, as a syrk) and mirrors it.
 */
final class BlockedGemm {
    private BlockedGemm() {}

    /** Below this many multiply-adds a product runs on the calling thread (thread hand-off would dominate). */
    static final long PARALLEL_MIN_FMA = 1L << 22;
    /** Largest total size (doubles) of the private C copies a reduction split may allocate. */
    static final long PRIVATE_C_MAX = 1L << 25;

    /**
     * Returns the row-major {@code m × n} product. With {@code symmetric}, Â·B̂ must be symmetric
     * (m == n, B̂ = Âᵀ) and only its upper triangle is computed before mirroring.
     */
    static double[] multiply(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool) {
        if (symmetric && m != n) throw new IllegalArgumentException("symmetric product must be square, got " + m + "x" + n);
        long size = (long) m * n;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("product of " + m + "x" + n + " does not fit in one Java array; multiply in row blocks");
        }
        double[] c = new double[(int) size];
        if (size == 0 || k == 0) return c;
        long fma = size * k / (symmetric ? 2 : 1);
        int threads = pool == null || fma < PARALLEL_MIN_FMA ? 1 : pool.getParallelism();
        int slices = (k + kernel.kc() - 1) / kernel.kc();
        if (threads > 1 && slices >= 2 * threads && size * (threads - 1) <= PRIVATE_C_MAX) {
            reductionSplit(kernel, c, m, n, k, symmetric, threads, pool);
        } else {
            outputTiles(kernel, c, m, n, k, symmetric, threads, pool);
        }
        if (symmetric) mirrorUpper(c, n);
        return c;
    }

    private static void reductionSplit(PackedKernel kernel, double[] c, int m, int n, int k, boolean symmetric,
                                       int threads, ForkJoinPool pool) {
        int kc = kernel.kc();
        int slices = (k + kc - 1) / kc;
        AtomicInteger next = new AtomicInteger();
        double[][] partial = new double[threads][];
        partial[0] = c;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            tasks.add(pool.submit(() -> {
                PackedKernel.Worker w = kernel.worker();
                for (int s; (s = next.getAndIncrement()) < slices; ) {
                    if (partial[id] == null) partial[id] = new double[c.length];
                    int k0 = s * kc;
                    block(kernel, w, partial[id], n, 0, m, 0, n, k0, Math.min(k, k0 + kc), symmetric);
                }
            }));
        }
        for (ForkJoinTask<?> t : tasks) t.join();
        for (int t = 1; t < threads; t++) {
            double[] p = partial[t];
            if (p == null) continue;
            for (int i = 0; i < c.length; i++) c[i] += p[i];
        }
    }

    private static void outputTiles(PackedKernel kernel, double[] c, int m, int n, int k, boolean symmetric,
                                    int threads, ForkJoinPool pool) {
        int mr = kernel.mr(), nr = kernel.nr();
        int wanted = 4 * threads;
        List<int[]> tiles = new ArrayList<>();
        if (symmetric) {
            // Square tiles so that row and column tile boundaries coincide; only tiles on or above the diagonal.
            int unit = lcm(mr, nr);
            int ts = roundUp(Math.min(n, 4 * kernel.mc()), unit);
            while (ts > unit && countUpper(n, ts) < wanted) ts = roundUp(ts / 2, unit);
            for (int i0 = 0; i0 < n; i0 += ts) {
                for (int j0 = i0; j0 < n; j0 += ts) tiles.add(new int[] {i0, Math.min(ts, n - i0), j0, Math.min(ts, n - j0)});
            }
        } else {
            int tm = roundUp(Math.min(m, 4 * kernel.mc()), mr);
            int tn = roundUp(Math.min(n, kernel.nc()), nr);
            while (tm > kernel.mc() && ceilDiv(m, tm) * (long) ceilDiv(n, tn) < wanted) tm = roundUp(tm / 2, mr);
            while (tn > 4 * nr && ceilDiv(m, tm) * (long) ceilDiv(n, tn) < wanted) tn = roundUp(tn / 2, nr);
            for (int i0 = 0; i0 < m; i0 += tm) {
                for (int j0 = 0; j0 < n; j0 += tn) tiles.add(new int[] {i0, Math.min(tm, m - i0), j0, Math.min(tn, n - j0)});
            }
        }
        Runnable work = tileWorker(kernel, c, n, k, symmetric, tiles, new AtomicInteger());
        if (threads == 1 || tiles.size() == 1) {
            work.run();
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < Math.min(threads, tiles.size()); t++) tasks.add(pool.submit(work));
        for (ForkJoinTask<?> t : tasks) t.join();
    }

    private static Runnable tileWorker(PackedKernel kernel, double[] c, int n, int k, boolean symmetric,
                                       List<int[]> tiles, AtomicInteger next) {
        return () -> {
            PackedKernel.Worker w = kernel.worker();
            for (int t; (t = next.getAndIncrement()) < tiles.size(); ) {
                int[] tile = tiles.get(t);
                boolean diagonal = symmetric && tile[0] == tile[2];
                for (int k0 = 0; k0 < k; k0 += kernel.kc()) {
                    block(kernel, w, c, n, tile[0], tile[1], tile[2], tile[3], k0, Math.min(k, k0 + kernel.kc()), diagonal);
                }
            }
        };
    }

    /** One reduction slice [k0, k1) of the rows [i0, i0+mb) × columns [j0, j0+nb) of C: pack and multiply. */
    private static void block(PackedKernel kernel, PackedKernel.Worker w, double[] c, int ldc,
                              int i0, int mb, int j0, int nb, int k0, int k1, boolean upperOnly) {
        int kc = k1 - k0;
        for (int jc = j0; jc < j0 + nb; jc += kernel.nc()) {
            int nc = Math.min(kernel.nc(), j0 + nb - jc);
            w.packRight(k0, kc, jc, nc);
            int rowEnd = upperOnly ? Math.min(i0 + mb, jc + nc) : i0 + mb; // later rows lie below the diagonal
            for (int lc = i0; lc < rowEnd; lc += kernel.packRows()) {
                int rows = Math.min(kernel.packRows(), rowEnd - lc);
                w.packLeft(lc, rows, k0, kc);
                for (int ic = lc; ic < lc + rows; ic += kernel.mc()) {
                    w.multiply(c, ldc, ic, Math.min(kernel.mc(), lc + rows - ic), jc, nc, kc, upperOnly);
                }
            }
        }
    }

    /** Copies the upper triangle onto the lower one, in cache-sized blocks. */
    static void mirrorUpper(double[] c, int n) {
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

    private static int countUpper(int n, int ts) {
        int b = ceilDiv(n, ts);
        return b * (b + 1) / 2;
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    private static int roundUp(int a, int unit) { return Math.max(unit, ceilDiv(a, unit) * unit); }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) { int t = x % y; x = y; y = t; }
        return a / x * b;
    }
}
