package dev.repsim.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads every result set under {@code results/}: one folder per machine ({@code results/<machine-id>/})
 * with a {@code machine.json} describing it and any number of JMH JSON files (arrays of results, as
 * {@code java -jar benchmarks.jar -rf json} or BenchPlan write them; the NumPy baseline writes the same
 * shape). A cell measured more than once keeps its last measurement in file-name order. JSON files
 * that are not arrays (e.g. saved {@code repsim metrics --json} checks) are listed but not read.
 */
public final class BenchResults {
    private BenchResults() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A machine's description, its JMH results, and its other JSON files (not JMH results). */
    public record Machine(String id, JsonNode info, List<BenchResult> results, List<String> otherFiles) {
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
                List<Path> jmh = new ArrayList<>(), other = new ArrayList<>();
                for (Path f : files) (read(f).isArray() ? jmh : other).add(f);
                if (jmh.isEmpty()) continue;
                Path mj = dir.resolve("machine.json");
                if (!Files.isRegularFile(mj)) throw new InputException(mj, "missing: every result set needs a machine.json describing its machine");
                JsonNode info = read(mj);
                if (!info.isObject()) throw new InputException(mj, "not a JSON object");
                Map<String, BenchResult> cells = new LinkedHashMap<>();
                for (Path f : jmh) {
                    for (BenchResult r : parse(f, id, results.relativize(f).toString())) cells.put(r.benchmark() + r.params(), r);
                }
                List<String> others = other.stream().map(f -> results.relativize(f).toString()).toList();
                out.add(new Machine(id, info, List.copyOf(cells.values()), others));
            }
        } catch (IOException e) {
            throw new InputException(results, "cannot list: " + e.getMessage());
        }
        return out;
    }

    private static JsonNode read(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new InputException(f, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static List<BenchResult> parse(Path f, String machine, String rel) {
        JsonNode root = read(f);
        if (!root.isArray()) throw new InputException(f, "not a JMH result file (expected a JSON array of results)");
        List<BenchResult> out = new ArrayList<>();
        for (JsonNode r : root) {
            JsonNode pm = r.get("primaryMetric");
            if (pm == null || !r.has("benchmark")) throw new InputException(f, "a result without benchmark or primaryMetric");
            double score = pm.path("score").asDouble(Double.NaN);
            String unit = pm.path("scoreUnit").asText("");
            double ops = toOpsPerSec(score, unit, f);
            double err = pm.path("scoreError").asDouble(0);
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = r.get("params");
            if (p != null) for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            Map<String, Double> secondary = new LinkedHashMap<>();
            JsonNode s = r.get("secondaryMetrics");
            if (s != null) for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                double v = e.getValue().path("score").asDouble(Double.NaN);
                if (Double.isFinite(v)) secondary.put(e.getKey(), v);
            }
            double relErr = Double.isFinite(err) && score != 0 ? Math.abs(err / score) : 0;
            out.add(new BenchResult(machine, rel, r.get("benchmark").asText(), params, ops, relErr, secondary));
        }
        return out;
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
