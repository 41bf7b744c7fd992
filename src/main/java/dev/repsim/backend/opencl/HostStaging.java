package dev.repsim.backend.opencl;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.lwjgl.opencl.CL10.*;

/**
 * Host memory that every transfer between Java arrays and device buffers passes through, in chunks.
 *
 * <p>Pinned (the default): two halves allocated by the driver ({@code CL_MEM_ALLOC_HOST_PTR}) and kept
 * mapped, which NVIDIA's OpenCL guide names as the way to get page-locked memory and DMA at bus speed. A
 * Java array or malloc'ed memory is pageable, so the driver copies it through a bounce buffer of its own:
 * on an H200 that ran uploads at 1.3 GB/s and d × d downloads at 0.6 GB/s (results/gpu-h200). Uploads
 * alternate halves, so the host copy into one overlaps the device transfer out of the other.
 *
 * <p>Pageable ({@code -Drepsim.opencl.staging=pageable}): the same chunked code over malloc'ed halves,
 * kept so that a benchmark can measure what pinning is worth on a device in one run.
 *
 * <p>The copy out of the Java array into a half is split over {@code -Drepsim.opencl.copyThreads}
 * threads (default: half the cores, at most 4): one thread's memcpy, about 10 GB/s, held the H200's
 * uploads to 9.5 GB/s while the bus takes 55 GB/s from pinned memory (results/gpu-h200). The bytes that
 * arrive are the same whatever the split.
 */
final class HostStaging implements AutoCloseable {
    /** Default bytes per half: large enough that per-transfer overhead is small, small enough to pin cheaply. */
    static final int DEFAULT_HALF_BYTES = 16 << 20;
    /** Smallest share of a chunk worth handing to another thread (below it the hand-off costs more than the copy). */
    static final int DEFAULT_MIN_PART_BYTES = 1 << 20;
    /** Most copy threads the setting takes. */
    static final int MAX_COPY_THREADS = 64;

    private final long context, queue;
    private final boolean pinned;
    private final int halfBytes;
    private final int copyThreads, minPartBytes;
    /** The copyThreads − 1 helpers of the calling thread, made on the first split copy. */
    private ExecutorService copiers;
    private final long[] mem = new long[2];
    private final ByteBuffer[] host = new ByteBuffer[2];
    /** The event of the last upload out of each half (0 = none in flight). */
    private final long[] inFlight = new long[2];
    /** Host time spent copying out of Java arrays into the halves, part of every upload's time. */
    private long fillNs;

    HostStaging(long context, long queue, boolean pinned, int halfBytes, int copyThreads, int minPartBytes) {
        if (halfBytes < 8 || halfBytes % 8 != 0) throw new IllegalArgumentException("staging half of " + halfBytes + " bytes: need a positive multiple of 8");
        if (copyThreads < 1 || copyThreads > MAX_COPY_THREADS) throw new IllegalArgumentException(copyThreads + " copy threads: need 1 to " + MAX_COPY_THREADS);
        if (minPartBytes < 1) throw new IllegalArgumentException("parts of " + minPartBytes + " bytes");
        this.context = context;
        this.queue = queue;
        this.pinned = pinned;
        this.halfBytes = halfBytes;
        this.copyThreads = copyThreads;
        this.minPartBytes = minPartBytes;
    }

    /** Threads that copy into a half, from {@code -Drepsim.opencl.copyThreads}; anything but 1 to 64 is refused. */
    static int copyThreadsFromProperty() {
        String v = System.getProperty("repsim.opencl.copyThreads");
        if (v == null) return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        try {
            int t = Integer.parseInt(v.strip());
            if (t >= 1 && t <= MAX_COPY_THREADS) return t;
        } catch (NumberFormatException e) {
            // refused below, with the setting named
        }
        throw new IllegalArgumentException("-Drepsim.opencl.copyThreads=" + v + ": expected a whole number from 1 to " + MAX_COPY_THREADS);
    }

    /** The staging mode from {@code -Drepsim.opencl.staging} (pinned or pageable); anything else is refused. */
    static boolean pinnedFromProperty() {
        String v = System.getProperty("repsim.opencl.staging", "pinned");
        return switch (v) {
            case "pinned" -> true;
            case "pageable" -> false;
            default -> throw new IllegalArgumentException("-Drepsim.opencl.staging=" + v + ": expected pinned or pageable");
        };
    }

    boolean pinned() { return pinned; }

    int copyThreads() { return copyThreads; }

    /** Nanoseconds spent filling halves from Java arrays since the last reset: how much of an upload is host copying. */
    long fillNanos() { return fillNs; }

    void resetFillNanos() { fillNs = 0; }

    /** Elements of {@code elemBytes} bytes per chunk. */
    private int chunk(int elemBytes) { return halfBytes / elemBytes; }

