package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.backend.PackedKernel.Layout;
import dev.repsim.linalg.Precision;
import jdk.incubator.vector.DoubleVector;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ForkJoinPool;

/**
 * Pure-Java backend: the products run on {@link BlockedGemm} (cache blocking after Goto &amp; van de Geijn
 * 2008, Vector API register kernels in {@link DoublePackedKernel} and {@link FloatPackedKernel}) on a
 * fork-join pool of one thread per core that {@link #close()} shuts down. Float32 inputs are multiplied
 * in float32 with blocked accumulation into float64 results. The factorisations behind CCA are
 * {@link SymmetricEigensolver} and {@link SvdSolver}, pure Java as well.
 * Safe for concurrent calls.
 */
public final class JavaBackend implements Backend {
    private final ForkJoinPool pool;

    /** A backend with one worker thread per available processor. */
    public JavaBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A backend with the given number of worker threads (1: everything on the calling thread). */
    public JavaBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    @Override
    public String name() { return "java"; }

    @Override
    public String describe() {
        return "Java " + Runtime.version() + " Vector API " + DoubleVector.SPECIES_PREFERRED.vectorBitSize() + "-bit ("
                + (pool == null ? 1 : pool.getParallelism()) + " threads)";
    }

    @Override
    public double[] multTransA(Matrix a, Matrix b) {
        BlasBackend.requireSame(a, b, a.rows() == b.rows(), "rows");
        if (a == b) return multInner(a);
        // C(p×q) = AᵀB: Â(i, k) = A[k][i] and B̂(k, j) = B[k][j], the reduction running over the stored rows.
        PackedKernel kernel = kernel(a, a.cols(), Layout.K_ROWS, b, b.cols(), Layout.K_ROWS);
        return BlockedGemm.multiply(kernel, a.cols(), b.cols(), a.rows(), false, pool);
    }

    @Override
    public double[] multInner(Matrix a) {
        PackedKernel kernel = kernel(a, a.cols(), Layout.K_ROWS, a, a.cols(), Layout.K_ROWS);
        return BlockedGemm.multiply(kernel, a.cols(), a.cols(), a.rows(), true, pool);
    }

    @Override
    public double[] multTransB(Matrix a, Matrix b) {
        BlasBackend.requireSame(a, b, a.cols() == b.cols(), "columns");
        // C(m×n) = ABᵀ: Â(i, k) = A[i][k] and B̂(k, j) = B[j][k], the reduction running along the stored rows.
        PackedKernel kernel = kernel(a, a.cols(), Layout.K_COLS, b, b.cols(), Layout.K_COLS);
        return BlockedGemm.multiply(kernel, a.rows(), b.rows(), a.cols(), a == b, pool);
    }

    /** Each tile into one array reused from tile to tile (a new one per tile would be 8 MiB each at t = 1024). */
    @Override
    public GramTiles gramTiles(Matrix x, double[] mean, int tile) {
        return GramTiles.of(x, mean, tile, new GramTiles.BlockProducts() {
            private double[] out = new double[0];

            private MemorySegment multiply(Matrix a, Matrix b, boolean symmetric) {
                int m = a.rows(), n = b.rows();
                if (out.length < m * n) out = new double[m * n];
                PackedKernel kernel = kernel(a, a.cols(), Layout.K_COLS, b, b.cols(), Layout.K_COLS);
                BlockedGemm.product(kernel, m, n, a.cols(), symmetric, pool, out);
                return MemorySegment.ofArray(out).asSlice(0, (long) m * n * Double.BYTES);
            }

            @Override
            public MemorySegment upper(Matrix a) { return multiply(a, a, true); }

            @Override
            public MemorySegment product(Matrix a, Matrix b) { return multiply(a, b, false); }
        });
    }

    /** ZᵀZ for Z = [Ā | B̄], one symmetric product with the centring done while packing. */
    @Override
    public CoMoments centeredCoMoments(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        CenteredColumns z = new CenteredColumns(a, meanA, b, meanB);
        return z.split(upperProduct(z));
    }

    /** The norms summed over the upper triangle of ZᵀZ where it lies: no mirroring, no copies into blocks. */
    @Override
    public CoMomentNorms centeredCoMomentNorms(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        CenteredColumns z = new CenteredColumns(a, meanA, b, meanB);
        return z.upperNorms(upperProduct(z));
    }

    /** The upper triangle of ZᵀZ, row-major (entries below the diagonal unspecified). */
    private double[] upperProduct(CenteredColumns z) {
        PackedKernel kernel = z.precision() == Precision.F64 ? new DoublePackedKernel(z) : new FloatPackedKernel(z);
        return BlockedGemm.product(kernel, z.width(), z.width(), z.rows(), true, pool);
    }

    private static PackedKernel kernel(Matrix a, int lda, Layout la, Matrix b, int ldb, Layout lb) {
        if (a.precision() == Precision.F64) return new DoublePackedKernel(a.f64(), lda, la, b.f64(), ldb, lb);
        return new FloatPackedKernel(a.f32(), lda, la, b.f32(), ldb, lb);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }

    @Override
    public Decompositions.Eigen eigenSymmetric(double[] a, int d) {
        return SymmetricEigensolver.decompose(a, d, pool);
    }

    @Override
    public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) {
        return Cholesky.inverseFactor(a, d, minPivot, pool);
    }

    @Override
    public double[] singularValues(double[] a, int m, int n) {
        return SvdSolver.values(a, m, n, pool);
    }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) {
        return SvdSolver.decompose(a, m, n, pool);
    }

    @Override
    public Decompositions.Svd leftSvd(double[] a, int m, int n) {
        return SvdSolver.decomposeLeft(a, m, n, pool);
    }
}
