package dev.repsim.bench;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.SimilarityMatrix;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A study's 5 × 5 similarity matrix (5 variants of one model) computed pair by pair through
 * {@link Similarity#compute} (15 pairs, 25 ordered ones for PWCCA, each forming the joint co-moments of [X|Y]) against
 * {@link SimilarityMatrix}, which forms each representation's self product once (5 self + 10 cross
 * products, and for the CCA metrics and GULP 5 whitenings, or for SVCCA 5 eigendecompositions, instead of 30 or more). Both
 * modes run in one JMH run, so their ratio is the
 * saving. The five representations are {@link Workload}'s X, Y and three more partners of X.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar StudyMatrixBenchmark -p n=10000 -p d=768 -p precision=f64}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = ForkJvm.FORKS, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.GC, ForkJvm.HEAP, ForkJvm.HEAP_MIN, ForkJvm.YOUNG,
        ForkJvm.HUGE_PAGES, ForkJvm.PRE_TOUCH})
@Warmup(iterations = ForkJvm.WARMUP_ITERATIONS, time = ForkJvm.WARMUP_SECONDS)
@Measurement(iterations = ForkJvm.ITERATIONS, time = ForkJvm.SECONDS)
@State(Scope.Benchmark)
public class StudyMatrixBenchmark {
    static final int VARIANTS = 5;

    @Param({"linear-cka", "cca-mean", "svcca", "pwcca", "gulp"})
    public String metric;

    @Param({"pairwise", "reused"})
    public String mode;

    private Metric m;
    private List<Matrix> reps;

    @Setup(Level.Trial)
    public void setUp(Workload w) {
        m = Metric.parse(metric);
        reps = new ArrayList<>(List.of(w.x, w.y));
        for (int k = 2; k < VARIANTS; k++) reps.add(Workload.partner(w.x, Workload.SEED + 10 + k));
    }

    @Benchmark
    public double[][] matrix(Workload w) {
        if (mode.equals("reused")) return SimilarityMatrix.of(m, reps, w.engine, MetricOptions.DEFAULTS, () -> {});
        double[][] out = new double[VARIANTS][VARIANTS];
        for (int i = 0; i < VARIANTS; i++) {
            for (int j = i; j < VARIANTS; j++) {
                out[i][j] = Similarity.compute(m, reps.get(i), reps.get(j), w.engine, MetricOptions.DEFAULTS);
                // as SimilarityMatrix: both orders where the metric is not symmetric (PWCCA at equal widths)
                boolean both = i != j && !Similarity.isSymmetric(m, reps.get(i).cols(), reps.get(j).cols());
                out[j][i] = both ? Similarity.compute(m, reps.get(j), reps.get(i), w.engine, MetricOptions.DEFAULTS) : out[i][j];
            }
        }
        return out;
    }
}
