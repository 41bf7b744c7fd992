package dev.repsim.backend.opencl;

import dev.repsim.backend.Backend;
import dev.repsim.backend.BlasBackend;
import dev.repsim.backend.Decompositions;
import dev.repsim.backend.Symmetric;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.FusedKernels;
import dev.repsim.metrics.KernelStats;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
public final class OpenClBackend implements Backend, FusedKernels {
    /** Default per-buffer budget of streamed blocks on CPU devices, whose "device memory" is the host's. */
    private static final long CPU_BLOCK_BYTES = 256L << 20;

    /** Most rows of a streamed Gram block: more blocks skip more of the lower block triangle. */
    static final int MAX_BLOCK_ROWS = 4096;

    private final ClContext ctx;
    private final DeviceOps ops;
    private final ResidentMatrices resident;
    private BlasBackend host;
    private final RowBlocks blocks;

    private OpenClBackend(ClContext ctx) {
        this.ctx = ctx;
        this.ops = new DeviceOps(ctx);
        ClDevice d = ctx.device;
        this.blocks = new RowBlocks(ctx, d.isGpu() ? Math.min(d.maxAlloc(), d.globalMem() / 4) : Math.min(d.maxAlloc(), CPU_BLOCK_BYTES));
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
        blocks.setBudget(Math.min(bytes, ctx.device.maxAlloc()));
    }

    @Override
    public String name() { return "opencl"; }

    @Override
    public String describe() {
        ClDevice d = ctx.device;
        int copiers = ctx.stagingCopyThreads();
        return "OpenCL " + d.name() + " (" + d.platformName() + ", " + d.type() + ", " + d.computeUnits() + " compute units, "
                + ClDevice.bytes(d.globalMem()) + "; transfers through " + (ctx.pinnedStaging() ? "pinned" : "pageable")
                + " host staging, " + copiers + " copy thread" + (copiers == 1 ? "" : "s") + ")";
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
        Symmetric.mirrorUpper(c, a.cols());
        return c;
    }

