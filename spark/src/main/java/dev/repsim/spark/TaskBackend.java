package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.backend.BlasBackend;
import dev.repsim.backend.JavaBackend;
import org.apache.spark.TaskContext;

/**
 * The kernels of one task, on the task's own cores ({@code spark.task.cpus}, 1 by default): an executor
 * runs as many tasks at once as it has cores, so kernels that each took every core of the machine would
 * fight (two OpenBLAS-threaded tasks in one JVM ran 2-8 times slower than two single-threaded ones).
 * {@code auto} means blas when OpenBLAS loads, else java: a task's work is d×d products of row blocks,
 * and probing for an OpenCL device (as the driver's {@code auto} does) in every task would cost more
 * than the work.
 */
final class TaskBackend {
    private TaskBackend() {}

    static Backend open(String name) {
        int cpus = cpus();
        return switch (name) {
            case "java" -> new JavaBackend(cpus);
            case "blas" -> BlasBackend.open(cpus);
            case "auto" -> BlasBackend.isAvailable() ? BlasBackend.open(cpus) : new JavaBackend(cpus);
            default -> Backends.open(name, null);
        };
    }

    /** The cores of the running task (every core outside a task). */
    static int cpus() {
        TaskContext t = TaskContext.get();
        return t == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, t.cpus());
    }
}
