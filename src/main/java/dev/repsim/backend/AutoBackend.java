package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.measure.Microarchitecture;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --backend auto} on a machine without an OpenCL GPU: each metric runs on the CPU backend that
 * {@link AutoChoice} picks for its precision and size on this microarchitecture. Kernel calls made outside
 * a metric (no size to choose by) go to blas, or java where OpenBLAS does not load. The picks made are kept
 * with their reasons for the caller's output ({@link #picks()}).
 */
public final class AutoBackend implements Backend {
    private final AutoChoice table;
    private final String microarchitecture;
    private final int cores;
    private final boolean blasLoads;
    private final Map<String, Backend> open = new LinkedHashMap<>();
    private final Map<String, AutoChoice.Choice> picks = new LinkedHashMap<>();

    AutoBackend(AutoChoice table, String microarchitecture, int cores, boolean blasLoads) {
        this.table = table;
        this.microarchitecture = microarchitecture;
        this.cores = cores;
        this.blasLoads = blasLoads;
    }

    /** For this machine: the packaged table, the CPU's microarchitecture and core count. */
    static AutoBackend forThisMachine() {
        return new AutoBackend(AutoChoice.packaged(), Microarchitecture.ofThisMachine(),
                Runtime.getRuntime().availableProcessors(), BlasBackend.isAvailable());
    }

    /** What auto picks for a metric of this size, with the reason (without opening anything). */
    public AutoChoice.Choice choose(String metric, Precision precision, long n, int d) {
        AutoChoice.Choice c = table.choose(microarchitecture, cores, metric, precision, n, d);
        if (c.backend().equals("blas") && !blasLoads) return new AutoChoice.Choice("java", "java: OpenBLAS does not load here (" + c.reason() + ")");
        return c;
    }

    @Override
    public Backend forWork(String metric, Precision precision, long n, int d) {
        AutoChoice.Choice c = choose(metric, precision, n, d);
        picks.put(metric, c);
        return backend(c.backend());
    }

    /** metric → the pick and its reason, for every metric run through this backend so far. */
    public Map<String, AutoChoice.Choice> picks() { return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(picks)); }

    private Backend backend(String name) {
        return open.computeIfAbsent(name, k -> k.equals("blas") ? BlasBackend.open() : new JavaBackend());
    }

    private Backend fallback() { return backend(blasLoads ? "blas" : "java"); }

    @Override
    public String name() { return "auto"; }

    @Override
    public String describe() {
        return "auto (per metric and size from the measurements of this CPU, " + microarchitecture + ", " + cores + " cores; " + fallback().describe() + " otherwise)";
    }

    @Override
    public double[] multTransA(Matrix a, Matrix b) { return fallback().multTransA(a, b); }

    @Override
    public double[] multInner(Matrix a) { return fallback().multInner(a); }

    @Override
    public double[] multTransB(Matrix a, Matrix b) { return fallback().multTransB(a, b); }

    @Override
    public double[] multOuterUpper(Matrix a) { return fallback().multOuterUpper(a); }

    @Override
    public GramTiles gramTiles(Matrix x, double[] mean, int tile) { return fallback().gramTiles(x, mean, tile); }

    @Override
    public CoMoments centeredCoMoments(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        return fallback().centeredCoMoments(a, meanA, b, meanB);
    }

    @Override
    public CoMomentNorms centeredCoMomentNorms(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        return fallback().centeredCoMomentNorms(a, meanA, b, meanB);
    }

    @Override
    public double[] squaredDistances(Matrix a, Matrix b) { return fallback().squaredDistances(a, b); }

    @Override
    public Decompositions.Eigen eigenSymmetric(double[] a, int d) { return fallback().eigenSymmetric(a, d); }

    @Override
    public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) { return fallback().inverseCholeskyFactor(a, d, minPivot); }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) { return fallback().svd(a, m, n); }

    @Override
    public Decompositions.Svd leftSvd(double[] a, int m, int n) { return fallback().leftSvd(a, m, n); }

    @Override
    public double[] singularValues(double[] a, int m, int n) { return fallback().singularValues(a, m, n); }

    @Override
    public Map<String, Double> timings() {
        Map<String, Double> t = new LinkedHashMap<>();
        open.values().forEach(b -> b.timings().forEach((k, v) -> t.merge(k, v, Double::sum)));
        return t;
    }

    @Override
    public void resetTimings() { open.values().forEach(Backend::resetTimings); }

    @Override
    public void close() { open.values().forEach(Backend::close); }
}
