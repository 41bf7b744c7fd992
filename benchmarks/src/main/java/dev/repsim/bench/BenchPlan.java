package dev.repsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.backend.BlasBackend;
import dev.repsim.io.AtomicFiles;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a chosen part of the benchmark grid: one JMH run per cell that {@link Cells} keeps, skipped
 * cells listed with their reason, one progress line per cell on stderr, and every result so far
 * rewritten after each cell into one JMH JSON file (the format {@code java -jar benchmarks.jar -rf json}
 * writes), so an interrupted run keeps what it measured. Cells are ordered with the backend innermost,
 * so the backends of one (metric, n, d) run back to back under the same machine load. Each cell runs
 * {@link ForkJvm#FORKS} forks x {@link ForkJvm#ITERATIONS} measured iterations (JMH keeps every sample in
 * the JSON's rawData). It refuses to run with OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE set (the forks would
 * inherit them) unless {@code --allow-forced-core} says the pinned kernels are the point, as when
 * {@code run-cpu.sh --openblas-core} measures another CPU's code paths.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.repsim.bench.BenchPlan --suite metric \
 *     --metrics linear-cka --backends java,blas --n 20000 --d 768 --out results/m/metric-key.json
 * </pre>
 */
@Command(name = "bench-plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs part of the repsim JMH grid and writes one JMH JSON file.")
public final class BenchPlan implements Callable<Integer> {

    enum Suite { gemm, metric }

    @Option(names = "--suite", description = "gemm or metric (required unless --describe)")
    Suite suite;

    @Option(names = "--backends", split = ",", defaultValue = "java,blas", description = "default: ${DEFAULT-VALUE}")
    List<String> backends;

    @Option(names = "--precisions", split = ",", defaultValue = "f64", description = "f64,f32 (default: ${DEFAULT-VALUE})")
    List<String> precisions;

    @Option(names = "--n", split = ",", defaultValue = "1000,10000,50000", description = "rows (default: ${DEFAULT-VALUE})")
    List<Integer> ns;

    @Option(names = "--d", split = ",", defaultValue = "384,768,1024,2048", description = "columns of X and Y (default: ${DEFAULT-VALUE})")
    List<Integer> ds;

    @Option(names = "--metrics", defaultValue = "all", description = "metric suite: comma list or all (default: ${DEFAULT-VALUE})")
    String metrics;

    @Option(names = "--ops", split = ",", defaultValue = "multInner,multTransA,multTransB", description = "gemm suite (default: ${DEFAULT-VALUE})")
    List<GemmOp> ops;

    @Option(names = "--out", description = "JMH JSON file to write")
    Path out;

    @Option(names = "--log", description = "JMH's own console output (default: a temporary file, named on stderr)")
    Path log;

    @Option(names = "--quick", description = "1 fork, 1 warm-up of 1 s, 2 iterations of 2 s: a smoke run, not for reporting")
    boolean quick;

