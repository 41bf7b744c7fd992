package dev.repsim.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float64 packing and micro-kernel for {@link BlockedGemm} (Goto &amp; van de Geijn 2008, §6; the BLIS
 * micro-kernel of Van Zee &amp; van de Geijn 2015). The register tile is NR = two vectors of the preferred
 * species wide, and its height MR depends on the register file:
 * <ul>
 * <li>16 vector registers (AVX2, 256-bit): MR = 5 (5×8), ten accumulators, two loads of B̂ and five
 *     broadcasts of Â per step of k. Ten independent FMA chains cover the FMA latency × throughput of two
 *     pipes; a 6-row tile (twelve accumulators) makes C2 spill one accumulator to the stack, which halved
 *     the measured rate.</li>
 * <li>32 vector registers (AVX-512): MR = 12 (12×16), 24 accumulators, two loads and twelve broadcasts per
 *     step, 29 registers as C2 allocates them, no spills. Per multiply-add it issues 0.58 loads (0.7) and
 *     about half the index and loop instructions of the 5-row tile, whose loop ran at about 65 % of the
 *     FMA limit on an Intel Xeon; there the products ran 1.08-1.14× faster and linear CKA 1.1×
 *     (results/cpu-intel-avx512-2c/extra/f64-tile/). {@code -Drepsim.f64.narrowTile=true} keeps the 5-row
 *     tile, for comparing the two in one run.</li>
 * </ul>
 */
