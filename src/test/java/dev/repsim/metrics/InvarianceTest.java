package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Set;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;

/**
 * The invariances each metric must have (Kornblith et al. 2019, Table 1): every metric under
 * translation and isotropic scaling; CKA (linear and RBF), SVCCA and ridge CCA under orthogonal maps; CCA
 * (mean ρ and R²) under any invertible linear map; self-similarity 1; symmetry in its arguments.
 */
class InvarianceTest {
    static final Set<Metric> CKA = EnumSet.of(Metric.LINEAR_CKA, Metric.LINEAR_CKA_DEBIASED, Metric.RBF_CKA,
            Metric.RBF_CKA_DEBIASED, Metric.MINIBATCH_CKA);
    static final Set<Metric> CCA = EnumSet.of(Metric.CCA_MEAN, Metric.CCA_R2, Metric.PWCCA);
    /** The CKA and CCA families: similarities in [0, 1], symmetric, invariant under translation and scaling. */
    static final Set<Metric> CKA_AND_CCA = EnumSet.range(Metric.LINEAR_CKA, Metric.PWCCA);
    static final MetricOptions O = MetricOptions.DEFAULTS.withBatchSize(64);
    /**
     * Issue 14 part B measures that change under translation or scaling (cosine neighbours, unit rows,
     * the correlation RDM, raw distances): their own tests check the invariances they do claim.
     */
    static final Set<Metric> NOT_TRANSLATION_AND_SCALE_INVARIANT = EnumSet.of(Metric.RSA, Metric.RSM_NORM_DIFFERENCE,
            Metric.SECOND_ORDER_COSINE, Metric.RANK_SIMILARITY, Metric.JACCARD_KNN, Metric.MUTUAL_KNN, Metric.CKNNA,
            Metric.UNIFORMITY_DIFFERENCE);
    /** Distances rather than similarities: 0, not 1, for identical inputs. */
    static final Set<Metric> DISTANCES = EnumSet.of(Metric.RSM_NORM_DIFFERENCE, Metric.UNIFORMITY_DIFFERENCE);
    /** platonic-rep's CKNNA is not symmetric (see Cknna); its test checks both orders against the reference. */
    static final Set<Metric> ASYMMETRIC = EnumSet.of(Metric.CKNNA);
    /**
     * The metrics whose invariances this test checks: the CKA and CCA families and issue 14's part B (with the
     * exceptions above); part A's shape, subspace and centroid measures are checked by their own tests.
     */
    static final Set<Metric> COVERED = union(CKA_AND_CCA, EnumSet.range(Metric.RSA, Metric.UNIFORMITY_DIFFERENCE));

    static Set<Metric> union(Set<Metric> a, Set<Metric> b) {
        Set<Metric> u = EnumSet.copyOf(a);
        u.addAll(b);
        return u;
    }

    final Matrix x = TestData.shiftedScaled(220, 14, 41);
    final Matrix y = TestData.correlatedWith(x, 10, 2.0, 42);
    /** X and Y under orthogonal maps of their features. */
    final Matrix xq = TestData.times(x, TestData.orthogonal(14, 43)), yq = TestData.times(y, TestData.orthogonal(10, 44));

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void isotropicScalingAndTranslation(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x2 = TestData.shifted(TestData.scaled(x, 3.7), 11.0);
            for (Metric m : COVERED) {
                if (NOT_TRANSLATION_AND_SCALE_INVARIANT.contains(m)) continue;
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, x2, y, b, O), 1e-9, m.label());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void ckaUnderOrthogonalMaps(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Metric m : CKA) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xq, yq, b, O), 1e-9, m.label());
            }
        }
    }

    /**
     * Orthogonal maps, which SVCCA's principal directions and a ridge's isotropic λI both follow (neither is
     * invariant under every invertible map; PWCCA's weights, sums of |⟨hᵢ, xⱼ⟩| over the columns, under neither).
     */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void svccaAndRidgeCcaUnderOrthogonalMaps(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (double ridge : new double[]{0, 0.5}) {
                for (double keep : new double[]{0.99, 0.7}) {
                    MetricOptions o = O.withCcaRidge(ridge).withSvccaKeep(keep);
                    assertRel(Similarity.compute(Metric.SVCCA, x, y, b, o), Similarity.compute(Metric.SVCCA, xq, yq, b, o), 1e-9,
                            "svcca keep=" + keep + ", ridge " + ridge);
                }
                if (ridge > 0) {
                    MetricOptions o = O.withCcaRidge(ridge);
                    for (Metric m : EnumSet.of(Metric.CCA_MEAN, Metric.CCA_R2)) {
                        assertRel(Similarity.compute(m, x, y, b, o), Similarity.compute(m, xq, yq, b, o), 1e-9, m.label() + ", ridge " + ridge);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void ccaUnderInvertibleLinearMaps(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix xa = TestData.times(x, TestData.invertible(14, 45));
            Matrix ya = TestData.times(y, TestData.invertible(10, 46));
            for (Metric m : EnumSet.of(Metric.CCA_MEAN, Metric.CCA_R2)) {
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, xa, ya, b, O), 1e-9, m.label());
            }
            double[] r0 = Similarity.ccaCorrelations(x, y, b, O), r1 = Similarity.ccaCorrelations(xa, ya, b, O);
            for (int i = 0; i < r0.length; i++) assertAbs(r0[i], r1[i], 1e-9, "rho[" + i + "]");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void selfSimilarityIsOne(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Metric m : COVERED) {
                assertAbs(DISTANCES.contains(m) ? 0.0 : 1.0, Similarity.compute(m, x, x, b, O), 1e-9, m.label() + "(X, X)");
            }
        }
    }

    /** Metric.isDistance, which the study report reads values by, agrees with every metric: 0 or 1 for X against itself. */
    @org.junit.jupiter.api.Test
    void everyMetricIsOneOrZeroForIdenticalInputsAsItsDirectionSays() {
        try (Backend b = TestData.open("java")) {
            for (Metric m : Metric.values()) {
                // the closed forms of procrustes, angular-shape and gulp cancel near identity to about 1e-8
                assertAbs(m.isDistance() ? 0.0 : 1.0, Similarity.compute(m, x, x, b, O), 1e-6, m.label() + "(X, X)");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void symmetricInItsArguments(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Metric m : COVERED) {
                if (ASYMMETRIC.contains(m)) continue;
                // PWCCA weights the side with fewer features whichever argument it is (dx != dy here).
                assertRel(Similarity.compute(m, x, y, b, O), Similarity.compute(m, y, x, b, O), 1e-9, m.label());
            }
        }
    }
}
