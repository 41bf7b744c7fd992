package dev.repsim.bench;

import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The flop counts against counts of the multiply-adds of plain reference loops. */
class NominalFlopsTest {

    /** Multiply-adds of the upper triangle (diagonal included) of AᵀA for an n × d A. */
    private static long syrkMultiplyAdds(int n, int d) {
        long count = 0;
        for (int i = 0; i < d; i++) for (int j = i; j < d; j++) for (int r = 0; r < n; r++) count++;
        return count;
    }

    private static long gemmMultiplyAdds(int m, int n, int k) {
        long count = 0;
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) for (int r = 0; r < k; r++) count++;
        return count;
    }

    @Test
    void syrkAndGemmCountTwoFlopsPerMultiplyAdd() {
        assertEquals(2.0 * syrkMultiplyAdds(13, 7), NominalFlops.syrk(13, 7));
        assertEquals(2.0 * syrkMultiplyAdds(5, 11), NominalFlops.syrk(5, 11));
        assertEquals(2.0 * gemmMultiplyAdds(3, 9, 17), NominalFlops.gemm(3, 9, 17));
    }

    @Test
    void linearCkaTakesTheCheaperForm() {
        // n > d: feature form XᵀX, YᵀY, YᵀX.
        double feature = 2.0 * (2 * syrkMultiplyAdds(50, 8) + gemmMultiplyAdds(8, 8, 50));
        assertEquals(feature, NominalFlops.linearCka(50, 8, 8));
        // n < d: Gram form XXᵀ, YYᵀ.
        double gram = 2.0 * (2 * syrkMultiplyAdds(40, 12));
        assertEquals(gram, NominalFlops.linearCka(12, 40, 40));
    }

    @Test
    void minibatchCountsEveryBatchIncludingTheLastPartialOne() {
        int n = 2500, d = 16, b = 1024;
        double expected = 2 * NominalFlops.linearCka(b, d, d) + NominalFlops.linearCka(n - 2 * b, d, d);
        assertEquals(expected, NominalFlops.minibatchCka(n, d, d, b), 1e-6 * expected);
        assertEquals(expected, NominalFlops.metric(Metric.MINIBATCH_CKA, n, d, d, MetricOptions.DEFAULTS.withBatchSize(b)));
    }

    @Test
    void gemmOpsCountTheProductTheyRun() {
        assertEquals(2.0 * syrkMultiplyAdds(30, 6), GemmOp.multInner.flops(30, 6));
        assertEquals(2.0 * gemmMultiplyAdds(6, 6, 30), GemmOp.multTransA.flops(30, 6));
        // multTransB multiplies a block of at most BLOCK_ROWS rows against all n rows.
        assertEquals(2.0 * 30 * 30 * 6, GemmOp.multTransB.flops(30, 6));
        assertEquals(2.0 * GemmOp.BLOCK_ROWS * 50_000 * 768, GemmOp.multTransB.flops(50_000, 768));
        assertEquals(8L * GemmOp.BLOCK_ROWS * 50_000, GemmOp.multTransB.resultBytes(50_000, 768));
    }
}
