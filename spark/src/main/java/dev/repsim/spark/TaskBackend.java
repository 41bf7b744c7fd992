package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.backend.BlasBackend;
import dev.repsim.backend.JavaBackend;

/**
 * The kernels of one task. {@code auto} means blas when OpenBLAS loads, else java: a task's work is
 * d×d products of row blocks, and probing for an OpenCL device (as the driver's {@code auto} does) in
 * every task would cost more than the work.
 */
final class TaskBackend {
    private TaskBackend() {}

    static Backend open(String name) {
        if (!name.equals("auto")) return Backends.open(name, null);
        return BlasBackend.isAvailable() ? BlasBackend.open() : new JavaBackend();
    }
}
