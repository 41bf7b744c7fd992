package dev.repsim.backend;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongFunction;

/**
 * Off-heap operand buffers of one {@link BlasBackend}, kept for reuse once released. A large malloc is a
 * fresh mmap, so every page of a new buffer faults on first touch; on the project's VMs that costs about
 * 20 µs per 4 KiB page (a 61 MB operand: about 0.3 s, more than its GEMM), while writing into a buffer
 * already touched costs only the copy. Not thread-safe: its backend synchronises.
 */
final class NativeBuffers implements AutoCloseable {
    /** Released buffers, most recent first. */
    private final ArrayDeque<Pointer> spare = new ArrayDeque<>();
    private final long keepBytes;
    private long spareBytes;
    private long allocations;

    /**
     * @param keepBytes released buffers beyond this many bytes are freed, oldest first, except the two most
     *                  recent (the operands of one product), so operands of any size are reused call to call
     */
    NativeBuffers(long keepBytes) {
        this.keepBytes = keepBytes;
    }

    /** A buffer of at least {@code size} doubles, position 0: a released one or a new one. */
    DoublePointer f64(long size) {
        return take(DoublePointer.class, size, DoublePointer::new);
    }

    /** A buffer of at least {@code size} floats, position 0: a released one or a new one. */
    FloatPointer f32(long size) {
        return take(FloatPointer.class, size, FloatPointer::new);
    }

    /**
     * The smallest released buffer of the type that holds {@code size} elements and at most a quarter more
     * (so a small operand never pins a large buffer), else a new one.
     */
    private <P extends Pointer> P take(Class<P> type, long size, LongFunction<P> allocate) {
        P best = null;
        for (Pointer p : spare) {
            if (type.isInstance(p) && p.capacity() >= size && p.capacity() <= size + size / 4
                    && (best == null || p.capacity() < best.capacity())) {
                best = type.cast(p);
            }
        }
        if (best == null) {
            allocations++;
            return allocate.apply(size);
        }
        spare.remove(best);
        spareBytes -= bytes(best);
        best.position(0);
        return best;
    }

    /** Hands a buffer back for reuse (the caller no longer uses it). */
    void release(Pointer p) {
        spare.addFirst(p);
        spareBytes += bytes(p);
        while (spareBytes > keepBytes && spare.size() > 2) {
            Pointer oldest = spare.removeLast();
            spareBytes -= bytes(oldest);
            oldest.close();
        }
    }

    /** Buffers allocated so far (not taken from the released ones). */
    long allocations() {
        return allocations;
    }

    static long bytes(Pointer p) {
        return p.capacity() * p.sizeof();
    }

    @Override
    public void close() {
        for (Iterator<Pointer> it = spare.iterator(); it.hasNext(); ) {
            it.next().close();
            it.remove();
        }
        spareBytes = 0;
    }
}
