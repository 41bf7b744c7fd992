package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the java backend promises beyond {@link BackendContractTest}: float32 products accumulate in
 * blocks of {@link FloatPackedKernel#KC} terms (so their error does not grow with n), non-finite inputs
 * reach exactly the outputs they feed (zero padding of partial tiles must not leak NaN), and bad sizes fail.
 */
class JavaBackendTest {
    private static JavaBackend backend;

    @BeforeAll
    static void open() { backend = new JavaBackend(3); }

    @AfterAll
    static void close() { backend.close(); }

    /**
     * n = 300 000 positive terms (column 0 constant, so that rounding errors do not cancel): float32
     * accumulation over all of them errs by far more than blocked accumulation may,
     * (kc + {@link BlockedGemm#NARROW_SLICES})·2⁻²⁴ ≈ 1.7e-5 of Σ|a||b| (plus n·2⁻⁵³ for the float64 sums).
     * The test checks that it would catch that.
     */
    @Test
    void float32AccumulationIsBlocked() {
        int n = 300_000, d = 3;
        Random r = new Random(7);
        float[] x = new float[n * d], y = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            boolean constant = i % d == 0;
            x[i] = constant ? 0.1f : 0.1f + r.nextFloat();
            y[i] = constant ? 0.1f : 0.1f + r.nextFloat();
        }
        Matrix a = Matrix.of(n, d, x), b = Matrix.of(n, d, y);
        double tol = float32Bound(n);
        float naive = 0;
        double exact = 0;
        for (int k = 0; k < n; k++) {
            naive = Math.fma(x[k * d], y[k * d], naive);
            exact += (double) x[k * d] * y[k * d];
        }
        assertTrue(Math.abs(naive - exact) > 10 * tol * exact, "unblocked float32 sum would pass: test has no power");
        BackendContractTest.assertProduct(ProductReference.transA(a, b, false), ProductReference.transA(a, b, true),
                backend.multTransA(a, b), tol, "AᵀB f32 n=" + n);
        BackendContractTest.assertProduct(ProductReference.transA(a, a, false), ProductReference.transA(a, a, true),
                backend.multInner(a), tol, "AᵀA f32 n=" + n);
        Matrix at = Matrix.of(d, n, x), bt = Matrix.of(d, n, y); // the reduction along rows: ABᵀ
        BackendContractTest.assertProduct(ProductReference.transB(at, bt, false), ProductReference.transB(at, bt, true),
                backend.multTransB(at, bt), tol, "ABᵀ f32 d=" + n);
    }

    /** The documented error bound of a float32 product over k terms, relative to Σ|a||b| (FloatPackedKernel). */
    private static double float32Bound(int k) {
        return (FloatPackedKernel.KC + BlockedGemm.NARROW_SLICES) * 0x1p-24 + k * 0x1p-53;
    }

    /**
     * A float32 product adds exactly what {@link FloatPackedKernel} and {@link BlockedGemm#NARROW_SLICES}
     * document, in that order: each slice's products by float32 multiply-adds in k order; a run's slice
     * sums in float32 segments of 32 slices, the segments in float64 (a run of one segment: that segment
     * alone); the runs in run order. A scalar model of that arithmetic must give every bit of AᵀB and of
     * AᵀA's upper triangle, in the reduction split (3 threads, 6 runs) and in output splits (one run),
     * with runs longer than a segment and of one short segment, a last partial slice and partial register
     * tiles.
     */
    @Test
    void float32SumsFollowTheDocumentedOrder() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (int slices : new int[] {6 * (2 * BlockedGemm.NARROW_SLICES + 5), 5}) {
                for (java.util.concurrent.ForkJoinPool p : new java.util.concurrent.ForkJoinPool[] {null, pool}) {
                    for (boolean symmetric : new boolean[] {false, true}) assertDocumentedSums(slices, p, symmetric);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** {@link #float32SumsFollowTheDocumentedOrder} for one depth (in slices, the last short), pool and product. */
    private static void assertDocumentedSums(int slices, java.util.concurrent.ForkJoinPool p, boolean symmetric) {
        int kc = FloatPackedKernel.KC, m = 13, cols = symmetric ? m : 11, k = slices * kc - 100;
        float[] x = ProductReference.random(k, m, true, 61).f32();
        float[] right = symmetric ? x : ProductReference.random(k, cols, true, 62).f32();
        boolean deep = slices > 5 && p != null;
        int runs = deep ? 6 : 1;
        FloatPackedKernel kernel = new FloatPackedKernel(x, m, PackedKernel.Layout.K_ROWS, right, cols, PackedKernel.Layout.K_ROWS);
        String label = (symmetric ? "AᵀA" : "AᵀB") + " k=" + k + (p == null ? ", 1 thread" : ", 3 threads");
        assertEquals(deep, p != null && BlockedGemm.splitsReduction(kernel, m, cols, k, 3)
                && (long) m * cols * k / (symmetric ? 2 : 1) >= BlockedGemm.PARALLEL_MIN_FMA, label + ": takes the wrong split");
        double[] c = new double[m * cols];
        BlockedGemm.product(kernel, m, cols, k, symmetric, p, c);
        for (int i = 0; i < m; i++) {
            for (int j = symmetric ? i : 0; j < cols; j++) {
                double model = 0;
                for (int g = 0; g < runs; g++) {
                    int first = slices * g / runs, end = slices * (g + 1) / runs;
                    double wide = 0;
                    float segment = 0;
                    for (int s = first; s < end; s++) {
                        float slice = 0;
                        for (int t = s * kc; t < Math.min(k, (s + 1) * kc); t++) slice = Math.fma(x[t * m + i], right[t * cols + j], slice);
                        segment += slice;
                        if ((s - first) % BlockedGemm.NARROW_SLICES == BlockedGemm.NARROW_SLICES - 1 && s < end - 1) {
                            wide += segment;
                            segment = 0;
                        }
                    }
                    double run = end - first > BlockedGemm.NARROW_SLICES ? wide + segment : segment;
                    model = g == 0 ? run : model + run;
                }
                assertEquals(Double.doubleToRawLongBits(model), Double.doubleToRawLongBits(c[i * cols + j]),
                        label + " [" + i + "," + j + "]: " + c[i * cols + j] + ", the documented sums give " + model);
            }
        }
    }

    /** An Inf or NaN in row k of A and B reaches exactly the entries that multiply it, however tiles are padded. */
    @Test
    void nonFiniteInputsReachOnlyTheirOutputs() {
        for (boolean f32 : new boolean[] {false, true}) {
            int n = 300, p = 7, q = 9;
            Matrix a = poisoned(n, p, f32, 11, 5, 3, Double.POSITIVE_INFINITY);
            Matrix b = poisoned(n, q, f32, 12, 17, 8, Double.NaN);
            double[] c = backend.multTransA(a, b);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < q; j++) {
                    assertEquals(i == 3 || j == 8, !Double.isFinite(c[i * q + j]), "AᵀB[" + i + "," + j + "] f32=" + f32);
                }
            }
            double[] inner = backend.multInner(a);
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    assertEquals(i == 3 || j == 3, !Double.isFinite(inner[i * p + j]), "AᵀA[" + i + "," + j + "]");
                }
            }
            // ABᵀ: rows of A and B are the samples; poison one row of each.
            Matrix x = poisoned(13, 11, f32, 13, 4, 6, Double.NEGATIVE_INFINITY);
            Matrix y = poisoned(23, 11, f32, 14, 19, 2, Double.NaN);
            double[] g = backend.multTransB(x, y);
            for (int i = 0; i < 13; i++) {
                for (int j = 0; j < 23; j++) {
                    assertEquals(i == 4 || j == 19, !Double.isFinite(g[i * 23 + j]), "ABᵀ[" + i + "," + j + "]");
                }
            }
            double[] gram = backend.multTransB(x, x);
            for (int i = 0; i < 13; i++) {
                for (int j = 0; j < 13; j++) {
                    assertEquals(i == 4 || j == 4, !Double.isFinite(gram[i * 13 + j]), "AAᵀ[" + i + "," + j + "]");
                }
            }
        }
    }

    /**
     * Both ways {@link BlockedGemm} shares a product between threads, against the float64 reference: a
     * deep AᵀB (K ≫ M, N: runs of reduction slices into partial C) and a shallow one (K ≈ M, N: disjoint
     * output tiles). The shapes are checked to take each path. Output tiles add every entry's slices in
     * order whatever the tiling, so that path gives the same bits on 1 and 3 threads.
     */
    @Test
    void bothThreadSplitsMatchTheReference() {
        try (JavaBackend single = new JavaBackend(1)) {
            for (boolean f32 : new boolean[] {false, true}) {
                for (int[] shape : new int[][] {{8192, 64, 48}, {320, 300, 280}}) {
                    int k = shape[0], m = shape[1], n = shape[2];
                    boolean deep = k > 1000;
                    Matrix a = ProductReference.random(k, m, f32, 21 + m), b = ProductReference.random(k, n, f32, 22 + n);
                    PackedKernel kernel = f32
                            ? new FloatPackedKernel(a.f32(), m, PackedKernel.Layout.K_ROWS, b.f32(), n, PackedKernel.Layout.K_ROWS)
                            : new DoublePackedKernel(a.f64(), m, PackedKernel.Layout.K_ROWS, b.f64(), n, PackedKernel.Layout.K_ROWS);
                    String label = (deep ? "deep" : "shallow") + " AᵀB " + (f32 ? "f32" : "f64") + " k=" + k;
                    assertEquals(deep, BlockedGemm.splitsReduction(kernel, m, n, k, 3), label + ": takes the wrong split");
                    // With slices enough for both, the depth against the output decides.
                    int kk = 8 * kernel.kc(), edge = kk / kernel.splitDepthRatio();
                    assertTrue(BlockedGemm.splitsReduction(kernel, edge, edge, kk, 3), label + ": " + edge + "², K = " + kk);
                    assertFalse(BlockedGemm.splitsReduction(kernel, edge + 1, edge + 1, kk, 3), label + ": " + (edge + 1) + "², K = " + kk);
                    double tol = f32 ? float32Bound(k) : 1e-12;
                    double[] c = backend.multTransA(a, b);
                    BackendContractTest.assertProduct(ProductReference.transA(a, b, false), ProductReference.transA(a, b, true),
                            c, tol, label);
                    assertTrue(Arrays.equals(c, backend.multTransA(a, b)), label + ": differs between calls");
                    if (!deep) assertTrue(Arrays.equals(c, single.multTransA(a, b)), label + ": differs between 3 threads and 1");
                }
            }
        }
    }

    /**
     * Output splits store the last reduction slice of their full register tiles straight into row-major C
     * ({@link PackedKernel.Direct}); the partial tiles at the right and bottom edges still go through tile
     * layout. And they either share one packed B̂ between row strips or let every tile pack its own. All
     * four ways add the same slices in the same order, so the bits must agree with tiles copied out of
     * tile layout: ABᵀ and the upper triangle of AAᵀ, with partial tiles on both edges, on one thread and
     * three, with one reduction slice and with three (the last one partial).
     */
    @Test
    void outputSplitsAgreeBitForBit() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (boolean f32 : new boolean[] {false, true}) {
                for (int slices : new int[] {1, 3}) {
                    int m = 301, n = 283;
                    int kc = f32 ? FloatPackedKernel.KC : DoublePackedKernel.KC;
                    int k = (slices - 1) * kc + 17;
                    Matrix a = ProductReference.random(m, k, f32, 31 + k), b = ProductReference.random(n, k, f32, 32 + k);
                    for (boolean symmetric : new boolean[] {false, true}) {
                        Matrix right = symmetric ? a : b;
                        int cols = right.rows();
                        PackedKernel kernel = f32
                                ? new FloatPackedKernel(a.f32(), k, PackedKernel.Layout.K_COLS, right.f32(), k, PackedKernel.Layout.K_COLS)
                                : new DoublePackedKernel(a.f64(), k, PackedKernel.Layout.K_COLS, right.f64(), k, PackedKernel.Layout.K_COLS);
                        String label = (symmetric ? "AAᵀ " : "ABᵀ ") + (f32 ? "f32" : "f64") + " k=" + k;
                        assertFalse(BlockedGemm.splitsReduction(kernel, m, cols, k, 3), label + ": takes the reduction split");
                        assertTrue(m % kernel.mr() != 0 && cols % kernel.nr() != 0, label + ": no partial tiles on an edge");
                        assertTrue(BlockedGemm.StripPlan.of(kernel, m, cols, k, symmetric, 3).storeValues() <= BlockedGemm.SHARED_RIGHT_MAX,
                                label + ": too wide for shared strips");
                        for (java.util.concurrent.ForkJoinPool p : new java.util.concurrent.ForkJoinPool[] {null, pool}) {
                            double[] viaTiles = new double[m * cols];
                            BlockedGemm.product(kernel, m, cols, k, symmetric, p, viaTiles, false, false);
                            for (boolean shared : new boolean[] {false, true}) {
                                for (boolean direct : new boolean[] {false, true}) {
                                    if (!shared && !direct) continue;
                                    double[] other = new double[m * cols];
                                    BlockedGemm.product(kernel, m, cols, k, symmetric, p, other, direct, shared);
                                    String way = (shared ? "strips sharing B̂" : "own tiles") + (direct ? ", stored directly" : ", through tile layout");
                                    for (int i = 0; i < m; i++) {
                                        for (int j = symmetric ? i : 0; j < cols; j++) {
                                            int at = i * cols + j;
                                            if (Double.doubleToRawLongBits(viaTiles[at]) != Double.doubleToRawLongBits(other[at])) {
                                                throw new AssertionError(label + (p == null ? ", 1 thread" : ", 3 threads") + ": C[" + i + "," + j + "] = "
                                                        + other[at] + " with " + way + ", " + viaTiles[at] + " with own tiles through tile layout");
                                            }
                                        }
                                    }
                                    assertTrue(Math.abs(other[(m - 1) * cols + cols - 1]) > 0, label + ", " + way + ": the last entry was not written");
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The centred ZᵀZ of linear CKA and CCA (Z = [Ā | B̄], centred while packing) through both output
     * splits, on rows few enough that the reduction is not split: strips that share one packed B̂ and
     * tiles that pack their own give the same bits for its upper triangle, on one thread and three.
     */
    @Test
    void centredProductAgreesBitForBitInBothOutputSplits() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (boolean f32 : new boolean[] {false, true}) {
                int rows = 2 * (f32 ? FloatPackedKernel.KC : DoublePackedKernel.KC) + 17;
                Matrix a = shifted(rows, 150, f32, 41), b = shifted(rows, 133, f32, 42);
                CenteredColumns z = new CenteredColumns(a, a.columnMeans(), b, b.columnMeans());
                PackedKernel kernel = f32 ? new FloatPackedKernel(z) : new DoublePackedKernel(z);
                int w = z.width();
                String label = "ZᵀZ " + (f32 ? "f32" : "f64") + " rows=" + rows;
                assertFalse(BlockedGemm.splitsReduction(kernel, w, w, rows, 3), label + ": takes the reduction split");
                assertTrue(BlockedGemm.StripPlan.of(kernel, w, w, rows, true, 3).storeValues() <= BlockedGemm.SHARED_RIGHT_MAX,
                        label + ": too wide for shared strips");
                for (java.util.concurrent.ForkJoinPool p : new java.util.concurrent.ForkJoinPool[] {null, pool}) {
                    double[] tiles = new double[w * w], strips = new double[w * w];
                    BlockedGemm.product(kernel, w, w, rows, true, p, tiles, true, false);
                    BlockedGemm.product(kernel, w, w, rows, true, p, strips, true, true);
                    for (int i = 0; i < w; i++) {
                        for (int j = i; j < w; j++) {
                            if (Double.doubleToRawLongBits(tiles[i * w + j]) != Double.doubleToRawLongBits(strips[i * w + j])) {
                                throw new AssertionError(label + (p == null ? ", 1 thread" : ", 3 threads") + ": C[" + i + "," + j + "] = "
                                        + strips[i * w + j] + " with strips sharing B̂, " + tiles[i * w + j] + " with own tiles");
                            }
                        }
                    }
                    assertTrue(strips[w * w - 1] > 0, label + ": the last diagonal entry was not written");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Random values around 3 rather than 0, so that centring changes every value. */
    private static Matrix shifted(int rows, int cols, boolean f32, long seed) {
        java.util.Random r = new java.util.Random(seed);
        if (!f32) return Matrix.of(rows, cols, r.doubles(rows * cols).map(v -> 3 + v).toArray());
        float[] f = new float[rows * cols];
        for (int i = 0; i < f.length; i++) f[i] = (float) (3 + r.nextGaussian());
        return Matrix.of(rows, cols, f);
    }

    /**
     * Â's micro-panels, packed from the operand ({@code pack}, K_ROWS), from its centred columns
     * ({@code packCentered}, with zero means) and copied out of a packed B̂ of the same operand
     * ({@code panelsFromRight}, the symmetric products' shortcut), hold exactly the
     * operand's values in the documented layout, {@code dst[p·kc·MR + k·MR + i]} = column x0 + p·MR + i of
     * row k0 + k, zero past xc. Checked at every offset of a panel's first column within a B̂ micro-panel
     * (whole in one, or split across two), with partial last panels and a depth that is no multiple of a
     * vector length; both destinations start filled with NaN, so an entry left unwritten fails too.
     */
    @Test
    void leftPanelsHoldTheOperandInPanelLayout() {
        Random r = new Random(17);
        int kc = 37, depth = 50, k0 = 9;
        int fr = FloatPackedKernel.NR, fm = FloatPackedKernel.MR, cols = 3 * fr + 11;
        float[] f = new float[depth * cols];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        float[] rightF = new float[(cols + fr - 1) / fr * fr * kc];
        FloatPackedKernel.pack(f, cols, PackedKernel.Layout.K_ROWS, 0, cols, k0, kc, fr, rightF);
        int dr = DoublePackedKernel.NR, dm = DoublePackedKernel.MR, dcols = 3 * dr + 11;
        double[] g = r.doubles(depth * dcols).toArray();
        double[] rightD = new double[(dcols + dr - 1) / dr * dr * kc];
        DoublePackedKernel.pack(g, dcols, PackedKernel.Layout.K_ROWS, 0, dcols, k0, kc, dr, rightD);
        // Z = [F | one zero column] with zero means: its first columns are F's values exactly.
        CenteredColumns zf = new CenteredColumns(Matrix.of(depth, cols, f), new double[cols], Matrix.of(depth, 1, new float[depth]), new double[1]);
        CenteredColumns zg = new CenteredColumns(Matrix.of(depth, dcols, g), new double[dcols], Matrix.of(depth, 1, new double[depth]), new double[1]);
        double[] wide = new double[f.length];
        for (int i = 0; i < f.length; i++) wide[i] = f[i];
        for (int x0 = 0; x0 < 2 * fr; x0++) {
            for (int xc : new int[] {1, fm - 1, fm, 2 * fm + 1, 5 * fm, cols - 2 * fr}) {
                int size = (xc + fm - 1) / fm * fm * kc;
                float[] copied = nans(size), packed = nans(size), centred = nans(size);
                FloatPackedKernel.panelsFromRight(rightF, x0, xc, kc, copied);
                FloatPackedKernel.pack(f, cols, PackedKernel.Layout.K_ROWS, x0, xc, k0, kc, fm, packed);
                FloatPackedKernel.packCentered(zf, x0, xc, k0, kc, fm, centred, new float[FloatPackedKernel.GROUP * xc]);
                assertPanelLayout(wide, cols, k0, kc, fm, x0, xc, "float32", copied, packed, centred);
            }
        }
        for (int x0 = 0; x0 < 2 * dr; x0++) {
            for (int xc : new int[] {1, dm - 1, dm, dm + 5, 2 * dm + 1, dcols - 2 * dr}) {
                int size = (xc + dm - 1) / dm * dm * kc;
                double[] copied = new double[size], packed = new double[size], centred = new double[size];
                for (double[] out : new double[][] {copied, packed, centred}) Arrays.fill(out, Double.NaN);
                DoublePackedKernel.panelsFromRight(rightD, x0, xc, kc, copied);
                DoublePackedKernel.pack(g, dcols, PackedKernel.Layout.K_ROWS, x0, xc, k0, kc, dm, packed);
                DoublePackedKernel.packCentered(zg, x0, xc, k0, kc, dm, centred, new double[DoublePackedKernel.GROUP * xc]);
                assertPanelLayout(g, dcols, k0, kc, dm, x0, xc, "float64", copied, packed, centred);
            }
        }
    }

    private static float[] nans(int size) {
        float[] a = new float[size];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /**
     * Each of {@code packed} (float[] or double[]) holds the columns [x0, x0+xc) of rows [k0, k0+kc) of the
     * row-major operand (leading dimension ld) as mr-wide micro-panels, dst[p·kc·mr + k·mr + i], zero past xc.
     */
    private static void assertPanelLayout(double[] operand, int ld, int k0, int kc, int mr, int x0, int xc, String what, Object... packed) {
        int panels = (xc + mr - 1) / mr;
        double[] expected = new double[panels * kc * mr];
        for (int p = 0; p < panels; p++) {
            for (int k = 0; k < kc; k++) {
                for (int i = 0; i < mr; i++) {
                    int x = p * mr + i;
                    expected[(p * kc + k) * mr + i] = x < xc ? operand[(k0 + k) * ld + x0 + x] : 0;
                }
            }
        }
        String[] names = {"copied", "packed", "centred"};
        for (int v = 0; v < packed.length; v++) {
            double[] got = packed[v] instanceof float[] fl ? new double[fl.length] : (double[]) packed[v];
            if (packed[v] instanceof float[] fl) for (int e = 0; e < fl.length; e++) got[e] = fl[e];
            assertTrue(Arrays.equals(expected, got), what + " " + names[v] + ", columns " + x0 + " + " + xc
                    + ": first difference at entry " + Arrays.mismatch(expected, got));
        }
    }

    /** The A/B panel-depth settings (-Drepsim.f64.kc, -Drepsim.f32.kc) take integers in [1, 4096]; others fail, naming the property. */
    @Test
    void panelDepthSettingsAreChecked() {
        String p = "repsim.test.kc"; // a name of the test's own: the kernels read theirs once, at class load
        try {
            System.clearProperty(p);
            assertEquals(192, PackedKernel.depthSetting(p, 192));
            System.setProperty(p, " 300 ");
            assertEquals(300, PackedKernel.depthSetting(p, 192));
            for (String bad : new String[] {"0", "-5", "4097", "12x", ""}) {
                System.setProperty(p, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedKernel.depthSetting(p, 192), bad);
                assertTrue(e.getMessage().contains("-D" + p + "=" + bad), e.getMessage());
            }
        } finally {
            System.clearProperty(p);
        }
    }

    @Test
    void emptyReductionGivesZeros() {
        double[] c = backend.multTransA(Matrix.of(0, 3, new double[0]), Matrix.of(0, 2, new double[0]));
        assertTrue(Arrays.equals(new double[6], c));
        assertEquals(0, backend.multTransB(Matrix.of(0, 4, new float[0]), Matrix.of(5, 4, new float[20])).length);
    }

    @Test
    void rejectsProductsBeyondOneArray() {
        Matrix tall = Matrix.of(50_000, 1, new double[50_000]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.multTransB(tall, tall));
        assertTrue(e.getMessage().contains("50000x50000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JavaBackend(0));
    }

    @Test
    void describesItself() {
        assertEquals("java", backend.name());
        assertTrue(backend.describe().contains("3 threads"), backend.describe());
        assertFalse(new JavaBackend(1).describe().isEmpty());
    }

    private static Matrix poisoned(int rows, int cols, boolean f32, long seed, int r, int c, double value) {
        Matrix m = ProductReference.random(rows, cols, f32, seed);
        if (f32) m.f32()[r * cols + c] = (float) value;
        else m.f64()[r * cols + c] = value;
        return m;
    }
}
