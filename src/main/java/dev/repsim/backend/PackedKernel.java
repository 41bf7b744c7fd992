package dev.repsim.backend;

/**
 * One precision's half of {@link BlockedGemm}: packing of operand panels and the register-blocked
 * micro-kernel (Goto &amp; van de Geijn 2008, "Anatomy of high-performance matrix multiplication").
 * The product is C(M×N) += Â(M×K) · B̂(K×N), where Â and B̂ are views of row-major arrays (see
 * {@link Layout}); C is always a row-major float64 array.
 */
interface PackedKernel {

    /** Rows of the register tile (micro-panel height of Â). */
    int mr();

    /** Columns of the register tile (micro-panel width of B̂). */
    int nr();

    /** Depth of a packed panel pair (the K block): one micro-tile accumulates this many terms in registers. */
    int kc();

    /** Rows of a packed Â block, sized so that the block (mc × kc) stays in the L2 cache. */
    int mc();

    /** Columns of a packed B̂ panel (kc × nc), sized for the shared L3 cache. */
    int nc();

    /**
     * Rows of Â packed in one pass (a multiple of mc): packing several row blocks at once reads whole
     * stretches of the stored rows in order, which streams from memory far faster than mc-wide pieces.
     */
    int packRows();

    /**
     * Depth-to-width ratio from which {@link BlockedGemm} splits the reduction between threads rather than
     * the output: a split pays for its per-thread partial C (zeroed, summed, unpacked) only when
     * K ≥ ratio · max(M, N); below, disjoint output tiles, each packing its own operands, are faster.
     */
    int splitDepthRatio();

    /**
     * Buffers for one worker thread (used by one thread at a time), sized for packs of at most
     * {@code rows} rows of Â, {@code cols} columns of B̂ and {@code depth} steps of the reduction.
     */
    Worker worker(int rows, int cols, int depth);

    /**
     * Room for {@code slots} packed B̂ panels of at most {@code depth} (capped at kc) × {@code cols} values
     * each, which one worker packs ({@link Worker#packRight(int, int, int, int, RightStore, int)}) and any
     * worker of this kernel then reads ({@link Worker#useRight}): output strips that share one B̂ pack it
     * once instead of once per strip.
     */
    RightStore rightStore(int slots, int depth, int cols);

    /** Packed B̂ panels shared between the workers of one kernel (see {@link #rightStore}); opaque to its users. */
    interface RightStore {}

    /** Largest panel depth an A/B setting may ask for: 5–21 × the defaults (from about 11 500 a float64 Â block would hold under one register tile of rows). */
    int MAX_DEPTH_SETTING = 4096;

