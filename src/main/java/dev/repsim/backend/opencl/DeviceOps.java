package dev.repsim.backend.opencl;

/**
 * The kernel launches of kernels/*.cl on device buffers, shared by the {@link OpenClBackend}
 * operations: split-K cross-products, Gram/distance/RBF blocks, column means, centring, row norms.
 * Sizes and streaming decisions stay with the caller.
 */
final class DeviceOps {
    /** Rows per split-K slice: float32 partial sums never run over more samples than this. */
    static final int SPLIT_ROWS = 4096;

    private final ClContext ctx;

    DeviceOps(ClContext ctx) {
        this.ctx = ctx;
    }

    /**
     * out += AᵀB for device matrices A (rows×m) and B (rows×nc): {@link #transA(ClProgram, DeviceBuffer,
     * DeviceBuffer, int, int, int, boolean, long)} on the device, added on the host in float64.
     */
    void transA(ClProgram p, DeviceBuffer a, DeviceBuffer b, int rows, int m, int nc, boolean upper, long partialBudget, double[] out) {
        try (DeviceBuffer red = transA(p, a, b, rows, m, nc, upper, partialBudget)) {
            ctx.addReal(red, m * nc, p.accBytes, out);
        }
    }

    /**
     * AᵀB for device matrices A (rows×m) and B (rows×nc) into a new m×nc buffer of ACC precision:
     * split-K over the rows (each slice at most {@link #SPLIT_ROWS} rows and enough slices to fill the
     * device), partials combined by reduce_splits, pass after pass when they do not fit the budget at
     * once. With upper, only the upper triangle is valid (AᵀA).
     */
    DeviceBuffer transA(ClProgram p, DeviceBuffer a, DeviceBuffer b, int rows, int m, int nc, boolean upper, long partialBudget) {
        TileConfig t = p.tiles;
        long tiles = (long) ceilDiv(m, t.tsm()) * ceilDiv(nc, t.tsn());
        long want = 4L * Math.max(1, ctx.device.computeUnits());
        long lo = ceilDiv(rows, SPLIT_ROWS), hi = ceilDiv(rows, t.tsk());
        int splits = (int) Math.max(1, Math.min(hi, Math.max(lo, ceilDiv(want, tiles))));
        int splitLen = (int) roundUp(ceilDiv(rows, splits), t.tsk());
        splits = (int) ceilDiv(rows, splitLen);
        long outBytes = (long) m * nc * p.elemBytes;
        int perPass = (int) Math.max(1, Math.min(splits, partialBudget / outBytes));
        int count = m * nc;
        DeviceBuffer red = ctx.output((long) count * p.accBytes, "reduced product " + m + "x" + nc);
        try (DeviceBuffer parts = ctx.output(perPass * outBytes, "split-K partial products " + m + "x" + nc + " x" + perPass)) {
            for (int s0 = 0; s0 < splits; s0 += perPass) {
                int sc = Math.min(perPass, splits - s0);
                int k0 = s0 * splitLen;
                int kc = Math.min(rows - k0, sc * splitLen);
                ctx.launch(p, "gemm_tn").arg(m).arg(nc).arg(kc).arg(splitLen).arg(upper ? 1 : 0)
                        .arg(a).arg((long) k0 * m).arg(m).arg(b).arg((long) k0 * nc).arg(nc).arg(parts)
                        .run(new long[] {ceilDiv(nc, t.tsn()) * t.wgn(), ceilDiv(m, t.tsm()) * t.wgm(), sc},
                                new long[] {t.wgn(), t.wgm(), 1});
                ctx.launch(p, "reduce_splits").arg(count).arg(sc).arg(s0 > 0 ? 1 : 0).arg(parts).arg(red)
                        .run(new long[] {count}, new long[] {linearWg()});
            }
            return red;
        } catch (RuntimeException e) {
            red.close();
            throw e;
        }
    }

    /** ‖C‖²_F of a reduced m×nc product from {@link #transA} (upper: symmetric, upper triangle valid). */
    double sumSquares(ClProgram p, DeviceBuffer c, int m, int nc, boolean upper) {
        int wg = p.tiles.reduceWg();
        int groups = (int) Math.max(1, Math.min(MAX_REDUCE_GROUPS, ceilDiv((long) m * nc, wg)));
        try (DeviceBuffer part = ctx.output((long) groups * p.accBytes, "sum-of-squares partials")) {
            ctx.launch(p, "sum_squares").arg(m).arg(nc).arg(upper ? 1 : 0).arg(c).arg(part)
                    .run(new long[] {(long) groups * wg}, new long[] {wg});
            double s = 0;
            for (double v : ctx.readReal(part, groups, p.accBytes)) s += v;
            return s;
        }
    }

    /** Work-groups of a whole-buffer reduction: enough to fill a large GPU, few partials to download. */
    static final int MAX_REDUCE_GROUPS = 1024;

