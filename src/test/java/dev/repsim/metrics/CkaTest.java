package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.repsim.metrics.TestData.assertAbs;
import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CKA family against the explicit float64 reference (n×n kernels, centring matrix H, Song et al.'s
 * formula with loops). Tolerances: float64 paths 1e-9 relative; float32 kernels 1e-4 absolute.
 */
class CkaTest {
    static final double F64_TOL = 1e-9;
    static final double F32_TOL = 1e-4;

    record Case(String name, Matrix x, Matrix y) {}

    static Case[] cases() {
        Matrix x = TestData.shiftedScaled(120, 23, 1);
        Matrix lr = TestData.lowRank(97, 40, 5, 2);
        Matrix wide = TestData.gaussian(31, 70, 3); // n < d: the Gram form is the cheaper one
        return new Case[]{
                new Case("random", x, TestData.gaussian(120, 11, 4)),
                new Case("correlated", x, TestData.correlatedWith(x, 13, 0.5, 5)),
                new Case("low-rank", lr, TestData.correlatedWith(lr, 9, 0.1, 6)),
                new Case("n<d", wide, TestData.correlatedWith(wide, 45, 1.0, 7)),
        };
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void linearCkaMatchesReferenceInBothForms(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                RealMatrix k = Reference.linearKernel(c.x()), l = Reference.linearKernel(c.y());
                for (boolean debiased : new boolean[]{false, true}) {
                    double ref = Reference.cka(k, l, debiased);
                    for (LinearCka.Form f : LinearCka.Form.values()) {
                        double got = LinearCka.compute(c.x(), c.y(), b, debiased, f);
                        assertRel(ref, got, F64_TOL, backendName + " " + c.name() + " debiased=" + debiased + " " + f);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void rbfCkaMatchesReference(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            for (Case c : cases()) {
                for (double s : new double[]{0.5, 1.3}) {
                    RealMatrix k = Reference.rbfKernel(c.x(), s), l = Reference.rbfKernel(c.y(), s);
                    MetricOptions o = MetricOptions.DEFAULTS.withSigma(s);
                    assertRel(Reference.cka(k, l, false), RbfCka.compute(c.x(), c.y(), b, o, false), F64_TOL, c.name() + " rbf s=" + s);
                    assertRel(Reference.cka(k, l, true), RbfCka.compute(c.x(), c.y(), b, o, true), F64_TOL, c.name() + " rbf-debiased s=" + s);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void rbfTilingDoesNotChangeTheResult(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(53, 6, 8).centered(), y = TestData.gaussian(53, 4, 9).centered();
            KernelStats whole = RbfCka.stats(x, y, 3.0, 2.0, b, 1024);
            for (int tile : new int[]{1, 5, 16, 52}) {
                KernelStats t = RbfCka.stats(x, y, 3.0, 2.0, b, tile);
                assertRel(whole.biased().cka(), t.biased().cka(), 1e-12, "tile " + tile);
                assertRel(whole.unbiased().cka(), t.unbiased().cka(), 1e-12, "tile " + tile);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void absoluteBandwidthIsUsedAsGiven(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(40, 5, 10), y = TestData.gaussian(40, 3, 11);
            double sigma = 1.7;
            // Reference kernel with σ² = 1.7²: rbfKernel uses s²·median, so pass s = σ/√median.
            double[] all = new double[40 * 40];
            for (int i = 0; i < 40; i++) for (int j = 0; j < 40; j++) {
                double t = 0;
                for (int c = 0; c < 5; c++) t += Math.pow(x.get(i, c) - x.get(j, c), 2);
                all[i * 40 + j] = t;
            }
            double sx = sigma / Math.sqrt(Reference.median(all));
            for (int i = 0; i < 40; i++) for (int j = 0; j < 40; j++) {
                double t = 0;
                for (int c = 0; c < 3; c++) t += Math.pow(y.get(i, c) - y.get(j, c), 2);
                all[i * 40 + j] = t;
            }
            double sy = sigma / Math.sqrt(Reference.median(all));
            double ref = Reference.cka(Reference.rbfKernel(x, sx), Reference.rbfKernel(y, sy), false);
            assertRel(ref, RbfCka.compute(x, y, b, MetricOptions.DEFAULTS.withSigmaAbs(sigma), false), F64_TOL, "sigma-abs");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void minibatchCkaSumsUnbiasedHsicOverBatches(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(103, 7, 12), y = TestData.correlatedWith(x, 5, 1.0, 13);
            // One batch (b >= n): exactly the debiased linear CKA.
            double single = MinibatchCka.compute(x, y, b, MetricOptions.DEFAULTS.withBatchSize(200));
            assertRel(Reference.cka(Reference.linearKernel(x), Reference.linearKernel(y), true), single, F64_TOL, "one batch");
            // Several batches: Σ HSIC₁ over the seeded partition, ratio at the end.
            int bs = 20;
            int[] order = MinibatchCka.shuffled(103, 42);
            assertEquals(103, java.util.Arrays.stream(order).distinct().count(), "permutation");
            int batches = 103 / bs;
            double kl = 0, kk = 0, ll = 0;
            for (int t = 0; t < batches; t++) {
                int[] idx = java.util.Arrays.copyOfRange(order, t * 103 / batches, (t + 1) * 103 / batches);
                assertTrue(idx.length >= bs && idx.length < 2 * bs);
                RealMatrix k = Reference.linearKernel(x.selectRows(idx).centered());
                RealMatrix l = Reference.linearKernel(y.selectRows(idx).centered());
                kl += Reference.hsicUnbiased(k, l);
                kk += Reference.hsicUnbiased(k, k);
                ll += Reference.hsicUnbiased(l, l);
            }
            double got = MinibatchCka.compute(x, y, b, MetricOptions.DEFAULTS.withBatchSize(bs).withSeed(42));
            assertRel(kl / Math.sqrt(kk * ll), got, F64_TOL, "minibatch");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32KernelsStayWithinTolerance(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(2000, 48, 14);
            Matrix y = TestData.correlatedWith(x, 32, 3.0, 15);
            for (Metric m : new Metric[]{Metric.LINEAR_CKA, Metric.LINEAR_CKA_DEBIASED, Metric.RBF_CKA, Metric.RBF_CKA_DEBIASED}) {
                double ref = Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS);
                double f32 = Similarity.compute(m, x.to(Precision.F32), y.to(Precision.F32), b, MetricOptions.DEFAULTS);
                assertAbs(ref, f32, F32_TOL, m.label() + " f32");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void debiasedCkaOfIndependentDataIsNearZero(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(4000, 20, 16), y = TestData.gaussian(4000, 20, 17);
            double debiased = Similarity.compute(Metric.LINEAR_CKA_DEBIASED, x, y, b, MetricOptions.DEFAULTS);
            double biased = Similarity.compute(Metric.LINEAR_CKA, x, y, b, MetricOptions.DEFAULTS);
            // Biased CKA of independent d=20 features sits near d/(n)·… > 0; the debiased estimate is centred on 0
            // with standard deviation ~ 1/n.
            assertTrue(Math.abs(debiased) < 2e-3, "debiased " + debiased);
            assertTrue(biased > 5 * Math.abs(debiased), "biased " + biased + " vs debiased " + debiased);
        }
    }
}
