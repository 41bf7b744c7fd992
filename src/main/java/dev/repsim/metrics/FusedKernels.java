package dev.repsim.metrics;

import dev.repsim.linalg.Matrix;

/**
 * Whole building blocks of the metrics that a device backend can run fused, keeping the data resident
 * on the device between steps instead of moving every tile through the host. A backend that implements
 * this (the OpenCL one does) is used through it by {@link CrossCovariance}, {@link LinearCka},
 * {@link RbfCka} and {@link KnnShare}; the CPU backends need not: those classes compose the same
 * results from the {@link dev.repsim.backend.Backend} primitives.
 */
public interface FusedKernels {

    /** A kernel k(a, b): linear a·b, or Gaussian exp(−γ‖a−b‖²) with γ = 1/(2σ²). */
    record Kernel(boolean rbf, double gamma) {
        public static final Kernel LINEAR = new Kernel(false, 0);

        public static Kernel gaussian(double sigma2) {
            return new Kernel(true, 1.0 / (2 * sigma2));
        }
    }

    /** The statistics of one block of rows: its means and centred co-moments. */
    CrossCovariance crossCovariance(Matrix x, Matrix y);

    /**
     * ‖XᶜᵀYᶜ‖²_F, the squared Frobenius norm of the product of the centred inputs; with {@code x == y}
     * the symmetric ‖XᶜᵀXᶜ‖²_F (half the work). Linear CKA's feature form needs nothing else, so the d×d
     * products need not leave the device, and a study's matrix computes each self norm once.
     */
    double centredProductNorm(Matrix x, Matrix y);

    /** {@link KernelStats} of K = kx(X) and L = ky(Y) without holding an n×n matrix. */
    KernelStats kernelStats(Matrix x, Kernel kx, Matrix y, Kernel ky);

    /**
     * The k nearest other rows of every row, nearest first, ties broken by the lower row index;
     * Euclidean distance, or cosine (1 − cos) when asked.
     */
    int[][] nearestNeighbours(Matrix z, int k, boolean cosine);
}
