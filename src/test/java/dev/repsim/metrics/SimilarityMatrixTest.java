package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Decompositions;
import dev.repsim.backend.JavaBackend;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A study's k × k matrix with each representation's statistics reused equals the pair-by-pair metric
 * (to rounding: the same products, blocked differently; tolerance 1e-12 relative in float64) and the
 * float64 reference, is symmetric with a computed diagonal of 1 (0 for the distance GULP), and does k self +
 * k(k−1)/2 cross products.
 */
class SimilarityMatrixTest {

    static final List<Metric> REUSED = List.of(Metric.LINEAR_CKA, Metric.LINEAR_CKA_DEBIASED, Metric.CCA_MEAN, Metric.CCA_R2, Metric.SVCCA, Metric.PWCCA,
            Metric.GULP, Metric.EIGENSPACE_OVERLAP, Metric.LINEAR_REGRESSION);

    /** Five representations of 240 samples: two unrelated, one a noisy linear map of the first, one low-rank, one shifted and scaled. */
    static List<Matrix> reps(int n, int d) {
        Matrix a = TestData.gaussian(n, d, 11);
        List<Matrix> r = new ArrayList<>();
        r.add(a);
        r.add(TestData.gaussian(n, d + 8, 12));
        r.add(TestData.correlatedWith(a, d - 4, 0.3, 13));
        r.add(TestData.lowRank(n, d, Math.max(2, d / 3), 14));
        r.add(TestData.shiftedScaled(n, d, 15));
        return r;
    }

    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (String b : TestData.backends().filter(x -> !x.equals("opencl")).toList()) {
            for (Metric m : REUSED) out.add(new Object[] {b, m});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void equalsThePairByPairMetricInTheFeatureAndTheGramForm(String backend, Metric m) {
        try (Backend b = TestData.open(backend)) {
            // n = 240 > dx + dy: feature form; n = 40 < dx + dy: Gram form (linear CKA); CCA needs n > d
            boolean distance = m == Metric.GULP;
            for (int[] shape : m.isCca() || distance ? new int[][] {{240, 24}} : new int[][] {{240, 24}, {40, 32}}) {
                List<Matrix> reps = reps(shape[0], shape[1]);
                AtomicInteger steps = new AtomicInteger();
                double[][] got = SimilarityMatrix.of(m, reps, b, MetricOptions.DEFAULTS, steps::incrementAndGet);
                assertEquals(15, steps.get());
                for (int i = 0; i < reps.size(); i++) {
                    for (int j = 0; j < reps.size(); j++) {
                        if (distance && i == j) continue; // √(d² ≈ ε): rounding decides its digits, checked below
                        double pair = Similarity.compute(m, reps.get(i), reps.get(j), b, MetricOptions.DEFAULTS);
                        assertEquals(pair, got[i][j], 1e-12 * Math.max(1, Math.abs(pair)), m + " " + i + "," + j + " n=" + shape[0]);
                        if (Similarity.isSymmetric(m, reps.get(i).cols(), reps.get(j).cols())) assertEquals(got[i][j], got[j][i], 0.0);
                    }
                    if (distance) assertEquals(0.0, got[i][i], 1e-6, m + " diagonal " + i); // GULP bottoms out at about √ε
                    else assertEquals(1.0, got[i][i], 1e-12, m + " diagonal " + i);
                }
            }
        }
    }

    @Test
    void linearCkaMatchesTheFloat64Reference() {
        List<Matrix> reps = reps(120, 16);
        double[][] got = SimilarityMatrix.of(Metric.LINEAR_CKA, reps, new JavaBackend(), MetricOptions.DEFAULTS, () -> {});
        for (int i = 0; i < reps.size(); i++) {
            for (int j = i + 1; j < reps.size(); j++) {
                double ref = Reference.cka(Reference.linearKernel(reps.get(i)), Reference.linearKernel(reps.get(j)), false);
                assertEquals(ref, got[i][j], 1e-10, i + "," + j);
            }
        }
    }

    /** Counts the products a matrix asks for. */
    static final class Counting extends ForwardingBackend {
        final AtomicInteger self = new AtomicInteger(), cross = new AtomicInteger(), joint = new AtomicInteger(), eigen = new AtomicInteger(),
                factor = new AtomicInteger();

        Counting(Backend b) { super(b); }

        @Override public double[] multInner(Matrix a) { self.incrementAndGet(); return super.multInner(a); }
        @Override public double[] multTransA(Matrix a, Matrix b) { if (a.rows() > 1000) cross.incrementAndGet(); return super.multTransA(a, b); }
        @Override public CoMoments centeredCoMoments(Matrix a, double[] ma, Matrix b, double[] mb) { joint.incrementAndGet(); return super.centeredCoMoments(a, ma, b, mb); }
        @Override public Decompositions.Eigen eigenSymmetric(double[] a, int d) { eigen.incrementAndGet(); return super.eigenSymmetric(a, d); }
        @Override public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) { factor.incrementAndGet(); return super.inverseCholeskyFactor(a, d, minPivot); }
        @Override public CoMomentNorms centeredCoMomentNorms(Matrix a, double[] ma, Matrix b, double[] mb) { joint.incrementAndGet(); return super.centeredCoMomentNorms(a, ma, b, mb); }
    }

