package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import dev.repsim.report.bench.BenchReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim bench-report}: results/*&#47;*.json → results/README.md + results/plots/. */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = "Turns every result set under results/ (results/<machine-id>/*.json with machine.json) into results/README.md "
                + "and PNG plots: throughput against n per backend, GPU/CPU ratio and crossover n, time and memory per metric, "
                + "GEMM rates, and a recommendation per workload size. Every sample of every file counts; figures are medians with "
                + "95 %% confidence intervals from the forks, and a backend is called faster only on a significant difference "
                + "(Welch's t test on the log fork medians: p < 0.01 and a ratio CI excluding 1).")
public final class BenchReportCommand implements Callable<Integer> {

    @Option(names = "--results", paramLabel = "DIR", description = "Results folder (default: results/ of the checkout).")
    Path results;

    @Option(names = "--allow-forced-core", description = "Report result sets measured on forced code paths, labelled as such: machine.json "
            + "says the OpenBLAS core was forced (openblas_forced, OPENBLAS_CORETYPE), or forks ran with -XX:MaxVectorSize, -XX:UseAVX "
            + "or -XX:UseSSE; without it they are refused.")
    boolean allowForcedCore;

    @Override
    public Integer call() {
        if (results == null) results = RepoRoot.find().resolve("results");
        Path readme = BenchReport.write(results, allowForcedCore);
        System.err.println("bench-report: wrote " + readme + " and plots under " + results.resolve("plots"));
        System.out.println(readme.toAbsolutePath());
        return 0;
    }
}
