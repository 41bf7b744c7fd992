package dev.repsim.report.bench;

import java.util.Map;

/**
 * One JMH result (one benchmark cell) of a machine's result set.
 *
 * @param machine    the machine id (the folder under results/)
 * @param file       the JSON file it came from, relative to results/
 * @param benchmark  JMH benchmark name (class.method) or the baseline's name
 * @param params     JMH parameters (metric or op, backend, n, d, precision, ...)
 * @param opsPerSec  primary score normalised to operations per second
 * @param error      the primary score's error as a share of the score (0 when not given)
 * @param secondary  secondary scores by name (e.g. {@code gflop} in GFLOP/s, {@code ·gc.alloc.rate.norm} in B/op)
 */
public record BenchResult(String machine, String file, String benchmark, Map<String, String> params, double opsPerSec,
                          double error, Map<String, Double> secondary) {

    public String param(String key) {
        return params.get(key);
    }

    public int intParam(String key) {
        String v = params.get(key);
        if (v == null) throw new IllegalStateException(benchmark + " in " + file + " has no parameter '" + key + "'");
        return Integer.parseInt(v);
    }

    public boolean isMetric() { return params.containsKey("metric") && params.containsKey("backend") && params.containsKey("n"); }

    public boolean isGemm() { return params.containsKey("op") && params.containsKey("backend") && params.containsKey("n"); }

    public boolean isEmbedding() { return params.containsKey("model") && params.containsKey("batch"); }

    public String backend() { return params.getOrDefault("backend", "?"); }

    public String precision() { return params.getOrDefault("precision", "f64"); }

    public double secondsPerOp() { return 1.0 / opsPerSec; }

    /** Bytes allocated on the Java heap per operation (JMH's gc profiler), or NaN when not measured. */
    public double bytesPerOp() {
        Double b = secondary.get("·gc.alloc.rate.norm");
        if (b == null) b = secondary.get("gc.alloc.rate.norm");
        return b == null ? Double.NaN : b;
    }

    /** Achieved GFLOP/s of the nominal flop count, or NaN. */
    public double gflops() {
        Double g = secondary.get("gflop");
        return g == null ? Double.NaN : g;
    }
}
