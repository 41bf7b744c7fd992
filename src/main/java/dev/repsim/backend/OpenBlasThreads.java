package dev.repsim.backend;

import org.bytedeco.openblas.global.openblas_full;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * OpenBLAS's threads: how many it uses per call, and how they wait between calls.
 *
 * <p>{@link #sleepWhenIdle} stops OpenBLAS's idle worker threads from spinning between calls. After each call its threads
 * busy-wait for 2^OPENBLAS_THREAD_TIMEOUT cycles (default 2²⁸, about 0.1 s) before sleeping; the
 * metrics alternate BLAS products with Java reductions on the same cores (the RBF tiles, the median's
 * classification), which ran about 1.5× slower while the spinning threads held the cores. OpenBLAS reads
 * the variable once, when the library initialises, so it is set (unless the user set it) through libc's
 * setenv before the library loads; 2⁴ cycles means sleep at once, costing a thread wake-up (microseconds)
 * per product.
 */
final class OpenBlasThreads {
    static final String VARIABLE = "OPENBLAS_THREAD_TIMEOUT";
    static final String SLEEP_AT_ONCE = "4";

    private OpenBlasThreads() {}

    /**
     * Sets the variable for this process unless it is already set. Where libc's setenv cannot be called,
     * OpenBLAS keeps its default: results are the same, the Java steps between products only slower.
     */
    static void sleepWhenIdle() {
        if (System.getenv(VARIABLE) != null) return;
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
        if (setenv.isEmpty()) return;
        MethodHandle h = linker.downcallHandle(setenv.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) h.invokeExact(arena.allocateFrom(VARIABLE), arena.allocateFrom(SLEEP_AT_ONCE), 0);
        } catch (Throwable t) {
            // Not fatal: see above.
        }
    }

    /** The number of threads OpenBLAS uses per call (the library is loaded on first use). */
    static int count() {
        return openblas_full.openblas_get_num_threads();
    }

    /** Sets the number of threads OpenBLAS uses per call, for the whole process. */
    static void set(int threads) {
        openblas_full.openblas_set_num_threads(threads);
    }
}
