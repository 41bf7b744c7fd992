package dev.repsim.bench;

import java.util.List;

/**
 * JVM options and sampling of every benchmark fork. The @Fork, @Warmup and @Measurement annotations list
 * these constants (for a plain {@code java -jar benchmarks.jar} run); {@link BenchPlan} passes {@link #ARGS}
 * plus its limits, since options given to the JMH runner replace the annotation's list. Forks inherit the
 * environment of the process that starts JMH: start it without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
 * ({@code BlasBackend.KERNEL_PINS}).
 */
final class ForkJvm {
    private ForkJvm() {}

    /** Heap of a fork, in GiB: the largest grid cell (n=50 000, d=2048, f64) holds about 3.3 GiB. */
    static final int HEAP_GIB = 8;

    static final String ADD_MODULES = "--add-modules=jdk.incubator.vector";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The collector the launcher bin/repsim uses. */
    static final String GC = "-XX:+UseParallelGC";
    static final String HEAP = "-Xmx" + HEAP_GIB + "g";

    static final List<String> ARGS = List.of(ADD_MODULES, NATIVE_ACCESS, GC, HEAP);

    // Sampling of a cell: several forks (fresh JVMs: JIT decisions and memory layout differ per fork, so
    // the spread between forks is the honest error) x several measured iterations, every sample kept in
    // the JSON's rawData. Each iteration runs at least one operation.
    static final int FORKS = 3;
    static final int WARMUP_ITERATIONS = 2;
    static final int WARMUP_SECONDS = 3;
    static final int ITERATIONS = 5;
    static final int SECONDS = 4;
}