    @Test
    void aFiveByFiveMatrixDoesFiveSelfAndTenCrossProducts() {
        List<Matrix> reps = reps(2000, 16); // rows > 1000 tell the data products from the small d×d ones of CCA
        for (Metric m : List.of(Metric.LINEAR_CKA, Metric.CCA_MEAN)) {
            Counting c = new Counting(new JavaBackend());
            SimilarityMatrix.of(m, reps, c, MetricOptions.DEFAULTS, () -> {});
            assertEquals(5, c.self.get(), m.label());
            assertEquals(10, c.cross.get(), m.label());
            assertEquals(0, c.joint.get(), m.label());
            Counting pairwise = new Counting(new JavaBackend());
            for (int i = 0; i < 5; i++) for (int j = i; j < 5; j++) Similarity.compute(m, reps.get(i), reps.get(j), pairwise, MetricOptions.DEFAULTS);
            assertEquals(15, pairwise.joint.get(), "pair by pair: one joint co-moment product (width dx+dy) per pair");
        }
    }

    /**
     * SVCCA's, PWCCA's, GULP's and eigenspace-overlap's matrices whiten each representation once: SVCCA by
     * one eigendecomposition, the others by one try of the Cholesky factor (the low-rank representation then
     * takes the eigen route). Pair by pair, every pair computed whitens both of its sides: 15 pairs, 30 times.
     */
    @Test
    void whiteningMeasuresWhitenEachRepresentationOnce() {
        List<Matrix> reps = reps(240, 24);
        for (Metric m : List.of(Metric.SVCCA, Metric.PWCCA, Metric.GULP, Metric.EIGENSPACE_OVERLAP)) {
            java.util.function.Function<Counting, AtomicInteger> whitenings = c -> m == Metric.SVCCA ? c.eigen : c.factor;
            Counting c = new Counting(new JavaBackend());
            SimilarityMatrix.of(m, reps, c, MetricOptions.DEFAULTS, () -> {});
            assertEquals(5, whitenings.apply(c).get(), m.label());
            Counting pairwise = new Counting(new JavaBackend());
            for (int i = 0; i < 5; i++) for (int j = i; j < 5; j++) Similarity.compute(m, reps.get(i), reps.get(j), pairwise, MetricOptions.DEFAULTS);
            assertEquals(30, whitenings.apply(pairwise).get(), m.label() + " pair by pair");
        }
    }

    /** Counts a device's norm calls (self: x == y) and forwards the fused kernels. */
    static final class CountingFused extends ForwardingBackend implements FusedKernels {
        final FusedKernels f;
        final AtomicInteger self = new AtomicInteger(), cross = new AtomicInteger();

        CountingFused(Backend b) {
            super(b);
            f = (FusedKernels) b;
        }

        @Override public double centredProductNorm(Matrix x, Matrix y) {
            (x == y ? self : cross).incrementAndGet();
            return f.centredProductNorm(x, y);
        }
        @Override public CrossCovariance crossCovariance(Matrix x, Matrix y) { return f.crossCovariance(x, y); }
        @Override public KernelStats kernelStats(Matrix x, Kernel kx, Matrix y, Kernel ky) { return f.kernelStats(x, kx, y, ky); }
        @Override public int[][] nearestNeighbours(Matrix z, int k, boolean cosine) { return f.nearestNeighbours(z, k, cosine); }
    }

