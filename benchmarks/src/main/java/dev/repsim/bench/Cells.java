package dev.repsim.bench;

import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.rsa.Rsa;
import dev.repsim.metrics.MetricOptions;

import java.util.Optional;
import java.util.Set;

/**
 * Which cells of the benchmark grid are run, and why the others are not. A cell is skipped only for a
 * stated reason: the metric is undefined there, or one operation would take so long or need so much
 * memory that a JMH trial (several operations) is unreasonable on the machine. {@link BenchPlan} drops
 * such cells before starting a fork; the benchmarks' own set-up refuses them too, so a hand-written
 * {@code -p} list fails loudly instead of running for an hour.
 */
public final class Cells {
    private Cells() {}

    /** Backends that compute on the host CPU. */
    static final Set<String> CPU_BACKENDS = Set.of("java", "blas");

    /** Largest n for which the issue asks for the exact RBF median (above it the median is estimated). */
    static final int RBF_EXACT_MEDIAN_MAX_N = 20_000;

    /**
     * How long one operation may take, at an assumed product rate, before its cell is skipped.
     * Defaults: 60 s at the OpenBLAS rates measured on the 2-core EPYC Zen 4 machine
     * (shared/perf-anchors.md: dgemm ≈ 100, sgemm ≈ 190 GFLOP/s); a faster machine passes its own rates.
     */
    public record Limits(double maxSecondsPerOp, double f64Gflops, double f32Gflops) {
        public static final Limits DEFAULT = new Limits(60, 100, 190);

        static final String PROPERTY = "repsim.bench.limits";

        /** The limits a fork was given by {@link BenchPlan} ({@code -Drepsim.bench.limits=s,f64,f32}), else the defaults. */
        public static Limits current() {
            String v = System.getProperty(PROPERTY);
            if (v == null) return DEFAULT;
            String[] t = v.split(",");
            if (t.length != 3) throw new IllegalArgumentException("-D" + PROPERTY + " must be seconds,f64Gflops,f32Gflops; got '" + v + "'");
            return new Limits(Double.parseDouble(t[0]), Double.parseDouble(t[1]), Double.parseDouble(t[2]));
        }

        String asProperty() {
            return "-D" + PROPERTY + "=" + maxSecondsPerOp + "," + f64Gflops + "," + f32Gflops;
        }

        double seconds(double flops, Precision p) {
            return flops / ((p == Precision.F64 ? f64Gflops : f32Gflops) * 1e9);
        }
    }

    /** Why a metric cell is skipped, or empty when it runs. X and Y are both n × d. */
    public static Optional<String> metricSkip(Metric m, String backend, int n, int d, Precision p, Limits limits) {
        if (m.isCca() && n <= d) {
            return Optional.of("CCA needs n > max(dx, dy) without --cca-ridge; n=" + n + ", d=" + d);
        }
        if ((m == Metric.RBF_CKA || m == Metric.RBF_CKA_DEBIASED) && n > RBF_EXACT_MEDIAN_MAX_N && CPU_BACKENDS.contains(backend)) {
            return Optional.of("Gram-form RBF at n=" + n + " on a CPU backend: every operation makes n² = "
                    + String.format("%.1e", (double) n * n) + " kernel entries (distances, exp, median, centring), minutes per operation on 2 cores");
        }
        if (m == Metric.RSA) {
            // Exact ranks hold both RDMs' n(n-1)/2 pairs and a sorted copy (24 bytes a pair).
            if (n > Rsa.MAX_ROWS) return Optional.of("rsa ranks all pairs in memory up to n=" + Rsa.MAX_ROWS + "; n=" + n);
            Optional<String> big = tooBig(24L * n * (n - 1) / 2);
            if (big.isPresent()) return big;
        }
        double flops = NominalFlops.metric(m, n, d, d, MetricOptions.DEFAULTS);
        Optional<String> slow = tooSlow(flops, p, limits);
        if (slow.isPresent()) return slow;
        // Inputs plus one centred copy of each, the least any implementation holds.
        return tooBig(4L * n * d * bytes(p));
    }

    /** Why a GEMM cell is skipped, or empty when it runs. */
    public static Optional<String> gemmSkip(GemmOp op, int n, int d, Precision p, Limits limits) {
        Optional<String> slow = tooSlow(op.flops(n, d), p, limits);
        if (slow.isPresent()) return slow;
        return tooBig(2L * n * d * bytes(p) + op.resultBytes(n, d));
    }

    private static Optional<String> tooSlow(double flops, Precision p, Limits limits) {
        double s = limits.seconds(flops, p);
        if (s <= limits.maxSecondsPerOp()) return Optional.empty();
        return Optional.of(String.format("%.2e flops per operation ≈ %.0f s at the assumed %s rate, over the %.0f s limit",
                flops, s, p.label(), limits.maxSecondsPerOp()));
    }

    private static Optional<String> tooBig(long bytes) {
        long limit = (long) ForkJvm.HEAP_GIB << 29; // half the fork's heap
        if (bytes <= limit) return Optional.empty();
        return Optional.of(String.format("needs at least %.1f GiB, over half the %d GiB fork heap", bytes / (double) (1L << 30), ForkJvm.HEAP_GIB));
    }

    static int bytes(Precision p) {
        return p == Precision.F64 ? 8 : 4;
    }
}