    /** AᵀB (or the upper triangle of AᵀA) streamed over row chunks of the inputs. */
    private double[] crossProduct(Matrix a, Matrix b, boolean upper) {
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] out = new double[p * q];
        if (n == 0 || p == 0 || q == 0) return out;
        ClProgram prog = ctx.program(a.precision());
        int chunk = (int) Math.max(1, Math.min(n, blocks.budget() / ((long) Math.max(p, q) * prog.elemBytes)));
        return blocks.shrinking(chunk, "the product AᵀB of " + a + " and " + b, rows -> {
            Arrays.fill(out, 0);
            for (int r0 = 0; r0 < n; r0 += rows) {
                int r1 = Math.min(n, r0 + rows);
                try (DeviceBuffer da = upload(a, r0, r1, "A");
                     DeviceBuffer db = a == b ? null : upload(b, r0, r1, "B")) {
                    ops.transA(prog, da, db == null ? da : db, r1 - r0, p, q, upper, blocks.budget(), out);
                }
            }
            return out;
        });
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
                    double[] mu = ops.columnMeans(p, ua, m, d);
                    da = ops.centeredCopy(p, ua, m, d, mu, "centred A");
                    if (ub != null) db = ops.centeredCopy(p, ub, n, d, mu, "centred B");
                    na = ops.rowNorms(p, da, m, d);
                    nb = db == null ? na : ops.rowNorms(p, db, n, d);
                }
                DeviceBuffer bb = db == null ? da : db;
                DeviceBuffer fa = da, fna = na == null ? da : na, fnb = nb == null ? da : nb;
                int b0 = blocks.rows(n, p.elemBytes, m, t.tsm());
                return blocks.shrinking(b0, (distances ? "squared distances " : "the product ABᵀ ") + m + "x" + n, rows -> {
                    try (DeviceBuffer c = ctx.output((long) rows * n * p.elemBytes, "result block " + rows + "x" + n)) {
                        for (int r0 = 0; r0 < m; r0 += rows) {
                            int r1 = Math.min(m, r0 + rows);
                            ops.launchGram(p, r1 - r0, n, d, fa, (long) r0 * d, bb, 0, c, n, distances ? 1 : 0, fna, r0, fnb, 0,
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


    // ---- column statistics -----------------------------------------------------------------------

    /** Column means μ = Xᵀ1/n computed on the device (chunk partials combined in float64). */
    public synchronized double[] columnMeans(Matrix x) {
        resident.beginCall();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, x.rows(), "X")) {
            return ops.columnMeans(p, dx, x.rows(), x.cols());
        }
    }

    /** X − 1μᵀ centred on the device, in X's precision. */
    public synchronized Matrix centered(Matrix x) {
        resident.beginCall();
        int n = x.rows(), d = x.cols();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, n, "X"); DeviceBuffer dy = ctx.output((long) n * d * p.elemBytes, "centred X")) {
            ops.center(p, dx, dy, n, d, ops.columnMeans(p, dx, n, d));
            double[] v = ctx.readReal(dy, n * d, p.elemBytes);
            return x.precision() == Precision.F64 ? Matrix.of(n, d, v) : Matrix.of(n, d, v).to(Precision.F32);
        }
    }





    /** Squared row norms ‖x_i‖², computed on the device. */
    public synchronized double[] rowSquaredNorms(Matrix x) {
        resident.beginCall();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer dx = upload(x, 0, x.rows(), "X"); DeviceBuffer nr = ops.rowNorms(p, dx, x.rows(), x.cols())) {
            return ctx.readReal(nr, x.rows(), p.elemBytes);
        }
    }

    // ---- fused metric building blocks ------------------------------------------------------------

    /**
     * The statistics of one block of rows (FusedKernels): column means and the centred co-moments
     * XᶜᵀYᶜ, XᶜᵀXᶜ, YᶜᵀYᶜ with one upload of each input; centring and the three products (split over
     * samples, partials combined in float64) run on the device. Linear CKA in feature space and the
     * CCA family follow from these.
     */
    @Override
    public synchronized CrossCovariance crossCovariance(Matrix x, Matrix y) {
        resident.beginCall();
        requireSame(x, y, x.rows() == y.rows(), "rows");
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        ClProgram p = ctx.program(x.precision());
        double[] mx = new double[dx], my = new double[dy];
        try (DeviceBuffer bx = centredCopy(p, x, "X", mx); DeviceBuffer by = centredCopy(p, y, "Y", my)) {
            double[] sxy = new double[dx * dy], sxx = new double[dx * dx], syy = new double[dy * dy];
            ops.transA(p, bx, by, n, dx, dy, false, blocks.budget(), sxy);
            ops.transA(p, bx, bx, n, dx, dx, true, blocks.budget(), sxx);
            ops.transA(p, by, by, n, dy, dy, true, blocks.budget(), syy);
            Symmetric.mirrorUpper(sxx, dx);
            Symmetric.mirrorUpper(syy, dy);
            return CrossCovariance.wrap(n, mx, my, sxx, syy, sxy);
        }
    }

    /** X − 1μᵀ in a new device buffer (X uploaded, or found resident), its column means μ put into {@code mean}. */
    private DeviceBuffer centredCopy(ClProgram p, Matrix x, String name, double[] mean) {
        int n = x.rows(), d = x.cols();
        try (DeviceBuffer u = upload(x, 0, n, name)) {
            System.arraycopy(ops.columnMeans(p, u, n, d), 0, mean, 0, d);
            return ops.centeredCopy(p, u, n, d, mean, "centred " + name);
        }
    }

    /**
     * ‖XᶜᵀYᶜ‖²_F with the same centring and products as {@link #crossCovariance}, reduced on the device
     * (sum_squares): a small download instead of a d×d product, and no d×d array on the host (at n =
     * 1 000, d = 2 048 those were most of a linear CKA call, results/gpu-h200). For x == y the product is
     * the symmetric one (upper triangle). Inputs stay resident, so the three norms of one linear CKA
     * upload X and Y once; each call centres its inputs again (two n×d kernels, small next to a product).
     */
    @Override
    public synchronized double centredProductNorm(Matrix x, Matrix y) {
        resident.beginCall();
        requireSame(x, y, x.rows() == y.rows(), "rows");
        boolean self = x == y;
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer bx = centredCopy(p, x, "X", new double[dx]); DeviceBuffer by = self ? null : centredCopy(p, y, "Y", new double[dy])) {
            return productNorm(p, bx, self ? bx : by, n, dx, dy, self);
        }
    }

    private double productNorm(ClProgram p, DeviceBuffer a, DeviceBuffer b, int n, int m, int nc, boolean upper) {
        try (DeviceBuffer c = ops.transA(p, a, b, n, m, nc, upper, blocks.budget())) {
            return ops.sumSquares(p, c, m, nc, upper);
        }
    }

    /**
     * HSIC statistics ({@link KernelStats}: ⟨K,L⟩, ‖K‖², ‖L‖², row sums, diagonals) of the Gram matrices
     * K = k_x(X) and L = k_y(Y), streamed in row blocks over the
     * upper block triangle (K and L are symmetric), so no n×n matrix is held anywhere. RBF inputs are
     * centred on the device first (distances do not change; float32 distances get more accurate).
     */
    @Override
    public synchronized KernelStats kernelStats(Matrix x, Kernel kx, Matrix y, Kernel ky) {
        resident.beginCall();
        requireSame(x, y, x.rows() == y.rows(), "rows");
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        if (n < 2) throw new IllegalArgumentException("Gram statistics need at least 2 rows, got " + n);
        for (Kernel k : new Kernel[] {kx, ky}) {
            if (k.rbf() && !(k.gamma() > 0 && Double.isFinite(k.gamma()))) {
                throw new IllegalArgumentException("RBF kernel needs a positive finite γ = 1/(2σ²), got " + k.gamma());
            }
        }
        ClProgram p = ctx.program(x.precision());
        try (DeviceBuffer ux = upload(x, 0, n, "X"); DeviceBuffer uy = upload(y, 0, n, "Y");
             DeviceBuffer bx = kx.rbf() ? ops.centeredCopy(p, ux, n, dx, ops.columnMeans(p, ux, n, dx), "centred X") : ux.borrow();
             DeviceBuffer by = ky.rbf() ? ops.centeredCopy(p, uy, n, dy, ops.columnMeans(p, uy, n, dy), "centred Y") : uy.borrow()) {
            try (DeviceBuffer nx = ops.rowNorms(p, bx, n, dx); DeviceBuffer ny = ops.rowNorms(p, by, n, dy)) {
                double[] diagK = kx.rbf() ? ones(n) : ctx.readReal(nx, n, p.elemBytes);
                double[] diagL = ky.rbf() ? ones(n) : ctx.readReal(ny, n, p.elemBytes);
                return GramStreaming.stream(ctx, ops, blocks, p, bx, nx, dx, kx, by, ny, dy, ky, n, diagK, diagL);
            }
        }
    }

    /**
     * The k nearest other rows of every row of Z (Euclidean, or cosine on unit-normalised rows):
     * distance row blocks on the device, each reduced to its top k there, so only n·k values come back.
     */
    @Override
    public synchronized int[][] nearestNeighbours(Matrix z, int k, boolean cosine) {
        Neighbours nb = neighbourLists(z, k, cosine);
        int[][] out = new int[nb.n()][k];
        for (int i = 0; i < nb.n(); i++) System.arraycopy(nb.index(), i * k, out[i], 0, k);
        return out;
    }

    /** The neighbour lists with their squared distances, as one flat array each. */
    public synchronized Neighbours neighbourLists(Matrix z, int k, boolean cosine) {
        resident.beginCall();
        int n = z.rows(), d = z.cols();
        if (k < 1 || k >= n) throw new IllegalArgumentException("k must be in [1, n-1] = [1, " + (n - 1) + "], got " + k);
        long bad = z.firstNonFinite();
        if (bad >= 0) throw new IllegalArgumentException("non-finite value at row " + bad / d + ", column " + bad % d);
        ClProgram p = ctx.program(z.precision());
        int wg = topkWorkGroup(k, p.elemBytes);   // checks first that k fits the device's local memory
        try (DeviceBuffer bz = upload(z, 0, n, "Z")) {
            DeviceBuffer data, norms;
            DeviceBuffer unit;
            if (cosine) {
                try (DeviceBuffer raw = ops.rowNorms(p, bz, n, d)) {
                    double[] r = ctx.readReal(raw, n, p.elemBytes);
                    for (int i = 0; i < n; i++) {
                        if (!(r[i] > 0)) throw new IllegalArgumentException("row " + i + " is all zeros: its cosine distance is undefined");
                    }
                    unit = ctx.output((long) n * d * p.elemBytes, "unit rows");
                    ops.normalizeRows(p, bz, raw, unit, n, d);
                }
                data = unit;
            } else {
                unit = ops.centeredCopy(p, bz, n, d, ops.columnMeans(p, bz, n, d), "centred Z");
                data = unit;
            }
            norms = ops.rowNorms(p, data, n, d);
            try {
                return NeighbourStreaming.stream(ctx, ops, blocks, p, data, norms, n, d, k, wg);
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
    public synchronized double[] inverseCholeskyFactor(double[] a, int d, double minPivot) { return host().inverseCholeskyFactor(a, d, minPivot); }

    @Override
    public synchronized Decompositions.Svd svd(double[] a, int m, int n) { return host().svd(a, m, n); }

    @Override
    public synchronized double[] singularValues(double[] a, int m, int n) { return host().singularValues(a, m, n); }

    @Override
    public synchronized Decompositions.Svd leftSvd(double[] a, int m, int n) { return host().leftSvd(a, m, n); }

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

    private static void requireSame(Matrix a, Matrix b, boolean shapeOk, String what) {
        if (a.precision() != b.precision()) throw new IllegalArgumentException("precision mismatch: " + a + " vs " + b);
        if (!shapeOk) throw new IllegalArgumentException("different number of " + what + ": " + a + " vs " + b);
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        Arrays.fill(o, 1.0);
        return o;
    }



}