    /**
     * On the OpenCL device linear CKA's matrix reuses each representation's self norm: 5 self + 10 cross
     * norms where pair by pair over the upper triangle takes 45, with the same values bit for bit on and
     * above the diagonal (the same deterministic kernels on the same inputs; below it the mirror, within
     * 1e-12 of the reversed pair), and the Gram form (n < dx + dy) still matches pair by pair.
     */
    @Test
    void onADeviceLinearCkaReusesEachSelfNorm() {
        try (Backend cl = TestData.open("opencl")) {
            for (int[] shape : new int[][] {{240, 24}, {40, 32}}) {
                List<Matrix> reps = reps(shape[0], shape[1]).stream().map(r -> r.to(dev.repsim.linalg.Precision.F32)).toList();
                CountingFused c = new CountingFused(cl);
                double[][] got = SimilarityMatrix.of(Metric.LINEAR_CKA, reps, c, MetricOptions.DEFAULTS, () -> {});
                CountingFused pairwise = new CountingFused(cl);
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) {
                        double pair = Similarity.compute(Metric.LINEAR_CKA, reps.get(i), reps.get(j), pairwise, MetricOptions.DEFAULTS);
                        // i > j mirrors (j, i); pair by pair, that order multiplies the transposed product
                        assertEquals(pair, got[i][j], i <= j ? 0.0 : 1e-12, i + "," + j + " n=" + shape[0]);
                        double ref = Reference.cka(Reference.linearKernel(reps.get(i).to(dev.repsim.linalg.Precision.F64)),
                                Reference.linearKernel(reps.get(j).to(dev.repsim.linalg.Precision.F64)), false);
                        assertEquals(ref, got[i][j], 1e-4, "float64 reference " + i + "," + j);
                    }
                }
                if (shape[0] > 2 * shape[1] + 8) {
                    assertEquals(5, c.self.get(), "self norms");
                    assertEquals(10, c.cross.get(), "cross norms");
                    // pair by pair over the 25 ordered pairs: 20 with a cross and two self norms, 5 diagonal ones with three self norms
                    assertEquals(20, pairwise.cross.get(), "pair by pair: cross norms");
                    assertEquals(55, pairwise.self.get(), "pair by pair: self norms");
                } else {
                    assertEquals(0, c.self.get() + c.cross.get(), "the Gram form uses no feature norms");
                }
            }
        }
    }

    @Test
    void pwccaBetweenEqualWidthsIsComputedInBothOrders() {
        List<Matrix> reps = List.of(TestData.gaussian(200, 12, 3), TestData.lowRank(200, 12, 4, 4));
        double[][] got = SimilarityMatrix.of(Metric.PWCCA, reps, new JavaBackend(), MetricOptions.DEFAULTS, () -> {});
        double ab = Similarity.compute(Metric.PWCCA, reps.get(0), reps.get(1), new JavaBackend(), MetricOptions.DEFAULTS);
        double ba = Similarity.compute(Metric.PWCCA, reps.get(1), reps.get(0), new JavaBackend(), MetricOptions.DEFAULTS);
        assertNotEquals(ab, ba, 1e-6, "the data make the two orders differ");
        assertEquals(ab, got[0][1], 1e-12);
        assertEquals(ba, got[1][0], 1e-12);
    }

    @Test
    void otherMetricsRunPairByPair() {
        List<Matrix> reps = reps(60, 8).subList(0, 3);
        double[][] got = SimilarityMatrix.of(Metric.RBF_CKA, reps, new JavaBackend(), MetricOptions.DEFAULTS, () -> {});
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Similarity.compute(Metric.RBF_CKA, reps.get(i), reps.get(j), new JavaBackend(), MetricOptions.DEFAULTS), got[i][j], 0.0);
            }
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyWork() {
        List<Matrix> reps = List.of(TestData.gaussian(50, 4, 1), TestData.gaussian(49, 4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimilarityMatrix.of(Metric.LINEAR_CKA, reps, new JavaBackend(), MetricOptions.DEFAULTS, () -> {}));
        assertTrue(e.getMessage().contains("same number of rows"), e.getMessage());
    }
}
