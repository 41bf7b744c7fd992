package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.measure.Microarchitecture;
import dev.repsim.metrics.TestData;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@link Backend} contract, checked for every backend the tests need ({@link TestData#BACKENDS}, which
 * must all open here), for the java backend forced to 1 and 3 threads (so its serial and parallel paths
 * run on any machine), and for {@code auto} with and without OpenBLAS (its kernel calls go to blas or java). Every element of every product is compared with a plain float64 loop on random data with
 * shapes that are not multiples of any tile, including n = 1 and d = 1.
 *
 * <p>Tolerances are elementwise, on the rounding-error scale S_ij = Σ_k |a_k||b_k| (Higham 2002, §3.1:
 * any summation order errs by at most γ_n·S with γ_n ≈ n·u):
 * float64: 1e-12·S (γ_n ≤ 2.3e-13 for the n ≤ 2600 used here, for the backend and for the reference);
 * float32: (n·2⁻²⁴ + 1e-12)·S, the bound for float32 accumulation over n terms in any order.
 */
class BackendContractTest {
    private static final Map<String, Backend> OPEN = new LinkedHashMap<>();

    static List<String> backends() {
        List<String> names = new ArrayList<>(TestData.BACKENDS);
        names.add("java-1-thread");
        names.add("java-3-threads");
        names.add("auto");
        names.add("auto-without-blas");
        return names;
    }

    static synchronized Backend backend(String name) {
        return OPEN.computeIfAbsent(name, n -> switch (n) {
            case "java-1-thread" -> new JavaBackend(1);
            case "java-3-threads" -> new JavaBackend(3);
            case "auto-without-blas" -> new AutoBackend(AutoChoice.packaged(), Microarchitecture.ofThisMachine(),
                    Runtime.getRuntime().availableProcessors(), false);
            default -> Backends.open(n, null);
        });
    }

    /** Every backend the tests need opens on this machine, and they are what {@code auto} may choose from. */
    @org.junit.jupiter.api.Test
    void everyBackendTheTestsNeedOpensHere() {
        for (String name : TestData.BACKENDS) {
            org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> backend(name), name + " does not open here");
        }
        assertEquals(TestData.BACKENDS, Backends.available());
    }

    @AfterAll
    static void closeAll() {
        OPEN.values().forEach(Backend::close);
        OPEN.clear();
    }

    /** {n, p, q}: AᵀB with A n×p, B n×q. */
    private static final int[][] TRANS_A = {
        {1, 1, 1}, {1, 3, 7}, {2, 2, 2}, {3, 1, 5}, {7, 17, 3}, {17, 7, 1}, {100, 3, 257}, {257, 100, 17},
        {3, 257, 100}, {1000, 17, 31}, {2600, 41, 47}
    };
    /** {m, n, d}: ABᵀ with A m×d, B n×d. */
    private static final int[][] TRANS_B = {
        {1, 1, 1}, {1, 7, 3}, {2, 3, 1}, {7, 1, 17}, {17, 100, 7}, {100, 257, 3}, {257, 17, 100},
        {300, 301, 50}, {3, 5, 600}, {60, 70, 1100}
    };
    /** {n, d}: AᵀA and AAᵀ with A n×d. */
    private static final int[][] SYMMETRIC = {
        {1, 1}, {1, 5}, {2, 3}, {7, 1}, {17, 17}, {100, 41}, {257, 3}, {3, 257}, {2500, 70}, {41, 700}
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void multTransAMatchesReference(String name) {
        Backend be = backend(name);
        long seed = 1;
        for (boolean f32 : new boolean[] {false, true}) {
            for (int[] s : TRANS_A) {
                Matrix a = ProductReference.random(s[0], s[1], f32, seed++);
                Matrix b = ProductReference.random(s[0], s[2], f32, seed++);
                assertProduct(ProductReference.transA(a, b, false), ProductReference.transA(a, b, true),
                        be.multTransA(a, b), s[0], f32, name + " AᵀB " + Arrays.toString(s) + (f32 ? " f32" : " f64"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void multTransBMatchesReference(String name) {
        Backend be = backend(name);
        long seed = 100;
        for (boolean f32 : new boolean[] {false, true}) {
            for (int[] s : TRANS_B) {
                Matrix a = ProductReference.random(s[0], s[2], f32, seed++);
                Matrix b = ProductReference.random(s[1], s[2], f32, seed++);
                assertProduct(ProductReference.transB(a, b, false), ProductReference.transB(a, b, true),
                        be.multTransB(a, b), s[2], f32, name + " ABᵀ " + Arrays.toString(s) + (f32 ? " f32" : " f64"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void symmetricProductsMatchReferenceAndAreExactlySymmetric(String name) {
        Backend be = backend(name);
        long seed = 200;
        for (boolean f32 : new boolean[] {false, true}) {
            for (int[] s : SYMMETRIC) {
                Matrix a = ProductReference.random(s[0], s[1], f32, seed++);
                String label = name + " " + Arrays.toString(s) + (f32 ? " f32" : " f64");
                double[] inner = be.multInner(a);
                assertProduct(ProductReference.transA(a, a, false), ProductReference.transA(a, a, true), inner, s[0], f32, "AᵀA " + label);
                assertSymmetric(inner, s[1], "AᵀA " + label);
                double[] viaTransA = be.multTransA(a, a);
                assertProduct(ProductReference.transA(a, a, false), ProductReference.transA(a, a, true), viaTransA, s[0], f32, "AᵀB(a, a) " + label);
                double[] outer = be.multTransB(a, a);
                assertProduct(ProductReference.transB(a, a, false), ProductReference.transB(a, a, true), outer, s[1], f32, "AAᵀ " + label);
                assertSymmetric(outer, s[0], "AAᵀ " + label);
            }
        }
    }

    /**
     * AAᵀ's upper triangle against the reference (the backend's scratch buffers hold an earlier, larger
     * product first, so stale values below the diagonal would show), and exact zeros below it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void multOuterUpperFillsTheUpperTriangleOnly(String name) {
        Backend be = backend(name);
        long seed = 250;
        for (boolean f32 : new boolean[] {false, true}) {
            be.multTransB(ProductReference.random(300, 20, f32, seed), ProductReference.random(300, 20, f32, seed + 1));
            for (int[] s : SYMMETRIC) {
                Matrix a = ProductReference.random(s[0], s[1], f32, seed++);
                String label = name + " upper AAᵀ " + Arrays.toString(s) + (f32 ? " f32" : " f64");
                double[] upper = be.multOuterUpper(a);
                double[] expected = ProductReference.transB(a, a, false), scale = ProductReference.transB(a, a, true);
                int n = s[0];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        if (upper[i * n + j] != 0.0) fail(label + ": non-zero below the diagonal at " + i + "," + j);
                        expected[i * n + j] = 0.0;
                    }
                }
                assertProduct(expected, scale, upper, s[1], f32, label);
            }
        }
    }

    /**
     * Every tile of {@link Backend#gramTiles} against the reference X·Xᵀ (on diagonal tiles the upper
     * triangle only), with tile sizes that leave a short last block, for the rows as given and centred on
     * the fly (against the reference on {@link Matrix#centered(double[])}'s copy, offsets of 10–100); a
     * tile read after the next one was requested is not part of the contract, so each is checked at once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gramTilesMatchReference(String name) {
        checkGramTiles(name, (x, mean, t) -> backend(name).gramTiles(x, mean, t));
    }

    /** blas copies a large X off-heap block by block, as the tiles need it: the same tiles. */
    @org.junit.jupiter.api.Test
    void blasGramTilesBlockByBlock() {
        checkGramTiles("blas (block copies)", (x, mean, t) -> ((BlasBackend) backend("blas")).gramTiles(x, mean, t, false));
    }

    private interface GramSource {
        GramTiles open(Matrix x, double[] mean, int tile);
    }

    private static void checkGramTiles(String name, GramSource source) {
        long seed = 270;
        for (boolean f32 : new boolean[] {false, true}) {
            for (boolean centred : new boolean[] {false, true}) {
            for (int[] s : new int[][] {{1, 3, 1}, {7, 5, 3}, {100, 41, 32}, {257, 17, 100}, {600, 70, 256}}) {
                int n = s[0], t = s[2];
                Matrix raw = ProductReference.random(n, s[1], f32, seed++);
                double[] mean = null;
                Matrix x = raw;
                if (centred) {
                    Random r = new Random(seed);
                    mean = new double[s[1]];
                    double[] shifted = new double[n * s[1]];
                    for (int c = 0; c < s[1]; c++) mean[c] = 10 + 90 * r.nextDouble();
                    for (int k = 0; k < shifted.length; k++) shifted[k] = raw.get(k / s[1], k % s[1]) + mean[k % s[1]];
                    raw = f32 ? Matrix.of(n, s[1], shifted).to(dev.repsim.linalg.Precision.F32) : Matrix.of(n, s[1], shifted);
                    x = raw.centered(mean);
                }
                double[] expected = ProductReference.transB(x, x, false), scale = ProductReference.transB(x, x, true);
                try (GramTiles tiles = source.open(raw, mean, t)) {
                    int blocks = (n + t - 1) / t;
                    for (int bi = 0; bi < blocks; bi++) {
                        for (int bj = bi; bj < blocks; bj++) {
                            java.lang.foreign.MemorySegment g = tiles.tile(bi, bj);
                            int rows = Math.min(t, n - bi * t), cols = Math.min(t, n - bj * t);
                            for (int r = 0; r < rows; r++) {
                                for (int c = bi == bj ? r : 0; c < cols; c++) {
                                    int at = (bi * t + r) * n + bj * t + c;
                                    double got = g.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, (long) r * cols + c);
                                    double tol = (f32 ? s[1] * 0x1p-24 + 1e-12 : 1e-12) * scale[at];
                                    if (!(Math.abs(got - expected[at]) <= tol)) {
                                        fail(name + " gram tile (" + bi + "," + bj + ") of " + Arrays.toString(s) + (f32 ? " f32" : " f64")
                                                + (centred ? " centred" : "") + " at " + r + "," + c + ": expected " + expected[at] + ", got " + got);
                                    }
                                }
                            }
                        }
                    }
                    assertThrows(IllegalArgumentException.class, () -> tiles.tile(1, 0));
                }
            }
            }
        }
    }

    /**
     * {n, p, q}: co-moments of A n×p and B n×q; widths that split panels across the A|B boundary. In the java
     * backend {900, 161, 3} takes output tiles (diagonal and off-diagonal ones) and {4000, 41, 47} the
     * reduction split, both with Â copied from the packed B̂ where their columns coincide.
     */
    private static final int[][] CO_MOMENTS = {
        {1, 1, 1}, {2, 3, 7}, {7, 17, 3}, {100, 5, 257}, {257, 13, 8}, {1000, 41, 47}, {900, 161, 3}, {4000, 41, 47}
    };

    /**
     * ĀᵀĀ, B̄ᵀB̄, ĀᵀB̄ against the plain loops on copies centred by the reference ({@link Matrix#centered(double[])}
     * rounds to the inputs' precision, as the contract says); the columns carry offsets of 10–100 so that
     * a missing or misplaced mean would show at once. Then {@link Backend#centeredCoMomentNorms}: the three
     * squared Frobenius norms against those of the reference blocks. Each entry errs by at most tol·S (S: the
     * products of absolute values, as {@link #assertProduct}), so each squared norm by at most 2·tol·ΣS²
     * plus the rounding of the sum itself.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void centeredCoMomentsMatchReference(String name) {
        Backend be = backend(name);
        checkCoMoments(name, be::centeredCoMoments, be::centeredCoMomentNorms);
    }

    /**
     * blas splits large products into parts computed side by side (float64 in column panels, float32 by
     * operands where that is balanced, as [1000, 41, 47] in 2 and 3 parts, see UpperProductPlan); every
     * split (a panel per column included, panels that cut across the A|B boundary) gives the same blocks
     * and norms. Its scratch buffers hold another product's values first, so a read below the diagonal
     * would meet them.
     */
    @ParameterizedTest(name = "{0} parts")
    @ValueSource(ints = {1, 2, 3, 5})
    void blasCoMomentsInParts(int parts) {
        BlasBackend be = (BlasBackend) backend("blas");
        be.multTransA(ProductReference.random(50, 90, false, 1), ProductReference.random(50, 90, false, 2));
        be.multTransA(ProductReference.random(50, 90, true, 3), ProductReference.random(50, 90, true, 4));
        checkCoMoments("blas " + parts + " parts",
                (a, ma, b, mb) -> be.centeredCoMoments(a, ma, b, mb, Math.min(parts, a.cols() + b.cols())),
                (a, ma, b, mb) -> be.centeredCoMomentNorms(a, ma, b, mb, Math.min(parts, a.cols() + b.cols())));
    }

    private interface CoMomentSource {
        Backend.CoMoments of(Matrix a, double[] meanA, Matrix b, double[] meanB);
    }

    private interface NormSource {
        Backend.CoMomentNorms of(Matrix a, double[] meanA, Matrix b, double[] meanB);
    }

    private static void checkCoMoments(String name, CoMomentSource blocks, NormSource norms) {
        long seed = 600;
        for (boolean f32 : new boolean[] {false, true}) {
            for (int[] s : CO_MOMENTS) {
                Matrix a = offset(ProductReference.random(s[0], s[1], f32, seed++), 10);
                Matrix b = offset(ProductReference.random(s[0], s[2], f32, seed++), 100);
                double[] ma = a.columnMeans(), mb = b.columnMeans();
                Matrix ac = a.centered(ma), bc = b.centered(mb);
                String label = name + " " + Arrays.toString(s) + (f32 ? " f32" : " f64");
                double[] aa = ProductReference.transA(ac, ac, false), aaScale = ProductReference.transA(ac, ac, true);
                double[] bb = ProductReference.transA(bc, bc, false), bbScale = ProductReference.transA(bc, bc, true);
                double[] ab = ProductReference.transA(ac, bc, false), abScale = ProductReference.transA(ac, bc, true);
                Backend.CoMoments m = blocks.of(a, ma, b, mb);
                assertProduct(aa, aaScale, m.aa(), s[0], f32, "ĀᵀĀ " + label);
                assertProduct(bb, bbScale, m.bb(), s[0], f32, "B̄ᵀB̄ " + label);
                assertProduct(ab, abScale, m.ab(), s[0], f32, "ĀᵀB̄ " + label);
                assertSymmetric(m.aa(), s[1], "ĀᵀĀ " + label);
                assertSymmetric(m.bb(), s[2], "B̄ᵀB̄ " + label);
                Backend.CoMomentNorms got = norms.of(a, ma, b, mb);
                double tol = f32 ? Math.max(1, s[0]) * 0x1p-24 + 1e-12 : 1e-12;
                assertNorm(aa, aaScale, got.aa(), tol, "‖ĀᵀĀ‖² " + label);
                assertNorm(bb, bbScale, got.bb(), tol, "‖B̄ᵀB̄‖² " + label);
                assertNorm(ab, abScale, got.ab(), tol, "‖ĀᵀB̄‖² " + label);
            }
        }
    }

    private static void assertNorm(double[] block, double[] scale, double got, double tol, String label) {
        double s2 = squares(scale);
        assertEquals(squares(block), got, (2 * tol + 1e-13) * s2, label);
    }

    private static double squares(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return s;
    }

    /** A + c·(j + 1) in column j, in A's precision. */
    private static Matrix offset(Matrix a, double c) {
        int n = a.rows(), d = a.cols();
        if (a.precision() == dev.repsim.linalg.Precision.F64) {
            double[] v = a.f64().clone();
            for (int i = 0; i < v.length; i++) v[i] += c * (i % d + 1);
            return Matrix.of(n, d, v);
        }
        float[] v = a.f32().clone();
        for (int i = 0; i < v.length; i++) v[i] += (float) (c * (i % d + 1));
        return Matrix.of(n, d, v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void squaredDistancesMatchReference(String name) {
        Backend be = backend(name);
        Matrix a = ProductReference.random(37, 13, false, 300);
        Matrix b = ProductReference.random(29, 13, false, 301);
        double[] d = be.squaredDistances(a, b);
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 29; j++) {
                double s = 0, scale = 0;
                for (int k = 0; k < 13; k++) {
                    double t = a.get(i, k) - b.get(j, k);
                    s += t * t;
                    scale += a.get(i, k) * a.get(i, k) + b.get(j, k) * b.get(j, k);
                }
                assertEquals(s, d[i * 29 + j], 1e-12 * scale, "D[" + i + "," + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsMismatchedArguments(String name) {
        Backend be = backend(name);
        Matrix a = ProductReference.random(5, 3, false, 1);
        assertThrows(IllegalArgumentException.class, () -> be.multTransA(a, ProductReference.random(4, 3, false, 2)));
        assertThrows(IllegalArgumentException.class, () -> be.multTransB(a, ProductReference.random(5, 4, false, 2)));
        assertThrows(IllegalArgumentException.class, () -> be.multTransA(a, ProductReference.random(5, 3, true, 2)));
    }

    /** Eigenvalues ascending, eigenvectors in columns, A V = V Λ, VᵀV = I; values as Commons Math's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void eigenSymmetricContract(String name) {
        Backend be = backend(name);
        for (int d : new int[] {1, 2, 7, 50}) {
            double[] a = randomSymmetric(d, 400 + d);
            Decompositions.Eigen e = be.eigenSymmetric(a, d);
            double[] w = e.values(), v = e.vectors();
            double norm = frobenius(a);
            for (int k = 1; k < d; k++) assertTrue(w[k - 1] <= w[k], "eigenvalues ascending");
            double[] ref = new EigenDecomposition(new Array2DRowRealMatrix(square(a, d))).getRealEigenvalues();
            Arrays.sort(ref);
            for (int k = 0; k < d; k++) assertEquals(ref[k], w[k], 1e-12 * norm, "eigenvalue " + k);
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    double av = 0, vtv = 0;
                    for (int j = 0; j < d; j++) {
                        av += a[i * d + j] * v[j * d + k];
                        vtv += v[j * d + i] * v[j * d + k];
                    }
                    assertEquals(w[k] * v[i * d + k], av, 1e-11 * norm, "(AV − VΛ)[" + i + "," + k + "] d=" + d);
                    assertEquals(i == k ? 1.0 : 0.0, vtv, 1e-12, "VᵀV[" + i + "," + k + "] d=" + d);
                }
            }
        }
    }

    /**
     * U⁻¹ of A = UᵀU: upper triangular with a positive diagonal and XᵀAX = I to 1e-12 (A's eigenvalues in
     * [1, 4]: κ(A) ≤ 4); null for an indefinite and for an exactly singular A. The pivots u_ii² = 1/x_ii² are
     * at least λ_min = 1, and a floor minPivot just above the smallest refuses the factor, just below it not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void inverseCholeskyFactorContract(String name) {
        Backend be = backend(name);
        for (int d : new int[] {1, 2, 7, 50}) {
            double[] lambda = new double[d];
            for (int k = 0; k < d; k++) lambda[k] = 1 + 3.0 * k / Math.max(1, d - 1);
            double[] a = TestMatrices.symmetricWithSpectrum(lambda, 450 + d);
            double[] x = be.inverseCholeskyFactor(a, d, 0);
            assertTrue(x != null && x.length == d * d, name + " d=" + d);
            double smallest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < d; i++) smallest = Math.min(smallest, 1 / (x[i * d + i] * x[i * d + i]));
            assertTrue(smallest >= 1 - 1e-12, "pivots at least λ_min = 1: " + smallest);
            assertNotNull(be.inverseCholeskyFactor(a, d, smallest * (1 - 1e-6)), name + " floor below the smallest pivot, d=" + d);
            assertNull(be.inverseCholeskyFactor(a, d, smallest * (1 + 1e-6)), name + " floor above the smallest pivot, d=" + d);
            for (int i = 0; i < d; i++) {
                assertTrue(x[i * d + i] > 0, "positive diagonal");
                for (int j = 0; j < i; j++) assertEquals(0.0, x[i * d + j], "zero below the diagonal");
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) s += x[k * d + i] * a[k * d + l] * x[l * d + j];
                    assertEquals(i == j ? 1.0 : 0.0, s, 1e-12, name + " (XᵀAX)[" + i + "," + j + "] d=" + d);
                }
            }
        }
        assertNull(be.inverseCholeskyFactor(TestMatrices.symmetricWithSpectrum(new double[] {2, 1, -1, 3}, 460), 4, 0), "indefinite");
        assertNull(be.inverseCholeskyFactor(new double[] {1, 1, 1, 1}, 2, 0), "singular");
        assertThrows(IllegalArgumentException.class, () -> be.inverseCholeskyFactor(new double[] {1}, 1, -1), "negative floor");
        assertThrows(IllegalArgumentException.class, () -> be.inverseCholeskyFactor(new double[] {1}, 1, Double.NaN), "NaN floor");
    }

    /** Singular values alone: descending, as Commons Math's, for square, wide, tall and rank-deficient inputs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void singularValuesMatchReference(String name) {
        Backend be = backend(name);
        for (int[] s : new int[][] {{1, 1}, {1, 4}, {4, 1}, {9, 5}, {5, 9}, {40, 40}, {60, 30}}) {
            int m = s[0], n = s[1];
            double[] a = TestMatrices.gaussian(m, n, 700 + m * 31 + n);
            if (m == 60) for (int i = 0; i < m; i++) a[i * n + 1] = 2 * a[i * n]; // rank n − 1
            double[] sv = be.singularValues(a, m, n);
            double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(rect(a, m, n))).getSingularValues();
            assertEquals(Math.min(m, n), sv.length, "count");
            double norm = frobenius(a);
            for (int t = 0; t < sv.length; t++) {
                assertTrue(t == 0 || sv[t - 1] >= sv[t], "descending");
                assertEquals(ref[t], sv[t], 1e-12 * norm, name + " " + m + "x" + n + " singular value " + t);
            }
        }
    }

    /** Thin SVD: s descending and ≥ 0, U S Vᵀ = A, UᵀU = VᵀV = I_k; values as Commons Math's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void svdContract(String name) {
        Backend be = backend(name);
        for (int[] s : new int[][] {{1, 1}, {1, 4}, {4, 1}, {9, 5}, {5, 9}, {40, 40}}) {
            int m = s[0], n = s[1], k = Math.min(m, n);
            double[] a = TestMatrices.gaussian(m, n, 500 + m * 31 + n);
            Decompositions.Svd svd = be.svd(a, m, n);
            assertEquals(k, svd.k());
            double[] sv = svd.s(), u = svd.u(), vt = svd.vt();
            double norm = frobenius(a);
            double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(rect(a, m, n))).getSingularValues();
            for (int t = 0; t < k; t++) {
                assertTrue(sv[t] >= 0 && (t == 0 || sv[t - 1] >= sv[t]), "singular values descending, non-negative");
                assertEquals(ref[t], sv[t], 1e-12 * norm, "singular value " + t);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double x = 0;
                    for (int t = 0; t < k; t++) x += u[i * k + t] * sv[t] * vt[t * n + j];
                    assertEquals(a[i * n + j], x, 1e-12 * norm, "U S Vᵀ [" + i + "," + j + "] " + m + "x" + n);
                }
            }
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    double utu = 0, vvt = 0;
                    for (int i = 0; i < m; i++) utu += u[i * k + p] * u[i * k + q];
                    for (int j = 0; j < n; j++) vvt += vt[p * n + j] * vt[q * n + j];
                    assertEquals(p == q ? 1.0 : 0.0, utu, 1e-12, "UᵀU");
                    assertEquals(p == q ? 1.0 : 0.0, vvt, 1e-12, "VᵀV");
                }
            }
        }
    }

    /**
     * SVD with U alone: Vᵀ absent, the values equal the full SVD's, UᵀU = I_k and each uₜ is a left
     * singular vector (AAᵀuₜ = sₜ²uₜ), on square, wide and tall inputs (a wide input forms its U from
     * the right reflectors of its transpose).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void leftSvdContract(String name) {
        Backend be = backend(name);
        for (int[] s : new int[][] {{1, 1}, {1, 4}, {4, 1}, {9, 5}, {5, 9}, {40, 40}, {30, 50}}) {
            int m = s[0], n = s[1], k = Math.min(m, n);
            double[] a = TestMatrices.gaussian(m, n, 900 + m * 31 + n);
            Decompositions.Svd left = be.leftSvd(a, m, n);
            assertNull(left.vt(), "leftSvd forms no Vᵀ");
            double[] full = be.svd(a, m, n).s(), sv = left.s(), u = left.u();
            assertEquals(k, left.k());
            double norm = frobenius(a);
            for (int t = 0; t < k; t++) assertEquals(full[t], sv[t], 1e-12 * norm, "singular value " + t);
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    double utu = 0;
                    for (int i = 0; i < m; i++) utu += u[i * k + p] * u[i * k + q];
                    assertEquals(p == q ? 1.0 : 0.0, utu, 1e-12, name + " " + m + "x" + n + " UᵀU");
                }
                // w = Aᵀuₚ (length n), then A w = sₚ² uₚ.
                double[] w = new double[n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) w[j] += a[i * n + j] * u[i * k + p];
                for (int i = 0; i < m; i++) {
                    double x = 0;
                    for (int j = 0; j < n; j++) x += a[i * n + j] * w[j];
                    assertEquals(sv[p] * sv[p] * u[i * k + p], x, 1e-11 * norm * norm, name + " " + m + "x" + n + " AAᵀu " + p);
                }
            }
        }
    }

    /** Checks every element: |actual − expected| ≤ tol·S with tol from the precision and reduction length. */
    static void assertProduct(double[] expected, double[] scale, double[] actual, int reduction, boolean f32, String label) {
        double tol = f32 ? Math.max(1, reduction) * 0x1p-24 + 1e-12 : 1e-12;
        assertProduct(expected, scale, actual, tol, label);
    }

    static void assertProduct(double[] expected, double[] scale, double[] actual, double tol, String label) {
        assertEquals(expected.length, actual.length, label + ": length");
        int bad = 0, first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol * scale[i])) {
                if (bad++ == 0) first = i;
            }
        }
        if (bad > 0) {
            fail(label + ": " + bad + " of " + expected.length + " elements off; first at " + first + ": expected "
                    + expected[first] + ", got " + actual[first] + " (allowed " + tol * scale[first] + ")");
        }
    }

    static void assertSymmetric(double[] c, int d, String label) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                if (c[i * d + j] != c[j * d + i]) fail(label + ": not exactly symmetric at " + i + "," + j);
            }
        }
    }

    private static double[] randomSymmetric(int d, long seed) {
        Random r = new Random(seed);
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = r.nextGaussian();
        }
        return a;
    }

    private static double frobenius(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }

    private static double[][] square(double[] a, int d) { return rect(a, d, d); }

    private static double[][] rect(double[] a, int m, int n) {
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) System.arraycopy(a, i * n, out[i], 0, n);
        return out;
    }
}
