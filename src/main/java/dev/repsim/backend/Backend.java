package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;

import java.util.Map;

/**
 * The kernels every similarity metric is built from. Implementations: {@code java} (Vector API),
 * {@code blas} (OpenBLAS/LAPACK), {@code opencl} (kernels/ *.cl). A TornadoVM backend would implement
 * the same interface. Names follow EJML's CommonOps: multTransA = AᵀB, multInner = AᵀA,
 * multTransB = ABᵀ.
 *
 * <p>Matrices are row-major with samples in rows. The precision of the inputs selects the kernel
 * (float32 inputs run float32 kernels); results are always returned as row-major float64 arrays.
 * Both arguments of a product must have the same precision. Implementations must be thread-safe for
 * concurrent calls from one metric computation only if they say so; callers use one thread per backend.
 */
public interface Backend extends AutoCloseable {

    /** The name used on the command line ({@code --backend NAME}). */
    String name();

    /** A one-line description of the device or library (for reports and {@code devices}). */
    String describe();

    /** C = AᵀB: {@code a.cols() × b.cols()}; A and B have the same number of rows. */
    double[] multTransA(Matrix a, Matrix b);

    /** C = AᵀA: {@code a.cols() × a.cols()}, both triangles filled (a syrk: half the flops of a GEMM). */
    double[] multInner(Matrix a);

    /** C = ABᵀ: {@code a.rows() × b.rows()}; A and B have the same number of columns. */
    double[] multTransB(Matrix a, Matrix b);

    /**
     * The upper triangle (j ≥ i) of C = AAᵀ, {@code a.rows() × a.rows()}, with the strictly lower triangle
     * zero: for callers that read one triangle of a symmetric product (the diagonal tiles of a pass over
     * all pairs of rows). It spares {@link #multTransB}'s mirroring, a transposed copy of half of C.
     */
    default double[] multOuterUpper(Matrix a) {
        double[] c = multTransB(a, a);
        Symmetric.clearLower(c, a.rows());
        return c;
    }

    /**
     * The Gram matrix of the rows x_i − μ of X (μ = {@code mean}, or none when null; the differences
     * rounded to X's precision as {@link Matrix#centered(double[])} does) in tiles of {@code tile} rows
     * (see {@link GramTiles}); the caller closes it. This default multiplies centred copies of each pair
     * of row blocks into a new array.
     */
    default GramTiles gramTiles(Matrix x, double[] mean, int tile) {
        return GramTiles.of(this, x, mean, tile);
    }

    /** The centred co-moment blocks ĀᵀĀ, B̄ᵀB̄ and ĀᵀB̄ (row-major float64) of two column blocks. */
    record CoMoments(double[] aa, double[] bb, double[] ab) {}

    /**
     * Centred co-moments of A (n×p) and B (n×q) over the same rows: with Ā = A − 1μaᵀ, B̄ = B − 1μbᵀ,
     * returns ĀᵀĀ (p×p), B̄ᵀB̄ (q×q) and ĀᵀB̄ (p×q): the three products behind linear CKA and CCA
     * (Kornblith et al. 2019, §3). The means are the caller's (usually the column means); the centred
     * values are rounded to the inputs' precision as {@link Matrix#centered()} does. Backends fuse
     * the centring into their products; this default makes centred copies.
     */
    default CoMoments centeredCoMoments(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        Matrix ac = a.centered(meanA);
        Matrix bc = b.centered(meanB);
        return new CoMoments(multInner(ac), multInner(bc), multTransA(ac, bc));
    }

    /** The squared Frobenius norms ‖ĀᵀĀ‖²_F, ‖B̄ᵀB̄‖²_F and ‖ĀᵀB̄‖²_F of {@link #centeredCoMoments}' blocks. */
    record CoMomentNorms(double aa, double bb, double ab) {}

