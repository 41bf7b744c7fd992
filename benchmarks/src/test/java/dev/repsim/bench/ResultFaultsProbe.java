package dev.repsim.bench;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link ForkJvmTest} in a JVM started with a fork's options: GemmBenchmark's float64 multTransB
 * on blas (X[0:1024]·Yᵀ, n = 10 000, d = 384, an 82 MB result per call), called {@code args[0]} times;
 * prints the most minor page faults one call took after the first two.
 */
public final class ResultFaultsProbe {
    private ResultFaultsProbe() {}

    public static void main(String[] args) throws IOException {
        int calls = Integer.parseInt(args[0]);
        Matrix x = Workload.features(10_000, 384, Precision.F64, Workload.SEED), y = Workload.partner(x, Workload.SEED + 1);
        Matrix left = x.rows(0, GemmOp.BLOCK_ROWS);
        long most = 0;
        double[] kept = null;
        try (Backend blas = Backends.open("blas", null)) {
            for (int call = 0; call < calls; call++) {
                long before = minorFaults();
                kept = GemmOp.multTransB.run(blas, left, y); // kept until the next call, as JMH's blackhole would
                if (call >= 2) most = Math.max(most, minorFaults() - before);
            }
        }
        System.out.println("most faults per call " + most + " result pages " + kept.length * 8L / 4096);
    }

    /** This process's minor page faults so far (/proc/self/stat, field 10). */
    static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }
}
