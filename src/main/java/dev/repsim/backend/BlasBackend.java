package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

/**
 * OpenBLAS (GEMM, SYRK) and its bundled LAPACK (dsyevd, dgesdd) through the bytedeco JavaCPP presets.
 * OpenBLAS picks its kernels for the CPU at load time and uses one thread per core. Not thread-safe:
 * one metric computation uses one backend from one thread.
 */
public final class BlasBackend implements Backend {
    /**
     * Environment variables that override the kernels OpenBLAS picks for the CPU (the project's machines
     * export OPENBLAS_CORETYPE=Haswell for the tests). Benchmark processes run without them.
     */
    public static final List<String> KERNEL_PINS = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private static volatile Boolean available;

    private BlasBackend(long cacheBytes) {
        this.cacheBytes = cacheBytes;
        this.buffers = new NativeBuffers(cacheBytes);
    }

    /** Loads the native library; an {@link IllegalStateException} says why when it cannot. */
    public static BlasBackend open() {
        return open(CACHE_BYTES);
    }

    /** {@link #open()} with an operand cache of {@code cacheBytes} (tests use a small one). */
    static BlasBackend open(long cacheBytes) {
        try {
            load();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IllegalStateException("--backend blas: OpenBLAS native library failed to load: " + e.getMessage(), e);
        }
        return new BlasBackend(cacheBytes);
    }

    /**
     * As {@link #open()}, with OpenBLAS set to {@code threads} threads per call. The setting is
     * process-wide (OpenBLAS has one): for JVMs whose callers all want the same count, such as a Spark
     * executor whose tasks each own {@code spark.task.cpus} cores.
     */
    public static BlasBackend open(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        BlasBackend b = open();
        OpenBlasThreads.set(threads);
        return b;
    }

    /** OpenBLAS's threads per call in this process (loads the library). */
    public static int threads() {
        open();
        return OpenBlasThreads.count();
    }

    private static void load() {
        OpenBlasThreads.sleepWhenIdle(); // before the library initialises: see OpenBlasThreads
        org.bytedeco.javacpp.Loader.load(openblas.class);
    }