    /**
     * A panel depth from the system property {@code property} (-Drepsim.f64.kc=K, for A/B runs), or
     * {@code fallback} when it is not set; a value that is not an integer in [1, {@value #MAX_DEPTH_SETTING}]
     * is an error that names the property (a silently ignored setting would mislabel a benchmark run).
     */
    static int depthSetting(String property, int fallback) {
        String v = System.getProperty(property);
        if (v == null) return fallback;
        int k;
        try {
            k = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + "=" + v + " is not an integer panel depth");
        }
        if (k < 1 || k > MAX_DEPTH_SETTING) {
            throw new IllegalArgumentException("-D" + property + "=" + v + ": the panel depth must be between 1 and " + MAX_DEPTH_SETTING);
        }
        return k;
    }

    /**
     * Whether Â and B̂ are one operand, Â(x, k) = B̂(k, x) (ZᵀZ, XᵀX, XXᵀ): {@link BlockedGemm} then has Â
     * copied out of a packed B̂ that covers its rows ({@link Worker#packLeftFromRight}) rather than read,
     * and for Z centred, from the input a second time.
     */
    boolean sameOperand();

    /**
     * Whether {@link BlockedGemm} accumulates C in float32 ({@link Worker#multiply(float[], int, int, int, int,
     * int, int, int, int, boolean, Direct)}), added to float64 every {@link BlockedGemm#NARROW_SLICES}
     * slices: the float32 kernel's choice. Every slice reads and writes the C it updates once, so float32
     * halves that traffic, and the sum of a few dozen slice sums in float32 adds little to the error of
     * each slice's own float32 sum (see {@link FloatPackedKernel}).
     */
    default boolean narrowPartials() { return false; }

    /** How a logical operand is laid out in its row-major storage. */
    enum Layout {
        /** Element (x, k) at {@code data[k * ld + x]}: the reduction index runs over storage rows (AᵀB). */
        K_ROWS,
        /** Element (x, k) at {@code data[x * ld + k]}: the reduction index runs along a storage row (ABᵀ). */
        K_COLS
    }

    interface Worker {
        /** Packs Â[i0, i0+rows) × [k0, k0+kc) (rows ≤ packRows) into mr-row micro-panels, zero-padding the last one. */
        void packLeft(int i0, int rows, int k0, int kc);

        /** Packs B̂[k0, k0+kc) × [j0, j0+nc) into nr-column micro-panels, zero-padding the last one. */
        void packRight(int k0, int kc, int j0, int nc);

        /**
         * {@link #packRight(int, int, int, int)} into a store's slot instead of this worker's own buffer; the
         * slot is this worker's B̂ from then on, as after {@link #useRight}.
         */
        void packRight(int k0, int kc, int j0, int nc, RightStore store, int slot);

        /**
         * Makes a slot that a worker of the same kernel packed (in a task joined before this call) the B̂
         * that {@link #multiply} and {@link #packLeftFromRight} read.
         */
        void useRight(RightStore store, int slot);

        /**
         * {@link #packLeft}(i0, rows, k0, kc) of a {@link #sameOperand} kernel, copied out of this worker's
         * B̂ (its last {@code packRight}(k0, kc, j0, nc) or {@link #useRight} of a slot packed so), whose
         * columns [j0, j0+nc) hold the rows [i0, i0+rows).
         */
        void packLeftFromRight(int i0, int rows, int j0, int kc);

        /**
         * C[i0 .. i0+mc) × [j0 .. j0+nc) += packed Â · packed B̂ over the current packs (the macro-kernel).
         * Rows [i0, i0+mc) lie in the last {@link #packLeft} range, i0 a multiple of mc past its start. C is
         * in tile layout (see {@link BlockedGemm}): the region starting at row r0, column c0, made of
         * mr × nr tiles, tile (ti, tj) at offset (tj·tileRows + ti)·mr·nr, row-major inside. With
         * {@code upperOnly}, tiles lying entirely below the diagonal (all j &lt; all i) are skipped. With
         * {@code direct} (the last slice of the reduction), the tiles it {@linkplain Direct#holds holds} are
         * written, their tile-layout sum plus this slice, to row-major C instead; the others stay in tile layout.
         */
        void multiply(double[] c, int r0, int c0, int tileRows, int i0, int mc, int j0, int nc, int kc, boolean upperOnly,
                      Direct direct);

        /**
         * {@link #multiply(double[], int, int, int, int, int, int, int, int, boolean, Direct)} into a float32 C
         * in tile layout, each register tile's float32 sum added in float32: for kernels with
         * {@link PackedKernel#narrowPartials()}. With {@code direct}, the tiles it holds are written to
         * row-major float64 C as their float32 tile-layout sum plus this slice, widened.
         */
        default void multiply(float[] c, int r0, int c0, int tileRows, int i0, int mc, int j0, int nc, int kc, boolean upperOnly,
                              Direct direct) {
            throw new UnsupportedOperationException(getClass().getName() + " accumulates in float64 only (narrowPartials() is false)");
        }
    }

    /**
     * Row-major C (leading dimension {@code ld}) as the destination of the last reduction slice, for the
     * register tiles wholly inside rows [0, rowEnd) × columns [0, colEnd): the micro-kernel adds its sum to
     * the tile-layout partial and stores the total in place, so that those tiles skip the pass that copies
     * C out of tile layout (BlockedGemm). Each entry is the same sum in the same order either way.
     */
    record Direct(double[] c, int ld, int rowEnd, int colEnd) {
        /** Whether the mr × nr register tile at row i, column j of C lies inside the destination. */
        boolean holds(int i, int j, int mr, int nr) {
            return i + mr <= rowEnd && j + nr <= colEnd;
        }
    }
}
