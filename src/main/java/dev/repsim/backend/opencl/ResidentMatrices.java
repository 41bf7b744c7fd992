package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Device copies of whole input matrices kept between calls, so a matrix used again (X and Y across
 * the metrics of one command, the row blocks of distance tiles, repeated timings) is uploaded once.
 * Keyed by identity ({@link Matrix} is immutable by contract, as for the BLAS backend's host cache)
 * through weak references: the cache never keeps a host matrix alive, and the device copy of one that
 * was garbage-collected is released at the next call. Least recently used entries are released when
 * a call starts and the total exceeds the budget; a matrix larger than half the budget is not kept.
 * Kernels never write into cached buffers.
 */
final class ResidentMatrices implements AutoCloseable {
    private final LinkedHashMap<Key, DeviceBuffer> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final ReferenceQueue<Matrix> collected = new ReferenceQueue<>();
    private final long budget;
    private long bytes;

    ResidentMatrices(long budget) {
        this.budget = budget;
    }

    /** Called at the start of every public operation (nothing is in use then): drops dead and old entries. */
    void beginCall() {
        for (Reference<? extends Matrix> r; (r = collected.poll()) != null; ) release(entries.remove((Key) r));
        Iterator<Map.Entry<Key, DeviceBuffer>> it = entries.entrySet().iterator();
        while (bytes > budget && it.hasNext()) {
            DeviceBuffer b = it.next().getValue();
            it.remove();
            release(b);
        }
    }

    /** The device copy of m: a borrowed view of the cached buffer, or a fresh one the caller owns. */
    DeviceBuffer get(Matrix m, long size, Supplier<DeviceBuffer> upload) {
        DeviceBuffer cached = entries.get(new Key(m, null));
        if (cached != null) return cached.borrow();
        DeviceBuffer b = upload.get();
        if (size > budget / 2) return b;
        entries.put(new Key(m, collected), b);
        bytes += b.bytes;
        return b.borrow();
    }

    /** Releases every cached buffer. */
    void clear() {
        for (DeviceBuffer b : entries.values()) b.close();
        entries.clear();
        bytes = 0;
        while (collected.poll() != null) {
            // the entries they pointed to are gone already
        }
    }

    @Override
    public void close() { clear(); }

    private void release(DeviceBuffer b) {
        if (b == null) return;
        bytes -= b.bytes;
        b.close();
    }

    /** Identity of a matrix without keeping it reachable. */
    private static final class Key extends WeakReference<Matrix> {
        private final int hash;

        Key(Matrix m, ReferenceQueue<Matrix> q) {
            super(m, q);
            hash = System.identityHashCode(m);
        }

        @Override
        public int hashCode() { return hash; }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Key k)) return false;
            Matrix m = get();
            return m != null && m == k.get();
        }
    }
}
