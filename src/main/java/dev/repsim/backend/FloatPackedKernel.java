package dev.repsim.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 packing and micro-kernel for {@link BlockedGemm} (the scheme of {@link DoublePackedKernel}),
 * computed in float32 arithmetic. The register tile depends on the register file:
 * <ul>
 * <li>16 vector registers (AVX2, 256-bit): MR = 3 rows by NR = three vectors (3×24), nine accumulators,
 *     three loads and three broadcasts per step of k, at most 15 live registers however C2 schedules
 *     the loads (a 5×16 tile had C2 hoist all five broadcasts and spill an accumulator; 3×24 measured
 *     about 2.5 times faster on AVX2);</li>
 * <li>32 vector registers (AVX-512): MR = 6 by NR = two vectors (6×32), twelve accumulators, two loads
 *     and six broadcasts per step: 20 live registers even with every broadcast hoisted. A 12 × 2V tile
 *     (float64's) ran XᵀY 9-10 % faster but the symmetric ZᵀZ of linear CKA and CCA 3-5 % slower on an
 *     Intel Xeon (results/cpu-intel-avx512-2c/extra/f32-tile/).</li>
 * </ul>
 * Accumulation is blocked: each register tile sums at most {@link #KC} = 256 products in float32 and is
 * then added to C, so the rounding error grows with kc, not with the full reduction length. C is held
 * in float32 ({@link #narrowPartials}) and added to a float64 C every {@link BlockedGemm#NARROW_SLICES}
 * = 32 slices: the bound is (kc + 32)·2⁻²⁴ relative to Σ|a||b| (kc·2⁻²⁴ for one block's float32 sum),
 * and each slice reads and writes half the bytes of a float64 C. Those updates had been the limit of
 * deep products: float32 linear CKA (n = 20 000, d = 768, Zen 5) took 0.86 of the time with float32 C
 * (results/cpu-zen5-2c/extra/narrow-partials/).
 */
final class FloatPackedKernel implements PackedKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Float64 species of the same bit size: half the lanes, for widening the float32 accumulators. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final int DV = D.length();
    /**
     * Whether the tile is the 6 × 2V one (512-bit vectors, 32 registers). {@code -Drepsim.f32.narrowTile=true}
     * keeps the 3 × 3V tile on AVX-512 too, for comparing the two in one benchmark run
     * (results/cpu-zen5-2c/extra/f32-tile/).
     */
    static final boolean WIDE = V >= 16 && !Boolean.getBoolean("repsim.f32.narrowTile");
    static final int MR = WIDE ? 6 : 3;
    static final int NR = (WIDE ? 2 : 3) * V;
    /**
     * Depth of the packed panels and the float32 accumulation length: one B̂ micro-panel (KC × NR × 4 B)
     * takes 24 KiB of L1 with AVX2 (3 × 8 lanes) and 32 KiB with AVX-512 (2 × 16 lanes; these cores have
     * 48 KiB of L1D): KC = 256 on both. KC = 512 measured slower on Zen 5 (results/cpu-zen5-2c/extra/kc/);
     * {@code -Drepsim.f32.kc=K} sets it for such A/B runs.
     */
    static final int KC = PackedKernel.depthSetting("repsim.f32.kc", (WIDE ? 32 : 24) * 1024 / (NR * Float.BYTES));
    /** Rows of an Â block, a multiple of MR: the packed block (MC × KC × 4 B ≈ 384 KiB) stays in L2. */
    static final int MC = 384 * 1024 / (KC * Float.BYTES) / MR * MR;
    /** Eight row blocks (3 MiB of packed Â) are packed in one pass. */
    static final int PACK_ROWS = 8 * MC;
    /** A multiple of NR near 4096: the packed B̂ panel (KC × NC × 4 B, 4 MiB with AVX2) stays in L3. */
    static final int NC = 4096 / NR * NR;

    private final float[] a;
    private final int lda;
    private final Layout la;
    private final float[] b;
    private final int ldb;
    private final Layout lb;
    /** When set, both Â and B̂ are Zᵀ of this operand (a symmetric ZᵀZ); a, b are unused. */
    private final CenteredColumns z;
    /** Z, or one array viewed alike on both sides (XᵀX, XXᵀ): see {@link #sameOperand()}. */
    private final boolean sameOperand;

    /** Â = view of {@code a} (leading dimension lda, layout la); B̂ = view of {@code b}. */
    FloatPackedKernel(float[] a, int lda, Layout la, float[] b, int ldb, Layout lb) {
        this.a = a;
        this.lda = lda;
        this.la = la;
        this.b = b;
        this.ldb = ldb;
        this.lb = lb;
        this.z = null;
        this.sameOperand = a == b && lda == ldb && la == lb;
    }

    /** Â = Zᵀ and B̂ = Z for the centred columns Z (float32): the product ZᵀZ, centred while packing. */
    FloatPackedKernel(CenteredColumns z) {
        this.a = this.b = null;
        this.lda = this.ldb = z.width();
        this.la = this.lb = Layout.K_ROWS;
        this.z = z;
        this.sameOperand = true;
    }

    @Override public int mr() { return MR; }
    @Override public int nr() { return NR; }
    @Override public int kc() { return KC; }
    @Override public int mc() { return MC; }
    @Override public int nc() { return NC; }
    @Override public int packRows() { return PACK_ROWS; }
    @Override public boolean sameOperand() { return sameOperand; }
    @Override public boolean narrowPartials() { return true; }
    // Crossover of the two thread splits (BlockedGemm), java on Zen 5, 2 threads: output tiles were faster
    // up to K/max(M, N) = 4.9 (by 2-13 %), the reduction split from 9.8 (3-30 %). Later than float64's:
    // twice the multiply-adds per cycle meet the same float64 partial C.
    @Override public int splitDepthRatio() { return 6; }

    @Override
    public Worker worker(int rows, int cols, int depth) {
        int kc = Math.min(KC, depth);
        int mp = Math.min(PACK_ROWS, (rows + MR - 1) / MR * MR);
        int np = Math.min(NC, (cols + NR - 1) / NR * NR);
        return new FloatWorker(new float[mp * kc], np * kc, z == null ? null : new float[GROUP * Math.max(mp, np)]);
    }

    @Override
    public RightStore rightStore(int slots, int depth, int cols) {
        return new FloatStore(new float[slots][], Math.min(KC, depth) * ((cols + NR - 1) / NR * NR));
    }

    /** Packed B̂ panels in slots, each allocated by the thread that packs it (its zeroing shared out too). */
    private record FloatStore(float[][] slots, int slotSize) implements RightStore {}

    private final class FloatWorker implements Worker {
        private final float[] packedA;
        /** The worker's own B̂ buffer, allocated on the first {@link #packRight(int, int, int, int)}: a worker that only reads a {@link RightStore} never needs it. */
        private float[] ownB;
        private final int ownBSize;
        /** The B̂ that {@link #multiply} and {@link #packLeftFromRight} read: ownB or a store's slot. */
        private float[] packedB;
        private final float[] row;
        private int leftStart;

        FloatWorker(float[] packedA, int ownBSize, float[] row) {
            this.packedA = packedA;
            this.ownBSize = ownBSize;
            this.row = row;
        }

        @Override
        public void packLeft(int i0, int rows, int k0, int kc) {
            if (z != null) packCentered(z, i0, rows, k0, kc, MR, packedA, row);
            else pack(a, lda, la, i0, rows, k0, kc, MR, packedA);
            leftStart = i0;
        }

        @Override
        public void packLeftFromRight(int i0, int rows, int j0, int kc) {
            panelsFromRight(packedB, i0 - j0, rows, kc, packedA);
            leftStart = i0;
        }

        @Override
        public void packRight(int k0, int kc, int j0, int nc) {
            if (ownB == null) ownB = new float[ownBSize];
            packRightInto(k0, kc, j0, nc, ownB);
        }

        @Override
        public void packRight(int k0, int kc, int j0, int nc, RightStore store, int slot) {
            FloatStore s = (FloatStore) store;
            if (s.slots[slot] == null) s.slots[slot] = new float[s.slotSize];
            packRightInto(k0, kc, j0, nc, s.slots[slot]);
        }

        @Override
        public void useRight(RightStore store, int slot) {
            packedB = ((FloatStore) store).slots[slot];
        }

        private void packRightInto(int k0, int kc, int j0, int nc, float[] dst) {
            if (z != null) packCentered(z, j0, nc, k0, kc, NR, dst, row);
            else pack(b, ldb, lb, j0, nc, k0, kc, NR, dst);
            packedB = dst;
        }

        @Override
        public void multiply(double[] c, int r0, int c0, int tileRows, int i0, int mc, int j0, int nc, int kc,
                             boolean upperOnly, Direct direct) {
            throw new UnsupportedOperationException("the float32 kernel accumulates C in float32 (narrowPartials)");
        }

        @Override
        public void multiply(float[] c, int r0, int c0, int tileRows, int i0, int mc, int j0, int nc, int kc, boolean upperOnly,
                             Direct direct) {
            int panelsA = (mc + MR - 1) / MR;
            int panelsB = (nc + NR - 1) / NR;
            int aBase = (i0 - leftStart) / MR;
            int ti0 = (i0 - r0) / MR;
            // jr outside ir: one B̂ micro-panel (kc × NR) stays in L1 while the Â block streams from L2, and
            // the C tiles of one jr step lie one after another in memory.
            for (int jp = 0; jp < panelsB; jp++) {
                int j = j0 + jp * NR;
                int bo = jp * kc * NR;
                int cBase = (((j - c0) / NR) * tileRows + ti0) * (MR * NR);
                for (int ip = 0; ip < panelsA; ip++) {
                    if (upperOnly && j + NR <= i0 + ip * MR) break; // this tile and all below it: strictly lower
                    int ao = (aBase + ip) * kc * MR, co = cBase + ip * (MR * NR), i = i0 + ip * MR;
                    if (direct != null && direct.holds(i, j, MR, NR)) {
                        micro(kc, packedA, ao, packedB, bo, c, co, direct.c(), i * direct.ld() + j, direct.ld());
                    } else {
                        micro(kc, packedA, ao, packedB, bo, c, co, null, 0, 0);
                    }
                }
            }
        }
    }

    /**
     * Packs the logical rows [x0, x0+xc) × reduction range [k0, k0+kc) of an operand into micro-panels of
     * r rows: panel p holds, for each k, the r values of rows x0 + p·r …, contiguously
     * ({@code dst[p·kc·r + k·r + i]}); the rows of a last, partial panel are zero.
     */
    static void pack(float[] src, int ld, Layout layout, int x0, int xc, int k0, int kc, int r, float[] dst) {
        int full = xc / r;
        int rest = xc - full * r;
        if (rest > 0) java.util.Arrays.fill(dst, full * kc * r, (full + 1) * kc * r, 0f);
        if (layout == Layout.K_ROWS) {
            // Stored rows are read front to back (streaming); each row scatters r-wide pieces to the panels.
            for (int k = 0; k < kc; k++) scatterRow(src, (k0 + k) * ld + x0, k * r, full, rest, kc, r, dst);
        } else {
            // A transpose: each stored row is read front to back into its lane of the panel (stride r). The
            // panel (kc·r values) stays in L1, and the long inner loop over k keeps its bounds checks hoisted.
            for (int p = 0; p <= full; p++) {
                int valid = p < full ? r : rest;
                int base = p * kc * r;
                for (int i = 0; i < valid; i++) {
                    int s = (x0 + p * r + i) * ld + k0;
                    for (int k = 0, d = base + i; k < kc; k++, d += r) dst[d] = src[s + k];
                }
            }
        }
    }

    /**
     * Â's MR-row micro-panels of the columns [x0, x0+xc) of a packed B̂ (NR-column micro-panels of depth
     * kc), when Â and B̂ are one operand (ZᵀZ, XᵀX, XXᵀ): the values already packed, for Z already centred,
     * are copied rather than read, and centred, from the input a second time. Rows past xc in the last
     * panel are zero.
     */
    static void panelsFromRight(float[] right, int x0, int xc, int kc, float[] dst) {
        for (int p = 0, panels = (xc + MR - 1) / MR; p < panels; p++) {
            int valid = Math.min(MR, xc - p * MR);
            int x = x0 + p * MR;
            int d = p * kc * MR;
            if (valid == MR && x % NR + MR <= NR) {
                // The whole panel lies in one B̂ micro-panel: row k of both is one contiguous run.
                for (int k = 0, s = x / NR * kc * NR + x % NR; k < kc; k++, s += NR, d += MR) {
                    for (int i = 0; i < MR; i++) dst[d + i] = right[s + i];
                }
            } else {
                for (int i = 0; i < MR; i++) {
                    if (i < valid) {
                        int xi = x + i;
                        for (int k = 0, s = xi / NR * kc * NR + xi % NR; k < kc; k++, s += NR) dst[d + k * MR + i] = right[s];
                    } else {
                        for (int k = 0; k < kc; k++) dst[d + k * MR + i] = 0;
                    }
                }
            }
        }
    }

    /** Rows of Z centred together by {@link #packCentered}: each panel then receives GROUP·r contiguous values. */
    static final int GROUP = 8;

    /**
     * {@link #pack} of the K_ROWS operand Z (columns [x0, x0+xc), rows [k0, k0+kc)). GROUP rows at a time
     * are centred into {@code rows} (GROUP·xc values) and then copied panel by panel, so that each panel
     * is written in GROUP·r-long contiguous runs rather than r values per row (r·8 bytes at a stride of
     * kc·r: a cache line and a TLB entry touched per r values, which made packing the costliest step).
     */
    static void packCentered(CenteredColumns z, int x0, int xc, int k0, int kc, int r, float[] dst, float[] rows) {
        int panels = (xc + r - 1) / r;
        int rest = xc - (panels - 1) * r;
        if (rest < r) java.util.Arrays.fill(dst, (panels - 1) * kc * r, panels * kc * r, 0f);
        int full = xc / r;
        for (int k = 0; k < kc; k += GROUP) {
            int g = Math.min(GROUP, kc - k);
            for (int t = 0; t < g; t++) z.row(k0 + k + t, x0, xc, rows, t * xc);
            for (int p = 0; p < panels; p++) {
                int d = p * kc * r + k * r;
                int s = p * r;
                if (p == full) {
                    for (int t = 0; t < g; t++, s += xc, d += r) System.arraycopy(rows, s, dst, d, rest);
                } else if (r == MR) {
                    for (int t = 0; t < g; t++, s += xc, d += MR) {
                        for (int q = 0; q < MR; q++) dst[d + q] = rows[s + q];
                    }
                } else if (r == NR) {
                    for (int t = 0; t < g; t++, s += xc, d += NR) {
                        for (int q = 0; q < NR; q += V) FloatVector.fromArray(S, rows, s + q).intoArray(dst, d + q);
                    }
                } else {
                    for (int t = 0; t < g; t++, s += xc, d += r) System.arraycopy(rows, s, dst, d, r);
                }
            }
        }
    }

    /** One stored row (from src[so]) into position dk of every r-wide panel (panel stride kc·r). */
    private static void scatterRow(float[] src, int so, int dk, int full, int rest, int kc, int r, float[] dst) {
        if (r == NR) {
            for (int p = 0, s = so, d = dk; p < full; p++, s += NR, d += kc * NR) {
                for (int q = 0; q < NR; q += V) FloatVector.fromArray(S, src, s + q).intoArray(dst, d + q);
            }
        } else if (r == MR) {
            for (int p = 0, s = so, d = dk; p < full; p++, s += MR, d += kc * MR) {
                for (int q = 0; q < MR; q++) dst[d + q] = src[s + q];
            }
        } else {
            for (int p = 0; p < full; p++) System.arraycopy(src, so + p * r, dst, p * kc * r + dk, r);
        }
        if (rest > 0) System.arraycopy(src, so + full * r, dst, full * kc * r + dk, rest);
    }

    /**
     * c[the tile-layout MR × NR tile at co] + (float32) Â micro-panel (at ao) · B̂ micro-panel (at bo) over kc
     * steps, summed in float32: stored back into c when {@code out} is null, else widened to float64 into
     * out (row-major, at oo, row stride ldo; the last slice of an output split, {@link Direct}).
     */
    static void micro(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, double[] out, int oo, int ldo) {
        if (WIDE) micro6x2(kc, pa, ao, pb, bo, c, co, out, oo, ldo);
        else micro3x3(kc, pa, ao, pb, bo, c, co, out, oo, ldo);
    }

    /** The 6 × 2V tile (AVX-512). */
    private static void micro6x2(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, double[] out, int oo, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * 6;
            int bk = bo + k * (2 * V);
            FloatVector b0 = FloatVector.fromArray(S, pb, bk);
            FloatVector b1 = FloatVector.fromArray(S, pb, bk + V);
            FloatVector x = FloatVector.broadcast(S, pa[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        // Written out rather than through a helper taking the accumulators: a call that is not inlined would box them.
        FloatVector t;
        int o = co, q = oo;
        t = FloatVector.fromArray(S, c, o).add(c00);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c01);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c10);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c11);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c20);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c21);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c30);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c31);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c40);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c41);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c50);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c51);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
    }

    /** The 3 × 3V tile (AVX2 and narrower). */
    private static void micro3x3(int kc, float[] pa, int ao, float[] pb, int bo, float[] c, int co, double[] out, int oo, int ldo) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * 3;
            int bk = bo + k * (3 * V);
            FloatVector b0 = FloatVector.fromArray(S, pb, bk);
            FloatVector b1 = FloatVector.fromArray(S, pb, bk + V);
            FloatVector b2 = FloatVector.fromArray(S, pb, bk + 2 * V);
            FloatVector x = FloatVector.broadcast(S, pa[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
        }
        // Written out rather than through a helper taking the accumulators: a call that is not inlined would box them.
        FloatVector t;
        int o = co, q = oo;
        t = FloatVector.fromArray(S, c, o).add(c00);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c01);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        t = FloatVector.fromArray(S, c, o + 2 * V).add(c02);
        if (out == null) {
            t.intoArray(c, o + 2 * V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + 2 * V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + 2 * V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c10);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c11);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        t = FloatVector.fromArray(S, c, o + 2 * V).add(c12);
        if (out == null) {
            t.intoArray(c, o + 2 * V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + 2 * V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + 2 * V + DV);
        }
        o += NR;
        q += ldo;
        t = FloatVector.fromArray(S, c, o).add(c20);
        if (out == null) {
            t.intoArray(c, o);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + DV);
        }
        t = FloatVector.fromArray(S, c, o + V).add(c21);
        if (out == null) {
            t.intoArray(c, o + V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + V + DV);
        }
        t = FloatVector.fromArray(S, c, o + 2 * V).add(c22);
        if (out == null) {
            t.intoArray(c, o + 2 * V);
        } else {
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, q + 2 * V);
            ((DoubleVector) t.convertShape(VectorOperators.F2D, D, 1)).intoArray(out, q + 2 * V + DV);
        }
    }
}
