package dev.repsim.bench;

import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellsTest {
    private static final Cells.Limits LIMITS = Cells.Limits.DEFAULT;

    @Test
    void ccaNeedsMoreSamplesThanFeatures() {
        for (Metric m : List.of(Metric.CCA_MEAN, Metric.CCA_R2, Metric.SVCCA, Metric.PWCCA)) {
            assertTrue(Cells.metricSkip(m, "blas", 1000, 1024, Precision.F64, LIMITS).orElseThrow().contains("n > max"));
            assertTrue(Cells.metricSkip(m, "blas", 1000, 768, Precision.F64, LIMITS).isEmpty());
        }
        // CKA is defined for n < d.
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "java", 1000, 2048, Precision.F64, LIMITS).isEmpty());
    }

    @Test
    void gramRbfAboveTheExactMedianRangeIsSkippedOnCpuBackendsOnly() {
        assertTrue(Cells.metricSkip(Metric.RBF_CKA, "java", 50_000, 384, Precision.F64, LIMITS).isPresent());
        assertTrue(Cells.metricSkip(Metric.RBF_CKA_DEBIASED, "blas", 50_000, 384, Precision.F64, LIMITS).isPresent());
        assertTrue(Cells.metricSkip(Metric.RBF_CKA, "blas", 20_000, 384, Precision.F64, LIMITS).isEmpty());
        assertTrue(Cells.metricSkip(Metric.RBF_CKA, "opencl", 50_000, 384, Precision.F32, LIMITS).isEmpty());
    }

    @Test
    void timeRuleUsesTheAssumedRate() {
        // linear CKA at n=50 000, d=2048: about 8.6e11 flops, 8.6 s at 100 GFLOP/s.
        Cells.Limits strict = new Cells.Limits(5, 100, 190);
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "blas", 50_000, 2048, Precision.F64, strict).orElseThrow().contains("limit"));
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "blas", 50_000, 2048, Precision.F32, strict).isEmpty());
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "blas", 50_000, 2048, Precision.F64, LIMITS).isEmpty());
    }

    @Test
    void memoryRuleKeepsInputsAndCopiesWithinHalfTheForkHeap() {
        Cells.Limits patient = new Cells.Limits(1e9, 100, 190);
        // 4 · n · d · 8 bytes = 13 GB at n=200 000, d=2048: over half of 8 GiB.
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "blas", 200_000, 2048, Precision.F64, patient).orElseThrow().contains("GiB"));
        assertTrue(Cells.metricSkip(Metric.LINEAR_CKA, "blas", 50_000, 2048, Precision.F64, patient).isEmpty());
    }

    @Test
    void limitsTravelToTheForkAsOneProperty() {
        Cells.Limits l = new Cells.Limits(12.5, 300, 600);
        String arg = l.asProperty();
        String value = arg.substring(arg.indexOf('=') + 1);
        String old = System.getProperty(Cells.Limits.PROPERTY);
        try {
            System.setProperty(Cells.Limits.PROPERTY, value);
            assertEquals(l, Cells.Limits.current());
        } finally {
            if (old == null) System.clearProperty(Cells.Limits.PROPERTY);
            else System.setProperty(Cells.Limits.PROPERTY, old);
        }
    }

    @Test
    void defaultMetricGridSkipsExactlyTheUndefinedCcaAndLargeRbfCells() {
        BenchPlan plan = new BenchPlan();
        new CommandLine(plan).parseArgs("--suite", "metric");
        List<BenchPlan.Cell> cells = plan.plan(LIMITS);
        assertEquals(Metric.values().length * 2 * 3 * 4, cells.size());
        long skipped = cells.stream().filter(c -> c.skip().isPresent()).count();
        // CCA family (4 metrics) at n=1000 with d=1024, 2048; RBF (2 metrics) at n=50 000 with all 4 d; 2 backends.
        // The co-moment measures of issue 14 part A cost what CCA's products cost and have no n > d rule: none skipped.
        // At n=50 000: rsa's pairs (24 B each, 28 GiB) at all 4 d; the seven one-pass pair measures at
        // d=2048 (2·d·n² = 1.0e13 flops, 102 s at 100 GFLOP/s); distance-correlation's two passes at d ≥ 768.
        assertEquals(4 * 2 * 2 + 2 * 4 * 2 + (4 + 7 + 3) * 2, skipped);
    }
}
