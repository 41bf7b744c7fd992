package dev.repsim.report.bench;

import dev.repsim.cli.Main;
import dev.repsim.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** bench-report on hand-made JMH JSON whose answers are known: winners, speed-ups, ratio, crossover, files. */
class BenchReportTest {

    static String cell(String bench, String key, String value, String backend, int n, int d, double opsPerSec, double gflop, double bytes) {
        return String.format(Locale.ROOT, """
                {"benchmark":"dev.repsim.bench.%s","mode":"thrpt","params":{"%s":"%s","backend":"%s","n":"%d","d":"%d","precision":"f64"},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ops/s"},
                 "secondaryMetrics":{"gflop":{"score":%s,"scoreUnit":"ops/s"},"·gc.alloc.rate.norm":{"score":%s,"scoreUnit":"B/op"}}}""",
                bench, key, value, backend, n, d, opsPerSec, opsPerSec * 0.02, gflop, bytes);
    }

    static void machine(Path results, String id, String machineJson, List<String> cells) throws Exception {
        Files.createDirectories(results.resolve(id));
        Files.writeString(results.resolve(id).resolve("machine.json"), machineJson);
        Files.writeString(results.resolve(id).resolve("metric.json"), "[" + String.join(",", cells) + "]");
    }

    @Test
    void reportStatesWinnersRatiosAndCrossover(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        List<String> cpu = new ArrayList<>();
        for (String m : List.of("linear-cka", "rbf-cka")) {
            cpu.add(cell("MetricBenchmark.compute", "metric", m, "java", 1000, 768, 100, 10, 1 << 20));
            cpu.add(cell("MetricBenchmark.compute", "metric", m, "blas", 1000, 768, 200, 20, 1 << 19));
            cpu.add(cell("MetricBenchmark.compute", "metric", m, "java", 10000, 768, 3, 30, 1 << 22));
            cpu.add(cell("MetricBenchmark.compute", "metric", m, "blas", 10000, 768, 4, 40, 1 << 21));
        }
        cpu.add(cell("GemmBenchmark.product", "op", "multTransA", "blas", 10000, 768, 50, 80, 0));
        machine(results, "cpu-test-2c", "{\"machine\":\"cpu-test-2c\",\"cpu_model\":\"Test CPU\",\"cores\":2}", cpu);

        List<String> gpu = new ArrayList<>();
        gpu.add(cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 1000, 768, 200, 20, 1));
        gpu.add(cell("MetricBenchmark.compute", "metric", "linear-cka", "opencl", 1000, 768, 100, 10, 1));
        gpu.add(cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 10000, 768, 4, 40, 1));
        gpu.add(cell("MetricBenchmark.compute", "metric", "linear-cka", "opencl", 10000, 768, 8, 80, 1));
        Files.writeString(results.resolve("cpu-test-2c/streaming-check.json"), "{\"n\": 2000000}");
        machine(results, "gpu-test-h100", "{\"machine\":\"gpu-test-h100\",\"kind\":\"gpu\",\"gpu_model\":\"Test GPU\",\"cpu_model\":\"Host CPU\",\"cores\":16}", gpu);

        // a stale plot from an earlier report is removed
        Files.createDirectories(results.resolve("plots/old"));
        Files.write(results.resolve("plots/old/gone.png"), new byte[] {1});

        assertEquals(0, Main.execute("bench-report", "--results", results.toString()));
        String md = Files.readString(results.resolve("README.md"));
        assertTrue(md.contains("## cpu-test-2c") && md.contains("## gpu-test-h100"), md);
        // n=1000: blas twice as fast as java on both metrics; n=10000: 4/3
        assertTrue(md.contains("- n = 1000: **blas** for every metric (median 2.00× over the runner-up)."), md);
        assertTrue(md.contains("- n = 10000: **blas** for every metric (median 1.33× over the runner-up)."), md);
        // GPU: 0.5× at n=1000, 2× at n=10000: log-linear crossover at sqrt(1000 · 10000) = 3162
        assertTrue(md.contains("| linear-cka | n ≈ 3162 |"), md);
        assertTrue(md.contains("- n = 10000: **opencl (GPU)** for every metric (median 2.00× over the runner-up)."), md);
        assertTrue(md.contains("No GPU measurements on cpu-test-2c."), md);
        assertTrue(md.contains("Other files (not JMH results, not read here): `cpu-test-2c/streaming-check.json`."), md);
        // the larger n of the tie is the time/memory slice: 1/4 s = 250 ms; 2 MiB; GEMM share 40/80 = 50 %
        assertTrue(md.contains("| linear-cka | blas | 250 | 2% | 2.00 | 40.0 | 50% |"), md);
        assertTrue(md.contains("| multTransA | blas | f64 | 10000 | 768 | 80.0 | 2% |"), md);
        for (String png : List.of("plots/cpu-test-2c/throughput-linear-cka.png", "plots/gpu-test-h100/gpu-ratio-d768-f64.png",
                "plots/cpu-test-2c/time-n10000-d768-f64.png", "plots/cpu-test-2c/memory-n10000-d768-f64.png")) {
            assertTrue(md.contains("(" + png + ")"), png);
            assertTrue(Files.size(results.resolve(png)) > 1000, png);
        }
        assertFalse(Files.exists(results.resolve("plots/old/gone.png")));
    }

    @Test
    void crossoverCases() {
        TreeMap<Integer, Double> r = new TreeMap<>();
        r.put(1000, 2.0);
        assertTrue(BenchAnalysis.crossover(r).startsWith("GPU faster at every measured n"));
        r.clear();
        r.put(1000, 0.2);
        r.put(50000, 0.9);
        assertTrue(BenchAnalysis.crossover(r).startsWith("CPU faster at every measured n (up to n=50000)"));
    }

    @Test
    void badResultFilesAreNamed(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Files.createDirectories(results.resolve("m"));
        Files.writeString(results.resolve("m/metric.json"), "[]");
        InputException e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("machine.json") && e.getMessage().contains("missing"), e.getMessage());
        Files.writeString(results.resolve("m/machine.json"), "{}");
        Files.writeString(results.resolve("m/metric.json"), "[{\"benchmark\":\"b\",\"primaryMetric\":{\"score\":-1,\"scoreUnit\":\"ops/s\"}}]");
        e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("metric.json: a result has score -1"), e.getMessage());
        Files.writeString(results.resolve("m/metric.json"), "[{\"benchmark\":\"b\",\"primaryMetric\":{\"score\":1,\"scoreUnit\":\"furlongs\"}}]");
        e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("unknown score unit 'furlongs'"), e.getMessage());
    }
}