    /**
     * Copies {@code count} elements of a Java array into the device buffer at byte {@code dstByte};
     * {@code fill} puts elements [from, from + len) of the transfer (its own offset into the array
     * added) into the half.
     * Returns once every chunk has reached the device.
     */
    void upload(long dst, long dstByte, int count, int elemBytes, Filler fill) {
        int per = chunk(elemBytes);
        int h = 0;
        try {
            for (int done = 0; done < count; done += per, h ^= 1) {
                int c = Math.min(per, count - done);
                ByteBuffer half = half(h);
                await(h);
                long t0 = System.nanoTime();
                fill(fill, half, done, c, elemBytes);
                fillNs += System.nanoTime() - t0;
                try (MemoryStack stack = MemoryStack.stackPush()) {
                    PointerBuffer ev = stack.mallocPointer(1);
                    int rc = clEnqueueWriteBuffer(queue, dst, false, dstByte + (long) done * elemBytes, half.limit(c * elemBytes), null, ev);
                    if (rc != CL_SUCCESS) throw new TransferException("upload", rc);
                    inFlight[h] = ev.get(0);
                }
            }
        } finally {
            try {
                await(0);
            } finally {
                await(1);
            }
        }
    }

    /** Fills a half with elements [done, done + c), split into parts over the copy threads when it is large enough. */
    private void fill(Filler fill, ByteBuffer half, int done, int c, int elemBytes) {
        int parts = (int) Math.min(copyThreads, Math.max(1, (long) c * elemBytes / minPartBytes));
        if (parts == 1) {
            fill.fill(half, done, c);
            return;
        }
        if (copiers == null) {
            copiers = Executors.newFixedThreadPool(copyThreads - 1, Thread.ofPlatform().daemon().name("repsim-staging-copy-", 1).factory());
        }
        int per = (c + parts - 1) / parts;
        List<Future<?>> helpers = new ArrayList<>(parts - 1);
        for (int p0 = per; p0 < c; p0 += per) {
            int from = p0, len = Math.min(per, c - p0);
            // a view of the half from this part's first byte: the filler writes at its position 0
            ByteBuffer view = half.slice(from * elemBytes, len * elemBytes).order(ByteOrder.nativeOrder());
            helpers.add(copiers.submit(() -> fill.fill(view, done + from, len)));
        }
        RuntimeException failed = null;
        try {
            fill.fill(half, done, Math.min(per, c));
        } catch (RuntimeException e) {
            failed = e;
        }
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                RuntimeException r = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException("staging copy failed", e.getCause());
                if (failed == null) failed = r;
                else failed.addSuppressed(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failed == null) failed = new IllegalStateException("interrupted while copying into host staging", e);
            }
        }
        if (failed != null) throw failed;
    }

    /**
     * Copies {@code count} elements from byte {@code srcByte} of a device buffer out to the host; {@code drain}
     * takes elements [from, from + len) from the half. Blocking per chunk: downloads here are d × d results
     * and reductions, small next to the uploads.
     */
    void download(long src, long srcByte, int count, int elemBytes, Drain drain) {
        int per = chunk(elemBytes);
        for (int done = 0; done < count; done += per) {
            int c = Math.min(per, count - done);
            ByteBuffer half = half(0);
            int rc = clEnqueueReadBuffer(queue, src, true, srcByte + (long) done * elemBytes, half.limit(c * elemBytes), null, null);
            if (rc != CL_SUCCESS) throw new TransferException("download", rc);
            drain.drain(half, done, c);
        }
    }

    /** Puts elements [from, from + len) of the source into {@code half} (native order, position 0). */
    interface Filler { void fill(ByteBuffer half, int from, int len); }

    /** Takes elements [from, from + len) out of {@code half} (native order, position 0). */
    interface Drain { void drain(ByteBuffer half, int from, int len); }

    /** An enqueue or wait that failed; ClContext names the buffer and the device. */
    static final class TransferException extends RuntimeException {
        final int code;

        TransferException(String what, int code) {
            super(what);
            this.code = code;
        }
    }

    private ByteBuffer half(int h) {
        if (host[h] == null) allocate(h);
        return host[h].clear().order(ByteOrder.nativeOrder());
    }

    private void allocate(int h) {
        if (!pinned) {
            host[h] = MemoryUtil.memAlloc(halfBytes);
            return;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long m = clCreateBuffer(context, CL_MEM_ALLOC_HOST_PTR | CL_MEM_READ_WRITE, halfBytes, err);
            if (err.get(0) != CL_SUCCESS) throw new TransferException("allocating pinned host staging", err.get(0));
            ByteBuffer mapped = clEnqueueMapBuffer(queue, m, true, CL_MAP_READ | CL_MAP_WRITE, 0, halfBytes, null, null, err, null);
            if (err.get(0) != CL_SUCCESS || mapped == null) {
                clReleaseMemObject(m);
                throw new TransferException("mapping pinned host staging", err.get(0));
            }
            mem[h] = m;
            host[h] = mapped;
        }
    }

    private void await(int h) {
        long ev = inFlight[h];
        if (ev == 0) return;
        inFlight[h] = 0;
        int rc = clWaitForEvents(ev);
        clReleaseEvent(ev);
        if (rc != CL_SUCCESS) throw new TransferException("upload", rc);
    }

    @Override
    public void close() {
        if (copiers != null) {
            copiers.shutdown();
            copiers = null;
        }
        for (int h = 0; h < 2; h++) {
            if (inFlight[h] != 0) {
                clWaitForEvents(inFlight[h]);
                clReleaseEvent(inFlight[h]);
                inFlight[h] = 0;
            }
            if (host[h] == null) continue;
            if (pinned) {
                clEnqueueUnmapMemObject(queue, mem[h], host[h], null, null);
                clFinish(queue);
                clReleaseMemObject(mem[h]);
            } else {
                MemoryUtil.memFree(host[h]);
            }
            host[h] = null;
        }
    }
}
