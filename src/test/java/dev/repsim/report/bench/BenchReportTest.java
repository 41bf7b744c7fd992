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

import static org.junit.jupiter.api.Assertions.*;

/** bench-report on hand-made JMH JSON whose answers are known: winners, speed-ups, ratio, crossover, files. */
class BenchReportTest {

    /** A JMH result with 2 forks × 5 iterations spread ±1 % around opsPerSec (median exactly opsPerSec). */
    static String cell(String bench, String key, String value, String backend, int n, int d, double opsPerSec, double gflop, double bytes) {
        String fork = String.format(Locale.ROOT, "[%s,%s,%s,%s,%s]", opsPerSec * 0.99, opsPerSec * 0.995, opsPerSec, opsPerSec * 1.005, opsPerSec * 1.01);
        return String.format(Locale.ROOT, """
                {"benchmark":"dev.repsim.bench.%s","mode":"thrpt","params":{"%s":"%s","backend":"%s","n":"%d","d":"%d","precision":"f64"},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"ops/s","rawData":[%s,%s]},
                 "secondaryMetrics":{"gflop":{"score":%s,"scoreUnit":"ops/s"},"·gc.alloc.rate.norm":{"score":%s,"scoreUnit":"B/op"}}}""",
                bench, key, value, backend, n, d, opsPerSec, opsPerSec * 0.02, fork, fork, gflop, bytes);
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
        // 10 vs 10 separated samples: significant, p well below 0.01
        assertTrue(md.contains("- n = 1000 (all 2 metrics measured): **blas** significantly fastest for linear-cka, rbf-cka."), md);
        assertTrue(md.contains("| 1000 | linear-cka | blas | java | 2.00× |"), md);
        assertTrue(md.contains("- n = 10000 (all 2 metrics measured): **blas** significantly fastest for linear-cka, rbf-cka."), md);
        assertTrue(md.contains("| 10000 | rbf-cka | blas | java | 1.33× |"), md);
        // GPU: 0.5× at n=1000, 2× at n=10000: log-linear crossover at sqrt(1000 · 10000) = 3162
        assertTrue(md.contains("| linear-cka | n ≈ 3162 (95 % interval n ≈ "), md);
        assertTrue(md.contains("): CPU faster below, GPU above |"), md);
        assertTrue(md.contains("- n = 10000 (the only metric measured): **opencl (GPU)** significantly fastest for linear-cka."), md);
        assertTrue(md.contains("| linear-cka | blas vs java | blas faster at every measured n (n=1000–10000) |"), md);
        // between machines: the GPU machine's best (blas 200, opencl 8) against the CPU machine's best (blas 200, blas 4)
        assertTrue(md.contains("| linear-cka | d=768, f64 | cpu-test-2c vs gpu-test-h100 | "), md);
        assertTrue(md.contains("No GPU measurements on cpu-test-2c."), md);
        assertTrue(md.contains("Other files (not JMH results, not read here): `cpu-test-2c/streaming-check.json`."), md);
        // the larger n of the tie is the time/memory slice: 1/4 s = 250 ms; 2 MiB; GEMM share 40/80 = 50 %
        assertTrue(md.contains("| linear-cka | blas | 250 | "), md);
        assertTrue(md.contains(" | 10 (2) | 1 % | 2.00 | 40.0 | 50% |"), md);
        assertTrue(md.contains("| multTransA | blas | f64 | 10000 | 768 | 80.0 | "), md);
        for (String png : List.of("plots/cpu-test-2c/throughput-linear-cka.png", "plots/gpu-test-h100/gpu-ratio-d768-f64.png",
                "plots/cpu-test-2c/time-n10000-d768-f64.png", "plots/cpu-test-2c/memory-n10000-d768-f64.png")) {
            assertTrue(md.contains("(" + png + ")"), png);
            assertTrue(Files.size(results.resolve(png)) > 1000, png);
        }
        assertFalse(Files.exists(results.resolve("plots/old/gone.png")));
    }

