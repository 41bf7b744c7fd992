package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Device copies of whole input matrices kept between calls, so a matrix used again (X and Y across
 * the metrics of one command, the row blocks of distance tiles, repeated timings) is uploaded once.
 * Keyed by identity: {@link Matrix} is immutable by contract, as for the BLAS backend's host cache.
 * Least recently used entries are released when a call starts and the total exceeds the budget; a
 * matrix larger than half the budget is not kept. Kernels never write into cached buffers.
 */
final class ResidentMatrices implements AutoCloseable {
    private final LinkedHashMap<Matrix, DeviceBuffer> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final long budget;
    private long bytes;

    ResidentMatrices(long budget) {
        this.budget = budget;
    }

    /** Called at the start of every public operation: trims to the budget (nothing is in use then). */
    void beginCall() {
        Iterator<Map.Entry<Matrix, DeviceBuffer>> it = entries.entrySet().iterator();
        while (bytes > budget && it.hasNext()) {
            DeviceBuffer b = it.next().getValue();
            bytes -= b.bytes;
            b.close();
            it.remove();
        }
    }

    /** The device copy of m: a borrowed view of the cached buffer, or a fresh one the caller owns. */
    DeviceBuffer get(Matrix m, long size, Supplier<DeviceBuffer> upload) {
        DeviceBuffer cached = entries.get(m);
        if (cached != null) return cached.borrow();
        DeviceBuffer b = upload.get();
        if (size > budget / 2) return b;
        entries.put(m, b);
        bytes += b.bytes;
        return b.borrow();
    }

    /** Releases every cached buffer. */
    void clear() {
        for (DeviceBuffer b : entries.values()) b.close();
        entries.clear();
        bytes = 0;
    }

    @Override
    public void close() { clear(); }
}
