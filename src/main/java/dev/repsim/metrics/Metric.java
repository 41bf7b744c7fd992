package dev.repsim.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The similarity metrics of the study, spelled as on the command line. */
public enum Metric {
    LINEAR_CKA("linear-cka"),
    LINEAR_CKA_DEBIASED("linear-cka-debiased"),
    RBF_CKA("rbf-cka"),
    RBF_CKA_DEBIASED("rbf-cka-debiased"),
    MINIBATCH_CKA("minibatch-cka"),
    CCA_MEAN("cca-mean"),
    CCA_R2("cca-r2"),
    SVCCA("svcca"),
    PWCCA("pwcca"),
    // Issue 14, part A: the shape, subspace and centroid measures.
    PROCRUSTES("procrustes"),
    PROCRUSTES_SIZE_SHAPE("procrustes-size-shape"),
    ANGULAR_SHAPE("angular-shape"),
    PERMUTATION_PROCRUSTES("permutation-procrustes"),
    ALIGNED_COSINE("aligned-cosine"),
    EIGENSPACE_OVERLAP("eigenspace-overlap"),
    LINEAR_REGRESSION("linear-regression"),
    GULP("gulp"),
    HARD_CORRELATION_MATCH("hard-correlation-match"),
    SOFT_CORRELATION_MATCH("soft-correlation-match"),
    MAGNITUDE_DIFFERENCE("magnitude-difference"),
    CONCENTRICITY_DIFFERENCE("concentricity-difference"),
    // Pairwise-distance, neighbour and uniformity measures (issue 14, part B).
    RSA("rsa"),
    RSM_NORM_DIFFERENCE("rsm-norm-difference"),
    DISTANCE_CORRELATION("distance-correlation"),
    SECOND_ORDER_COSINE("second-order-cosine"),
    RANK_SIMILARITY("rank-similarity"),
    JACCARD_KNN("jaccard-knn"),
    MUTUAL_KNN("mutual-knn"),
    CKNNA("cknna"),
    UNIFORMITY_DIFFERENCE("uniformity-difference");

    private final String label;

    Metric(String label) { this.label = label; }

    /** Command-line spelling, also the JSON key. */
    public String label() { return label; }

    /** True for the metrics computed from canonical correlations. */
    public boolean isCca() { return this == CCA_MEAN || this == CCA_R2 || this == SVCCA || this == PWCCA; }

    /**
     * False for the measures whose value changes when X and Y are exchanged: linear-regression (Y is predicted
     * from X) and platonic-rep's CKNNA; a study computes both orders of each pair for them.
     */
    public boolean isSymmetric() { return this != LINEAR_REGRESSION && this != CKNNA; }

    /** True for the distances, 0 for identical representations and larger the more they differ; the others are similarities, 1 for identical ones. */
    public boolean isDistance() {
        return switch (this) {
            case PROCRUSTES, PROCRUSTES_SIZE_SHAPE, ANGULAR_SHAPE, PERMUTATION_PROCRUSTES, GULP, MAGNITUDE_DIFFERENCE,
                 CONCENTRICITY_DIFFERENCE, RSM_NORM_DIFFERENCE, UNIFORMITY_DIFFERENCE -> true;
            default -> false;
        };
    }

    /** True for the measures that match X's columns to Y's one to one, so dx must equal dy. */
    public boolean needsEqualWidths() { return this == PERMUTATION_PROCRUSTES || this == HARD_CORRELATION_MATCH; }

    /** True for the measures built on the k nearest neighbours of every row ({@code --k}). */
    public boolean usesNeighbours() {
        return this == SECOND_ORDER_COSINE || this == RANK_SIMILARITY || this == JACCARD_KNN || this == MUTUAL_KNN || this == CKNNA;
    }

    /** Smallest number of samples the metric is defined for. */
    public int minSamples() {
        return switch (this) {
            case LINEAR_CKA_DEBIASED, RBF_CKA_DEBIASED, MINIBATCH_CKA -> 4;
            case RSA -> 3;
            case CKNNA -> 4;
            default -> 2;
        };
    }

    public static Metric parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        for (Metric m : values()) if (m.label.equals(t)) return m;
        throw new IllegalArgumentException("unknown metric '" + s + "' (known: " + labels() + ")");
    }

    /** Parses a comma-separated list; {@code all} means every metric. Order kept, duplicates dropped. */
    public static List<Metric> parseList(String csv) {
        if (csv.strip().equalsIgnoreCase("all")) return List.of(values());
        return Arrays.stream(csv.split(",")).filter(t -> !t.isBlank()).map(Metric::parse).distinct().toList();
    }

    public static String labels() {
        return Arrays.stream(values()).map(Metric::label).collect(Collectors.joining(", "));
    }
}