    @Test
    void everyFileCountsAndStatementsCoverOnlyWhatWasMeasured(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        List<String> grid = new ArrayList<>();
        for (String m : List.of("linear-cka", "rbf-cka")) {
            grid.add(cell("MetricBenchmark.compute", "metric", m, "java", 1000, 768, 100, 10, 1));
            grid.add(cell("MetricBenchmark.compute", "metric", m, "blas", 1000, 768, 100, 10, 1));
        }
        machine(results, "m", "{\"cores\":2,\"microarchitecture\":\"zen5\",\"openblas_core\":\"SkylakeX\",\"openblas_forced\":false}", grid);
        // one metric measured again at n=4000 in two rounds: both files count
        String r1 = cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 4000, 768, 10, 1, 1);
        String r2 = cell("MetricBenchmark.compute", "metric", "linear-cka", "java", 4000, 768, 8, 1, 1);
        Files.writeString(results.resolve("m/metric-key-r1.json"), "[" + r1 + "," + r2 + "]");
        Files.writeString(results.resolve("m/metric-key-r2.json"), "[" + r1 + "," + r2 + "]");

        var machine = BenchResults.load(results).get(0);
        BenchResult pooled = machine.results().stream().filter(r -> r.intParam("n") == 4000 && r.backend().equals("blas")).findFirst().orElseThrow();
        assertEquals(List.of("m/metric-key-r1.json", "m/metric-key-r2.json"), pooled.files());
        assertEquals(20, pooled.samples().count());
        assertEquals(4, pooled.samples().forkCount());

