package dev.repsim.bench;

import dev.repsim.linalg.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Raw product rate of each backend on the metric grid: {@link GemmOp} × backend × precision × n × d.
 * Primary score: calls per second; secondary {@code gflop}: GFLOP/s with the counts of
 * {@link GemmOp#flops} (syrk n·d·(d+1), GEMM 2·m·n·k). A metric's {@code gflop} score divided by the
 * multTransA/multInner score of the same backend, precision, n and d is its share of the product rate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = ForkJvm.FORKS, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.GC, ForkJvm.HEAP, ForkJvm.HEAP_MIN, ForkJvm.YOUNG,
        ForkJvm.HUGE_PAGES, ForkJvm.PRE_TOUCH})
@Warmup(iterations = ForkJvm.WARMUP_ITERATIONS, time = ForkJvm.WARMUP_SECONDS)
@Measurement(iterations = ForkJvm.ITERATIONS, time = ForkJvm.SECONDS)
@State(Scope.Benchmark)
public class GemmBenchmark {

    @Param({"multInner", "multTransA", "multTransB"})
    public String op;

    private GemmOp gemm;
    private Matrix left;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp(Workload w) {
        gemm = GemmOp.valueOf(op);
        Cells.gemmSkip(gemm, w.n, w.d, w.precisionValue(), Cells.Limits.current()).ifPresent(reason -> {
            throw new IllegalStateException("cell skipped: " + reason);
        });
        left = gemm == GemmOp.multTransB ? w.x.rows(0, gemm.leftRows(w.n)) : w.x;
        gflopPerCall = gemm.flops(w.n, w.d) * 1e-9;
    }

    @Benchmark
    public double[] product(Workload w, FlopCounter flops) {
        double[] c = gemm.run(w.engine, left, w.y);
        flops.gflop += gflopPerCall;
        return c;
    }
}
