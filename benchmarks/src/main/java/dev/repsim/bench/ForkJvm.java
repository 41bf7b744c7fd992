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
    /** For the suites that load ONNX Runtime or OpenCL (as bin/repsim starts every command). */
    static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    /** The collector the launcher bin/repsim uses. */
    static final String GC = "-XX:+UseParallelGC";
    static final String HEAP = "-Xmx" + HEAP_GIB + "g";
    // The whole heap is committed, and so pre-touched, at start. With the default initial heap (about 1.8 GiB
    // here) the old generation grew whenever a young collection promoted a call's transient arrays, and
    // AlwaysPreTouch touched each growth inside that pause: young pauses of 450 ms instead of 35 ms, every
    // few seconds, so the iterations of one fork alternated between two rates (java XᵀX at n = 10 000,
    // d = 2048: 82-111 GFLOP/s; with the heap committed, 113-116; results/cpu-intel-avx512-2c/extra/gc-pauses/).
    // It costs 6-7 s more per fork start (touching 8 GiB).
    static final String HEAP_MIN = "-Xms" + HEAP_GIB + "g";

    // A product's result is a new array per call (multTransB at n = 10 000: 82 MB; at n = 50 000: 410 MB).
    // ParallelGC puts an object larger than half of eden straight into the old generation, which grows
    // into fresh memory without a collection, so every page of every result faulted on first touch
    // (about 20 µs per 4 KiB page on the project's VMs: 0.4 s per 82 MB call, more than the GEMM; issue 13).
    // Which backend paid depended on its other allocations (they grew eden or not), not on its kernels.
    // With a fixed young generation the results live in eden, whose pages are touched again after each
    // collection; pre-touching the heap at start (huge pages where the kernel offers them, as NumPy asks
    // for its arrays) takes the first touch out of the measured iterations too.
    /** Young generation: eden (three quarters of it) holds results up to 768 MB, twice the largest. */
    static final String YOUNG = "-Xmn2g";
    static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    static final List<String> ARGS = List.of(ADD_MODULES, NATIVE_ACCESS, GC, HEAP, HEAP_MIN, YOUNG, HUGE_PAGES, PRE_TOUCH);

    // Sampling of a cell: several forks (fresh JVMs: JIT decisions and memory layout differ per fork, so
    // the spread between forks is the honest error) x several measured iterations, every sample kept in
    // the JSON's rawData. Each iteration runs at least one operation.
    static final int FORKS = 3;
    static final int WARMUP_ITERATIONS = 2;
    static final int WARMUP_SECONDS = 3;
    static final int ITERATIONS = 5;
    static final int SECONDS = 4;
}
