package dev.repsim.bench;

import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;

/**
 * Floating-point operation counts behind the GFLOP/s figures of the suites. A metric's count is that
 * of its dominant matrix products only, each counted as the cheapest standard algorithm does it
 * (a symmetric product AᵀA or AAᵀ as a syrk, which skips one triangle: n·d·(d+1) flops for an n × d
 * input; a general product AᵀB as a GEMM: 2·n·p·q). O(n·d), O(n²) elementwise and O(d³)
 * factorisation work is not counted, so a metric's GFLOP/s divided by the backend's GEMM GFLOP/s is
 * the share of the machine's product rate that the metric turns into useful products, and a metric
 * dominated by other work (exp and median of RBF, the eigensolver of CCA at small n) shows as a low
 * share. Both sides of the NumPy baseline use the same counts (benchmarks/numpy/baseline.py).
 */
public final class NominalFlops {
    private NominalFlops() {}

    /** Symmetric product of an n × d matrix with its own transpose, computed as a syrk. */
    public static double syrk(long n, long d) {
        return (double) n * d * (d + 1);
    }

    /** General product of an m × k and a k × n matrix. */
    public static double gemm(long m, long n, long k) {
        return 2.0 * m * n * k;
    }

    /**
     * Linear CKA, plain or debiased (Kornblith et al. 2019; Song et al. 2012): feature form
     * XᵀX, YᵀY, YᵀX (syrk + syrk + GEMM) or Gram form XXᵀ, YYᵀ (two syrk), whichever is cheaper:
     * the issue asks the implementation to pick the cheaper one.
     */
    public static double linearCka(int n, int dx, int dy) {
        double feature = syrk(n, dx) + syrk(n, dy) + gemm(dx, dy, n);
        double gram = syrk(dx, n) + syrk(dy, n);
        return Math.min(feature, gram);
    }

    /** Gram-form RBF CKA: the squared distances of each side come from one n × n syrk. */
    public static double rbfCka(int n, int dx, int dy) {
        return syrk(dx, n) + syrk(dy, n);
    }

    /** Minibatch CKA (Nguyen et al. 2021): a linear CKA per batch of {@code batch} rows. */
    public static double minibatchCka(int n, int dx, int dy, int batch) {
        int full = n / batch, rest = n % batch;
        double total = full * linearCka(batch, dx, dy);
        if (rest > 0) total += linearCka(rest, dx, dy);
        return total;
    }

    /** CCA family (mean ρ, R², SVCCA, PWCCA): the covariance products XᵀX, YᵀY, XᵀY. */
    public static double cca(int n, int dx, int dy) {
        return syrk(n, dx) + syrk(n, dy) + gemm(dx, dy, n);
    }

    public static double metric(Metric m, int n, int dx, int dy, MetricOptions options) {
        return switch (m) {
            case LINEAR_CKA, LINEAR_CKA_DEBIASED -> linearCka(n, dx, dy);
            case RBF_CKA, RBF_CKA_DEBIASED -> rbfCka(n, dx, dy);
            case MINIBATCH_CKA -> minibatchCka(n, dx, dy, options.batchSize());
            case CCA_MEAN, CCA_R2, SVCCA, PWCCA -> cca(n, dx, dy);
            // Issue 14, part A. The measures from the co-moments cost what CCA's products cost.
            case PROCRUSTES, PROCRUSTES_SIZE_SHAPE, ANGULAR_SHAPE, EIGENSPACE_OVERLAP, LINEAR_REGRESSION, GULP,
                 HARD_CORRELATION_MATCH, SOFT_CORRELATION_MATCH -> cca(n, dx, dy);
            case PERMUTATION_PROCRUSTES -> gemm(dx, dy, n);
            case ALIGNED_COSINE -> gemm(dy, dx, n) + gemm(n, dx, dy);
            // No products: O(n·d) passes (counted as nothing, like every elementwise pass).
            case MAGNITUDE_DIFFERENCE, CONCENTRICITY_DIFFERENCE -> 0;
            // Every pair's distance on each side (the kNN measures screen with the same tiles).
            case RSA, RSM_NORM_DIFFERENCE, SECOND_ORDER_COSINE, RANK_SIMILARITY, JACCARD_KNN, MUTUAL_KNN, CKNNA,
                 UNIFORMITY_DIFFERENCE -> rbfCka(n, dx, dy);
            case DISTANCE_CORRELATION -> 2 * rbfCka(n, dx, dy); // two passes over the tiles
        };
    }
}
