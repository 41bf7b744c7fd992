package dev.repsim.measure;

import dev.repsim.metrics.Metric;

import java.util.List;

/**
 * The work terms a kernel's time and heap allocation are fitted to, from what it computes (see
 * benchmarks' NominalFlops and the metric classes). A pair has n rows and dx, dy features; every
 * benchmark cell has dx = dy = d, and each term reduces to its single-width form there (n·d², d³, ...),
 * so coefficients fitted on the grid apply to unequal widths through the symmetric forms below.
 * <ul>
 *   <li>FEATURE (linear CKA, its debiased form, the CCA family): d × d products XᵀX, YᵀY, XᵀY, then
 *   O(d³) factorisations: t = a + b·n·d² + c·d³.</li>
 *   <li>GRAM (RBF CKA, debiased; RSA, the distance, neighbour and uniformity measures): n × n distances
 *   from n²·d products, then O(n²) elementwise work:
 *   t = a + b·n²·d + c·n².</li>
 *   <li>MINIBATCH (minibatch CKA): a linear CKA per batch of a fixed size B, so the work is linear in
 *   n for the fixed batch size the benchmarks use: t = a + b·n·d + c·n (not n²: there is no n × n
 *   matrix).</li>
 *   <li>GEMM products: XᵀX and XᵀY t = a + b·n·d²; the row block X[0:1024]·Yᵀ t = a + b·min(n, 1024)·n·d.</li>
 * </ul>
 * Heap allocation per evaluation: bytes = a + b·n·d + c·d² (+ e·n² for Gram kernels).
 */
public enum WorkTerms {
    FEATURE(List.of("1", "n·d²", "d³"), false),
    GRAM(List.of("1", "n²·d", "n²"), true),
    MINIBATCH(List.of("1", "n·d", "n"), false),
    GEMM_D2(List.of("1", "n·d²"), false),
    GEMM_BLOCK(List.of("1", "min(n,1024)·n·d"), true);

    /** Rows of X in the measured row-block product (GemmOp.BLOCK_ROWS in benchmarks/). */
    static final int BLOCK_ROWS = 1024;

    private final List<String> names;
    private final boolean quadraticMemory;

    WorkTerms(List<String> names, boolean quadraticMemory) {
        this.names = names;
        this.quadraticMemory = quadraticMemory;
    }

    /** The family of a metric label or a GemmBenchmark op; null for kernels without a cost model. */
    public static WorkTerms of(String kernel) {
        switch (kernel) {
            case "multInner", "multTransA" -> { return GEMM_D2; }
            case "multTransB" -> { return GEMM_BLOCK; }
            default -> { }
        }
        Metric m;
        try {
            m = Metric.parse(kernel);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return switch (m) {
            case LINEAR_CKA, LINEAR_CKA_DEBIASED, CCA_MEAN, CCA_R2, SVCCA, PWCCA -> FEATURE;
            case RBF_CKA, RBF_CKA_DEBIASED -> GRAM;
            case MINIBATCH_CKA -> MINIBATCH;
            // Issue 14, part A: products of the feature form plus d³ algebra, or linear passes.
            case PROCRUSTES, PROCRUSTES_SIZE_SHAPE, ANGULAR_SHAPE, PERMUTATION_PROCRUSTES, ALIGNED_COSINE, EIGENSPACE_OVERLAP,
                 LINEAR_REGRESSION, GULP, HARD_CORRELATION_MATCH, SOFT_CORRELATION_MATCH -> FEATURE;
            case MAGNITUDE_DIFFERENCE, CONCENTRICITY_DIFFERENCE -> MINIBATCH;
            // All pairs of rows: distance tiles or neighbour screening (n²·d), then O(n²) per-pair work.
            case RSA, RSM_NORM_DIFFERENCE, DISTANCE_CORRELATION, SECOND_ORDER_COSINE, RANK_SIMILARITY, JACCARD_KNN,
                 MUTUAL_KNN, CKNNA, UNIFORMITY_DIFFERENCE -> GRAM;
        };
    }

    /** Names of the time terms, in coefficient order. */
    public List<String> names() { return names; }

    /** Time terms of a pair with n rows and dx, dy features. */
    public double[] time(double n, double dx, double dy) {
        double d = (dx + dy) / 2;
        return switch (this) {
            case FEATURE -> new double[]{1, n * (dx * dx + dx * dy + dy * dy) / 3, (dx * dx * dx + dy * dy * dy) / 2};
            case GRAM -> new double[]{1, n * n * d, n * n};
            case MINIBATCH -> new double[]{1, n * d, n};
            case GEMM_D2 -> new double[]{1, n * dx * dy};
            case GEMM_BLOCK -> new double[]{1, Math.min(n, BLOCK_ROWS) * n * d};
        };
    }

    /** Names of the heap-allocation terms, in coefficient order. */
    public List<String> memoryNames() {
        return quadraticMemory ? List.of("1", "n·d", "d²", "n²") : List.of("1", "n·d", "d²");
    }

    /** Heap-allocation terms of a pair (n² only for kernels holding n × n or n-wide blocks). */
    public double[] memory(double n, double dx, double dy) {
        double nd = n * (dx + dy) / 2, dd = (dx * dx + dy * dy) / 2;
        double quad = this == GEMM_BLOCK ? Math.min(n, BLOCK_ROWS) * n : n * n;
        return quadraticMemory ? new double[]{1, nd, dd, quad} : new double[]{1, nd, dd};
    }
}
