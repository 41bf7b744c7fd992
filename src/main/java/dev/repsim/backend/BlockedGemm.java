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
 * <p>Work is split between threads in one of two ways, threads claiming pieces as they come free so
 * that a thread slowed by other processes only does less of the work:
 * <ul>
 *   <li><b>reduction split</b> (K long against M and N, {@link PackedKernel#splitDepthRatio}, e.g. XᵀY
 *   with many samples): threads take runs of kc-deep
 *   slices of the reduction, each run into its own partial C, added in run order at the end (so the
 *   result does not depend on which thread took which run);</li>
 *   <li><b>output split</b> (short K, e.g. Gram matrices XXᵀ): threads take disjoint parts of C. Where the
 *   whole packed B̂ is small ({@link #SHARED_RIGHT_MAX}) they first pack it once, together, and then take
 *   row strips that all read it ({@link #outputStrips}); otherwise tiles that each pack their own
 *   panels.</li>
 * </ul>
 * A symmetric product (AᵀA, AAᵀ) computes the register tiles touching the upper triangle only (half the
 * work, as a syrk) and mirrors it.
 *
 * <p>Threads accumulate into C in <em>tile layout</em>: the mr × nr register tiles of one column of
 * tiles lie one after another, so the successive tiles a macro-kernel updates are adjacent in memory and
 * are prefetched by the hardware (row-major C would put each tile's rows a whole row of C apart and
 * stall every micro-kernel call on cache misses; this measured up to half the rate). Partial tiles at
 * the edges are padded with zeros, so every register tile is full; only the valid part is copied out.
 * A float32 kernel's tile-layout C is float32 ({@link PackedKernel#narrowPartials}), added to a float64
 * one every {@link #NARROW_SLICES} slices.
 * Output splits store the last reduction slice of their full register tiles in row-major C directly
 * (one store per entry, where tile layout would need a store and a later copy).
 */
final class BlockedGemm {
    private BlockedGemm() {}

    /** Below this many multiply-adds a product runs on the calling thread (thread hand-off would dominate). */
    static final long PARALLEL_MIN_FMA = 1L << 22;
    /**
     * Whether an output tile's last reduction slice writes its full register tiles straight to row-major C
     * ({@link PackedKernel.Direct}) rather than back to tile layout for a final copy: that copy reads and
     * writes the whole of C once more, about a tenth of a float32 XYᵀ at K = 768 (Zen 5). The result is
     * the same bit for bit; {@code -Drepsim.gemm.lastSliceInTiles=true} keeps the copy, for A/B runs.
     */
    static final boolean LAST_SLICE_DIRECT = !Boolean.getBoolean("repsim.gemm.lastSliceInTiles");
    /** Largest total size (doubles) of the per-thread C accumulators a reduction split may allocate (256 MiB). */
    static final long PRIVATE_C_MAX = 1L << 25;
    /**
     * Whether output-split products share one packed B̂ between row strips ({@link #outputStrips}) where it
     * fits in {@link #SHARED_RIGHT_MAX}; {@code -Drepsim.gemm.tilesPackOwnRight=true} keeps tiles that
     * each pack their own operands, for A/B runs. The result is the same bit for bit.
     */
    static final boolean SHARED_RIGHT = !Boolean.getBoolean("repsim.gemm.tilesPackOwnRight");
    /**
     * Largest packed B̂, in values, that output strips share (16 MiB of float64, 8 of float32: the
     * strips read it from L3 once per strip). Wider products take tiles that pack their own panels.
     */
    static final long SHARED_RIGHT_MAX = 1L << 21;

    /**
     * Returns the row-major {@code m × n} product. With {@code symmetric}, Â·B̂ must be symmetric
     * (m == n, B̂ = Âᵀ) and only its upper triangle is computed before mirroring.
     */
    static double[] multiply(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool) {
        double[] c = product(kernel, m, n, k, symmetric, pool);
        if (symmetric) Symmetric.mirrorUpper(c, n);
        return c;
    }

    /** The row-major m × n product of the row-major float64 a (m × k) and b (k × n). */
    static double[] product(double[] a, double[] b, int m, int n, int k, ForkJoinPool pool) {
        return product(new DoublePackedKernel(a, k, PackedKernel.Layout.K_COLS, b, n, PackedKernel.Layout.K_ROWS), m, n, k, false, pool);
    }

    /**
     * The row-major {@code m × n} product; when {@code symmetric}, only its upper triangle (entries strictly
     * below the diagonal are unspecified, as in {@link #product(PackedKernel, int, int, int, boolean, ForkJoinPool, double[])}).
     */
    static double[] product(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool) {
        long padded = (long) ceilDiv(m, kernel.mr()) * kernel.mr() * ((long) ceilDiv(n, kernel.nr()) * kernel.nr());
        if (padded > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("product of " + m + "x" + n + " does not fit in one Java array; multiply in row blocks");
        }
        double[] c = new double[m * n];
        product(kernel, m, n, k, symmetric, pool, c);
        return c;
    }

    /**
     * The product into c[0 .. m·n), row-major, for callers that reuse one array: every entry is written,
     * except that, when {@code symmetric}, entries strictly below the diagonal are unspecified (stale,
     * zero, or values of register tiles that straddle the diagonal).
     */
    static void product(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool, double[] c) {
        product(kernel, m, n, k, symmetric, pool, c, LAST_SLICE_DIRECT);
    }

    /** As above, choosing whether output tiles write their last slice straight to C (tests compare both ways). */
    static void product(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool, double[] c,
                        boolean lastSliceDirect) {
        product(kernel, m, n, k, symmetric, pool, c, lastSliceDirect, SHARED_RIGHT);
    }

    /** As above, also choosing whether an output split may share one packed B̂ between strips (tests compare both ways). */
    static void product(PackedKernel kernel, int m, int n, int k, boolean symmetric, ForkJoinPool pool, double[] c,
                        boolean lastSliceDirect, boolean sharedRight) {
        if (symmetric && m != n) throw new IllegalArgumentException("symmetric product must be square, got " + m + "x" + n);
        long size = (long) m * n;
        if (size == 0) return;
        if (k == 0) {
            java.util.Arrays.fill(c, 0, (int) size, 0.0);
            return;
        }
        long fma = size * k / (symmetric ? 2 : 1);
        int threads = pool == null || fma < PARALLEL_MIN_FMA ? 1 : pool.getParallelism();
        if (splitsReduction(kernel, m, n, k, threads)) {
            reductionSplit(kernel, c, m, n, k, symmetric, threads, pool);
            return;
        }
        StripPlan strips = sharedRight ? StripPlan.of(kernel, m, n, k, symmetric, threads) : null;
        if (strips != null && strips.storeValues() <= SHARED_RIGHT_MAX) {
            outputStrips(kernel, strips, c, m, n, k, symmetric, threads, pool, lastSliceDirect);
        } else {
            outputTiles(kernel, c, m, n, k, symmetric, threads, pool, lastSliceDirect);
        }
    }

    /**
     * Whether an m × n product over k terms on {@code threads} threads splits the reduction (else the
     * output): K deep against the output ({@link PackedKernel#splitDepthRatio}), at least two runs of
     * slices per thread, and partial C arrays within {@link #PRIVATE_C_MAX}.
     */
    static boolean splitsReduction(PackedKernel kernel, int m, int n, int k, int threads) {
        long padded = (long) ceilDiv(m, kernel.mr()) * kernel.mr() * ((long) ceilDiv(n, kernel.nr()) * kernel.nr());
        int slices = ceilDiv(k, kernel.kc());
        return threads > 1 && k >= (long) kernel.splitDepthRatio() * Math.max(m, n) && slices >= 2 * threads
                && padded * threads <= PRIVATE_C_MAX;
    }

    /**
     * Slices of the reduction in {@code groups} contiguous runs, each run summed in slice order into its
     * own partial C, the partials then added in run order: threads claim whole runs as they come free
     * (a slowed core takes fewer), and the sum does not depend on which thread took which run, so the
     * result is the same on every call with the same thread count.
     */
    private static void reductionSplit(PackedKernel kernel, double[] c, int m, int n, int k, boolean symmetric,
                                       int threads, ForkJoinPool pool) {
        int kc = kernel.kc();
        int slices = (k + kc - 1) / kc;
        int tileRows = ceilDiv(m, kernel.mr());
        int size = tileRows * kernel.mr() * ceilDiv(n, kernel.nr()) * kernel.nr();
        int groups = (long) size * 2 * threads <= PRIVATE_C_MAX ? Math.min(slices, 2 * threads) : threads;
        AtomicInteger next = new AtomicInteger();
        double[][] partial = new double[groups][];
        float[][] partial32 = kernel.narrowPartials() ? new float[groups][] : null;
        onWorkers(pool, threads, () -> {
            PackedKernel.Worker w = kernel.worker(m, n, k);
            for (int g; (g = next.getAndIncrement()) < groups; ) {
                int first = (int) ((long) slices * g / groups), end = (int) ((long) slices * (g + 1) / groups);
                Accumulation run = Accumulation.of(kernel, end - first, false);
                double[] p = partial[g] = run.wide() ? new double[size] : null;
                float[] q = run.narrow() ? partial32[g] = new float[size] : null;
                for (int s = first; s < end; s++) {
                    int k0 = s * kc;
                    block(kernel, w, p, q, 0, 0, tileRows, 0, m, 0, n, k0, Math.min(k, k0 + kc), symmetric, null);
                    run.afterSlice(s - first, q, p, size);
                }
            }
        });
        // The partials' sum, copied out of tile layout in one pass that the threads share: at d = 2048 each
        // partial holds 32 MiB, and summing them, then unpacking, on the calling thread alone kept the other
        // cores idle for several passes over memory.
        AtomicInteger nextBand = new AtomicInteger();
        int bands = Math.min(tileRows, 4 * threads);
        onWorkers(pool, threads, () -> {
            for (int b; (b = nextBand.getAndIncrement()) < bands; ) {
                unpack(kernel, partial, partial32, 0, 0, tileRows, tileRows * b / bands, tileRows * (b + 1) / bands, m, n, symmetric, false, c, n);
            }
        });
    }

    /**
     * Slices that a float32 partial C sums ({@link PackedKernel#narrowPartials}) before it is added to its
     * run's float64 partial and cleared: each entry then sums at most this many float32 slice sums in
     * float32, so the error bound grows from kc·2⁻²⁴ of Σ|a||b| (one slice's float32 sum) to
     * (kc + NARROW_SLICES)·2⁻²⁴, whatever the depth of the product.
     */
    static final int NARROW_SLICES = 32;

    /**
     * How a sum of {@code slices} reduction slices (an output split's C region, or one run of the reduction
     * split) is held: in float64 ({@code wide}), or for a kernel with {@link PackedKernel#narrowPartials}
     * in float32 ({@code narrow}) plus, when there are more than {@link #NARROW_SLICES} slices, a float64
     * region that takes the float32 one every NARROW_SLICES slices. The last slice is stored straight to C
     * ({@code direct}) where asked, unless C is the sum of a float32 and a float64 region (that sum is
     * taken when tile layout is copied out).
     */
    private record Accumulation(boolean narrow, boolean wide, int slices, boolean direct) {
        static Accumulation of(PackedKernel kernel, int slices, boolean lastSliceDirect) {
            boolean narrow = kernel.narrowPartials(), wide = !narrow || slices > NARROW_SLICES;
            return new Accumulation(narrow, wide, slices, lastSliceDirect && !(narrow && wide));
        }

        void clear(double[] wideC, float[] narrowC, int used) {
            if (wideC != null) java.util.Arrays.fill(wideC, 0, used, 0.0);
            if (narrowC != null) java.util.Arrays.fill(narrowC, 0, used, 0f);
        }

        /** After slice s (from 0): a full float32 segment, unless it ends the sum, goes into the float64 region. */
        void afterSlice(int s, float[] narrowC, double[] wideC, int used) {
            if (narrow && wide && s % NARROW_SLICES == NARROW_SLICES - 1 && s < slices - 1) widen(narrowC, wideC, used);
        }
    }

    /** wide[0, size) += narrow[0, size), then narrow = 0: a float32 partial's segment of slices into the float64 partial. */
    private static void widen(float[] narrow, double[] wide, int size) {
        for (int x = 0; x < size; x++) {
            wide[x] += narrow[x];
            narrow[x] = 0;
        }
    }

    private static void outputTiles(PackedKernel kernel, double[] c, int m, int n, int k, boolean symmetric,
                                    int threads, ForkJoinPool pool, boolean lastSliceDirect) {
        int mr = kernel.mr(), nr = kernel.nr();
        int wanted = 4 * threads;
        List<int[]> tiles = new ArrayList<>();
        int tm, tn;
        if (symmetric) {
            // Square tiles so that row and column tile boundaries coincide; only tiles on or above the diagonal.
            int unit = lcm(mr, nr);
            int ts = roundUp(Math.min(n, 4 * kernel.mc()), unit);
            while (ts > unit && countUpper(n, ts) < wanted) ts = roundUp(ts / 2, unit);
            for (int i0 = 0; i0 < n; i0 += ts) {
                for (int j0 = i0; j0 < n; j0 += ts) tiles.add(new int[] {i0, Math.min(ts, n - i0), j0, Math.min(ts, n - j0)});
            }
            tm = tn = ts;
        } else {
            tm = roundUp(Math.min(m, kernel.packRows()), mr);
            tn = roundUp(Math.min(n, kernel.nc()), nr);
            // Halve the longer side first: every tile packs its own tm rows of Â and tn columns of B̂, so
            // near-square tiles pack the least (1024×1024 in 8 tiles: 260×512 packs 2/3 as much as 130×1024).
            while (ceilDiv(m, tm) * (long) ceilDiv(n, tn) < wanted) {
                boolean rows = tm > kernel.mc() && (tm >= tn || tn <= 4 * nr);
                if (rows) tm = roundUp(tm / 2, mr);
                else if (tn > 4 * nr) tn = roundUp(tn / 2, nr);
                else break;
            }
            for (int i0 = 0; i0 < m; i0 += tm) {
                for (int j0 = 0; j0 < n; j0 += tn) tiles.add(new int[] {i0, Math.min(tm, m - i0), j0, Math.min(tn, n - j0)});
            }
        }
        int tileM = Math.min(m, tm), tileN = Math.min(n, tn);
        int bufferSize = roundUp(tileM, mr) * roundUp(tileN, nr);
        Accumulation acc = Accumulation.of(kernel, ceilDiv(k, kernel.kc()), lastSliceDirect);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            PackedKernel.Worker w = kernel.worker(tileM, tileN, k);
            double[] buffer = acc.wide() ? new double[bufferSize] : null;
            float[] buffer32 = acc.narrow() ? new float[bufferSize] : null;
            for (int t; (t = next.getAndIncrement()) < tiles.size(); ) {
                int[] tile = tiles.get(t);
                int i0 = tile[0], mb = tile[1], j0 = tile[2], nb = tile[3];
                int tileRows = ceilDiv(mb, mr), used = tileRows * mr * ceilDiv(nb, nr) * nr;
                acc.clear(buffer, buffer32, used);
                boolean diagonal = symmetric && i0 == j0;
                PackedKernel.Direct direct = acc.direct() ? new PackedKernel.Direct(c, n, i0 + mb, j0 + nb) : null;
                for (int s = 0, k0 = 0; k0 < k; k0 += kernel.kc(), s++) {
                    int k1 = Math.min(k, k0 + kernel.kc());
                    block(kernel, w, buffer, buffer32, i0, j0, tileRows, i0, mb, j0, nb, k0, k1, diagonal, k1 == k ? direct : null);
                    acc.afterSlice(s, buffer32, buffer, used);
                }
                unpack(kernel, new double[][] {buffer}, acc.narrow() ? new float[][] {buffer32} : null, i0, j0, tileRows, 0, tileRows,
                        mb, nb, diagonal, direct != null, c, n);
            }
        };
        onWorkers(pool, Math.min(threads, tiles.size()), work);
    }

    /**
     * Row strips of C over one shared packed B̂ (an output split for products whose B̂ fits in
     * {@link #SHARED_RIGHT_MAX}). Output tiles pack, each, their rows of Â and their columns of B̂, so
     * with the eight or more tiles that keep two threads balanced, rows and columns of a 1024 × 1024 Gram
     * block were packed up to four times, and packing took a fifth to a quarter of the threads' time in
     * RBF CKA's Gram blocks (Zen 5, results/cpu-zen5-2c/extra/pack-cost/). Here the threads
     * first pack every (slice, column chunk) of B̂ once, into a store, and then take strips of at most
     * mc rows in turn (a slowed thread takes fewer), each packing its own rows of Â once per slice (or,
     * for a symmetric product, copying them out of the stored chunk that holds them) and multiplying them
     * with every stored chunk. A strip's C, at most mc rows of it in tile layout, stays in the cache
     * across the slices. Each entry of C receives the same slice sums in the same order as with tiles.
     */
    private static void outputStrips(PackedKernel kernel, StripPlan plan, double[] c, int m, int n, int k, boolean symmetric,
                                     int threads, ForkJoinPool pool, boolean lastSliceDirect) {
        int kc = kernel.kc(), mr = kernel.mr(), nr = kernel.nr();
        int ms = plan.stripRows(), cw = plan.chunkCols(), slices = plan.slices(), chunks = ceilDiv(n, cw);
        int strips = ceilDiv(m, ms), units = slices * chunks;
        PackedKernel.RightStore store = kernel.rightStore(units, k, cw);
        AtomicInteger nextUnit = new AtomicInteger();
        onWorkers(pool, Math.min(threads, units), () -> {
            PackedKernel.Worker w = kernel.worker(mr, cw, k);
            for (int u; (u = nextUnit.getAndIncrement()) < units; ) {
                int k0 = u / chunks * kc, j0 = u % chunks * cw;
                w.packRight(k0, Math.min(kc, k - k0), j0, Math.min(cw, n - j0), store, u);
            }
        });
        int bufferSize = ceilDiv(ms, mr) * mr * ceilDiv(n, nr) * nr;
        boolean copyLeft = symmetric && kernel.sameOperand();
        Accumulation acc = Accumulation.of(kernel, slices, lastSliceDirect);
        AtomicInteger nextStrip = new AtomicInteger();
        onWorkers(pool, Math.min(threads, strips), () -> {
            PackedKernel.Worker w = kernel.worker(ms, cw, k);
            double[] buffer = acc.wide() ? new double[bufferSize] : null;
            float[] buffer32 = acc.narrow() ? new float[bufferSize] : null;
            for (int t; (t = nextStrip.getAndIncrement()) < strips; ) {
                int i0 = t * ms, mb = Math.min(ms, m - i0);
                int first = symmetric ? i0 / cw : 0; // chunks wholly left of a symmetric strip's diagonal are not needed
                int c0 = first * cw, nb = n - c0, tileRows = ceilDiv(mb, mr), used = tileRows * mr * ceilDiv(nb, nr) * nr;
                acc.clear(buffer, buffer32, used);
                PackedKernel.Direct direct = acc.direct() ? new PackedKernel.Direct(c, n, i0 + mb, n) : null;
                for (int s = 0; s < slices; s++) {
                    int k0 = s * kc, depth = Math.min(kc, k - k0);
                    if (copyLeft) {
                        w.useRight(store, s * chunks + first); // chunk width = strip height: this chunk holds the strip's rows
                        w.packLeftFromRight(i0, mb, c0, depth);
                    } else {
                        w.packLeft(i0, mb, k0, depth);
                    }
                    for (int ch = first; ch < chunks; ch++) {
                        int j0 = ch * cw;
                        w.useRight(store, s * chunks + ch);
                        PackedKernel.Direct last = s == slices - 1 ? direct : null;
                        if (buffer32 != null) w.multiply(buffer32, i0, c0, tileRows, i0, mb, j0, Math.min(cw, n - j0), depth, symmetric, last);
                        else w.multiply(buffer, i0, c0, tileRows, i0, mb, j0, Math.min(cw, n - j0), depth, symmetric, last);
                    }
                    acc.afterSlice(s, buffer32, buffer, used);
                }
                unpack(kernel, new double[][] {buffer}, acc.narrow() ? new float[][] {buffer32} : null, i0, c0, tileRows, 0, tileRows,
                        mb, nb, symmetric, direct != null, c, n);
            }
        });
    }

    /**
     * The shape of {@link #outputStrips}: strips of stripRows rows (about four per thread, at most mc, a
     * multiple of mr), B̂ stored in chunks of chunkCols columns. For a symmetric product a chunk is as wide
     * as a strip is high, both a multiple of lcm(mr, nr), so that each strip's rows are one stored chunk;
     * otherwise chunks are cut so that packing them gives every thread at least two (slice, chunk) units.
     */
    record StripPlan(int stripRows, int chunkCols, int slices, long storeValues) {
        static StripPlan of(PackedKernel kernel, int m, int n, int k, boolean symmetric, int threads) {
            int mr = kernel.mr(), nr = kernel.nr(), slices = ceilDiv(k, kernel.kc());
            int rows, cols;
            if (symmetric) {
                int unit = lcm(mr, nr);
                rows = cols = Math.min(roundUp(ceilDiv(m, 4 * threads), unit), Math.max(unit, kernel.mc() / unit * unit));
            } else {
                rows = Math.min(roundUp(ceilDiv(m, 4 * threads), mr), Math.max(mr, kernel.mc() / mr * mr));
                cols = Math.min(roundUp(kernel.nc(), nr), roundUp(ceilDiv(n, ceilDiv(2 * threads, slices)), nr));
            }
            // Every (slice, chunk) slot at full depth and width, as PackedKernel.rightStore allocates it.
            long store = (long) slices * ceilDiv(n, cols) * Math.min(kernel.kc(), k) * cols;
            return new StripPlan(rows, cols, slices, store);
        }
    }

    /** Runs {@code copies} copies of {@code work} on the pool and waits for all of them (a single copy runs on the caller). */
    private static void onWorkers(ForkJoinPool pool, int copies, Runnable work) {
        if (copies == 1) {
            work.run();
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(copies);
        for (int t = 0; t < copies; t++) tasks.add(pool.submit(work));
        for (ForkJoinTask<?> t : tasks) t.join();
    }

    /**
     * One reduction slice [k0, k1) of the rows [i0, i0+mb) × columns [j0, j0+nb) of C, held in tile layout
     * in {@code buf} (region origin r0, c0; tileRows tiles per tile column): pack and multiply. Where
     * {@code buf32} is given, the slice goes into it (a float32 C) and {@code buf} is not touched.
     */
    private static void block(PackedKernel kernel, PackedKernel.Worker w, double[] buf, float[] buf32, int r0, int c0, int tileRows,
                              int i0, int mb, int j0, int nb, int k0, int k1, boolean upperOnly, PackedKernel.Direct direct) {
        int kc = k1 - k0;
        for (int jc = j0; jc < j0 + nb; jc += kernel.nc()) {
            int nc = Math.min(kernel.nc(), j0 + nb - jc);
            w.packRight(k0, kc, jc, nc);
            int rowEnd = upperOnly ? Math.min(i0 + mb, jc + nc) : i0 + mb; // later rows lie below the diagonal
            for (int lc = i0; lc < rowEnd; lc += kernel.packRows()) {
                int rows = Math.min(kernel.packRows(), rowEnd - lc);
                if (kernel.sameOperand() && lc >= jc && lc + rows <= jc + nc) w.packLeftFromRight(lc, rows, jc, kc);
                else w.packLeft(lc, rows, k0, kc);
                for (int ic = lc; ic < lc + rows; ic += kernel.mc()) {
                    int mc = Math.min(kernel.mc(), lc + rows - ic);
                    if (buf32 != null) w.multiply(buf32, r0, c0, tileRows, ic, mc, jc, nc, kc, upperOnly, direct);
                    else w.multiply(buf, r0, c0, tileRows, ic, mc, jc, nc, kc, upperOnly, direct);
                }
            }
        }
    }

    /**
     * Copies the valid part of the tile rows [ti0, ti1) of a tile-layout region (origin r0, c0; mb × nb)
     * into row-major C. With several sources each entry of C is their sum in source order,
     * ((s₀ + s₁) + s₂) + …, whichever tile rows a call covers, so splitting the rows between threads does
     * not change a bit. With float32 sources ({@code narrow}, else null), source g is wide[g] + narrow[g],
     * or narrow[g] alone where wide[g] is null. Eight tile columns are copied together, so that each row
     * of C receives a contiguous stretch (8·nr values) while the source streams advance in order. With
     * {@code upperOnly}, register tiles wholly below the diagonal of C, which the macro-kernel skipped,
     * are not copied either (about half of the reads and writes of a symmetric product's pass). With
     * {@code edgesOnly}, only the partial tiles at the region's last tile row and column are copied: the
     * full ones were written to C directly ({@link PackedKernel.Direct}).
     */
    private static void unpack(PackedKernel kernel, double[][] sources, float[][] narrow, int r0, int c0, int tileRows, int ti0, int ti1,
                               int mb, int nb, boolean upperOnly, boolean edgesOnly, double[] c, int ldc) {
        final int group = 8;
        int mr = kernel.mr(), nr = kernel.nr();
        int tileCols = ceilDiv(nb, nr);
        for (int tg = 0; tg < tileCols; tg += group) {
            int tgEnd = Math.min(tileCols, tg + group);
            for (int ti = ti0; ti < ti1; ti++) {
                int rows = Math.min(mr, mb - ti * mr);
                for (int r = 0; r < rows; r++) {
                    int dst = (r0 + ti * mr + r) * ldc + c0;
                    for (int tj = tg; tj < tgEnd; tj++) {
                        if (upperOnly && c0 + (tj + 1) * nr <= r0 + ti * mr) continue;
                        if (edgesOnly && (ti + 1) * mr <= mb && (tj + 1) * nr <= nb) continue;
                        int src = (tj * tileRows + ti) * mr * nr + r * nr;
                        int d = dst + tj * nr;
                        int cols = Math.min(nr, nb - tj * nr);
                        for (int s = 0; s < sources.length; s++) {
                            double[] wide = sources[s];
                            float[] more = narrow == null ? null : narrow[s];
                            if (s == 0) {
                                if (more == null) for (int x = 0; x < cols; x++) c[d + x] = wide[src + x];
                                else if (wide == null) for (int x = 0; x < cols; x++) c[d + x] = more[src + x];
                                else for (int x = 0; x < cols; x++) c[d + x] = wide[src + x] + more[src + x];
                            } else {
                                if (more == null) for (int x = 0; x < cols; x++) c[d + x] += wide[src + x];
                                else if (wide == null) for (int x = 0; x < cols; x++) c[d + x] += more[src + x];
                                else for (int x = 0; x < cols; x++) c[d + x] += wide[src + x] + more[src + x];
                            }
                        }
                    }
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
