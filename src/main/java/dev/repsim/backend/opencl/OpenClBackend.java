package dev.repsim.backend.opencl;

import dev.repsim.backend.Backend;
import dev.repsim.backend.BlasBackend;
import dev.repsim.backend.Decompositions;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.KernelStats;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The {@code opencl} backend: the O(n·d²) and O(n²·d) work of every metric runs in the OpenCL C kernels
 * of {@code kernels/} (compiled at run time for the chosen device); the d×d factorisations run on the
 * host through LAPACK ({@link BlasBackend}).
 *
 * <p>Binding: LWJGL 3 ({@code org.lwjgl:lwjgl-opencl} 3.3.6) rather than JOCL 2.0.5, because LWJGL is
 * actively maintained, binds the whole OpenCL 3.0 API generated from the Khronos registry, loads the
 * system ICD loader (so any vendor driver, PoCL included, works without natives of its own beyond
 * LWJGL core), and transfers Java arrays or off-heap buffers without extra copies. A TornadoVM backend
 * could implement {@link Backend} beside this one.
 *
 * <p>Precision: float32 matrices run float32 kernels; float64 matrices need cl_khr_fp64. Sums that
 * leave the device (products over samples, HSIC terms, row sums) are formed as per-work-group partial
 * sums over bounded ranges and combined in float64 (on the device when it has fp64, else on the host),
 * so float32 results stay accurate at large n. Large Gram-space computations stream row blocks and
 * never hold an n×n matrix; when the device runs out of memory the block is halved and retried, and
 * the error that finally reaches the user names the sizes.
 *
 * <p>Not thread-safe beyond the {@code synchronized} entry points (one in-order queue).
 */
public final class OpenClBackend implements Backend {
    /** Rows per split-K slice: float32 partial sums never run over more samples than this. */
    static final int SPLIT_ROWS = 4096;
    /** Default per-buffer budget of streamed blocks on CPU devices, whose "device memory" is the host's. */
    private static final long CPU_BLOCK_BYTES = 256L << 20;

    /** Most rows of a streamed Gram block: more blocks skip more of the lower block triangle. */
    static final int MAX_BLOCK_ROWS = 4096;

    private final ClContext ctx;
    private final ResidentMatrices resident;
    private BlasBackend host;
    private long blockBytes;

    private OpenClBackend(ClContext ctx) {
        this.ctx = ctx;
        ClDevice d = ctx.device;
        this.blockBytes = d.isGpu() ? Math.min(d.maxAlloc(), d.globalMem() / 4) : Math.min(d.maxAlloc(), CPU_BLOCK_BYTES);
        this.resident = new ResidentMatrices(d.isGpu() ? d.globalMem() / 4 : CPU_BLOCK_BYTES);
    }

    /**
     * Opens a device: by index into the list {@code repsim devices} prints, or by a case-insensitive
     * part of its name; null or blank means the first GPU, else the first device. No usable OpenCL
     * device is an error that says how to install a driver or PoCL.
     */
    public static OpenClBackend open(String deviceNameOrIndex) {
        ClDevice d = select(ClDevices.require(), deviceNameOrIndex);
        return new OpenClBackend(new ClContext(d));
    }

    /** The name of the first OpenCL GPU, if there is one (what {@code --backend auto} looks for). */
    public static Optional<String> firstGpuName() {
        return ClDevices.firstGpu().map(ClDevice::name);
    }

