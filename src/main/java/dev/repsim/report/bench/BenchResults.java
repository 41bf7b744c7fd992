package dev.repsim.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.InputException;
import dev.repsim.measure.Noise;
import dev.repsim.measure.Samples;
import dev.repsim.measure.Summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads every result set under {@code results/}: one folder per machine ({@code results/<machine-id>/})
 * with a {@code machine.json} describing it and any number of JMH JSON files (arrays of results, as
 * {@code java -jar benchmarks.jar -rf json} or BenchPlan write them; the NumPy baseline writes the same
 * shape). Every sample counts: the per-fork iteration scores ({@code primaryMetric.rawData}) of a cell
 * measured in several files are pooled, fork by fork, and the cell records the files it came from; the
 * NumPy baseline's round label ({@code params.run}) names a round of the same cell, not another cell.
 * JSON files that are not arrays (e.g. saved {@code repsim metrics --json} checks) are listed but not read.
 */
public final class BenchResults {
    private BenchResults() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parameter the NumPy baseline uses to label a round (before/after, round 1, ...). */
    static final String ROUND = "run";

    /** Whether machine.json says OpenBLAS's core was pinned (e.g. OPENBLAS_CORETYPE set) while measuring. */
    public enum CoreForcing { FORCED, NOT_FORCED, UNKNOWN }

    /**
     * JVM options that choose other code paths than the JVM picks for this CPU: the Vector API's species width
     * ({@code -XX:MaxVectorSize=32} runs a Zen 5 on a Zen 3's 256-bit tiles) or the instruction set.
     */
    static final List<String> CODE_PATH_FLAGS = List.of("-XX:MaxVectorSize=", "-XX:UseAVX=", "-XX:UseSSE=");

