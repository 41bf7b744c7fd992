package dev.repsim.bench;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The d × d factorisations of the CCA family: the symmetric eigendecomposition of a covariance (with
 * vectors, as the whitening needs when a covariance is near singular), the inverse of its Cholesky factor
 * (the whitening otherwise) and the SVD of a square matrix (the whitened cross product: values
 * alone, with both sides' vectors, with U alone), per backend. {@code ejml} is the library the java backend used before its own solvers, kept
 * here only as a baseline. Run it with, e.g.,
 * {@code java -jar benchmarks/target/benchmarks.jar DecompositionBenchmark -f 1 -wi 1 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = ForkJvm.FORKS, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.GC, ForkJvm.HEAP, ForkJvm.HEAP_MIN, ForkJvm.YOUNG,
        ForkJvm.HUGE_PAGES, ForkJvm.PRE_TOUCH})
@Warmup(iterations = ForkJvm.WARMUP_ITERATIONS, time = ForkJvm.WARMUP_SECONDS)
@Measurement(iterations = ForkJvm.ITERATIONS, time = ForkJvm.SECONDS)
@State(Scope.Benchmark)
public class DecompositionBenchmark {

    @Param({"java", "blas", "ejml"})
    public String backend;

    @Param({"384", "768", "1024"})
    public int d;

    private Backend engine;
    /** The covariance of 2d rows of {@link Workload#features}: positive definite, decaying spectrum. */
    private double[] covariance;
    /** A d × d matrix like the whitened cross product: a d-column block of the pair's cross covariance. */
    private double[] cross;

    @Setup(Level.Trial)
    public void setUp() {
        Matrix x = Workload.features(2 * d, d, Precision.F64, Workload.SEED);
        Matrix y = Workload.partner(x, Workload.SEED + 1);
        try (Backend java = Backends.open("java", null)) {
            covariance = java.multInner(x);
            cross = java.multTransA(x, y);
        }
        engine = backend.equals("ejml") ? null : Backends.open(backend, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (engine != null) engine.close();
    }

    @Benchmark
    public Object eigenSymmetric() {
        if (engine != null) return engine.eigenSymmetric(covariance, d);
        var eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, covariance.clone()))) throw new ArithmeticException("EJML eig failed");
        return eig;
    }

    /** The Cholesky route of a covariance's whitening, U⁻¹ for C = UᵀU (Cca.whiten takes it when C is well conditioned). */
    @Benchmark
    public Object inverseCholeskyFactor() {
        if (engine != null) return engine.inverseCholeskyFactor(covariance, d, 0);
        // EJML's lower factor L = Uᵀ, inverted in place: L⁻¹ = (U⁻¹)ᵀ, the same work.
        var chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(new DMatrixRMaj(d, d, true, covariance.clone()))) throw new ArithmeticException("EJML Cholesky failed");
        DMatrixRMaj l = chol.getT(null);
        org.ejml.dense.row.decomposition.TriangularSolver_DDRM.invertLower(l.data, d);
        return l;
    }

    @Benchmark
    public Object singularValues() {
        if (engine != null) return engine.singularValues(cross, d, d);
        var svd = DecompositionFactory_DDRM.svd(d, d, false, false, true);
        if (!svd.decompose(new DMatrixRMaj(d, d, true, cross.clone()))) throw new ArithmeticException("EJML SVD failed");
        return svd.getSingularValues();
    }

    /** The thin SVD with both sides' vectors (CCA's weights). */
    @Benchmark
    public Object svd() {
        if (engine != null) return engine.svd(cross, d, d);
        return ejmlSvd(true);
    }

    /** The thin SVD with U alone (PWCCA's weights). */
    @Benchmark
    public Object leftSvd() {
        if (engine != null) return engine.leftSvd(cross, d, d);
        return ejmlSvd(false);
    }

    private Object ejmlSvd(boolean right) {
        var svd = DecompositionFactory_DDRM.svd(d, d, true, right, true);
        if (!svd.decompose(new DMatrixRMaj(d, d, true, cross.clone()))) throw new ArithmeticException("EJML SVD failed");
        return svd;
    }
}