    static ClDevice select(List<ClDevice> all, String sel) {
        if (sel == null || sel.isBlank()) return all.stream().filter(ClDevice::isGpu).findFirst().orElse(all.get(0));
        String known = all.stream().map(ClDevice::label).collect(Collectors.joining("; "));
        String s = sel.strip();
        if (s.chars().allMatch(Character::isDigit)) {
            int i;
            try {
                i = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                i = Integer.MAX_VALUE;
            }
            if (i >= all.size()) throw new InputException("--device " + sel + ": no OpenCL device with that index (devices: " + known + ")");
            return all.get(i);
        }
        String low = s.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(low)).findFirst()
                .orElseThrow(() -> new InputException("--device " + sel + ": no OpenCL device name contains it (devices: " + known + ")"));
    }

    /** The context (package-private: tests poke at buffers directly). */
    ClContext context() { return ctx; }

    /** The device the kernels run on. */
    public ClDevice device() { return ctx.device; }

    /** The tile configuration the kernels were compiled with for a precision (builds the program). */
    public synchronized TileConfig tiles(Precision p) { return ctx.program(p).tiles; }

    /** Tests: fill every output buffer with NaN before the kernels run, so an unwritten element shows. */
    public synchronized void setPoisonOutputs(boolean on) { ctx.setPoison(on); }

    /** Bytes one streamed block buffer may take (default: a quarter of GPU memory, 256 MiB on CPUs). */
    public synchronized void setBlockBytes(long bytes) {
        if (bytes < 4096) throw new IllegalArgumentException("block budget must be at least 4096 bytes, got " + bytes);
        blockBytes = Math.min(bytes, ctx.device.maxAlloc());
    }

    @Override
    public String name() { return "opencl"; }

    @Override
    public String describe() {
        ClDevice d = ctx.device;
        return "OpenCL " + d.name() + " (" + d.platformName() + ", " + d.type() + ", " + d.computeUnits() + " compute units, "
                + ClDevice.bytes(d.globalMem()) + ")";
    }

    // ---- Backend products ------------------------------------------------------------------------

    @Override
    public synchronized double[] multTransA(Matrix a, Matrix b) {
        resident.beginCall();
        requireSame(a, b, a.rows() == b.rows(), "rows");
        return crossProduct(a, b, false);
    }

    @Override
    public synchronized double[] multInner(Matrix a) {
        resident.beginCall();
        double[] c = crossProduct(a, a, true);
        mirrorUpper(c, a.cols());
        return c;
    }

    /** AᵀB (or the upper triangle of AᵀA) streamed over row chunks of the inputs. */
    private double[] crossProduct(Matrix a, Matrix b, boolean upper) {
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] out = new double[p * q];
        if (n == 0 || p == 0 || q == 0) return out;
        ClProgram prog = ctx.program(a.precision());
        int chunk = (int) Math.max(1, Math.min(n, blockBytes / ((long) Math.max(p, q) * prog.elemBytes)));
        return shrinking(chunk, "the product AᵀB of " + a + " and " + b, rows -> {
            Arrays.fill(out, 0);
            for (int r0 = 0; r0 < n; r0 += rows) {
                int r1 = Math.min(n, r0 + rows);
                try (DeviceBuffer da = upload(a, r0, r1, "A");
                     DeviceBuffer db = a == b ? null : upload(b, r0, r1, "B")) {
                    transA(prog, da, db == null ? da : db, r1 - r0, p, q, upper, out);
                }
            }
            return out;
        });
    }

    /**
     * out += AᵀB for device matrices A (rows×m) and B (rows×nc): split-K over the rows (each slice at
     * most {@link #SPLIT_ROWS} rows and enough slices to fill the device), partials combined by
     * reduce_splits in ACC precision and added on the host in float64.
     */
    private void transA(ClProgram p, DeviceBuffer a, DeviceBuffer b, int rows, int m, int nc, boolean upper, double[] out) {
        TileConfig t = p.tiles;
        long tiles = (long) ceilDiv(m, t.tsm()) * ceilDiv(nc, t.tsn());
        long want = 4L * Math.max(1, ctx.device.computeUnits());
        long lo = ceilDiv(rows, SPLIT_ROWS), hi = ceilDiv(rows, t.tsk());
        int splits = (int) Math.max(1, Math.min(hi, Math.max(lo, ceilDiv(want, tiles))));
        int splitLen = (int) roundUp(ceilDiv(rows, splits), t.tsk());
        splits = (int) ceilDiv(rows, splitLen);
        long outBytes = (long) m * nc * p.elemBytes;
        int perPass = (int) Math.max(1, Math.min(splits, blockBytes / outBytes));
        int count = m * nc;
        try (DeviceBuffer parts = ctx.output(perPass * outBytes, "split-K partial products " + m + "x" + nc + " x" + perPass);
             DeviceBuffer red = ctx.output((long) count * p.accBytes, "reduced product " + m + "x" + nc)) {
            for (int s0 = 0; s0 < splits; s0 += perPass) {
                int sc = Math.min(perPass, splits - s0);
                int k0 = s0 * splitLen;
                int kc = Math.min(rows - k0, sc * splitLen);
                ctx.launch(p, "gemm_tn").arg(m).arg(nc).arg(kc).arg(splitLen).arg(upper ? 1 : 0)
                        .arg(a).arg((long) k0 * m).arg(m).arg(b).arg((long) k0 * nc).arg(nc).arg(parts)
                        .run(new long[] {ceilDiv(nc, t.tsn()) * t.wgn(), ceilDiv(m, t.tsm()) * t.wgm(), sc},
                                new long[] {t.wgn(), t.wgm(), 1});
                ctx.launch(p, "reduce_splits").arg(count).arg(sc).arg(parts).arg(red).run(new long[] {count}, new long[] {linearWg()});
                double[] r = ctx.readReal(red, count, p.accBytes);
                for (int i = 0; i < count; i++) out[i] += r[i];
            }
        }
    }

    @Override
    public synchronized double[] multTransB(Matrix a, Matrix b) {
        resident.beginCall();
        requireSame(a, b, a.cols() == b.cols(), "columns");
        return gramBlocks(a, b, false);
    }

    /**
     * D_ij = ‖a_i − b_j‖², computed on data shifted by the column means of A (distances are
     * translation invariant; centring keeps the float32 expansion ‖a‖² + ‖b‖² − 2a·b accurate).
     */
    @Override
    public synchronized double[] squaredDistances(Matrix a, Matrix b) {
        resident.beginCall();
        requireSame(a, b, a.cols() == b.cols(), "columns");
        return gramBlocks(a, b, true);
    }

    private double[] gramBlocks(Matrix a, Matrix b, boolean distances) {
        int m = a.rows(), n = b.rows(), d = a.cols();
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + m + "x" + n + " result does not fit in one array; stream row blocks of A instead");
        }
        double[] out = new double[m * n];
        if (m == 0 || n == 0) return out;
        ClProgram p = ctx.program(a.precision());
        TileConfig t = p.tiles;
        try (DeviceBuffer ua = upload(a, 0, m, "A"); DeviceBuffer ub = a == b ? null : upload(b, 0, n, "B")) {
            DeviceBuffer da = ua, db = ub;
            DeviceBuffer na = null, nb = null;
            try {
                if (distances) {
                    double[] mu = columnMeans(p, ua, m, d);
                    da = centeredCopy(p, ua, m, d, mu, "centred A");
                    if (ub != null) db = centeredCopy(p, ub, n, d, mu, "centred B");
                    na = rowNorms(p, da, m, d);
                    nb = db == null ? na : rowNorms(p, db, n, d);
                }
                DeviceBuffer bb = db == null ? da : db;
                DeviceBuffer fa = da, fna = na == null ? da : na, fnb = nb == null ? da : nb;
                int b0 = blockRows(n, p.elemBytes, m, t.tsm());
                return shrinking(b0, (distances ? "squared distances " : "the product ABᵀ ") + m + "x" + n, rows -> {
                    try (DeviceBuffer c = ctx.output((long) rows * n * p.elemBytes, "result block " + rows + "x" + n)) {
                        for (int r0 = 0; r0 < m; r0 += rows) {
                            int r1 = Math.min(m, r0 + rows);
                            launchGram(p, r1 - r0, n, d, fa, (long) r0 * d, bb, 0, c, n, distances ? 1 : 0, fna, r0, fnb, 0,
                                    a == b, r0, 0, 0.0);
                            ctx.readRealInto(c, (r1 - r0) * n, p.elemBytes, out, (long) r0 * n);
                        }
                    }
                    return out;
                });
            } finally {
                if (na != null) na.close();
                if (nb != null && nb != na) nb.close();
                if (da != ua) da.close();
                if (db != null && db != ub) db.close();
            }
        }
    }

    private void launchGram(ClProgram p, int mRows, int nCols, int d, DeviceBuffer a, long offA, DeviceBuffer b, long offB,
                            DeviceBuffer c, int ldc, int mode, DeviceBuffer na, int naOff, DeviceBuffer nb, int nbOff,
                            boolean same, int rowBase, int colBase, double gamma) {
        TileConfig t = p.tiles;
        ctx.launch(p, "gemm_nt").arg(mRows).arg(nCols).arg(d).arg(a).arg(offA).arg(d).arg(b).arg(offB).arg(d).arg(c).arg(ldc)
                .arg(mode).arg(na).arg(naOff).arg(nb).arg(nbOff).arg(same ? 1 : 0).arg(rowBase).arg(colBase).real(gamma)
                .run(new long[] {ceilDiv(nCols, t.tsn()) * t.wgn(), ceilDiv(mRows, t.tsm()) * t.wgm()}, new long[] {t.wgn(), t.wgm()});
    }

    // ---- column statistics -----------------------------------------------------------------------

    /** Column means μ = Xᵀ1/n computed on the device (chunk partials combined in float64). */
    public synchronized double[] columnMeans(Matrix x) {
        resident.beginCall();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, x.rows(), "X")) {
            return columnMeans(p, dx, x.rows(), x.cols());
        }
    }

    /** X − 1μᵀ centred on the device, in X's precision. */
    public synchronized Matrix centered(Matrix x) {
        resident.beginCall();
        int n = x.rows(), d = x.cols();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, n, "X"); DeviceBuffer dy = ctx.output((long) n * d * p.elemBytes, "centred X")) {
            center(p, dx, dy, n, d, columnMeans(p, dx, n, d));
            double[] v = ctx.readReal(dy, n * d, p.elemBytes);
            return x.precision() == Precision.F64 ? Matrix.of(n, d, v) : Matrix.of(n, d, v).to(Precision.F32);
        }
    }

    private double[] columnMeans(ClProgram p, DeviceBuffer x, int n, int d) {
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

    private void center(ClProgram p, DeviceBuffer x, DeviceBuffer y, int n, int d, double[] mean) {
        try (DeviceBuffer mu = ctx.alloc((long) d * p.elemBytes, "column means")) {
            ctx.writeReal(mu, mean, p.precision);
            long count = (long) n * d;
            ctx.launch(p, "center_columns").arg(count).arg(d).arg(x).arg(mu).arg(y).run(new long[] {count}, new long[] {linearWg()});
            ctx.finish();
        }
    }

    /** A new buffer holding X − 1μᵀ (inputs may be cached: kernels never write into them). */
    private DeviceBuffer centeredCopy(ClProgram p, DeviceBuffer x, int n, int d, double[] mean, String what) {
        DeviceBuffer y = ctx.output((long) n * d * p.elemBytes, what);
        try {
            center(p, x, y, n, d, mean);
            return y;
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
    }

    private DeviceBuffer rowNorms(ClProgram p, DeviceBuffer x, int n, int d) {
        DeviceBuffer out = ctx.output((long) n * p.elemBytes, "row norms");
        ctx.launch(p, "row_sq_norms").arg(n).arg(d).arg(x).arg(out).run(new long[] {n}, new long[] {linearWg()});
        return out;
    }

    /** Squared row norms ‖x_i‖², computed on the device. */
    public synchronized double[] rowSquaredNorms(Matrix x) {
        resident.beginCall();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, x.rows(), "X"); DeviceBuffer nr = rowNorms(p, dx, x.rows(), x.cols())) {
            return ctx.readReal(nr, x.rows(), p.elemBytes);
        }
    }

    // ---- fused metric building blocks ------------------------------------------------------------

    /**
     * Column means and centred cross-products XᶜᵀYᶜ, XᶜᵀXᶜ, YᶜᵀYᶜ with one upload of each input:
     * centring and the three products run on the device (linear CKA in feature space, CCA family).
     */
    public synchronized CenteredProducts centeredProducts(Matrix x, Matrix y) {
        resident.beginCall();
        requireSame(x, y, x.rows() == y.rows(), "rows");
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer ux = upload(x, 0, n, "X"); DeviceBuffer uy = upload(y, 0, n, "Y")) {
            double[] mx = columnMeans(p, ux, n, dx), my = columnMeans(p, uy, n, dy);
            try (DeviceBuffer bx = centeredCopy(p, ux, n, dx, mx, "centred X"); DeviceBuffer by = centeredCopy(p, uy, n, dy, my, "centred Y")) {
            double[] sxy = new double[dx * dy], sxx = new double[dx * dx], syy = new double[dy * dy];
            transA(p, bx, by, n, dx, dy, false, sxy);
            transA(p, bx, bx, n, dx, dx, true, sxx);
            transA(p, by, by, n, dy, dy, true, syy);
            mirrorUpper(sxx, dx);
            mirrorUpper(syy, dy);
            return new CenteredProducts(n, dx, dy, mx, my, sxy, sxx, syy);
            }
        }
    }

    /**
     * HSIC statistics ({@link KernelStats}: ⟨K,L⟩, ‖K‖², ‖L‖², row sums, diagonals) of the Gram matrices
     * K = k_x(X) and L = k_y(Y), streamed in row blocks over the
     * upper block triangle (K and L are symmetric), so no n×n matrix is held anywhere. RBF inputs are
     * centred on the device first (distances do not change; float32 distances get more accurate).
     */
    public synchronized KernelStats gramStats(Matrix x, GramKernel kx, Matrix y, GramKernel ky) {
        resident.beginCall();
        requireSame(x, y, x.rows() == y.rows(), "rows");
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        if (n < 2) throw new IllegalArgumentException("Gram statistics need at least 2 rows, got " + n);
        ClProgram p = ctx.program(x.precision());
        TileConfig t = p.tiles;
        try (DeviceBuffer ux = upload(x, 0, n, "X"); DeviceBuffer uy = upload(y, 0, n, "Y");
             DeviceBuffer bx = kx.rbf() ? centeredCopy(p, ux, n, dx, columnMeans(p, ux, n, dx), "centred X") : ux.borrow();
             DeviceBuffer by = ky.rbf() ? centeredCopy(p, uy, n, dy, columnMeans(p, uy, n, dy), "centred Y") : uy.borrow()) {
            try (DeviceBuffer nx = rowNorms(p, bx, n, dx); DeviceBuffer ny = rowNorms(p, by, n, dy)) {
                double[] diagK = kx.rbf() ? ones(n) : ctx.readReal(nx, n, p.elemBytes);
                double[] diagL = ky.rbf() ? ones(n) : ctx.readReal(ny, n, p.elemBytes);
                int b0 = blockRows(n, 2L * p.elemBytes, Math.min(n, MAX_BLOCK_ROWS), t.tsm());
                int wg = t.reduceWg();
                return shrinking(b0, "Gram statistics for n=" + n + " (dx=" + dx + ", dy=" + dy + ")", rows -> {
                    double kl = 0, kk = 0, ll = 0;
                    double[] rk = new double[n], rl = new double[n];
                    long blockBytesNeeded = (long) rows * n * p.elemBytes;
                    try (DeviceBuffer kb = ctx.output(blockBytesNeeded, "K row block " + rows + "x" + n);
                         DeviceBuffer lb = ctx.output(blockBytesNeeded, "L row block " + rows + "x" + n);
                         DeviceBuffer pp = ctx.output(3L * rows * p.accBytes, "HSIC partial sums");
                         DeviceBuffer rkb = ctx.output((long) rows * p.accBytes, "K row sums");
                         DeviceBuffer rlb = ctx.output((long) rows * p.accBytes, "L row sums");
                         DeviceBuffer ckb = ctx.output((long) n * p.accBytes, "K column sums");
                         DeviceBuffer clb = ctx.output((long) n * p.accBytes, "L column sums")) {
                        for (int r0 = 0; r0 < n; r0 += rows) {
                            int r1 = Math.min(n, r0 + rows), br = r1 - r0, m = n - r0;
                            launchGram(p, br, m, dx, bx, (long) r0 * dx, bx, (long) r0 * dx, kb, m, kx.rbf() ? 2 : 0,
                                    nx, r0, nx, r0, true, r0, r0, kx.gamma());
                            launchGram(p, br, m, dy, by, (long) r0 * dy, by, (long) r0 * dy, lb, m, ky.rbf() ? 2 : 0,
                                    ny, r0, ny, r0, true, r0, r0, ky.gamma());
                            ctx.launch(p, "gram_row_stats").arg(m).arg(br).arg(kb).arg(lb).arg(pp).arg(rkb).arg(rlb)
                                    .run(new long[] {(long) br * wg}, new long[] {wg});
                            if (m > br) {
                                ctx.launch(p, "gram_col_sums").arg(br).arg(m).arg(kb).arg(ckb).run(new long[] {m}, new long[] {linearWg()});
                                ctx.launch(p, "gram_col_sums").arg(br).arg(m).arg(lb).arg(clb).run(new long[] {m}, new long[] {linearWg()});
                            }
                            double[] part = ctx.readReal(pp, 3 * br, p.accBytes);
                            double[] rks = ctx.readReal(rkb, br, p.accBytes), rls = ctx.readReal(rlb, br, p.accBytes);
                            for (int i = 0; i < br; i++) {
                                kl += part[3 * i];
                                kk += part[3 * i + 1];
                                ll += part[3 * i + 2];
                                rk[r0 + i] += rks[i];
                                rl[r0 + i] += rls[i];
                            }
                            if (m > br) {
                                double[] cks = ctx.readReal(ckb, m, p.accBytes), cls = ctx.readReal(clb, m, p.accBytes);
                                for (int j = br; j < m; j++) {
                                    rk[r0 + j] += cks[j];
                                    rl[r0 + j] += cls[j];
                                }
                            }
                        }
                    }
                    return new KernelStats(n, kl, kk, ll, rk, rl, diagK, diagL);
                });
            }
        }
    }

    /**
     * The k nearest other rows of every row of Z (Euclidean, or cosine on unit-normalised rows):
     * distance row blocks on the device, each reduced to its top k there, so only n·k values come back.
     */
    public synchronized Neighbours nearestNeighbours(Matrix z, int k, boolean cosine) {
        resident.beginCall();
        int n = z.rows(), d = z.cols();
        if (k < 1 || k >= n) throw new IllegalArgumentException("k must be in [1, n-1] = [1, " + (n - 1) + "], got " + k);
        long bad = z.firstNonFinite();
        if (bad >= 0) throw new IllegalArgumentException("non-finite value at row " + bad / d + ", column " + bad % d);
        ClProgram p = ctx.program(z.precision());
        TileConfig t = p.tiles;
        int wg = topkWorkGroup(k, p.elemBytes);
        try (DeviceBuffer bz = upload(z, 0, n, "Z")) {
            DeviceBuffer data, norms;
            DeviceBuffer unit;
            if (cosine) {
                try (DeviceBuffer raw = rowNorms(p, bz, n, d)) {
                    double[] r = ctx.readReal(raw, n, p.elemBytes);
                    for (int i = 0; i < n; i++) {
                        if (!(r[i] > 0)) throw new IllegalArgumentException("row " + i + " is all zeros: its cosine distance is undefined");
                    }
                    unit = ctx.output((long) n * d * p.elemBytes, "unit rows");
                    long count = (long) n * d;
                    ctx.launch(p, "normalize_rows").arg(count).arg(d).arg(bz).arg(raw).arg(unit).run(new long[] {count}, new long[] {linearWg()});
                    ctx.finish();
                }
                data = unit;
            } else {
                unit = centeredCopy(p, bz, n, d, columnMeans(p, bz, n, d), "centred Z");
                data = unit;
            }
            norms = rowNorms(p, data, n, d);
            try {
                DeviceBuffer fdata = data, fnorms = norms;
                int[] idx = new int[n * k];
                double[] dist = new double[n * k];
                int b0 = blockRows(n, p.elemBytes, Math.min(n, MAX_BLOCK_ROWS), t.tsm());
                return shrinking(b0, "nearest neighbours for n=" + n + ", d=" + d, rows -> {
                    try (DeviceBuffer db = ctx.output((long) rows * n * p.elemBytes, "distance block " + rows + "x" + n);
                         DeviceBuffer ib = ctx.output((long) rows * k * 4, "neighbour indices");
                         DeviceBuffer vb = ctx.output((long) rows * k * p.elemBytes, "neighbour distances")) {
                        for (int r0 = 0; r0 < n; r0 += rows) {
                            int br = Math.min(n, r0 + rows) - r0;
                            launchGram(p, br, n, d, fdata, (long) r0 * d, fdata, 0, db, n, 1, fnorms, r0, fnorms, 0, true, r0, 0, 0.0);
                            ctx.launch(p, "topk_rows").arg(n).arg(k).arg(r0).arg(db).arg(ib).arg(vb)
                                    .local((long) wg * k * p.elemBytes).local((long) wg * k * 4)
                                    .local((long) wg * p.elemBytes).local((long) wg * 4).local((long) wg * 4)
                                    .run(new long[] {(long) br * wg}, new long[] {wg});
                            int[] bi = ctx.readInts(ib, br * k);
                            double[] bv = ctx.readReal(vb, br * k, p.elemBytes);
                            System.arraycopy(bi, 0, idx, r0 * k, br * k);
                            System.arraycopy(bv, 0, dist, r0 * k, br * k);
                        }
                    }
                    return new Neighbours(n, k, idx, dist);
                });
            } finally {
                norms.close();
                unit.close();
            }
        }
    }

    /** Largest power-of-two work-group ≤ 64 whose per-item top-k lists fit in local memory. */
    private int topkWorkGroup(int k, int elem) {
        ClDevice d = ctx.device;
        int wg = 1;
        while (wg * 2 <= Math.min(64, d.maxWorkGroup())
                && (long) wg * 2 * k * (elem + 4) + (long) wg * 2 * (elem + 8) <= d.localMem()) wg *= 2;
        if ((long) wg * k * (elem + 4) + (long) wg * (elem + 8) > d.localMem()) {
            throw new IllegalArgumentException("k=" + k + " is too large for the local memory of " + d.name() + " (" + d.localMem() + " B)");
        }
        return wg;
    }

    // ---- host factorisations ---------------------------------------------------------------------

    @Override
    public synchronized Decompositions.Eigen eigenSymmetric(double[] a, int d) { return host().eigenSymmetric(a, d); }

    @Override
    public synchronized Decompositions.Svd svd(double[] a, int m, int n) { return host().svd(a, m, n); }

    private BlasBackend host() {
        if (host == null) host = BlasBackend.open();
        return host;
    }

    // ---- timings, lifetime -----------------------------------------------------------------------

    @Override
    public synchronized Map<String, Double> timings() { return ctx.timings(); }

    @Override
    public synchronized void resetTimings() { ctx.resetTimings(); }

    @Override
    public synchronized void close() {
        resident.close();
        ctx.close();
        if (host != null) host.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Drops the device copies of earlier inputs (benchmarks use it to time uploads every call). */
    public synchronized void clearResident() { resident.clear(); }

    /** Rows [r0, r1) of m on the device; whole matrices come from (and stay in) the resident cache. */
    private DeviceBuffer upload(Matrix m, int r0, int r1, String what) {
        if (r0 == 0 && r1 == m.rows()) {
            long size = (long) m.rows() * m.cols() * (m.precision() == Precision.F64 ? 8 : 4);
            return resident.get(m, size, () -> uploadRows(m, r0, r1, what));
        }
        return uploadRows(m, r0, r1, what);
    }

    private DeviceBuffer uploadRows(Matrix m, int r0, int r1, String what) {
        int d = m.cols();
        long count = (long) (r1 - r0) * d;
        int elem = m.precision() == Precision.F64 ? 8 : 4;
        DeviceBuffer b = ctx.alloc(count * elem, what + " (" + (r1 - r0) + "x" + d + " " + m.precision().label() + ")");
        try {
            if (count > 0) {
                if (m.precision() == Precision.F64) ctx.write(b, 0, m.f64(), r0 * d, (int) count);
                else ctx.write(b, 0, m.f32(), r0 * d, (int) count);
            }
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /**
     * Rows per streamed block whose buffer (rows × cols × bytesPerEntry) fits the block budget, at most
     * {@code limit}, rounded down to whole tiles when larger than one.
     */
    private int blockRows(int cols, long bytesPerEntry, int limit, int tile) {
        long rows = Math.max(1, blockBytes / Math.max(1, (long) cols * bytesPerEntry));
        rows = Math.min(rows, limit);
        if (rows > tile) rows = rows / tile * tile;
        return (int) rows;
    }

    /** Runs body with a block size, halving it after device out-of-memory until one row is left. */
    private <T> T shrinking(int initial, String what, IntFunction<T> body) {
        int b = Math.max(1, initial);
        while (true) {
            try {
                return body.apply(b);
            } catch (DeviceMemoryException e) {
                try {
                    ctx.finish();
                } catch (OpenClException ignored) {
                    // the queue reported the same failure again; the blocks are retried below or the first error is thrown
                }
                if (b == 1) {
                    throw new DeviceMemoryException(what + " does not fit on " + ctx.device.name() + " ("
                            + ClDevice.bytes(ctx.device.globalMem()) + " global memory) even in blocks of one row: " + e.getMessage(), e.code());
                }
                b = Math.max(1, b / 2);
            }
        }
    }

    private long linearWg() { return Math.min(64, ctx.device.maxWorkGroup()); }

    private static void requireSame(Matrix a, Matrix b, boolean shapeOk, String what) {
        if (a.precision() != b.precision()) throw new IllegalArgumentException("precision mismatch: " + a + " vs " + b);
        if (!shapeOk) throw new IllegalArgumentException("different number of " + what + ": " + a + " vs " + b);
    }

    static void mirrorUpper(double[] c, int d) {
        for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) c[i * d + j] = c[j * d + i];
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        Arrays.fill(o, 1.0);
        return o;
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    private static long roundUp(long a, long b) { return ceilDiv(a, b) * b; }
}