    /**
     * A machine's description, its cells, the result files read, its other JSON files (not JMH results), and
     * per result file the {@link #CODE_PATH_FLAGS} its forks ran with (only files that had any).
     */
    public record Machine(String id, JsonNode info, List<BenchResult> results, List<String> files, List<String> otherFiles,
                          Map<String, List<String>> forcedJvmFlags) {
        public String describe() {
            String cpu = text("cpu_model");
            String gpu = text("gpu_model");
            StringBuilder b = new StringBuilder();
            if (!gpu.isEmpty()) b.append(gpu).append(" GPU; ");
            b.append(cpu.isEmpty() ? "CPU not described" : cpu);
            if (info.has("cores")) b.append(", ").append(info.get("cores").asText()).append(" cores");
            if (info.has("memory_gib")) b.append(", ").append(info.get("memory_gib").asText()).append(" GiB");
            return b.toString();
        }

        public String text(String key) {
            JsonNode n = info.get(key);
            return n == null || n.isNull() ? "" : n.asText();
        }

        /**
         * FORCED when {@code openblas_forced} is true or {@code OPENBLAS_CORETYPE} is recorded as set (top level or
         * in an {@code env} object); NOT_FORCED when {@code openblas_forced} is false; UNKNOWN when neither is recorded.
         */
        public CoreForcing coreForcing() {
            JsonNode f = info.get("openblas_forced");
            if (f != null && !f.isNull()) return f.asBoolean(false) ? CoreForcing.FORCED : CoreForcing.NOT_FORCED;
            for (JsonNode where : List.of(info, info.path("env"), info.path("environment"))) {
                JsonNode v = where.get("OPENBLAS_CORETYPE");
                if (v != null && !v.isNull() && !v.asText().isBlank()) return CoreForcing.FORCED;
            }
            return CoreForcing.UNKNOWN;
        }

        /** Whether its kernels were this machine's own: no forced OpenBLAS core, no fork run with a {@link #CODE_PATH_FLAGS} option. */
        public boolean ownCodePaths() {
            return coreForcing() != CoreForcing.FORCED && forcedJvmFlags.isEmpty();
        }

        /**
         * Load average above the core count, steal time or unequal CPU speeds, from what machine.json recorded:
         * the latest run's conditions (the top level) and those of every earlier run under {@code runs}, whose
         * files are pooled with the latest ones, so a busy earlier run still flags the set.
         */
        public Noise.MachineNoise noise() {
            int cores = info.path("cores").asInt(0);
            List<String> reasons = new ArrayList<>(runNoise(info, cores).reasons());
            String latest = info.path("date_utc").asText("");
            for (JsonNode run : info.path("runs")) {
                String date = run.path("date_utc").asText("");
                if (!date.isEmpty() && date.equals(latest)) continue; // the latest run itself, if listed
                String which = " (the run of " + (date.isEmpty() ? "unknown date" : date) + ")";
                for (String r : runNoise(run, cores).reasons()) reasons.add(r + which);
            }
            return new Noise.MachineNoise(reasons);
        }

        /** One run's conditions: its loads, steal share and CPU speeds. */
        private static Noise.MachineNoise runNoise(JsonNode run, int cores) {
            List<Noise.LabelledLoad> loads = new ArrayList<>();
            List<Noise.LabelledCoreSpeeds> speeds = new ArrayList<>();
            for (String when : List.of("start", "end")) {
                JsonNode l = run.path("load_average_at_" + when);
                double oneMinute = l.isArray() && !l.isEmpty() ? number(l.get(0)) : Double.NaN;
                if (Double.isFinite(oneMinute)) loads.add(new Noise.LabelledLoad("at " + when, oneMinute));
                JsonNode list = run.path("core_gflops_at_" + when);
                if (!list.isArray() || list.isEmpty()) continue; // not recorded (older runs, or no taskset)
                double[] g = new double[list.size()];
                for (int i = 0; i < g.length; i++) g[i] = number(list.get(i).path("gflops"));
                speeds.add(new Noise.LabelledCoreSpeeds("at " + when, g));
            }
            // run-cpu.sh records the stolen share of CPU time over the run (0 to 1)
            return Noise.machine(cores, loads, 100 * number(run.path("steal_share")), speeds);
        }

        private static double number(JsonNode n) {
            if (n.isNumber()) return n.asDouble();
            if (n.isTextual()) {
                try {
                    return Double.parseDouble(n.asText());
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
            return Double.NaN;
        }
    }

    public static List<Machine> load(Path results) {
        if (!Files.isDirectory(results)) throw new InputException(results, "no results folder");
        List<Machine> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(results)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String id = dir.getFileName().toString();
                if (id.equals("plots") || id.startsWith(".")) continue;
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("machine.json")).sorted().toList();
                }
                // JMH result files are JSON arrays; other JSON (e.g. a `metrics --json` check) is listed, not read
                Map<Path, JsonNode> jmh = new LinkedHashMap<>();
                List<Path> other = new ArrayList<>();
                for (Path f : files) {
                    JsonNode root = read(f);
                    if (root.isArray()) jmh.put(f, root);
                    else other.add(f);
                }
                if (jmh.isEmpty()) continue;
                Path mj = dir.resolve("machine.json");
                if (!Files.isRegularFile(mj)) throw new InputException(mj, "missing: every result set needs a machine.json describing its machine");
                JsonNode info = read(mj);
                if (!info.isObject()) throw new InputException(mj, "not a JSON object");
                checkCoreSpeeds(mj, info);
                Map<String, List<Entry>> cells = new LinkedHashMap<>();
                Map<String, List<String>> forced = new TreeMap<>();
                for (Map.Entry<Path, JsonNode> f : jmh.entrySet()) {
                    String rel = results.relativize(f.getKey()).toString();
                    for (Entry e : parse(f.getKey(), f.getValue(), rel)) cells.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
                    List<String> flags = codePathFlags(f.getValue());
                    if (!flags.isEmpty()) forced.put(rel, flags);
                }
                List<BenchResult> merged = cells.entrySet().stream().map(c -> merge(id, c.getKey(), c.getValue())).toList();
                out.add(new Machine(id, info, merged, jmh.keySet().stream().map(f -> results.relativize(f).toString()).toList(),
                        other.stream().map(f -> results.relativize(f).toString()).toList(), Collections.unmodifiableMap(forced)));
            }
        } catch (IOException e) {
            throw new InputException(results, "cannot list: " + e.getMessage());
        }
        return out;
    }

    /** The distinct {@link #CODE_PATH_FLAGS} options in the {@code jvmArgs} of a JMH result file's results, in order. */
    static List<String> codePathFlags(JsonNode jmh) {
        Set<String> flags = new LinkedHashSet<>();
        for (JsonNode r : jmh) {
            for (JsonNode a : r.path("jvmArgs")) {
                String arg = a.asText();
                if (CODE_PATH_FLAGS.stream().anyMatch(arg::startsWith)) flags.add(arg);
            }
        }
        return List.copyOf(flags);
    }

    /**
     * run-cpu.sh's per-CPU kernel rates, of the latest run and of each earlier run under {@code runs} (a list):
     * absent, null (not recorded) or a list of {cpu, gflops > 0}.
     */
    private static void checkCoreSpeeds(Path mj, JsonNode info) {
        checkCoreSpeeds(mj, info, "");
        JsonNode runs = info.path("runs");
        if (!runs.isMissingNode() && !runs.isNull() && !runs.isArray()) throw new InputException(mj, "runs is not a list of earlier runs");
        for (int r = 0; r < runs.size(); r++) checkCoreSpeeds(mj, runs.get(r), "runs[" + r + "].");
    }

    /** The core speeds of one run (the top level, or an entry of {@code runs}, its keys prefixed with {@code where}). */
    private static void checkCoreSpeeds(Path mj, JsonNode info, String where) {
        for (String key : List.of("core_gflops_at_start", "core_gflops_at_end")) {
            JsonNode list = info.path(key);
            if (list.isMissingNode() || list.isNull()) continue;
            if (!list.isArray()) throw new InputException(mj, where + key + " is not a list of {cpu, gflops}");
            for (int i = 0; i < list.size(); i++) {
                JsonNode g = list.get(i).path("gflops");
                if (!g.isNumber() || !(g.asDouble() > 0) || !Double.isFinite(g.asDouble())) {
                    throw new InputException(mj, where + key + "[" + i + "].gflops is " + g + ", not a positive number");
                }
            }
        }
    }

    /** The file's JSON; an empty file (what a run killed before JMH wrote its results leaves) is an error, not "other JSON". */
    private static JsonNode read(Path f) {
        try {
            JsonNode root = JSON.readTree(f.toFile());
            if (root == null || root.isMissingNode()) throw new InputException(f, "empty file (a run that was stopped before writing its results?)");
            return root;
        } catch (IOException e) {
            throw new InputException(f, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** One result of one file, before the cell's files are pooled. */
    record Entry(String file, String benchmark, Map<String, String> params, String round, Samples samples,
                 double bytesPerOp, double gflopPerOp) {
        String key() {
            return benchmark + params;
        }
    }

    static List<Entry> parse(Path f, JsonNode root, String rel) {
        if (!root.isArray()) throw new InputException(f, "not a JMH result file (expected a JSON array of results)");
        List<Entry> out = new ArrayList<>();
        for (JsonNode r : root) {
            JsonNode pm = r.get("primaryMetric");
            if (pm == null || !r.has("benchmark")) throw new InputException(f, "a result without benchmark or primaryMetric");
            String unit = pm.path("scoreUnit").asText("");
            double ops = toOpsPerSec(pm.path("score").asDouble(Double.NaN), unit, f);
            Map<String, String> params = new TreeMap<>();
            JsonNode p = r.get("params");
            if (p != null) for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            String round = params.remove(ROUND);
            Map<String, Double> secondary = new LinkedHashMap<>();
            JsonNode s = r.get("secondaryMetrics");
            if (s != null) for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                double v = e.getValue().path("score").asDouble(Double.NaN);
                if (Double.isFinite(v)) secondary.put(e.getKey(), v);
            }
            Double bytes = secondary.getOrDefault("·gc.alloc.rate.norm", secondary.get("gc.alloc.rate.norm"));
            Double gflop = secondary.get("gflop");
            out.add(new Entry(rel, r.get("benchmark").asText(), params, round, samples(pm, unit, ops, f),
                    bytes == null ? Double.NaN : bytes, gflop == null ? Double.NaN : gflop / ops));
        }
        return out;
    }

    /** The per-fork iteration scores in ops/s; a file without rawData contributes its score as one sample. */
    private static Samples samples(JsonNode pm, String unit, double ops, Path f) {
        JsonNode raw = pm.get("rawData");
        if (raw == null || !raw.isArray() || raw.isEmpty()) return Samples.of(ops);
        List<double[]> forks = new ArrayList<>();
        for (JsonNode fork : raw) {
            if (!fork.isArray() || fork.isEmpty()) throw new InputException(f, "rawData holds an empty or non-list fork");
            double[] v = new double[fork.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = fork.get(i);
                v[i] = toOpsPerSec(x.isNumber() ? x.asDouble() : Double.NaN, unit, f);
            }
            forks.add(v);
        }
        return new Samples(forks);
    }

    /** All files' forks of one cell together; memory and flop counts (fixed per cell) as the median over files. */
    static BenchResult merge(String machine, String key, List<Entry> entries) {
        Entry first = entries.get(0);
        Samples all = first.samples();
        for (Entry e : entries.subList(1, entries.size())) all = all.with(e.samples());
        List<String> files = entries.stream().map(Entry::file).distinct().toList();
        List<String> rounds = entries.stream().map(Entry::round).filter(java.util.Objects::nonNull).distinct().toList();
        // the seed follows from the cell, so a regenerated report is identical
        Summary summary = Summary.of(all);
        return new BenchResult(machine, files, rounds, first.benchmark(), first.params(), all, summary,
                medianOf(entries.stream().mapToDouble(Entry::bytesPerOp)), medianOf(entries.stream().mapToDouble(Entry::gflopPerOp)));
    }

    private static double medianOf(java.util.stream.DoubleStream values) {
        double[] v = values.filter(Double::isFinite).toArray();
        return v.length == 0 ? Double.NaN : Samples.of(v).median();
    }

    /** JMH reports throughput as ops per time unit, or average time as time units per op. */
    static double toOpsPerSec(double score, String unit, Path f) {
        if (!(score > 0) || !Double.isFinite(score)) throw new InputException(f, "a result has score " + score);
        String u = unit.toLowerCase(Locale.ROOT);
        double perSec = switch (u) {
            case "ops/s" -> score;
            case "ops/ms" -> score * 1e3;
            case "ops/us" -> score * 1e6;
            case "ops/ns" -> score * 1e9;
            case "ops/min" -> score / 60;
            case "s/op" -> 1 / score;
            case "ms/op" -> 1e3 / score;
            case "us/op" -> 1e6 / score;
            case "ns/op" -> 1e9 / score;
            case "min/op" -> 1 / (60 * score);
            default -> throw new InputException(f, "unknown score unit '" + unit + "'");
        };
        return perSec;
    }
}