        assertEquals(0, Main.execute("bench-report", "--results", results.toString()));
        String md = Files.readString(results.resolve("README.md"));
        assertTrue(md.contains("`m/metric-key-r1.json` (2 cells), `m/metric-key-r2.json` (2 cells)"), md);
        assertTrue(md.contains("microarchitecture: zen5; OpenBLAS core: SkylakeX."), md);
        // equal medians at n=1000: no winner named
        assertTrue(md.contains("- n = 1000 (all 2 metrics measured): no significant difference for linear-cka, rbf-cka."), md);
        // n=4000 measured for one metric only: the statement says so and names only it
        assertTrue(md.contains("- n = 4000 (1 of 2 metrics measured): **blas** significantly fastest for linear-cka."), md);
        assertFalse(md.contains("every metric"), md);
    }

    @Test
    void numpyRoundsArePooledIntoOneCell(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Files.createDirectories(results.resolve("m"));
        Files.writeString(results.resolve("m/machine.json"), "{}");
        for (int round = 1; round <= 3; round++) {
            Files.writeString(results.resolve("m/numpy-round" + round + ".json"), String.format(Locale.ROOT, """
                    [{"benchmark":"numpy.MetricBaseline.compute","params":{"metric":"linear-cka","n":"1000","d":"8","backend":"numpy","run":"round %d"},
                      "primaryMetric":{"score":2.0,"scoreUnit":"ops/s","rawData":[[1.9,2.0,2.1]]}}]""", round));
        }
        var results1 = BenchResults.load(results).get(0).results();
        assertEquals(1, results1.size());
        assertEquals(List.of("round 1", "round 2", "round 3"), results1.get(0).rounds());
        assertEquals(9, results1.get(0).samples().count());
        assertFalse(results1.get(0).params().containsKey("run"));
    }

    /**
     * The table the goals are read from: repsim's time over NumPy's for the same cell, and how far
     * each side's runs lay apart. Java at 4 ops/s in two identical forks; NumPy at 2.0, 2.5, 2.0 and 2.5 ops/s
     * in four rounds, each run ±1 % (pooled median (2.02 + 2.475) / 2 = 2.2475, 445 ms): time ratio
     * 2.2475 / 4 = 0.56, NumPy's runs 2.5 / 2.0 = 1.25× apart; Welch on the log run medians, t = 9.0 with 3
     * degrees of freedom, p ≈ 0.003.
     */
    @Test
    void againstNumpyStatesTheTimeRatioAndEachSidesRunSpread(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        machine(results, "m", "{}", List.of(cell("MetricBenchmark.compute", "metric", "linear-cka", "java", 1000, 8, 4, 1, 1)));
        // Four runs of NumPy, alternating between two speeds: enough for Welch's test on the runs to name a winner.
        for (int round = 1; round <= 4; round++) {
            double ops = round % 2 == 1 ? 2.0 : 2.5;
            Files.writeString(results.resolve("m/numpy-key-round" + round + ".json"), String.format(Locale.ROOT, """
                    [{"benchmark":"numpy.MetricBaseline.compute","params":{"metric":"linear-cka","n":"1000","d":"8","precision":"f64","backend":"numpy","run":"round %d"},
                      "primaryMetric":{"score":%s,"scoreUnit":"ops/s","rawData":[[%s,%s,%s]]}}]""", round, ops, ops * 0.99, ops, ops * 1.01));
        }
        assertEquals(0, Main.execute("bench-report", "--results", results.toString()));
        String md = Files.readString(results.resolve("README.md"));
        assertTrue(md.contains("| linear-cka, n=1000, d=8, f64 | java | 250 | 1.00× | numpy | 445 | 1.25× | 0.56 | "), md);
        assertTrue(md.contains(" | **repsim faster** |"), md);
    }

    @Test
    void forcedOpenblasCoreIsRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        machine(results, "m", "{\"openblas_forced\":true}", List.of(cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 1000, 8, 10, 1, 1)));
        InputException e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("machine.json") && e.getMessage().contains("--allow-forced-core"), e.getMessage());
        assertEquals(2, Main.execute("bench-report", "--results", results.toString()));
        assertFalse(Files.exists(results.resolve("README.md")), "nothing written when refused");
        assertEquals(0, Main.execute("bench-report", "--results", results.toString(), "--allow-forced-core"));
        assertTrue(Files.readString(results.resolve("README.md")).contains("**OpenBLAS core forced**"));
        // OPENBLAS_CORETYPE recorded as set counts as forced; nothing recorded is unknown, not forced
        Files.writeString(results.resolve("m/machine.json"), "{\"env\":{\"OPENBLAS_CORETYPE\":\"Haswell\"}}");
        assertThrows(InputException.class, () -> BenchReport.write(results));
        Files.writeString(results.resolve("m/machine.json"), "{\"cores\":2,\"load_average_at_start\":[\"3.5\",\"1\",\"1\"]}");
        String md = Files.readString(BenchReport.write(results));
        assertTrue(md.contains("OpenBLAS core forcing not recorded") && md.contains("**noisy run**: load average at start 3.50 > 2 cores"), md);
    }

    /**
     * A fork run with a narrowed vector width (run-cpu.sh --vector-bits 256 on a 512-bit CPU, or a hand-started
     * BenchPlan --jvm-arg) measured another CPU's code paths: refused naming the file and the option, reported
     * labelled when allowed, and never handed to --backend auto, though machine.json says nothing was forced.
     */
    @Test
    void forksWithANarrowedVectorWidthAreRefusedUnlessAllowedAndNeverReachAuto(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        List<String> cells = new ArrayList<>();
        for (String backend : List.of("java", "blas")) {
            cells.add(cell("MetricBenchmark.compute", "metric", "linear-cka", backend, 1000, 768, backend.equals("java") ? 30 : 10, 1, 1));
        }
        machine(results, "cpu-zen5-2c", "{\"kind\":\"cpu\",\"microarchitecture\":\"zen5\",\"openblas_forced\":false,\"cores\":2}", cells);
        assertEquals(0, Main.execute("bench-report", "--results", results.toString()));
        assertTrue(Files.readString(results.resolve(AutoBackendTable.FILE)).contains("\"cpu-zen5-2c\""), "its own code paths reach auto");

        Files.writeString(results.resolve("cpu-zen5-2c/metric-256.json"), "[" + cells.get(0).replaceFirst("\\{",
                "{\"jvmArgs\":[\"-Xmx8g\",\"-XX:MaxVectorSize=32\"],") + "]");
        InputException e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("metric-256.json") && e.getMessage().contains("-XX:MaxVectorSize=32")
                && e.getMessage().contains("--allow-forced-core") && !e.getMessage().contains("-Xmx8g"), e.getMessage());
        assertEquals(2, Main.execute("bench-report", "--results", results.toString()));

        assertEquals(0, Main.execute("bench-report", "--results", results.toString(), "--allow-forced-core"));
        assertTrue(Files.readString(results.resolve("README.md")).contains("**JVM code paths forced** (-XX:MaxVectorSize=32 in 1 of 2 files"),
                Files.readString(results.resolve("README.md")));
        assertFalse(Files.readString(results.resolve(AutoBackendTable.FILE)).contains("cpu-zen5-2c"), "auto must not read forced code paths");
    }

    @Test
    void unequalCpuSpeedsMarkTheRunAndBadOnesAreNamed(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        String speeds = "\"core_gflops_at_start\":[{\"cpu\":0,\"gflops\":104.3},{\"cpu\":1,\"gflops\":%s}]";
        machine(results, "m", "{\"cores\":2,\"openblas_forced\":false," + String.format(Locale.ROOT, speeds, "85.5") + ",\"core_gflops_at_end\":null}",
                List.of(cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 1000, 8, 10, 1, 1)));
        String md = Files.readString(BenchReport.write(results));
        assertTrue(md.contains("**noisy run**: CPUs at unequal speeds at start: the slowest at 0.82 of the fastest (104, 86 GFLOP/s)"), md);
        Files.writeString(results.resolve("m/machine.json"), "{\"cores\":2,\"openblas_forced\":false," + String.format(Locale.ROOT, speeds, "101.0") + "}");
        md = Files.readString(BenchReport.write(results));
        assertFalse(md.contains("noisy run"), "0.97 of the fastest is within the limit: " + md);
        Files.writeString(results.resolve("m/machine.json"), "{\"cores\":2,\"openblas_forced\":false," + String.format(Locale.ROOT, speeds, "0") + "}");
        InputException e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("machine.json") && e.getMessage().contains("core_gflops_at_start[1].gflops is 0"), e.getMessage());
    }

    /**
     * A later run into the same folder moves the earlier run's conditions under "runs" while its files stay pooled:
     * an earlier busy or uneven run still flags the set, named by its date (the report once judged only the
     * latest run, and a Zen 4 key run ending at load 2.06 lost its flag when a quiet reduced run followed).
     */
    @Test
    void anEarlierRunsConditionsStillFlagTheSet(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        String quiet = "\"cores\":2,\"openblas_forced\":false,\"date_utc\":\"2026-12-08T02:57:50Z\",\"load_average_at_start\":[1.0,1,1],"
                + "\"load_average_at_end\":[1.8,1,1],\"steal_share\":0.0002";
        String earlier = "{\"date_utc\":\"2026-12-07T23:54:50Z\",\"load_average_at_start\":[1.7,1,1],\"load_average_at_end\":[2.06,2,2],"
                + "\"steal_share\":0.07,\"core_gflops_at_start\":[{\"cpu\":0,\"gflops\":57},{\"cpu\":1,\"gflops\":%s}]}";
        machine(results, "m", "{" + quiet + ",\"runs\":[" + String.format(Locale.ROOT, earlier, "56") + "]}",
                List.of(cell("MetricBenchmark.compute", "metric", "linear-cka", "blas", 1000, 8, 10, 1, 1)));
        String md = Files.readString(BenchReport.write(results));
        assertTrue(md.contains("**noisy run**: load average at end 2.06 > 2 cores (the run of 2026-12-07T23:54:50Z), "
                + "steal time 7.0 % > 5 % (the run of 2026-12-07T23:54:50Z)"), md);

        // quiet runs flag nothing; the latest run, if listed under runs as well, is judged once, as the latest
        Files.writeString(results.resolve("m/machine.json"), "{" + quiet + ",\"runs\":[{" + quiet.replace("\"cores\":2,", "") + "}]}");
        assertFalse(Files.readString(BenchReport.write(results)).contains("noisy run"));
        String busy = quiet.replace("[1.8,1,1]", "[2.5,1,1]");
        Files.writeString(results.resolve("m/machine.json"), "{" + busy + ",\"runs\":[{" + busy.replace("\"cores\":2,", "") + "}]}");
        md = Files.readString(BenchReport.write(results));
        assertTrue(md.contains("**noisy run**: load average at end 2.50 > 2 cores") && !md.contains("(the run of 2026-12-08T02:57:50Z)"), md);

        // an earlier run's bad core speed, or runs that are not a list, name the file and the entry
        Files.writeString(results.resolve("m/machine.json"), "{" + quiet + ",\"runs\":[" + String.format(Locale.ROOT, earlier, "-1") + "]}");
        InputException e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("machine.json") && e.getMessage().contains("runs[0].core_gflops_at_start[1].gflops is -1"), e.getMessage());
        Files.writeString(results.resolve("m/machine.json"), "{" + quiet + ",\"runs\":{}}");
        e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("machine.json") && e.getMessage().contains("runs is not a list"), e.getMessage());
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
        // What a run killed before JMH wrote its results leaves: an error, not "other JSON" left unread.
        Files.writeString(results.resolve("m/metric.json"), "");
        e = assertThrows(InputException.class, () -> BenchReport.write(results));
        assertTrue(e.getMessage().contains("metric.json: empty file"), e.getMessage());
    }

    /** An EmbedBenchmark result: 2 forks × 5 iterations spread ±1 % around imagesPerSec. */
    static String embed(String method, int batch, double imagesPerSec) {
        String fork = String.format(Locale.ROOT, "[%s,%s,%s,%s,%s]", imagesPerSec * 0.99, imagesPerSec * 0.995, imagesPerSec,
                imagesPerSec * 1.005, imagesPerSec * 1.01);
        return String.format(Locale.ROOT, """
                {"benchmark":"dev.repsim.bench.EmbedBenchmark.%s","mode":"thrpt","params":{"batch":"%d","model":"vit-ti16","variant":"full"},
                 "primaryMetric":{"score":%s,"scoreError":0,"scoreUnit":"ops/s","rawData":[%s,%s]}}""", method, batch, imagesPerSec, fork, fork);
    }

    @Test
    void embeddingRatesAreTheScoresAndThePipelineIsSetAgainstOrtAlone(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        // JMH's score is already images/s (one image per operation): batch 32 must not multiply it
        machine(results, "m", "{\"cores\":2}", List.of(embed("pipeline", 32, 60), embed("ortOnly", 32, 80), embed("ortOnly", 8, 90)));
        assertEquals(0, Main.execute("bench-report", "--results", results.toString()));
        String md = Files.readString(results.resolve("README.md"));
        String row = md.lines().filter(l -> l.startsWith("| vit-ti16 | 32 | full | ")).findFirst().orElseThrow(() -> new AssertionError(md));
        String[] col = row.split(" \\| ");
        assertEquals("60.0", col[3], row);
        assertEquals("80.0", col[5], row);
        assertEquals("0.75", col[7], row);
        String[] ci = col[8].replace(" |", "").split("–");
        assertTrue(Double.parseDouble(ci[0]) <= 0.75 && Double.parseDouble(ci[1]) >= 0.75, row);
        assertTrue(md.contains("| vit-ti16 | 8 | full | – | – | 90.0 | "), md);
    }
}
