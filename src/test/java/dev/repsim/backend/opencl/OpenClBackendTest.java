package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.FusedKernels;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.KernelStats;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every kernel of kernels/*.cl against a plain float64 reference, on the OpenCL device the tests find
 * (PoCL on the CPU in CI). There is no skipping: no OpenCL device is a failure. Outputs are poisoned
 * with NaN before every kernel, so an element a kernel fails to write fails the comparison. Sizes are
 * odd (not multiples of any tile), tiny, and include d = 1.
 *
 * <p>Tolerances: float64 results to 1e-11 relative to the magnitude of the summed terms; float32
 * results to 2e-5 relative to that magnitude (a few ulps of float32 times the depth of the bounded
 * partial sums); normalised quantities (CKA) to 1e-4 absolute in float32 and 1e-9 in float64.
 */
class OpenClBackendTest {
    static OpenClBackend cl;

    @BeforeAll
    static void open() {
        cl = OpenClBackend.open(null);   // throws (fails the class) when no OpenCL device is usable
        cl.setPoisonOutputs(true);
    }

    @AfterAll
    static void close() {
        if (cl != null) cl.close();
    }

    @BeforeEach
    void defaults() {
        cl.setBlockBytes(256L << 20);
    }

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] nd = {{1, 1}, {2, 1}, {3, 5}, {17, 1}, {33, 7}, {70, 3}, {131, 65}, {257, 130}};
        for (boolean f32 : new boolean[] {true, false}) for (int[] s : nd) out.add(Arguments.of(s[0], s[1], f32));
        return out.stream();
    }

    static double tol(boolean f32) { return f32 ? 2e-5 : 1e-11; }

    @Test
    void runsOnAnOpenClDevice() {
        assertFalse(ClDevices.list().devices().isEmpty(), "no OpenCL device found");
        assertEquals("opencl", cl.name());
        cl.resetTimings();
        cl.multInner(Reference.random(40, 3, 1, true));
        assertTrue(cl.timings().get("kernels") > 0, "no kernel time was recorded: the work did not run on the device");
        assertTrue(cl.timings().get("upload") > 0, "nothing was uploaded");
        double copy = cl.timings().get("upload_host_copy");
        assertTrue(copy > 0 && copy <= cl.timings().get("upload"), "the host copy is a part of the upload: " + cl.timings());
        assertTrue(cl.timings().get("download") > 0, "nothing was downloaded");
        assertTrue(cl.describe().contains(cl.device().name()));
        String staging = "transfers through pinned host staging, " + cl.context().stagingCopyThreads() + " copy thread";
        assertTrue(cl.describe().contains(staging), cl.describe());
    }

    @Test
    void poisonedOutputsReadBackAsNaN() {
        ClContext ctx = cl.context();
        try (DeviceBuffer b = ctx.output(64 * 8, "probe")) {
            for (double v : ctx.readReal(b, 64, 8)) assertTrue(Double.isNaN(v), "poison did not reach a float64 buffer");
            for (double v : ctx.readReal(b, 64, 4)) assertTrue(Double.isNaN(v), "poison did not reach a float32 buffer");
        }
    }

    @Test
    void transfersArePinnedByDefault() {
        assertTrue(cl.context().pinnedStaging(), "uploads and downloads should go through pinned host memory unless asked otherwise");
    }

    @Test
    void theStagingSettingTakesPinnedOrPageableOnly() {
        String old = System.getProperty("repsim.opencl.staging");
        try {
            System.setProperty("repsim.opencl.staging", "pageable");
            try (OpenClBackend b = OpenClBackend.open(null)) {
                assertFalse(b.context().pinnedStaging());
            }
            System.setProperty("repsim.opencl.staging", "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenClBackend.open(null));
            assertTrue(e.getMessage().contains("-Drepsim.opencl.staging=fast") && e.getMessage().contains("pinned or pageable"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("repsim.opencl.staging");
            else System.setProperty("repsim.opencl.staging", old);
        }
    }

    @Test
    void theCopyThreadSettingTakesOneToSixtyFour() {
        String old = System.getProperty("repsim.opencl.copyThreads");
        try {
            System.setProperty("repsim.opencl.copyThreads", "3");
            try (OpenClBackend b = OpenClBackend.open(null)) {
                assertEquals(3, b.context().stagingCopyThreads());
            }
            for (String bad : new String[] {"0", "65", "-2", "four", ""}) {
                System.setProperty("repsim.opencl.copyThreads", bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenClBackend.open(null), bad);
                assertTrue(e.getMessage().contains("-Drepsim.opencl.copyThreads=" + bad + ":") && e.getMessage().contains("1 to 64"), e.getMessage());
            }
        } finally {
            if (old == null) System.clearProperty("repsim.opencl.copyThreads");
            else System.setProperty("repsim.opencl.copyThreads", old);
        }
    }

    /**
     * Every transfer passes through two host staging halves in chunks. With 24-byte halves (3 doubles, 6
     * floats or ints) any transfer here crosses many chunk boundaries and alternates halves; the bits that
     * come back must be the bits that went up, from an offset into the source and into an offset of the
     * destination, in both staging modes, and with each chunk's copy split over 3 threads (parts of one
     * double or two floats, so every split point is hit). Then the kernels over such transfers still
     * match the reference.
     */
    @ParameterizedTest(name = "staging pinned={0}, {1} copy threads")
    @CsvSource({"true, 1", "false, 1", "true, 3", "false, 3"})
    void transfersCrossStagingChunksBitForBit(boolean pinned, int copyThreads) {
        ClContext ctx = cl.context();
        try {
            ctx.useStaging(pinned, 24, copyThreads, 8);
            java.util.SplittableRandom r = new java.util.SplittableRandom(41);
            double[] d = new double[101];
            float[] f = new float[203];
            for (int i = 0; i < d.length; i++) d[i] = r.nextDouble(-1, 1);
            for (int i = 0; i < f.length; i++) f[i] = (float) r.nextDouble(-1, 1);
            try (DeviceBuffer bd = ctx.alloc(8L * 100, "doubles"); DeviceBuffer bf = ctx.alloc(4L * 200, "floats")) {
                ctx.write(bd, 3, d, 5, 95);            // elements 5..99 of d to 3..97 of the buffer
                ctx.write(bf, 0, f, 1, 200);
                double[] back = new double[110];
                ctx.readRealInto(bd, 100, 8, back, 7);
                for (int i = 0; i < 95; i++) assertEquals(Double.doubleToRawLongBits(d[5 + i]), Double.doubleToRawLongBits(back[7 + 3 + i]), "double " + i);
                double[] fb = ctx.readReal(bf, 200, 4);
                for (int i = 0; i < 200; i++) assertEquals(f[1 + i], (float) fb[i], 0f, "float " + i);
                int[] ints = ctx.readInts(bf, 200);
                for (int i = 0; i < 200; i++) assertEquals(Float.floatToRawIntBits(f[1 + i]), ints[i], "int " + i);
            }
            cl.clearResident();
            Matrix a = Reference.random(131, 65, 43, true), b = Reference.random(131, 7, 44, false);
            assertClose(Reference.transA(a, a), Reference.transAAbs(a, a), cl.multInner(a), tol(true), "AᵀA through small chunks");
            assertClose(Reference.transB(b, b), absTransB(b, b), cl.multTransB(b, b), tol(false), "AAᵀ through small chunks");
        } finally {
            ctx.useDefaultStaging();
            cl.clearResident();
        }
    }

    @ParameterizedTest(name = "AᵀB n={0} d={1} f32={2}")
    @MethodSource("shapes")
    void multTransA(int n, int d, boolean f32) {
        Matrix a = Reference.random(n, d, 11, f32), b = Reference.random(n, d + 2, 12, f32);
        assertClose(Reference.transA(a, b), Reference.transAAbs(a, b), cl.multTransA(a, b), tol(f32), "AᵀB");
    }

    @ParameterizedTest(name = "AᵀA n={0} d={1} f32={2}")
    @MethodSource("shapes")
    void multInner(int n, int d, boolean f32) {
        Matrix a = Reference.random(n, d, 13, f32);
        assertClose(Reference.transA(a, a), Reference.transAAbs(a, a), cl.multInner(a), tol(f32), "AᵀA");
    }

    @Test
    void multTransAOverManySplitsAndChunks() {
        // n spans several split-K slices (4096 rows) and, with a small block budget, several upload chunks
        Matrix a = Reference.random(9001, 5, 14, true), b = Reference.random(9001, 3, 15, true);
        cl.setBlockBytes(64 * 1024);
        assertClose(Reference.transA(a, b), Reference.transAAbs(a, b), cl.multTransA(a, b), tol(true), "chunked AᵀB");
        Matrix a64 = a.to(Precision.F64);
        assertClose(Reference.transA(a64, a64), Reference.transAAbs(a64, a64), cl.multInner(a64), tol(false), "chunked AᵀA");
    }

    @ParameterizedTest(name = "ABᵀ n={0} d={1} f32={2}")
    @MethodSource("shapes")
    void multTransB(int n, int d, boolean f32) {
        Matrix a = Reference.random(n, d, 16, f32), b = Reference.random(n + 3, d, 17, f32);
        assertClose(Reference.transB(a, b), absTransB(a, b), cl.multTransB(a, b), tol(f32), "ABᵀ");
        cl.setBlockBytes(4096);   // row blocks of a few rows
        assertClose(Reference.transB(a, a), absTransB(a, a), cl.multTransB(a, a), tol(f32), "blocked AAᵀ");
    }

    @ParameterizedTest(name = "distances n={0} d={1} f32={2}")
    @MethodSource("shapes")
    void squaredDistances(int n, int d, boolean f32) {
        Matrix a = Reference.random(n, d, 18, f32), b = Reference.random(n + 1, d, 19, f32);
        double[] scale = distScale(a, b);
        assertClose(Reference.sqDist(a, b), scale, cl.squaredDistances(a, b), tol(f32) * 4, "distances");
        double[] self = cl.squaredDistances(a, a);
        for (int i = 0; i < n; i++) assertEquals(0.0, self[i * n + i], "self-distance of row " + i);
        assertClose(Reference.sqDist(a, a), distScale(a, a), self, tol(f32) * 4, "self distances");
    }

    @ParameterizedTest(name = "centring n={0} d={1} f32={2}")
    @MethodSource("shapes")
    void columnMeansAndCentring(int n, int d, boolean f32) {
        Matrix x = Reference.random(n, d, 20, f32);
        Matrix ref = Reference.centered64(x);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += x.get(i, c) / n;
        double[] got = cl.columnMeans(x);
        assertTrue(Reference.maxAbsDiff(mean, got) <= (f32 ? 1e-6 : 1e-13), "column means " + Reference.head(got));
        Matrix c = cl.centered(x);
        assertEquals(x.precision(), c.precision());
        double[] cv = c.to(Precision.F64).f64();
        assertTrue(Reference.maxAbsDiff(ref.f64(), cv) <= (f32 ? 1e-6 : 1e-13), "centred values " + Reference.head(cv));
        double[] norms = cl.rowSquaredNorms(x);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += x.get(i, k) * x.get(i, k);
            assertEquals(s, norms[i], s * tol(f32) + 1e-300, "row norm " + i);
        }
    }

    @Test
    void crossCovarianceMatchesTheReference() {
        for (boolean f32 : new boolean[] {true, false}) {
            Matrix x = Reference.random(301, 9, 21, f32), y = Reference.random(301, 4, 22, f32);
            CrossCovariance cp = cl.crossCovariance(x, y);
            Matrix xc = Reference.centered64(x), yc = Reference.centered64(y);
            assertEquals(301, cp.n());
            assertClose(Reference.transA(xc, yc), Reference.transAAbs(xc, yc), times(cp.covXY(), 300), tol(f32), "XᶜᵀYᶜ");
            assertClose(Reference.transA(xc, xc), Reference.transAAbs(xc, xc), times(cp.covXX(), 300), tol(f32), "XᶜᵀXᶜ");
            assertClose(Reference.transA(yc, yc), Reference.transAAbs(yc, yc), times(cp.covYY(), 300), tol(f32), "YᶜᵀYᶜ");
            double[] mx = cl.columnMeans(x);
            assertTrue(Reference.maxAbsDiff(mx, cp.meanX()) <= 1e-12, "means");
        }
    }

    /**
     * Linear CKA's squared norms reduced on the device against float64 products of the centred inputs:
     * a small case, and one whose split-K partials need several passes (a 64 KiB budget) over a
     * symmetric product wider than a tile. The bound is first order in the products' tolerance:
     * |Σ c² − Σ r²| ≤ Σ (2|r| + t)·t with t = tol · Σ|a||b| per entry.
     */
    @Test
    void centredProductNormsMatchTheReference() {
        for (boolean f32 : new boolean[] {true, false}) {
            for (int[] s : new int[][] {{301, 9, 4}, {9001, 70, 33}}) {
                Matrix x = Reference.random(s[0], s[1], 31, f32), y = Reference.random(s[0], s[2], 32, f32);
                if (s[0] > 1000) cl.setBlockBytes(64 * 1024);
                double xy = cl.centredProductNorm(x, y), xx = cl.centredProductNorm(x, x), yy = cl.centredProductNorm(y, y);
                cl.setBlockBytes(256L << 20);
                Matrix xc = Reference.centered64(x), yc = Reference.centered64(y);
                String at = (f32 ? "f32" : "f64") + " n=" + s[0];
                assertNormClose(Reference.transA(xc, yc), Reference.transAAbs(xc, yc), xy, tol(f32), "‖XᶜᵀYᶜ‖² " + at);
                assertNormClose(Reference.transA(xc, xc), Reference.transAAbs(xc, xc), xx, tol(f32), "‖XᶜᵀXᶜ‖² " + at);
                assertNormClose(Reference.transA(yc, yc), Reference.transAAbs(yc, yc), yy, tol(f32), "‖YᶜᵀYᶜ‖² " + at);
            }
        }
    }

    private static void assertNormClose(double[] want, double[] scale, double got, double tol, String what) {
        double ref = 0, bound = 0;
        for (int i = 0; i < want.length; i++) {
            double t = tol * scale[i];
            ref += want[i] * want[i];
            bound += (2 * Math.abs(want[i]) + t) * t;
        }
        assertTrue(Math.abs(got - ref) <= bound, what + ": " + got + " vs " + ref + " (bound " + bound + ")");
    }

    static Stream<Arguments> gramCases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean f32 : new boolean[] {true, false})
            for (boolean rbf : new boolean[] {false, true})
                for (int[] s : new int[][] {{4, 1, 2}, {9, 3, 1}, {67, 5, 9}, {150, 33, 17}})
                    out.add(Arguments.of(s[0], s[1], s[2], rbf, f32));
        return out.stream();
    }

    @ParameterizedTest(name = "Gram stats n={0} dx={1} dy={2} rbf={3} f32={4}")
    @MethodSource("gramCases")
    void gramStatisticsGiveCka(int n, int dx, int dy, boolean rbf, boolean f32) {
        Matrix x = Reference.random(n, dx, 23, f32);
        // Y depends on X so that CKA is far from 0 and the comparison is meaningful
        Matrix noise = Reference.random(n, dy, 24, f32);
        double[] yv = new double[n * dy];
        for (int i = 0; i < n; i++) for (int c = 0; c < dy; c++) yv[i * dy + c] = x.get(i, c % dx) + 0.5 * noise.get(i, c);
        Matrix y = f32 ? Matrix.of(n, dy, yv).to(Precision.F32) : Matrix.of(n, dy, yv);
        FusedKernels.Kernel kx = rbf ? FusedKernels.Kernel.gaussian(0.5 * dx) : FusedKernels.Kernel.LINEAR, ky = rbf ? FusedKernels.Kernel.gaussian(0.7 * dy) : FusedKernels.Kernel.LINEAR;
        double[] k = Reference.gram(x, kx), l = Reference.gram(y, ky);
        double tol = f32 ? 1e-4 : 1e-9;
        for (long block : new long[] {256L << 20, 4096}) {   // one block, and many row blocks
            cl.setBlockBytes(block);
            KernelStats s = cl.kernelStats(x, kx, y, ky);
            assertEquals(Reference.cka(k, l, n, false), s.biased().cka(), tol, "CKA, block budget " + block);
            if (n >= 4) assertEquals(Reference.cka(k, l, n, true), s.unbiased().cka(), tol, "debiased CKA, block budget " + block);
            double[] row = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) row[i] += k[i * n + j];
            double rowScale = 0;
            for (double v : k) rowScale += Math.abs(v);
            assertTrue(Reference.maxAbsDiff(row, s.rowK()) <= rowScale / n * (f32 ? 1e-5 : 1e-12), "row sums of K");
        }
    }

    @Test
    void knnMatchesTheReference() {
        for (boolean cosine : new boolean[] {false, true}) {
            for (int[] s : new int[][] {{2, 1, 1}, {5, 1, 3}, {70, 3, 5}, {203, 17, 10}}) {
                int n = s[0], d = s[1], k = s[2];
                Matrix z = Reference.random(n, d, 25 + n, false);
                cl.setBlockBytes(4096);
                Neighbours nb = cl.neighbourLists(z, k, cosine);
                assertArrayEquals(Reference.knn(z, k, cosine), nb.index(), "float64 neighbours n=" + n + " k=" + k + " cosine=" + cosine);
                // float32: ranks may swap on near-ties, so compare the distances of the chosen rows
                Matrix z32 = z.to(Precision.F32);
                Neighbours n32 = cl.neighbourLists(z32, k, cosine);
                Matrix u = cosine ? Reference.unitRows(z32) : z32;
                double[] dist = Reference.sqDist(u, u);
                int[] ref = Reference.knn(z32, k, cosine);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < k; r++) {
                        int j = n32.index()[i * k + r];
                        assertNotEquals(i, j, "a row is its own neighbour");
                        assertTrue(j >= 0 && j < n, "neighbour index out of range: " + j);
                        double want = dist[i * n + ref[i * k + r]], got = dist[i * n + j];
                        assertEquals(want, got, 1e-5 * (1 + want), "float32 rank " + r + " of row " + i);
                    }
                }
            }
        }
    }

    @Test
    void residentInputsAreReusedAndNeverModified() {
        Matrix x = Reference.random(90, 6, 31, true), y = Reference.random(90, 4, 32, true);
        cl.clearResident();
        long b0 = cl.context().uploadedBytes();
        double first = cl.kernelStats(x, FusedKernels.Kernel.gaussian(3.0), y, FusedKernels.Kernel.gaussian(2.0)).biased().cka();
        long b1 = cl.context().uploadedBytes();
        assertTrue(b1 - b0 >= 90L * 10 * 4, "the first call uploads X and Y");
        assertEquals(first, cl.kernelStats(x, FusedKernels.Kernel.gaussian(3.0), y, FusedKernels.Kernel.gaussian(2.0)).biased().cka(), 0.0, "same result from the cached copies");
        assertTrue(cl.context().uploadedBytes() - b1 < 90L * 4, "the second call re-uploaded its inputs (only column means should go up)");
        // the centring of the calls above must not have changed the cached X and Y
        cl.crossCovariance(x, y);
        cl.neighbourLists(x, 3, false);
        cl.squaredDistances(x, x);
        assertClose(Reference.transA(x, y), Reference.transAAbs(x, y), cl.multTransA(x, y), tol(true), "AᵀB of cached inputs");
        cl.clearResident();
    }

    @Test
    void theCacheDoesNotKeepHostMatricesAlive() throws InterruptedException {
        Matrix x = Reference.random(64, 5, 33, true);
        java.lang.ref.WeakReference<Matrix> ref = new java.lang.ref.WeakReference<>(x);
        cl.columnMeans(x);
        x = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "a matrix stayed reachable through the device cache");
        cl.columnMeans(Reference.random(3, 2, 34, true));   // a new call releases the collected entry's buffer
    }

    @Test
    void nanInputsPropagateToTheResults() {
        for (boolean f32 : new boolean[] {true, false}) {
            double[] v = Reference.random(20, 3, 26, false).f64().clone();
            v[7 * 3 + 1] = Double.NaN;
            Matrix a = f32 ? Matrix.of(20, 3, v).to(Precision.F32) : Matrix.of(20, 3, v);
            Matrix b = Reference.random(20, 3, 27, f32);
            assertTrue(Double.isNaN(cl.multTransA(a, b)[1 * 3]), "AᵀB row of the NaN column");
            double[] d = cl.squaredDistances(a, b);
            for (int j = 0; j < 20; j++) assertTrue(Double.isNaN(d[7 * 20 + j]), "distance from the NaN row to row " + j);
            double[] g = cl.multTransB(a, b);
            assertTrue(Double.isNaN(g[7 * 20]), "ABᵀ of the NaN row");
            assertTrue(Double.isNaN(cl.centredProductNorm(a, b)), "‖AᶜᵀBᶜ‖² with a NaN in A");
            assertTrue(Double.isNaN(cl.centredProductNorm(a, a)), "‖AᶜᵀAᶜ‖² with a NaN in A");
            assertFalse(Double.isNaN(cl.centredProductNorm(b, b)), "‖BᶜᵀBᶜ‖² without one");
        }
    }

    @Test
    void outOfDeviceMemoryShrinksTheBlocksThenNamesTheSizes() {
        Matrix x = Reference.random(300, 4, 28, true), y = Reference.random(300, 3, 29, true);
        FusedKernels.Kernel kx = FusedKernels.Kernel.gaussian(2.0), ky = FusedKernels.Kernel.gaussian(1.5);
        double want = cl.kernelStats(x, kx, y, ky).biased().cka();
        ClContext ctx = cl.context();
        try {
            // room for the data and for blocks of ~20 rows only: the first (300-row) block fails, halving recovers
            ctx.simulateMemoryLimit(20L * 300 * 4);
            assertEquals(want, cl.kernelStats(x, kx, y, ky).biased().cka(), 1e-6, "result after shrinking the row blocks");
            Matrix z = Reference.random(290, 4, 30, true);
            assertClose(Reference.transB(x, z), absTransB(x, z), cl.multTransB(x, z), tol(true), "ABᵀ after shrinking");
            // the data itself does not fit: a clear error naming the matrix, its shape and the sizes
            cl.clearResident();
            ctx.simulateMemoryLimit(1000);
            DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> cl.kernelStats(x, kx, y, ky));
            assertTrue(e.getMessage().contains("X (300x4 f32)") && e.getMessage().contains("4.7 KiB"), e.getMessage());
        } finally {
            ctx.simulateMemoryLimit(0);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Matrix z = Reference.random(5, 2, 1, true);
        assertThrows(IllegalArgumentException.class, () -> cl.neighbourLists(z, 5, false));
        float[] zero = new float[10];
        assertThrows(IllegalArgumentException.class, () -> cl.neighbourLists(Matrix.of(5, 2, zero), 2, true));
        assertThrows(IllegalArgumentException.class, () -> cl.multTransA(z, Reference.random(5, 2, 1, false)));
        assertThrows(IllegalArgumentException.class, () -> cl.multTransB(z, Reference.random(5, 3, 1, true)));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static double[] times(double[] a, double f) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] *= f;
        return r;
    }

    static double[] absTransB(Matrix a, Matrix b) {
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += Math.abs(a.get(i, k) * b.get(j, k));
            c[i * n + j] = s;
        }
        return c;
    }

    /** Error scale of the expansion ‖a‖² + ‖b‖² − 2a·b after centring: the centred squared norms. */
    static double[] distScale(Matrix a, Matrix b) {
        Matrix ac = Reference.centered64(a);
        double[] mu = new double[a.cols()];
        for (int c = 0; c < a.cols(); c++) mu[c] = a.get(0, c) - ac.get(0, c);
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] s = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double t = 0;
            for (int k = 0; k < d; k++) {
                double u = a.get(i, k) - mu[k], v = b.get(j, k) - mu[k];
                t += u * u + v * v;
            }
            s[i * n + j] = t + 1e-30;
        }
        return s;
    }

    static void assertClose(double[] want, double[] scale, double[] got, double rel, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            if (!(err <= rel * (scale[i] + 1e-300))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " (scale " + scale[i] + ", tolerance " + rel + ")");
            }
        }
    }
}
