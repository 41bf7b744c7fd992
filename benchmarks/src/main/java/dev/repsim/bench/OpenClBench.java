package dev.repsim.bench;

import dev.repsim.backend.opencl.OpenClBackend;
import dev.repsim.backend.opencl.TileConfig;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.FusedKernels;
import dev.repsim.metrics.KernelStats;
import dev.repsim.metrics.LinearCka;
import dev.repsim.linalg.Precision;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code opencl} backend on the metric × n × d grid: linear CKA (feature space: centring, the three
 * cross-products and their squared norms on the device), RBF CKA (Gram statistics streamed in row blocks), and the raw
 * XᵀY product (the backend's GEMM rate, 2·n·d² flop). Inputs start in host memory every call (the
 * backend's resident cache is cleared first), so every call pays its uploads; the secondary results
 * split each call into upload / kernels / download.
 *
 * <p>Secondary results (JMH AuxCounters, EVENTS): {@code uploadMs} (of which {@code uploadCopyMs} copying
 * out of the Java arrays), {@code kernelMs}, {@code downloadMs} are totals over an iteration and
 * {@code calls} the number of calls in it, so the per-call split is total / calls
 * (benchmarks/gpu/summarize.py does this).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.UNSAFE_ACCESS})
public class OpenClBench {

    @Param({"1000", "10000", "50000"})
    public int n;

    @Param({"384", "768", "1024", "2048"})
    public int d;

    @Param({"f32"})
    public String precision;

    /** OpenCL device (index or part of the name); "first" = the first GPU, else the first device. */
    @Param({"first"})
    public String device;

    /**
     * Host memory the transfers go through: pinned (the backend's default) or pageable. Both in one run
     * measure what pinning is worth on the device (HostStaging).
     */
    @Param({"pinned"})
    public String staging;

    /**
     * Threads that copy each upload chunk out of the Java array into the staging memory: "default" (the
     * backend's choice, HostStaging) or a count. Several in one run measure what the split copy is worth.
     */
    @Param({"default"})
    public String copyThreads;

    /**
     * The kernels' tile configuration: "default" (TileConfig's choice for the device) or tsm x tsn x tsk x
     * wptm x wptn (JMH splits parameter values at commas), e.g. 128x128x32x8x8: several in one run compare
     * tile shapes on a device. A configuration the device cannot take fails the trial rather than
     * falling back to another.
     */
    @Param({"default"})
    public String tiles;

    private OpenClBackend cl;
    private Matrix x, y;
    private FusedKernels.Kernel kx, ky;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("repsim.opencl.staging", staging);   // both read when the backend's context is made
        if (copyThreads.equals("default")) System.clearProperty("repsim.opencl.copyThreads");
        else System.setProperty("repsim.opencl.copyThreads", copyThreads);
        String forced = tiles.equals("default") ? null : tiles.replace('x', ',');
        if (forced == null) System.clearProperty("repsim.opencl.tiles");
        else System.setProperty("repsim.opencl.tiles", forced);   // read when a program is built
        cl = OpenClBackend.open(device.equals("first") ? null : device);
        Precision p = Precision.parse(precision);
        if (forced != null) {
            TileConfig t = cl.tiles(p);
            String got = t.tsm() + "," + t.tsn() + "," + t.tsk() + "," + t.wptm() + "," + t.wptn();
            if (!forced.equals(got) && !forced.startsWith(got + ",")) throw new IllegalStateException("tiles " + tiles + " requested, the device built " + t);
        }
        Matrix[] xy = BenchData.pair(n, d, 42);
        x = xy[0].to(p);
        y = xy[1].to(p);
        kx = FusedKernels.Kernel.gaussian(BenchData.sigma2(xy[0], 7));
        ky = FusedKernels.Kernel.gaussian(BenchData.sigma2(xy[1], 7));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cl.close();
    }

    /** Upload / kernel / download milliseconds of the calls in one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public double uploadMs;
        /** The part of uploadMs spent copying out of the Java arrays into the staging memory. */
        public double uploadCopyMs;
        public double kernelMs;
        public double downloadMs;
        public long calls;

        @Setup(Level.Iteration)
        public void clear() {
            uploadMs = uploadCopyMs = kernelMs = downloadMs = 0;
            calls = 0;
        }

        void add(Map<String, Double> t) {
            uploadMs += t.getOrDefault("upload", 0.0);
            uploadCopyMs += t.getOrDefault("upload_host_copy", 0.0);
            kernelMs += t.getOrDefault("kernels", 0.0);
            downloadMs += t.getOrDefault("download", 0.0);
            calls++;
        }
    }

    /** Linear CKA, feature form ‖XᶜᵀYᶜ‖²_F / (‖XᶜᵀXᶜ‖_F ‖YᶜᵀYᶜ‖_F) (Kornblith et al. 2019). */
    @Benchmark
    public double linearCka(Split s) {
        cl.clearResident();
        cl.resetTimings();
        double v = LinearCka.compute(x, y, cl, false, LinearCka.Form.FEATURE);
        s.add(cl.timings());
        return v;
    }

    /** RBF CKA (biased HSIC) from the streamed Gram statistics. */
    @Benchmark
    public double rbfCka(Split s) {
        cl.clearResident();
        cl.resetTimings();
        KernelStats g = cl.kernelStats(x, kx, y, ky);
        double v = g.biased().cka();
        s.add(cl.timings());
        return v;
    }

    /** The raw product XᵀY through the Backend interface: the device's GEMM rate for this shape. */
    @Benchmark
    public double[] gemmTransA(Split s) {
        cl.clearResident();
        cl.resetTimings();
        double[] c = cl.multTransA(x, y);
        s.add(cl.timings());
        return c;
    }

}