    @Option(names = "--forks", defaultValue = "" + ForkJvm.FORKS, description = "fresh JVMs per cell (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(names = "--warmup-iterations", defaultValue = "" + ForkJvm.WARMUP_ITERATIONS) int warmupIterations;
    @Option(names = "--warmup-seconds", defaultValue = "" + ForkJvm.WARMUP_SECONDS) int warmupSeconds;
    @Option(names = "--iterations", defaultValue = "" + ForkJvm.ITERATIONS, description = "measured iterations per fork (default: ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--seconds", defaultValue = "" + ForkJvm.SECONDS) int seconds;

    @Option(names = "--prof", split = ",", defaultValue = "gc",
            description = "JMH profilers (default: ${DEFAULT-VALUE}: allocated bytes per operation); 'none' for none")
    List<String> profilers;

    @Option(names = "--max-op-seconds", defaultValue = "60", description = "skip cells slower than this per operation (default: ${DEFAULT-VALUE})")
    double maxOpSeconds;

    @Option(names = "--f64-gflops", defaultValue = "100", description = "assumed float64 product rate for the skip rule (default: ${DEFAULT-VALUE})")
    double f64Gflops;

    @Option(names = "--f32-gflops", defaultValue = "190", description = "assumed float32 product rate for the skip rule (default: ${DEFAULT-VALUE})")
    double f32Gflops;

    @Option(names = "--jvm-arg", description = "one more option for every fork's JVM (repeatable), e.g. -XX:MaxVectorSize=32 for the 256-bit species")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--allow-forced-core", description = "run with OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE set (the forks inherit the pinned kernels)")
    boolean allowForcedCore;

    @Option(names = "--dry-run", description = "print the cells that would run and those skipped, run nothing")
    boolean dryRun;

    @Option(names = "--describe", description = "print the backends of this machine as JSON and exit")
    boolean describe;

    /** One JMH run: the benchmark method and its parameter values. */
    record Cell(String benchmark, Map<String, String> params, Optional<String> skip) {
        String label() {
            StringBuilder b = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            params.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.toString();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchPlan()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (describe) {
            System.out.println(describeBackends());
            return 0;
        }
        if (suite == null) throw new CommandLine.ParameterException(new CommandLine(this), "--suite is required (gemm or metric)");
        Cells.Limits limits = new Cells.Limits(maxOpSeconds, f64Gflops, f32Gflops);
        List<Cell> all = plan(limits);
        List<Cell> run = all.stream().filter(c -> c.skip().isEmpty()).toList();
        for (Cell c : all) {
            c.skip().ifPresent(r -> System.err.println("skip  " + c.label() + ": " + r));
        }
        if (dryRun) {
            for (Cell c : run) System.out.println("run   " + c.label());
            System.err.printf(Locale.ROOT, "%d cells to run, %d skipped%n", run.size(), all.size() - run.size());
            return 0;
        }
        if (out == null) throw new CommandLine.ParameterException(new CommandLine(this), "--out is required");
        List<String> pins = BlasBackend.KERNEL_PINS.stream().filter(v -> System.getenv(v) != null).toList();
        if (!pins.isEmpty() && !allowForcedCore) { // the forks inherit this environment, and OpenBLAS would run pinned kernels
            System.err.println("bench-plan: " + String.join(" and ", pins) + " set: benchmarks run OpenBLAS's native kernels; "
                    + "start it as env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java ... (or pass --allow-forced-core to measure the pinned ones)");
            return 2;
        }
        Path logFile = log != null ? log : Files.createTempFile("repsim-bench-", ".log");
        System.err.printf(Locale.ROOT, "%d cells to run, %d skipped; JMH log: %s%n", run.size(), all.size() - run.size(), logFile);

        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        try (PrintStream jmhLog = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < run.size(); i++) {
                Cell cell = run.get(i);
                long t0 = System.nanoTime();
                String outcome;
                try {
                    Runner runner = new Runner(options(cell, limits), OutputFormatFactory.createFormatInstance(jmhLog, VerboseMode.NORMAL));
                    List<RunResult> r = new ArrayList<>(runner.run());
                    if (r.isEmpty()) throw new RunnerException("JMH returned no result (see the log)");
                    results.addAll(r);
                    writeJson(results);
                    outcome = summary(r.getFirst());
                } catch (RunnerException | RuntimeException e) {
                    failures.add(cell.label() + ": " + rootMessage(e));
                    outcome = "FAILED: " + rootMessage(e);
                }
                double cellSeconds = (System.nanoTime() - t0) / 1e9;
                double elapsed = (System.nanoTime() - start) / 1e9;
                double left = elapsed / (i + 1) * (run.size() - i - 1);
                System.err.printf(Locale.ROOT, "[%d/%d] %s: %s (%.0f s; %s elapsed, about %s left)%n",
                        i + 1, run.size(), cell.label(), outcome, cellSeconds, clock(elapsed), clock(left));
            }
        }
        System.err.printf(Locale.ROOT, "wrote %d results to %s%n", results.size(), out);
        if (!failures.isEmpty()) {
            System.err.println(failures.size() + " cell(s) failed:");
            failures.forEach(f -> System.err.println("  " + f));
            return 1;
        }
        return 0;
    }

    /** Every cell of the requested grid, in run order, each with its skip reason if any. */
    List<Cell> plan(Cells.Limits limits) {
        List<Cell> cells = new ArrayList<>();
        List<Metric> metricList = suite == Suite.metric ? Metric.parseList(metrics) : List.of();
        for (int n : ns) for (int d : ds) for (String pName : precisions) {
            Precision p = Precision.parse(pName);
            if (suite == Suite.gemm) {
                for (GemmOp op : ops) for (String b : backends) {
                    cells.add(new Cell(GemmBenchmark.class.getName() + ".product",
                            params("op", op.name(), b, n, d, p), Cells.gemmSkip(op, n, d, p, limits)));
                }
            } else {
                for (Metric m : metricList) for (String b : backends) {
                    cells.add(new Cell(MetricBenchmark.class.getName() + ".compute",
                            params("metric", m.label(), b, n, d, p), Cells.metricSkip(m, b, n, d, p, limits)));
                }
            }
        }
        return cells;
    }

    private static Map<String, String> params(String key, String value, String backend, int n, int d, Precision p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key, value);
        m.put("backend", backend);
        m.put("n", Integer.toString(n));
        m.put("d", Integer.toString(d));
        m.put("precision", p.label());
        return m;
    }

    private org.openjdk.jmh.runner.options.Options options(Cell cell, Cells.Limits limits) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + cell.benchmark().replace(".", "\\.") + "$")
                .forks(quick ? 1 : forks)
                .warmupIterations(quick ? 1 : warmupIterations)
                .warmupTime(TimeValue.seconds(quick ? 1 : warmupSeconds))
                .measurementIterations(quick ? 2 : iterations)
                .measurementTime(TimeValue.seconds(quick ? 2 : seconds))
                .shouldFailOnError(true)
                .jvmArgsAppend(forkArgs(limits, jvmArgs));
        cell.params().forEach(o::param);
        for (String prof : profilers) if (!prof.equals("none")) o.addProfiler(prof);
        return o.build();
    }

    private static String[] forkArgs(Cells.Limits limits, List<String> extra) {
        List<String> args = new ArrayList<>(ForkJvm.ARGS);
        args.add(limits.asProperty());
        args.addAll(extra);
        return args.toArray(String[]::new);
    }

    private void writeJson(List<RunResult> results) {
        AtomicFiles.write(out, os -> {
            PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8);
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
            ps.flush();
        });
    }

    private static String summary(RunResult r) {
        Result<?> primary = r.getPrimaryResult();
        Result<?> gflop = r.getSecondaryResults().get("gflop");
        String s = String.format(Locale.ROOT, "%.4g %s", primary.getScore(), primary.getScoreUnit());
        if (gflop != null) s += String.format(Locale.ROOT, ", %.1f GFLOP/s", gflop.getScore());
        return s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).lines().findFirst().orElse("");
    }

    private static String clock(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }

    /** The backends that open here, with their own one-line descriptions (OpenBLAS version, threads). */
    static String describeBackends() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java_runtime", Runtime.version().toString());
        m.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        Map<String, String> b = new LinkedHashMap<>();
        for (String name : Backends.available()) {
            try (Backend backend = Backends.open(name, null)) {
                b.put(name, backend.describe());
            }
        }
        m.put("backends", b);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }
}
