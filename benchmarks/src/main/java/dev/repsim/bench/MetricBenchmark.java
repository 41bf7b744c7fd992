package dev.repsim.bench;

import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
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
 * Each metric through the public facade {@link Similarity#compute}, on every backend × precision ×
 * n × d of {@link Workload} (X and Y both n × d), with the command line's default options. Primary
 * score: metric evaluations per second; secondary {@code gflop}: GFLOP/s of the metric's dominant
 * products ({@link NominalFlops}), to read against {@link GemmBenchmark}'s rate. Cells that
 * {@link Cells#metricSkip} rules out fail in set-up with the reason.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = ForkJvm.FORKS, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.GC, ForkJvm.HEAP, ForkJvm.HEAP_MIN, ForkJvm.YOUNG,
        ForkJvm.HUGE_PAGES, ForkJvm.PRE_TOUCH})
@Warmup(iterations = ForkJvm.WARMUP_ITERATIONS, time = ForkJvm.WARMUP_SECONDS)
@Measurement(iterations = ForkJvm.ITERATIONS, time = ForkJvm.SECONDS)
@State(Scope.Benchmark)
public class MetricBenchmark {

    @Param({"linear-cka", "linear-cka-debiased", "rbf-cka", "rbf-cka-debiased", "minibatch-cka",
            "cca-mean", "cca-r2", "svcca", "pwcca",
            "procrustes", "procrustes-size-shape", "angular-shape", "permutation-procrustes", "aligned-cosine",
            "eigenspace-overlap", "linear-regression", "gulp", "hard-correlation-match", "soft-correlation-match",
            "magnitude-difference", "concentricity-difference",
            "rsa", "rsm-norm-difference", "distance-correlation", "second-order-cosine", "rank-similarity", "jaccard-knn",
            "mutual-knn", "cknna", "uniformity-difference"})
    public String metric;

    private static final MetricOptions OPTIONS = MetricOptions.DEFAULTS;

    private Metric m;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp(Workload w) {
        m = Metric.parse(metric);
        Cells.metricSkip(m, w.backend, w.n, w.d, w.precisionValue(), Cells.Limits.current()).ifPresent(reason -> {
            throw new IllegalStateException("cell skipped: " + reason);
        });
        gflopPerCall = NominalFlops.metric(m, w.n, w.d, w.d, OPTIONS) * 1e-9;
    }

    @Benchmark
    public double compute(Workload w, FlopCounter flops) {
        double v = Similarity.compute(m, w.x, w.y, w.engine, OPTIONS);
        // A NaN here is a bug in the metric, never a number to time.
        if (!Double.isFinite(v)) throw new ArithmeticException(metric + " returned " + v + " on " + w.x + " (" + w.backend + ")");
        flops.gflop += gflopPerCall;
        return v;
    }
}
