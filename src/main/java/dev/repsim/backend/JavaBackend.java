package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.backend.PackedKernel.Layout;
import dev.repsim.linalg.Precision;
import jdk.incubator.vector.DoubleVector;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Pure-Java backend: the products run on {@link BlockedGemm} (cache blocking after Goto &amp; van de Geijn
 * 2008, Vector API register kernels in {@link DoublePackedKernel} and {@link FloatPackedKernel}) on a
 * fork-join pool of one thread per core that {@link #close()} shuts down. Float32 inputs are multiplied
 * in float32 with blocked accumulation into float64 results. Factorisations use EJML.
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
        PackedKernel kernel = z.precision() == Precision.F64 ? new DoublePackedKernel(z) : new FloatPackedKernel(z);
        return z.split(BlockedGemm.multiply(kernel, z.width(), z.width(), z.rows(), true, pool));
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
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, a.clone()))) {
            throw new ArithmeticException("EJML symmetric eigendecomposition failed on a " + d + "x" + d + " matrix");
        }
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(x).real, eig.getEigenvalue(y).real));
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(order[k]).real;
            DMatrixRMaj v = eig.getEigenVector(order[k]);
            for (int i = 0; i < d; i++) vectors[i * d + k] = v.get(i, 0);
        }
        return new Decompositions.Eigen(values, vectors, d);
    }

    @Override
    public double[] singularValues(double[] a, int m, int n) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, false, true);
        if (!svd.decompose(new DMatrixRMaj(m, n, true, a.clone()))) {
            throw new ArithmeticException("EJML SVD failed on a " + m + "x" + n + " matrix");
        }
        double[] s = java.util.Arrays.copyOf(svd.getSingularValues(), Math.min(m, n));
        java.util.Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) {
        int k = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(new DMatrixRMaj(m, n, true, a.clone()))) {
            throw new ArithmeticException("EJML SVD failed on a " + m + "x" + n + " matrix");
        }
        double[] sv = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        Integer[] order = IntStream.range(0, k).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] s = new double[k];
        double[] uo = new double[m * k];
        double[] vt = new double[k * n];
        for (int t = 0; t < k; t++) {
            int src = order[t];
            s[t] = sv[src];
            for (int i = 0; i < m; i++) uo[i * k + t] = u.get(i, src);
            for (int j = 0; j < n; j++) vt[t * n + j] = v.get(j, src);
        }
        return new Decompositions.Svd(s, uo, vt, m, n);
    }

}
