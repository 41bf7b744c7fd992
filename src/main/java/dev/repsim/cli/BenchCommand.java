package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import dev.repsim.backend.BlasBackend;
import dev.repsim.io.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code repsim bench [--quick]}: runs the JMH suites of benchmarks/ through the project's runner
 * ({@code benchmarks/run-cpu.sh}: builds the jar, writes machine.json, runs several JMH forks per cell with a
 * progress line per cell), so results land in {@code results/<machine-id>/} where bench-report reads them.
 * The runner starts without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so OpenBLAS runs its native kernels.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the JMH benchmark suites (metric kernels x backends x n x d, GEMM rates, NumPy baseline) with progress, "
                + "writing JMH JSON and machine.json under results/<machine-id>/. Then run bench-report.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short iterations on the key cells only: a smoke run (minutes), not for reporting.")
    boolean quick;

    @Option(names = "--machine", paramLabel = "ID", description = "Machine id of the result folder (default: the runner's id for this machine, cpu-<microarchitecture>-<cores>c, e.g. cpu-zen5-2c).")
    String machine;

    @Option(names = "--subsets", split = ",", paramLabel = "SUBSET",
            description = "Parts of the grid, run in order: key, gemm, reduced, numpy, full (default: key,gemm,reduced; with --quick: key).")
    List<String> subsets;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repsim checkout (default: found from the running jar).")
    Path repo;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path root = repo != null ? repo : RepoRoot.find();
        Path runner = root.resolve("benchmarks/run-cpu.sh");
        if (!Files.isExecutable(runner)) throw new InputException(runner, "benchmark runner missing or not executable");
        List<String> cmd = new ArrayList<>(List.of(runner.toString()));
        if (quick) cmd.add("--quick");
        if (machine != null) cmd.addAll(List.of("--machine", machine));
        cmd.addAll(subsets != null ? subsets : quick ? List.of("key") : List.of("key", "gemm", "reduced"));
        System.err.println("bench: " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).inheritIO();
        removeKernelPins(pb.environment());
        Process p = pb.start();
        int code = p.waitFor();
        if (code == 0) System.err.println("bench: done; now run: bin/repsim bench-report");
        return code;
    }

    /** Benchmarks time OpenBLAS's native kernels: the runner and everything it starts go without the pins. */
    static void removeKernelPins(Map<String, String> environment) {
        BlasBackend.KERNEL_PINS.forEach(environment::remove);
    }
}
