package dev.repsim.report.bench;

import dev.repsim.measure.Noise;
import dev.repsim.measure.Samples;
import dev.repsim.measure.Summary;

import java.util.List;
import java.util.Map;

/**
 * One benchmark cell (benchmark and parameters) of a machine's result set, with every sample of every
 * file that measured it: forks from several files (repeated runs, rounds) are pooled, not replaced.
 *
 * @param machine     the machine id (the folder under results/)
 * @param files       the JSON files it came from, relative to results/
 * @param rounds      the NumPy baseline's round labels ({@code params.run}) pooled into this cell; empty for JMH
 * @param benchmark   JMH benchmark name (class.method) or the baseline's name
 * @param params      parameters (metric or op, backend, n, d, precision, ...), without the round label
 * @param samples     per-fork iteration scores in operations per second
 * @param summary     median and 95 % CI (from the forks) of {@code samples}
 * @param bytesPerOp  Java heap bytes allocated per operation (JMH {@code -prof gc}), median over files; NaN when not measured
 * @param gflopPerOp  nominal GFLOP of one operation, NaN when not given
 */
public record BenchResult(String machine, List<String> files, List<String> rounds, String benchmark, Map<String, String> params,
                          Samples samples, Summary summary, double bytesPerOp, double gflopPerOp) {

    public String param(String key) {
        return params.get(key);
    }

    public int intParam(String key) {
        String v = params.get(key);
        if (v == null) throw new IllegalStateException(benchmark + " in " + files + " has no parameter '" + key + "'");
        return Integer.parseInt(v);
    }

    public boolean isMetric() { return params.containsKey("metric") && params.containsKey("backend") && params.containsKey("n"); }

    public boolean isGemm() { return params.containsKey("op") && params.containsKey("backend") && params.containsKey("n"); }

    public boolean isEmbedding() { return params.containsKey("model") && params.containsKey("batch"); }

    public String backend() { return params.getOrDefault("backend", "?"); }

    public String precision() { return params.getOrDefault("precision", "f64"); }

    /** Median operations per second over all samples. */
    public double opsPerSec() { return summary.median(); }

    public double secondsPerOp() { return 1.0 / opsPerSec(); }

    /** Achieved GFLOP/s at the median rate, or NaN. */
    public double gflops() { return gflopPerOp * opsPerSec(); }

    /** Samples spread more than {@link Noise#CV_LIMIT}: the median is shown, but not as a precise figure. */
    public boolean noisy() { return Noise.noisy(summary); }
}
