package dev.repsim.report.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The comparisons the hardware report states, computed from one machine's results: which backend is
 * fastest per metric and size, the GPU/CPU speed ratio, and the n at which the GPU starts to win.
 */
public final class BenchAnalysis {
    private final BenchResults.Machine machine;

    public BenchAnalysis(BenchResults.Machine machine) {
        this.machine = machine;
    }

    /** Whether a backend ran on a GPU: {@code opencl}/{@code cuda} on a machine that describes a GPU. */
    public boolean isGpu(String backend) {
        boolean gpuMachine = machine.text("kind").equalsIgnoreCase("gpu") || !machine.text("gpu_model").isEmpty();
        return gpuMachine && (backend.startsWith("opencl") || backend.startsWith("cuda"));
    }

    public List<BenchResult> metrics() {
        return machine.results().stream().filter(BenchResult::isMetric).toList();
    }

    public List<BenchResult> gemms() {
        return machine.results().stream().filter(BenchResult::isGemm).toList();
    }

    public List<BenchResult> embeddings() {
        return machine.results().stream().filter(BenchResult::isEmbedding).toList();
    }

    /** Metric names in first-seen order. */
    public List<String> metricNames() {
        return metrics().stream().map(r -> r.param("metric")).distinct().toList();
    }

    public List<String> backends() {
        return machine.results().stream().filter(r -> r.isMetric() || r.isGemm()).map(BenchResult::backend).distinct().sorted().toList();
    }

    /** The (d, precision) with the most metric cells (ties: d nearest 768, then f64): the report's reference slice. */
    public Optional<Slice> referenceSlice() {
        Map<Slice, Integer> count = new LinkedHashMap<>();
        for (BenchResult r : metrics()) count.merge(new Slice(r.intParam("d"), r.precision()), 1, Integer::sum);
        return count.entrySet().stream().max(Comparator.<Map.Entry<Slice, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(e -> -Math.abs(e.getKey().d() - 768))
                        .thenComparing(e -> e.getKey().precision().equals("f64") ? 1 : 0))
                .map(Map.Entry::getKey);
    }

    /** A (d, precision) slice of the grid. */
    public record Slice(int d, String precision) {
        public String label() { return "d=" + d + ", " + precision; }
    }

    /** metric → n → backend → result, within a slice. */
    public Map<String, TreeMap<Integer, Map<String, BenchResult>>> table(Slice s) {
        Map<String, TreeMap<Integer, Map<String, BenchResult>>> t = new LinkedHashMap<>();
        for (BenchResult r : metrics()) {
            if (r.intParam("d") != s.d() || !r.precision().equals(s.precision())) continue;
            t.computeIfAbsent(r.param("metric"), k -> new TreeMap<>())
                    .computeIfAbsent(r.intParam("n"), k -> new LinkedHashMap<>()).put(r.backend(), r);
        }
        return t;
    }

    /** The fastest backend of a cell and how much faster it is than the runner-up (NaN when alone). */
    public record Winner(String backend, double opsPerSec, String runnerUp, double speedup) {}

    public static Optional<Winner> winner(Map<String, BenchResult> byBackend) {
        List<BenchResult> sorted = new ArrayList<>(byBackend.values());
        sorted.sort(Comparator.comparingDouble(BenchResult::opsPerSec).reversed());
        if (sorted.isEmpty()) return Optional.empty();
        BenchResult a = sorted.get(0);
        if (sorted.size() == 1) return Optional.of(new Winner(a.backend(), a.opsPerSec(), null, Double.NaN));
        BenchResult b = sorted.get(1);
        return Optional.of(new Winner(a.backend(), a.opsPerSec(), b.backend(), a.opsPerSec() / b.opsPerSec()));
    }

    /** GPU speed over the fastest CPU backend of the same cell, or NaN when either is missing. */
    public double gpuOverCpu(Map<String, BenchResult> byBackend) {
        double gpu = Double.NaN, cpu = Double.NaN;
        for (BenchResult r : byBackend.values()) {
            if (isGpu(r.backend())) gpu = Double.isNaN(gpu) ? r.opsPerSec() : Math.max(gpu, r.opsPerSec());
            else cpu = Double.isNaN(cpu) ? r.opsPerSec() : Math.max(cpu, r.opsPerSec());
        }
        return gpu / cpu;
    }

    /**
     * The n at which the GPU starts to beat the fastest CPU backend, from the measured ratios r(n):
     * between the last measured n with r &lt; 1 and the next with r ≥ 1, log r is interpolated linearly
     * in log n. Text: "below n=…" when the GPU wins everywhere measured, "above n=…" when it never does.
     */
    public static String crossover(TreeMap<Integer, Double> ratioByN) {
        List<Map.Entry<Integer, Double>> pts = ratioByN.entrySet().stream().filter(e -> Double.isFinite(e.getValue())).toList();
        if (pts.isEmpty()) return "not measured";
        if (pts.get(0).getValue() >= 1) return "GPU faster at every measured n (from n=" + pts.get(0).getKey() + ")";
        for (int i = 1; i < pts.size(); i++) {
            double r0 = pts.get(i - 1).getValue(), r1 = pts.get(i).getValue();
            if (r0 < 1 && r1 >= 1) {
                double l0 = Math.log(pts.get(i - 1).getKey()), l1 = Math.log(pts.get(i).getKey());
                double t = (0 - Math.log(r0)) / (Math.log(r1) - Math.log(r0));
                long n = Math.round(Math.exp(l0 + t * (l1 - l0)));
                return "n ≈ " + n;
            }
        }
        return "CPU faster at every measured n (up to n=" + pts.get(pts.size() - 1).getKey() + ")";
    }

    /** Measured n values of the metric suite, ascending. */
    public List<Integer> ns(Slice s) {
        TreeSet<Integer> ns = new TreeSet<>();
        for (BenchResult r : metrics()) if (r.intParam("d") == s.d() && r.precision().equals(s.precision())) ns.add(r.intParam("n"));
        return List.copyOf(ns);
    }
}