final class DoublePackedKernel implements PackedKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Whether the tile is the 12 × 2V one (512-bit vectors, 32 registers). */
    static final boolean WIDE = V >= 8 && !Boolean.getBoolean("repsim.f64.narrowTile");
    static final int MR = WIDE ? 12 : 5;
    static final int NR = 2 * V;
    /**
     * Depth of the packed panels: one B̂ micro-panel (KC × NR × 8 B) takes 24 KiB, most of a 32-48 KiB L1
     * (KC = 384 with AVX2, 192 with AVX-512). Longer panels amortise the update of C over more products,
     * but on Zen 5 KC = 384 (a 48 KiB panel) measured slower in most products
     * (results/cpu-zen5-2c/extra/kc/); {@code -Drepsim.f64.kc=K} sets it for such A/B runs.
     */
    static final int KC = PackedKernel.depthSetting("repsim.f64.kc", 24 * 1024 / (NR * Double.BYTES));
    /** Rows of an Â block, a multiple of MR: the packed block (MC × KC × 8 B ≈ 450 KiB) stays in L2. */
    static final int MC = 450 * 1024 / (KC * Double.BYTES) / MR * MR;
    /** Eight row blocks (3.5 MiB of packed Â) are packed in one pass. */
    static final int PACK_ROWS = 8 * MC;
    /** A multiple of NR: the packed B̂ panel (KC × NC × 8 B, 6 MiB with AVX2) stays in L3. */
    static final int NC = 2048 / NR * NR;

    private final double[] a;
    private final int lda;
    private final Layout la;
    private final double[] b;
    private final int ldb;
    private final Layout lb;
    /** When set, both Â and B̂ are Zᵀ of this operand (a symmetric ZᵀZ); a, b are unused. */
    private final CenteredColumns z;
    /** Z, or one array viewed alike on both sides (XᵀX, XXᵀ): see {@link #sameOperand()}. */
    private final boolean sameOperand;

    /** Â = view of {@code a} (leading dimension lda, layout la); B̂ = view of {@code b}. */
    DoublePackedKernel(double[] a, int lda, Layout la, double[] b, int ldb, Layout lb) {
        this.a = a;
        this.lda = lda;
        this.la = la;
        this.b = b;
        this.ldb = ldb;
        this.lb = lb;
        this.z = null;
        this.sameOperand = a == b && lda == ldb && la == lb;
    }

    /** Â = Zᵀ and B̂ = Z for the centred columns Z (float64): the product ZᵀZ, centred while packing. */
    DoublePackedKernel(CenteredColumns z) {
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
    // Crossover of the two thread splits (BlockedGemm), java on Zen 5, 2 threads: output tiles were faster
    // at K/max(M, N) = 1.3 to 2.6 (by 10-25 %), the reduction split from 3.9 (by 9-25 %).
    @Override public int splitDepthRatio() { return 3; }

    @Override
    public Worker worker(int rows, int cols, int depth) {
        int kc = Math.min(KC, depth);
        int mp = Math.min(PACK_ROWS, (rows + MR - 1) / MR * MR);
        int np = Math.min(NC, (cols + NR - 1) / NR * NR);
        return new DoubleWorker(new double[mp * kc], np * kc, z == null ? null : new double[GROUP * Math.max(mp, np)]);
    }

    @Override
    public RightStore rightStore(int slots, int depth, int cols) {
        return new DoubleStore(new double[slots][], Math.min(KC, depth) * ((cols + NR - 1) / NR * NR));
    }

    /** Packed B̂ panels in slots, each allocated by the thread that packs it (its zeroing shared out too). */
    private record DoubleStore(double[][] slots, int slotSize) implements RightStore {}

    private final class DoubleWorker implements Worker {
        private final double[] packedA;
        /** The worker's own B̂ buffer, allocated on the first {@link #packRight(int, int, int, int)}: a worker that only reads a {@link RightStore} never needs it. */
        private double[] ownB;
        private final int ownBSize;
        /** The B̂ that {@link #multiply} and {@link #packLeftFromRight} read: ownB or a store's slot. */
        private double[] packedB;
        private final double[] row;
        private int leftStart;

        DoubleWorker(double[] packedA, int ownBSize, double[] row) {
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
            if (ownB == null) ownB = new double[ownBSize];
            packRightInto(k0, kc, j0, nc, ownB);
        }

        @Override
        public void packRight(int k0, int kc, int j0, int nc, RightStore store, int slot) {
            DoubleStore s = (DoubleStore) store;
            if (s.slots[slot] == null) s.slots[slot] = new double[s.slotSize];
            packRightInto(k0, kc, j0, nc, s.slots[slot]);
        }

        @Override
        public void useRight(RightStore store, int slot) {
            packedB = ((DoubleStore) store).slots[slot];
        }

        private void packRightInto(int k0, int kc, int j0, int nc, double[] dst) {
            if (z != null) packCentered(z, j0, nc, k0, kc, NR, dst, row);
            else pack(b, ldb, lb, j0, nc, k0, kc, NR, dst);
            packedB = dst;
        }

        @Override
        public void multiply(double[] c, int r0, int c0, int tileRows, int i0, int mc, int j0, int nc, int kc,
                             boolean upperOnly, Direct direct) {
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
                        micro(kc, packedA, ao, packedB, bo, c, co, c, co, NR);
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
    static void pack(double[] src, int ld, Layout layout, int x0, int xc, int k0, int kc, int r, double[] dst) {
        int full = xc / r;
        int rest = xc - full * r;
        if (rest > 0) java.util.Arrays.fill(dst, full * kc * r, (full + 1) * kc * r, 0.0);
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
    static void panelsFromRight(double[] right, int x0, int xc, int kc, double[] dst) {
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
    static void packCentered(CenteredColumns z, int x0, int xc, int k0, int kc, int r, double[] dst, double[] rows) {
        int panels = (xc + r - 1) / r;
        int rest = xc - (panels - 1) * r;
        if (rest < r) java.util.Arrays.fill(dst, (panels - 1) * kc * r, panels * kc * r, 0.0);
        int full = xc / r;
        for (int k = 0; k < kc; k += GROUP) {
            int g = Math.min(GROUP, kc - k);
            for (int t = 0; t < g; t++) z.row(k0 + k + t, x0, xc, rows, t * xc);
            for (int p = 0; p < panels; p++) {
                int d = p * kc * r + k * r;
                int s = p * r;
                if (p == full) {
                    for (int t = 0; t < g; t++, s += xc, d += r) System.arraycopy(rows, s, dst, d, rest);
                } else if (r == 5) { // the narrow tile's Â panels: five stores beat a short arraycopy
                    for (int t = 0; t < g; t++, s += xc, d += 5) {
                        dst[d] = rows[s];
                        dst[d + 1] = rows[s + 1];
                        dst[d + 2] = rows[s + 2];
                        dst[d + 3] = rows[s + 3];
                        dst[d + 4] = rows[s + 4];
                    }
                } else if (r == NR) {
                    for (int t = 0; t < g; t++, s += xc, d += NR) {
                        DoubleVector.fromArray(S, rows, s).intoArray(dst, d);
                        DoubleVector.fromArray(S, rows, s + V).intoArray(dst, d + V);
                    }
                } else {
                    for (int t = 0; t < g; t++, s += xc, d += r) System.arraycopy(rows, s, dst, d, r);
                }
            }
        }
    }

    /** One stored row (from src[so]) into position dk of every r-wide panel (panel stride kc·r). */
    private static void scatterRow(double[] src, int so, int dk, int full, int rest, int kc, int r, double[] dst) {
        if (r == NR) {
            for (int p = 0, s = so, d = dk; p < full; p++, s += NR, d += kc * NR) {
                DoubleVector.fromArray(S, src, s).intoArray(dst, d);
                DoubleVector.fromArray(S, src, s + V).intoArray(dst, d + V);
            }
        } else if (r == 5) {
            for (int p = 0, s = so, d = dk; p < full; p++, s += 5, d += kc * 5) {
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
                dst[d + 3] = src[s + 3];
                dst[d + 4] = src[s + 4];
            }
        } else {
            for (int p = 0; p < full; p++) System.arraycopy(src, so + p * r, dst, p * kc * r + dk, r);
        }
        if (rest > 0) System.arraycopy(src, so + full * r, dst, full * kc * r + dk, rest);
    }

    /**
     * out[MR × NR at oo, row stride ldo] = c[the tile-layout tile at co] + Â micro-panel (at ao) · B̂
     * micro-panel (at bo) over kc steps; out = c, oo = co and ldo = NR update the tile in place.
     */
    static void micro(int kc, double[] pa, int ao, double[] pb, int bo, double[] c, int co, double[] out, int oo, int ldo) {
        if (WIDE) micro12x2(kc, pa, ao, pb, bo, c, co, out, oo, ldo);
        else micro5x2(kc, pa, ao, pb, bo, c, co, out, oo, ldo);
    }

    /**
     * The 12 × 2V tile (AVX-512); accumulator cRJ holds row R (hex digit) and vector J. Each accumulator adds
     * its k terms in order, as the 5-row tile does.
     */
    private static void micro12x2(int kc, double[] pa, int ao, double[] pb, int bo, double[] c, int co, double[] out, int oo, int ldo) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S), c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S), c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        DoubleVector c80 = DoubleVector.zero(S), c81 = DoubleVector.zero(S), c90 = DoubleVector.zero(S), c91 = DoubleVector.zero(S);
        DoubleVector ca0 = DoubleVector.zero(S), ca1 = DoubleVector.zero(S), cb0 = DoubleVector.zero(S), cb1 = DoubleVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * 12;
            int bk = bo + k * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bk);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bk + V);
            DoubleVector x = DoubleVector.broadcast(S, pa[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, pa[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, pa[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, pa[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, pa[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, pa[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, pa[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, pa[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = DoubleVector.broadcast(S, pa[ak + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = DoubleVector.broadcast(S, pa[ak + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = DoubleVector.broadcast(S, pa[ak + 10]);
            ca0 = x.fma(b0, ca0);
            ca1 = x.fma(b1, ca1);
            x = DoubleVector.broadcast(S, pa[ak + 11]);
            cb0 = x.fma(b0, cb0);
            cb1 = x.fma(b1, cb1);
        }
        int o = co, q = oo;
        DoubleVector.fromArray(S, c, o).add(c00).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c01).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c10).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c11).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c20).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c21).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c30).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c31).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c40).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c41).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c50).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c51).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c60).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c61).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c70).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c71).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c80).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c81).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c90).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c91).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(ca0).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(ca1).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(cb0).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(cb1).intoArray(out, q + V);
    }

    /** The 5 × 2V tile (AVX2, and narrower vectors). */
    private static void micro5x2(int kc, double[] pa, int ao, double[] pb, int bo, double[] c, int co, double[] out, int oo, int ldo) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int ak = ao + k * 5;
            int bk = bo + k * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bk);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bk + V);
            DoubleVector x = DoubleVector.broadcast(S, pa[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, pa[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, pa[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, pa[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, pa[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        // Written out rather than through a helper taking vectors: a call that is not inlined would box them.
        int o = co, q = oo;
        DoubleVector.fromArray(S, c, o).add(c00).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c01).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c10).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c11).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c20).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c21).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c30).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c31).intoArray(out, q + V);
        o += NR;
        q += ldo;
        DoubleVector.fromArray(S, c, o).add(c40).intoArray(out, q);
        DoubleVector.fromArray(S, c, o + V).add(c41).intoArray(out, q + V);
    }
}