    /**
     * The squared Frobenius norms of the centred co-moment blocks: all that linear CKA's feature form
     * ‖ĀᵀB̄‖²_F / (‖ĀᵀĀ‖_F ‖B̄ᵀB̄‖_F) reads (Kornblith et al. 2019, §3). This default squares the blocks of
     * {@link #centeredCoMoments}; backends that form the upper triangle of ZᵀZ (Z = [Ā | B̄]) sum it where it
     * lies, without mirroring or splitting it into blocks.
     */
    default CoMomentNorms centeredCoMomentNorms(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        CoMoments m = centeredCoMoments(a, meanA, b, meanB);
        return new CoMomentNorms(FixedOrderSums.squaredNorm(m.aa(), 0, m.aa().length),
                FixedOrderSums.squaredNorm(m.bb(), 0, m.bb().length), FixedOrderSums.squaredNorm(m.ab(), 0, m.ab().length));
    }

    /**
     * Squared Euclidean distances D_ij = ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j between the rows of A and B,
     * clamped at 0 (rounding can make the expansion slightly negative). {@code a.rows() × b.rows()}.
     */
    default double[] squaredDistances(Matrix a, Matrix b) {
        double[] g = multTransB(a, b);
        double[] na = RowNorms.squared(a);
        double[] nb = a == b ? na : RowNorms.squared(b);
        int m = a.rows(), n = b.rows();
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = 0; j < n; j++) g[o + j] = Math.max(0.0, na[i] + nb[j] - 2.0 * g[o + j]);
        }
        return g;
    }

    /**
     * Symmetric eigendecomposition of a float64 {@code d × d} matrix (row-major; only symmetric input
     * is meaningful): eigenvalues ascending, eigenvectors as the columns of a row-major matrix.
     */
    Decompositions.Eigen eigenSymmetric(double[] a, int d);

    /**
     * U⁻¹ for the Cholesky factor of a float64 {@code d × d} symmetric positive definite A = UᵀU (row-major,
     * only A's upper triangle is read): upper triangular, zero below the diagonal, so that U⁻ᵀ A U⁻¹ = I.
     * Null when a pivot u_ii² is not above {@code minPivot} (≥ 0; 0 asks only that A be numerically positive
     * definite) or A is not finite. Every pivot is at least λ_min(A), so a pivot at or below minPivot shows
     * λ_min(A) ≤ minPivot: a caller that wants only well-conditioned factors stops there, before U⁻¹.
     */
    double[] inverseCholeskyFactor(double[] a, int d, double minPivot);

    /** Thin SVD of a float64 {@code m × n} row-major matrix: singular values descending, U and Vᵀ. */
    Decompositions.Svd svd(double[] a, int m, int n);

    /**
     * The singular values of a float64 {@code m × n} row-major matrix, descending, without the singular
     * vectors (a fraction of the work of {@link #svd}: CCA's correlations are the values alone).
     */
    default double[] singularValues(double[] a, int m, int n) {
        return svd(a, m, n).s();
    }

    /**
     * The thin SVD without Vᵀ ({@code vt} is null): the singular values and U, for callers that need one
     * side's vectors (PWCCA's weights). A backend that can skip forming V overrides this; LAPACK's
     * dgesvd with JOBVT = 'N' took 1.6× the time of dgesdd with both sides at d = 768 on Zen 5
     * (results/cpu-zen5-2c/extra/left-svd/), so the blas backend keeps dgesdd and drops Vᵀ.
     */
    default Decompositions.Svd leftSvd(double[] a, int m, int n) {
        Decompositions.Svd svd = svd(a, m, n);
        return new Decompositions.Svd(svd.s(), svd.u(), null, m, n);
    }

    /**
     * Time spent moving data to and from the device and running kernels since the last call of
     * {@link #resetTimings()}, in milliseconds, keyed {@code upload}, {@code kernels}, {@code download}.
     * Empty for backends that compute in host memory.
     */
    default Map<String, Double> timings() { return Map.of(); }

    default void resetTimings() {}

    /**
     * The backend that should run one metric of n samples and width d (the wider input) in this
     * precision: this one, except for {@code auto}, which picks per metric and size (see {@link AutoBackend}).
     * The metrics' façade asks before any work.
     */
    default Backend forWork(String metric, dev.repsim.linalg.Precision precision, long n, int d) { return this; }

    /** Releases native resources (device contexts, thread pools). */
    @Override
    default void close() {}
}
