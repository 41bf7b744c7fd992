package dev.repsim.report.bench;

import dev.repsim.measure.Comparison;
import dev.repsim.measure.Crossover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The comparisons the hardware report states, computed from one machine's results with the statistics of
 * {@code dev.repsim.measure}: which backend is fastest per metric and size and whether significantly, the
 * GPU/CPU speed ratio, and the n at which one backend overtakes another.
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

    /**
     * The fastest backend of a cell by median and its comparison with the runner-up (null when alone): the
     * comparison, not the medians, decides whether the fastest may be called the winner.
     */
    public record Ranking(BenchResult fastest, BenchResult runnerUp, Comparison comparison) {}

    public static Optional<Ranking> rank(Map<String, BenchResult> byBackend) {
        List<BenchResult> sorted = new ArrayList<>(byBackend.values());
        sorted.sort(Comparator.comparingDouble(BenchResult::opsPerSec).reversed());
        if (sorted.isEmpty()) return Optional.empty();
        if (sorted.size() == 1) return Optional.of(new Ranking(sorted.get(0), null, null));
        return Optional.of(new Ranking(sorted.get(0), sorted.get(1), compare(sorted.get(0), sorted.get(1))));
    }

    /** Throughput of a over b. */
    public static Comparison compare(BenchResult a, BenchResult b) {
        return Comparison.of(a.samples(), b.samples(), Comparison.Better.HIGHER);
    }

    /** The fastest GPU backend against the fastest CPU backend of a cell (by median), when both were measured. */
    public Optional<Comparison> gpuOverCpu(Map<String, BenchResult> byBackend) {
        Optional<BenchResult> gpu = byBackend.values().stream().filter(r -> isGpu(r.backend())).max(Comparator.comparingDouble(BenchResult::opsPerSec));
        Optional<BenchResult> cpu = byBackend.values().stream().filter(r -> !isGpu(r.backend())).max(Comparator.comparingDouble(BenchResult::opsPerSec));
        return gpu.isPresent() && cpu.isPresent() ? Optional.of(compare(gpu.get(), cpu.get())) : Optional.empty();
    }

    /** A crossover point from a comparison at n. */
    public static Crossover.Point point(int n, Comparison c) {
        return new Crossover.Point(n, c.ratio(), c.ratioLow(), c.ratioHigh());
    }

    /** Per metric, per pair of backends measured together at two or more n: where one overtakes the other. */
    public Map<String, Map<String, String>> backendCrossovers(Slice s) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        table(s).forEach((metric, byN) -> {
            List<String> bs = byN.values().stream().flatMap(c -> c.keySet().stream()).distinct().sorted().toList();
            for (int i = 0; i < bs.size(); i++) {
                for (int j = i + 1; j < bs.size(); j++) {
                    String a = bs.get(i), b = bs.get(j);
                    List<Crossover.Point> pts = new ArrayList<>();
                    byN.forEach((n, cell) -> {
                        if (cell.containsKey(a) && cell.containsKey(b)) pts.add(point(n, compare(cell.get(a), cell.get(b))));
                    });
                    if (pts.size() >= 2) out.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(a + " vs " + b, Crossover.describe(pts, a, b));
                }
            }
        });
        return out;
    }

    /** Measured n values of the metric suite, ascending. */
    public List<Integer> ns(Slice s) {
        TreeSet<Integer> ns = new TreeSet<>();
        for (BenchResult r : metrics()) if (r.intParam("d") == s.d() && r.precision().equals(s.precision())) ns.add(r.intParam("n"));
        return List.copyOf(ns);
    }
}
