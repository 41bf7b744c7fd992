package dev.repsim.bench;

import java.util.List;

/**
 * JVM options of every benchmark fork. The @Fork annotations list these constants (for a plain
 * {@code java -jar benchmarks.jar} run); {@link BenchPlan} passes {@link #ARGS} plus its limits, since
 * options given to the JMH runner replace the annotation's list.
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
}