    void launchGram(ClProgram p, int mRows, int nCols, int d, DeviceBuffer a, long offA, DeviceBuffer b, long offB,
                            DeviceBuffer c, int ldc, int mode, DeviceBuffer na, int naOff, DeviceBuffer nb, int nbOff,
                            boolean same, int rowBase, int colBase, double gamma) {
        TileConfig t = p.tiles;
        ctx.launch(p, "gemm_nt").arg(mRows).arg(nCols).arg(d).arg(a).arg(offA).arg(d).arg(b).arg(offB).arg(d).arg(c).arg(ldc)
                .arg(mode).arg(na).arg(naOff).arg(nb).arg(nbOff).arg(same ? 1 : 0).arg(rowBase).arg(colBase).real(gamma)
                .run(new long[] {ceilDiv(nCols, t.tsn()) * t.wgn(), ceilDiv(mRows, t.tsm()) * t.wgm()}, new long[] {t.wgn(), t.wgm()});
    }

    double[] columnMeans(ClProgram p, DeviceBuffer x, int n, int d) {
        final int chunk = 256;
        int groups = ceilDiv(n, chunk);
        double[] mean = new double[d];
        try (DeviceBuffer part = ctx.output((long) groups * d * p.accBytes, "column-sum partials")) {
            ctx.launch(p, "column_sums").arg(n).arg(d).arg(chunk).arg(x).arg(part)
                    .run(new long[] {d, groups}, new long[] {linearWg(), 1});
            double[] s = ctx.readReal(part, groups * d, p.accBytes);
            for (int g = 0; g < groups; g++) for (int c = 0; c < d; c++) mean[c] += s[g * d + c];
        }
        for (int c = 0; c < d; c++) mean[c] /= n;
        return mean;
    }

    void center(ClProgram p, DeviceBuffer x, DeviceBuffer y, int n, int d, double[] mean) {
        try (DeviceBuffer mu = ctx.alloc((long) d * p.elemBytes, "column means")) {
            ctx.writeReal(mu, mean, p.precision);
            long count = (long) n * d;
            ctx.launch(p, "center_columns").arg(count).arg(d).arg(x).arg(mu).arg(y).run(new long[] {count}, new long[] {linearWg()});
            ctx.finish();
        }
    }

    /** A new buffer holding X − 1μᵀ (inputs may be cached: kernels never write into them). */
    DeviceBuffer centeredCopy(ClProgram p, DeviceBuffer x, int n, int d, double[] mean, String what) {
        DeviceBuffer y = ctx.output((long) n * d * p.elemBytes, what);
        try {
            center(p, x, y, n, d, mean);
            return y;
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
    }

    DeviceBuffer rowNorms(ClProgram p, DeviceBuffer x, int n, int d) {
        DeviceBuffer out = ctx.output((long) n * p.elemBytes, "row norms");
        ctx.launch(p, "row_sq_norms").arg(n).arg(d).arg(x).arg(out).run(new long[] {n}, new long[] {linearWg()});
        return out;
    }

    long linearWg() { return Math.min(64, ctx.device.maxWorkGroup()); }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    static long roundUp(long a, long b) { return ceilDiv(a, b) * b; }

    /** Per-row HSIC partials and row sums of a rows×m block pair (gram.cl, gram_row_stats). */
    void gramRowStats(ClProgram p, int rows, int m, DeviceBuffer k, DeviceBuffer l, DeviceBuffer partials,
                      DeviceBuffer rowK, DeviceBuffer rowL) {
        int wg = p.tiles.reduceWg();
        ctx.launch(p, "gram_row_stats").arg(m).arg(rows).arg(k).arg(l).arg(partials).arg(rowK).arg(rowL)
                .run(new long[] {(long) rows * wg}, new long[] {wg});
    }

    /** Column sums of a rows×m block (gram.cl, gram_col_sums). */
    void columnSums(ClProgram p, int rows, int m, DeviceBuffer g, DeviceBuffer out) {
        ctx.launch(p, "gram_col_sums").arg(rows).arg(m).arg(g).arg(out).run(new long[] {m}, new long[] {linearWg()});
    }

    /** Unit rows of X given its squared row norms (columns.cl, normalize_rows). */
    void normalizeRows(ClProgram p, DeviceBuffer x, DeviceBuffer norms2, DeviceBuffer out, int n, int d) {
        long count = (long) n * d;
        ctx.launch(p, "normalize_rows").arg(count).arg(d).arg(x).arg(norms2).arg(out).run(new long[] {count}, new long[] {linearWg()});
        ctx.finish();
    }

    /** The k nearest columns of each row of a rows×m distance block (knn.cl, topk_rows), wg items per row. */
    void topk(ClProgram p, int rows, int m, int k, int rowBase, int wg, DeviceBuffer dist, DeviceBuffer outIdx, DeviceBuffer outDist) {
        ctx.launch(p, "topk_rows").arg(m).arg(k).arg(rowBase).arg(dist).arg(outIdx).arg(outDist)
                .local((long) wg * k * p.elemBytes).local((long) wg * k * 4)
                .local((long) wg * p.elemBytes).local((long) wg * 4).local((long) wg * 4)
                .run(new long[] {(long) rows * wg}, new long[] {wg});
    }
}