    /** Whether the native library loads on this machine. */
    public static boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            try {
                load();
                a = Boolean.TRUE;
            } catch (Throwable t) {
                a = Boolean.FALSE;
            }
            available = a;
        }
        return a;
    }

    @Override
    public String name() { return "blas"; }

    @Override
    public String describe() {
        String v = openblas.OPENBLAS_VERSION.strip(); // e.g. "OpenBLAS 0.3.31"
        return (v.startsWith("OpenBLAS") ? v : "OpenBLAS " + v) + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    @Override
    public double[] multTransA(Matrix a, Matrix b) {
        requireSame(a, b, a.rows() == b.rows(), "rows");
        int n = a.rows(), p = a.cols(), q = b.cols();
        try (Operand pa = operand(a); Operand pb = operand(b)) {
            if (a.precision() == Precision.F64) {
                DoublePointer c = scratchF64((long) p * q);
                openblas.cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, q, n, 1.0, pa.f64(), p, pb.f64(), q, 0.0, c, q);
                return read(c, p * q);
            }
            FloatPointer c = scratchF32((long) p * q);
            openblas.cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, q, n, 1f, pa.f32(), p, pb.f32(), q, 0f, c, q);
            return read(c, p * q);
        }
    }

    @Override
    public double[] multInner(Matrix a) {
        int n = a.rows(), d = a.cols();
        double[] c;
        try (Operand pa = operand(a)) {
            if (a.precision() == Precision.F64) {
                DoublePointer out = scratchF64((long) d * d);
                openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, d, n, 1.0, pa.f64(), d, 0.0, out, d);
                c = read(out, d * d);
            } else {
                FloatPointer out = scratchF32((long) d * d);
                openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, d, n, 1f, pa.f32(), d, 0f, out, d);
                c = read(out, d * d);
            }
        }
        Symmetric.mirrorUpper(c, d);
        return c;
    }

    @Override
    public double[] multTransB(Matrix a, Matrix b) {
        requireSame(a, b, a.cols() == b.cols(), "columns");
        int m = a.rows(), n = b.rows(), d = a.cols();
        try (Operand pa = operand(a); Operand pb = a == b ? null : operand(b)) {
            if (a == b) {
                double[] c;
                if (a.precision() == Precision.F64) {
                    DoublePointer out = scratchF64((long) m * m);
                    openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1.0, pa.f64(), d, 0.0, out, m);
                    c = read(out, m * m);
                } else {
                    FloatPointer out = scratchF32((long) m * m);
                    openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1f, pa.f32(), d, 0f, out, m);
                    c = read(out, m * m);
                }
                Symmetric.mirrorUpper(c, m);
                return c;
            }
            if (a.precision() == Precision.F64) {
                DoublePointer out = scratchF64((long) m * n);
                openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1.0, pa.f64(), d, pb.f64(), d, 0.0, out, n);
                return read(out, m * n);
            }
            FloatPointer out = scratchF32((long) m * n);
            openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1f, pa.f32(), d, pb.f32(), d, 0f, out, n);
            return read(out, m * n);
        }
    }

    /**
     * Tiles written by dsyrk / dgemm into one native buffer per {@link GramTiles} and handed out as views
     * of it: no tile is copied to the heap. X is copied off-heap once, whole and centred on the way, when
     * it takes at most half the operand cache (the tiles' operands are then row offsets into that copy);
     * a larger X is copied block by block as the tiles need it (two blocks at a time), so native memory
     * stays O(tile·d). Float32 rows run ssyrk / sgemm and are widened into the float64 buffer.
     */
    @Override
    public GramTiles gramTiles(Matrix x, double[] mean, int tile) {
        long bytes = (long) x.rows() * x.cols() * (x.precision() == Precision.F64 ? Double.BYTES : Float.BYTES);
        return gramTiles(x, mean, tile, bytes <= cacheBytes / 2);
    }

    /** {@link #gramTiles(Matrix, double[], int)} with X copied off-heap whole or block by block (tests run both). */
    GramTiles gramTiles(Matrix x, double[] mean, int tile, boolean whole) {
        boolean f64 = x.precision() == Precision.F64;
        int d = x.cols();
        return new GramTiles(x, mean, tile) {
            /** All of X (whole), or one block per operand slot. */
            private final Pointer all = whole ? copy(0, x.rows(), null) : null;
            private final Pointer[] slot = new Pointer[2];
            private final int[] slotRow = {-1, -1};
            private DoublePointer out;
            private FloatPointer out32;

            /** Rows [r0, r0+m) of X off-heap, for operand slot s (0: the tile's rows, 1: its columns). */
            private Pointer rows(int r0, int m, int s) {
                if (all != null) return f64 ? ((DoublePointer) all).getPointer((long) r0 * d) : ((FloatPointer) all).getPointer((long) r0 * d);
                if (slotRow[s] != r0) {
                    slot[s] = copy(r0, m, slot[s]);
                    slotRow[s] = r0;
                }
                return slot[s];
            }

            /** Rows [r0, r0+m) of X − 1μᵀ into {@code into} (reused when large enough) or a new buffer. */
            private Pointer copy(int r0, int m, Pointer into) {
                long size = (long) m * d;
                if (f64) {
                    DoublePointer p = sized((DoublePointer) into, size, DoublePointer::new);
                    if (mean == null) return p.put(x.f64(), r0 * d, m * d);
                    double[] row = new double[d];
                    for (int r = 0; r < m; r++) {
                        x.centeredRow(r0 + r, 0, d, mean, row, 0);
                        p.position((long) r * d).put(row, 0, d);
                    }
                    return p.position(0);
                }
                FloatPointer p = sized((FloatPointer) into, size, FloatPointer::new);
                if (mean == null) return p.put(x.f32(), r0 * d, m * d);
                float[] row = new float[d];
                for (int r = 0; r < m; r++) {
                    x.centeredRow(r0 + r, 0, d, mean, row, 0);
                    p.position((long) r * d).put(row, 0, d);
                }
                return p.position(0);
            }

            private MemorySegment result(long size) {
                return MemorySegment.ofAddress(out.address()).reinterpret(size * Double.BYTES);
            }

            @Override
            protected MemorySegment upper(int i0, int m) {
                out = sized(out, (long) m * m, DoublePointer::new);
                Pointer a = rows(i0, m, 0);
                if (f64) {
                    openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1.0, (DoublePointer) a, d, 0.0, out, m);
                } else {
                    out32 = sized(out32, (long) m * m, FloatPointer::new);
                    openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1f, (FloatPointer) a, d, 0f, out32, m);
                    widen(out32, out, (long) m * m);
                }
                return result((long) m * m);
            }

            @Override
            protected MemorySegment product(int i0, int m, int j0, int n) {
                out = sized(out, (long) m * n, DoublePointer::new);
                Pointer a = rows(i0, m, 0), b = rows(j0, n, 1);
                if (f64) {
                    openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1.0, (DoublePointer) a, d, (DoublePointer) b, d, 0.0, out, n);
                } else {
                    out32 = sized(out32, (long) m * n, FloatPointer::new);
                    openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1f, (FloatPointer) a, d, (FloatPointer) b, d, 0f, out32, n);
                    widen(out32, out, (long) m * n);
                }
                return result((long) m * n);
            }

            @Override
            public void close() {
                for (Pointer p : new Pointer[] {all, slot[0], slot[1], out, out32}) {
                    if (p != null) p.close();
                }
                out = null;
                out32 = null;
            }
        };
    }

    /** to[0 .. size) = from[0 .. size) widened to float64, both native. */
    private static void widen(FloatPointer from, DoublePointer to, long size) {
        MemorySegment f = MemorySegment.ofAddress(from.address()).reinterpret(size * Float.BYTES);
        MemorySegment t = MemorySegment.ofAddress(to.address()).reinterpret(size * Double.BYTES);
        for (long i = 0; i < size; i++) t.setAtIndex(ValueLayout.JAVA_DOUBLE, i, f.getAtIndex(ValueLayout.JAVA_FLOAT, i));
    }

    /**
     * Writes Z = [Ā | B̄] once into an off-heap buffer (the copy JavaCPP needs anyway, centred on the way),
     * then forms the upper triangle of ZᵀZ, which holds ĀᵀĀ, B̄ᵀB̄ and ĀᵀB̄, reading Z in place. Large
     * products are split into parts of equal work, one per OpenBLAS thread (see {@link #inParts}).
     */
    @Override
    public synchronized CoMoments centeredCoMoments(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        return centeredCoMoments(a, meanA, b, meanB, partCount(a, b));
    }

    /** The norms summed over the upper triangle of ZᵀZ where it lies (no copies into blocks, no mirroring). */
    @Override
    public synchronized CoMomentNorms centeredCoMomentNorms(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        return centeredCoMomentNorms(a, meanA, b, meanB, partCount(a, b));
    }

    /** {@link #centeredCoMomentNorms(Matrix, double[], Matrix, double[])} in {@code parts} parts (tests force each path). */
    synchronized CoMomentNorms centeredCoMomentNorms(Matrix a, double[] meanA, Matrix b, double[] meanB, int parts) {
        CenteredColumns z = new CenteredColumns(a, meanA, b, meanB);
        return z.upperNorms(upperProduct(z, parts));
    }

    /** Parts for ZᵀZ with Z = [A | B]: one per OpenBLAS thread once the product is large enough. */
    private static int partCount(Matrix a, Matrix b) {
        int w = a.cols() + b.cols();
        long fma = (long) a.rows() * w * w / 2;
        int parts = fma < PARTS_MIN_FMA ? 1 : Math.min(OpenBlasThreads.count(), w / PART_MIN_WIDTH);
        return Math.max(parts, 1);
    }

    /**
     * Whether float32 ZᵀZ is split by operands ({@link UpperProductPlan}); {@code -Drepsim.blas.f32.columnPanels=true}
     * keeps column panels, for A/B runs on other CPUs (measured on the Zen 5 only so far).
     */
    static final boolean F32_BY_OPERANDS = !Boolean.getBoolean("repsim.blas.f32.columnPanels");

    /** Upper-triangle products of at least this many multiply-adds are split into parts. */
    static final long PARTS_MIN_FMA = 1L << 26;
    /** At most one part per this many columns of Z (more parts would make calls too narrow to pay for themselves). */
    static final int PART_MIN_WIDTH = 64;

    /** {@link #centeredCoMoments(Matrix, double[], Matrix, double[])} in {@code parts} parts (tests force each path). */
    synchronized CoMoments centeredCoMoments(Matrix a, double[] meanA, Matrix b, double[] meanB, int parts) {
        CenteredColumns z = new CenteredColumns(a, meanA, b, meanB);
        return z.split(upperProduct(z, parts));
    }

    /** The upper triangle of ZᵀZ, row-major (entries below the diagonal unspecified: scratch), in {@code parts} parts. */
    private double[] upperProduct(CenteredColumns z, int parts) {
        int n = z.rows(), w = z.width();
        double[] c;
        if (n == 0) {
            c = new double[w * w];
        } else if (z.precision() == Precision.F64) {
            DoublePointer zp = stackedF64((long) n * w);
            fill(z, zp.address(), parts);
            DoublePointer out = scratchF64((long) w * w);
            // Column panels: DSYRK keeps up with DGEMM here, unlike SSYRK below (see UpperProductPlan).
            inParts(UpperProductPlan.columnPanels(parts, w), b -> {
                if (b.diagonal()) {
                    openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, b.j1() - b.j0(), n, 1.0,
                            zp.getPointer(b.j0()), w, 0.0, out.getPointer((long) b.j0() * w + b.j0()), w);
                } else {
                    openblas.cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, b.i1() - b.i0(), b.j1() - b.j0(), n, 1.0,
                            zp.getPointer(b.i0()), w, zp.getPointer(b.j0()), w, 0.0, out.getPointer((long) b.i0() * w + b.j0()), w);
                }
            });
            c = read(out, w * w);
        } else {
            FloatPointer zp = stackedF32((long) n * w);
            fill(z, zp.address(), parts);
            FloatPointer out = scratchF32((long) w * w);
            inParts(F32_BY_OPERANDS ? UpperProductPlan.byOperands(parts, z.leftWidth(), w) : UpperProductPlan.columnPanels(parts, w), b -> {
                if (b.diagonal()) {
                    openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, b.j1() - b.j0(), n, 1f,
                            zp.getPointer(b.j0()), w, 0f, out.getPointer((long) b.j0() * w + b.j0()), w);
                } else {
                    openblas.cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, b.i1() - b.i0(), b.j1() - b.j0(), n, 1f,
                            zp.getPointer(b.i0()), w, zp.getPointer(b.j0()), w, 0f, out.getPointer((long) b.i0() * w + b.j0()), w);
                }
            });
            c = read(out, w * w);
        }
        return c;
    }

    /** Z's rows into native memory at {@code address} (n × w, row-major, Z's precision), {@code parts} row ranges in parallel. */
    private static void fill(CenteredColumns z, long address, int parts) {
        int n = z.rows(), w = z.width();
        boolean f64 = z.precision() == Precision.F64;
        MemorySegment to = MemorySegment.ofAddress(address).reinterpret((long) n * w * (f64 ? Double.BYTES : Float.BYTES));
        inParallel(parts, t -> {
            int r0 = (int) ((long) n * t / parts), r1 = (int) ((long) n * (t + 1) / parts);
            if (f64) {
                double[] row = new double[w];
                for (int k = r0; k < r1; k++) {
                    z.row(k, 0, w, row, 0);
                    MemorySegment.copy(row, 0, to, ValueLayout.JAVA_DOUBLE, (long) k * w * Double.BYTES, w);
                }
            } else {
                float[] row = new float[w];
                for (int k = r0; k < r1; k++) {
                    z.row(k, 0, w, row, 0);
                    MemorySegment.copy(row, 0, to, ValueLayout.JAVA_FLOAT, (long) k * w * Float.BYTES, w);
                }
            }
        });
    }

    /**
     * Runs each part's blocks ({@link UpperProductPlan}) on a thread of its own with OpenBLAS single-threaded.
     * Why not OpenBLAS's own threads: they split every call and meet at its end, while parts meet once;
     * on the 2-core machine of results/ (n = 20 000, w = 1 536) two parts took about 7 % less time than
     * OpenBLAS's two threads (medians of interleaved runs; within noise in some phases). One part is one
     * OpenBLAS-threaded SYRK. The thread count is process-wide: a BLAS call made elsewhere in the process
     * while parts run gets one thread.
     */
    private static void inParts(List<List<UpperProductPlan.Block>> plan, java.util.function.Consumer<UpperProductPlan.Block> block) {
        if (plan.size() == 1) {
            plan.get(0).forEach(block);
            return;
        }
        int threads = OpenBlasThreads.count();
        OpenBlasThreads.set(1);
        try {
            inParallel(plan.size(), t -> plan.get(t).forEach(block));
        } finally {
            OpenBlasThreads.set(threads);
        }
    }

    /** body(0 .. parts−1), part 0 on the calling thread and each other part on a thread of its own; rethrows the first failure. */
    private static void inParallel(int parts, java.util.function.IntConsumer body) {
        Thread[] others = new Thread[parts - 1];
        Throwable[] failure = new Throwable[parts];
        for (int t = 1; t < parts; t++) {
            int part = t;
            others[t - 1] = Thread.ofPlatform().daemon().name("repsim-blas-" + t).start(() -> {
                try {
                    body.accept(part);
                } catch (Throwable e) {
                    failure[part] = e;
                }
            });
        }
        try {
            body.accept(0);
        } catch (Throwable e) {
            failure[0] = e;
        }
        for (Thread t : others) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a BLAS part", e);
            }
        }
        for (Throwable e : failure) {
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }
    }

    // ---- native operands -------------------------------------------------------------------------
    // JavaCPP passes Java arrays through Get/Release<Type>ArrayElements, which on HotSpot copies every
    // array in and back out on every call. Operands therefore live off-heap: matrices used again (the
    // row blocks of distance tiles, say) stay resident in an LRU cache keyed by identity, so each is
    // copied once; a matrix larger than half the cache is copied for the call and released after it.
    // Matrices are immutable by contract (see Matrix), which makes identity a valid key. Evicted and
    // released buffers go to NativeBuffers and are written again by later operands instead of freed: a
    // fresh buffer page-faults on every page it is written (see NativeBuffers), which made a study's
    // reused statistics, a new set of centred copies each time, cost more than their products.

    private static final long CACHE_BYTES = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8);
    private final long cacheBytes;
    private final NativeBuffers buffers;
    private final LinkedHashMap<Matrix, Pointer> resident = new LinkedHashMap<>(16, 0.75f, true);
    private long residentBytes;
    private DoublePointer scratch64;
    private FloatPointer scratch32;

    /** An off-heap copy of a matrix for one call; closing frees it unless it is cached. */
    private final class Operand implements AutoCloseable {
        final Pointer p;
        final boolean owned;

        Operand(Pointer p, boolean owned) {
            this.p = p;
            this.owned = owned;
        }

        DoublePointer f64() { return (DoublePointer) p; }

        FloatPointer f32() { return (FloatPointer) p; }

        @Override
        public void close() {
            if (owned) {
                synchronized (BlasBackend.this) {
                    buffers.release(p);
                }
            }
        }
    }

    private synchronized Operand operand(Matrix m) {
        Pointer cached = resident.get(m);
        if (cached != null) return new Operand(cached, false);
        long size = (long) m.rows() * m.cols(), bytes = bytes(m);
        boolean cache = bytes <= cacheBytes / 2;
        // Evicting first lets the new operand reuse what leaves. The other operand of the same call is
        // the most recently used entry and at most half the cache, so it stays.
        if (cache) evict(cacheBytes - bytes);
        Pointer p = m.precision() == Precision.F64
                ? buffers.f64(size).put(m.f64(), 0, (int) size)
                : buffers.f32(size).put(m.f32(), 0, (int) size);
        if (!cache) return new Operand(p, true);
        resident.put(m, p);
        residentBytes += bytes;
        return new Operand(p, false);
    }

    /** Bytes of a matrix's elements (the cache counts these; a reused buffer may be a little larger). */
    private static long bytes(Matrix m) {
        return (long) m.rows() * m.cols() * (m.precision() == Precision.F64 ? Double.BYTES : Float.BYTES);
    }

    /** Releases the least recently used resident operands until at most {@code limit} bytes stay. */
    private void evict(long limit) {
        var it = resident.entrySet().iterator();
        while (residentBytes > limit && it.hasNext()) {
            var e = it.next();
            residentBytes -= bytes(e.getKey());
            buffers.release(e.getValue());
            it.remove();
        }
    }

    /** Native operand buffers allocated so far, not reused (tests check reuse). */
    synchronized long operandAllocations() {
        return buffers.allocations();
    }

    /** The off-heap Z of {@link #centeredCoMoments}, kept between calls (streamed blocks reuse it). */
    private DoublePointer stacked64;
    private FloatPointer stacked32;

    private DoublePointer stackedF64(long size) { return stacked64 = sized(stacked64, size, DoublePointer::new); }

    private FloatPointer stackedF32(long size) { return stacked32 = sized(stacked32, size, FloatPointer::new); }

    private DoublePointer scratchF64(long size) { return scratch64 = sized(scratch64, size, DoublePointer::new); }

    private FloatPointer scratchF32(long size) { return scratch32 = sized(scratch32, size, FloatPointer::new); }

    /** A reusable buffer of at least {@code size} elements: p itself, or a new one (p freed). */
    private static <P extends Pointer> P sized(P p, long size, java.util.function.LongFunction<P> allocate) {
        if (p != null && p.capacity() >= size) return p;
        if (p != null) p.close();
        return allocate.apply(size);
    }

    private static double[] read(DoublePointer p, int size) {
        double[] out = new double[size];
        p.position(0).get(out, 0, size);
        return out;
    }

    private static double[] read(FloatPointer p, int size) {
        float[] f = new float[size];
        p.position(0).get(f, 0, size);
        return widen(f);
    }

    @Override
    public synchronized void close() {
        resident.values().forEach(Pointer::close);
        resident.clear();
        residentBytes = 0;
        buffers.close();
        for (Pointer p : new Pointer[] {scratch64, scratch32, stacked64, stacked32}) {
            if (p != null) p.close();
        }
        scratch64 = null;
        scratch32 = null;
        stacked64 = null;
        stacked32 = null;
    }

    @Override
    public Decompositions.Eigen eigenSymmetric(double[] a, int d) {
        double[] v = a.clone();
        double[] w = new double[d];
        int info = openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', d, v, d, w);
        if (info != 0) throw new ArithmeticException("LAPACK dsyevd failed (info=" + info + ") on a " + d + "x" + d + " matrix");
        return new Decompositions.Eigen(w, v, d);
    }

    /**
     * LAPACK dpotrf (A = UᵀU), then dtrtri (U⁻¹ in place); info &gt; 0 from either means no positive definite
     * factor. dpotrf runs to the end, so a pivot at or below minPivot saves only dtrtri here.
     */
    @Override
    public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) {
        if (a.length != (long) d * d) throw new IllegalArgumentException("expected " + d + "x" + d + " values, got " + a.length);
        Cholesky.checkMinPivot(minPivot);
        double[] u = a.clone();
        int info = openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'U', d, u, d);
        if (info < 0) throw new IllegalArgumentException("LAPACK dpotrf rejected argument " + (-info));
        if (info > 0) return null;
        for (int i = 0; i < d; i++) if (!(u[i * d + i] * u[i * d + i] > minPivot)) return null;
        info = openblas.LAPACKE_dtrtri(LAPACK_ROW_MAJOR, (byte) 'U', (byte) 'N', d, u, d);
        if (info < 0) throw new IllegalArgumentException("LAPACK dtrtri rejected argument " + (-info));
        if (info > 0) return null;
        for (int i = 0; i < d; i++) java.util.Arrays.fill(u, i * d, i * d + i, 0.0);
        for (double v : u) if (!Double.isFinite(v)) return null;
        return u;
    }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) {
        int k = Math.min(m, n);
        double[] copy = a.clone();
        double[] s = new double[k];
        double[] u = new double[m * k];
        double[] vt = new double[k * n];
        int info = openblas.LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'S', m, n, copy, n, s, u, k, vt, n);
        if (info != 0) throw new ArithmeticException("LAPACK dgesdd failed (info=" + info + ") on a " + m + "x" + n + " matrix");
        return new Decompositions.Svd(s, u, vt, m, n);
    }

    @Override
    public double[] singularValues(double[] a, int m, int n) {
        double[] copy = a.clone();
        double[] s = new double[Math.min(m, n)];
        double[] none = new double[1];
        int info = openblas.LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'N', m, n, copy, n, s, none, 1, none, 1);
        if (info != 0) throw new ArithmeticException("LAPACK dgesdd failed (info=" + info + ") on a " + m + "x" + n + " matrix");
        return s;
    }

    static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static void requireSame(Matrix a, Matrix b, boolean shapeOk, String what) {
        if (a.precision() != b.precision()) throw new IllegalArgumentException("precision mismatch: " + a + " vs " + b);
        if (!shapeOk) throw new IllegalArgumentException("different number of " + what + ": " + a + " vs " + b);
    }
}
