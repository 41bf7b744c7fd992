package dev.repsim.backend.opencl;

import dev.repsim.linalg.Precision;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.opencl.CL10.*;
import static org.lwjgl.opencl.CL12.clEnqueueFillBuffer;

/**
 * One device's context and in-order command queue: buffers, transfers, kernel launches, and the
 * time spent in each (uploads and downloads by host timers around the blocking transfers, kernels by
 * the queue's profiling events).
 */
final class ClContext implements AutoCloseable {

    final ClDevice device;
    private final long context;
    private final long queue;
    private final Map<Precision, ClProgram> programs = new EnumMap<>(Precision.class);
    private final List<Long> pendingEvents = new ArrayList<>();
    private HostStaging staging;
    private long uploadNs, kernelNs, downloadNs, uploadBytes;
    private boolean poison;
    /** Tests: allocations above this many bytes fail as a full device would (0 = off). */
    private long simulatedLimit;

    ClContext(ClDevice device) {
        this.device = device;
        boolean pinned = HostStaging.pinnedFromProperty();   // bad settings fail before anything is allocated
        int copyThreads = HostStaging.copyThreadsFromProperty();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            PointerBuffer props = stack.mallocPointer(3).put(CL_CONTEXT_PLATFORM).put(device.platform()).put(0).flip();
            context = clCreateContext(props, device.id(), null, 0L, err);
            OpenClException.check(err.get(0), "clCreateContext on " + device.label());
            queue = clCreateCommandQueue(context, device.id(), CL_QUEUE_PROFILING_ENABLE, err);
            if (err.get(0) != CL_SUCCESS) {
                clReleaseContext(context);
                OpenClException.check(err.get(0), "clCreateCommandQueue on " + device.label());
            }
        }
        staging = new HostStaging(context, queue, pinned, HostStaging.DEFAULT_HALF_BYTES, copyThreads, HostStaging.DEFAULT_MIN_PART_BYTES);
    }

    /**
     * Tests: host staging of {@code halfBytes} per half, so that small transfers cross chunk boundaries,
     * filled by {@code copyThreads} threads in parts of at least {@code minPartBytes}.
     */
    void useStaging(boolean pinned, int halfBytes, int copyThreads, int minPartBytes) {
        staging.close();   // its host-copy time goes with it, like a reset
        staging = new HostStaging(context, queue, pinned, halfBytes, copyThreads, minPartBytes);
    }

    /** Restores the staging that {@code -Drepsim.opencl.*} settings and the defaults give. */
    void useDefaultStaging() {
        useStaging(HostStaging.pinnedFromProperty(), HostStaging.DEFAULT_HALF_BYTES, HostStaging.copyThreadsFromProperty(), HostStaging.DEFAULT_MIN_PART_BYTES);
    }

    /** Whether transfers go through pinned host memory (see {@link HostStaging}). */
    boolean pinnedStaging() { return staging.pinned(); }

    /** Threads that copy each upload chunk into host staging. */
    int stagingCopyThreads() { return staging.copyThreads(); }

    /** The program for a precision, built on first use. */
    ClProgram program(Precision p) {
        return programs.computeIfAbsent(p, q -> ClProgram.build(context, device, q));
    }

    /** When on, every output buffer is filled with NaN (all bits set) before kernels write it. */
    void setPoison(boolean on) { poison = on; }

    /** Tests: make allocations above {@code bytes} fail with CL_MEM_OBJECT_ALLOCATION_FAILURE (0 = off). */
    void simulateMemoryLimit(long bytes) { simulatedLimit = bytes; }

    /** Allocates a buffer; sizes beyond the device's limits fail with the sizes named. */
    DeviceBuffer alloc(long bytes, String what) {
        if (bytes <= 0) bytes = 4;
        if (simulatedLimit > 0 && bytes > simulatedLimit) {
            throw new DeviceMemoryException(String.format("allocating %s for %s on %s failed: CL_MEM_OBJECT_ALLOCATION_FAILURE (simulated limit %s)",
                    ClDevice.bytes(bytes), what, device.name(), ClDevice.bytes(simulatedLimit)), CL_MEM_OBJECT_ALLOCATION_FAILURE);
        }
        if (bytes > device.maxAlloc()) {
            throw new DeviceMemoryException(String.format("%s needs a %s device buffer but %s allows at most %s per buffer",
                    what, ClDevice.bytes(bytes), device.name(), ClDevice.bytes(device.maxAlloc())), CL_INVALID_BUFFER_SIZE);
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, err);
            if (err.get(0) != CL_SUCCESS) {
                String msg = String.format("allocating %s for %s on %s (global memory %s) failed: %s", ClDevice.bytes(bytes), what,
                        device.name(), ClDevice.bytes(device.globalMem()), OpenClException.name(err.get(0)));
                if (OpenClException.isOutOfMemory(err.get(0))) throw new DeviceMemoryException(msg, err.get(0));
                throw new OpenClException(msg, err.get(0));
            }
            return new DeviceBuffer(mem, bytes, what);
        }
    }

    /** An output buffer: poisoned (NaN) when poisoning is on. */
    DeviceBuffer output(long bytes, String what) {
        DeviceBuffer b = alloc(bytes, what);
        if (poison) {
            try (MemoryStack stack = MemoryStack.stackPush()) {
                ByteBuffer pattern = stack.malloc(4).putInt(0, 0xFFFFFFFF);
                checkAlloc(clEnqueueFillBuffer(queue, b.mem, pattern, 0, b.bytes, null, null), "poisoning " + what, b);
            }
        }
        return b;
    }

    private void checkAlloc(int rc, String what, DeviceBuffer b) {
        if (rc == CL_SUCCESS) return;
        if (OpenClException.isOutOfMemory(rc)) {
            throw new DeviceMemoryException(String.format("%s: the device could not back %s (%s) on %s: %s", what, b.what,
                    ClDevice.bytes(b.bytes), device.name(), OpenClException.name(rc)), rc);
        }
        OpenClException.check(rc, what);
    }

    // ---- transfers -------------------------------------------------------------------------------

    /** Bytes copied to the device since the context was made (tests check that cached inputs are not re-sent). */
    long uploadedBytes() { return uploadBytes; }

    void write(DeviceBuffer b, long dstElem, float[] src, int off, int len) {
        uploadBytes += 4L * len;
        long t0 = System.nanoTime();
        transfer(b, "upload", () -> staging.upload(b.mem, dstElem * 4, len, 4, (half, from, c) -> half.asFloatBuffer().put(src, off + from, c)));
        uploadNs += System.nanoTime() - t0;
    }

    void write(DeviceBuffer b, long dstElem, double[] src, int off, int len) {
        uploadBytes += 8L * len;
        long t0 = System.nanoTime();
        transfer(b, "upload", () -> staging.upload(b.mem, dstElem * 8, len, 8, (half, from, c) -> half.asDoubleBuffer().put(src, off + from, c)));
        uploadNs += System.nanoTime() - t0;
    }

    /** Uploads a float64 vector converted to the precision p (e.g. column means for a float32 kernel). */
    void writeReal(DeviceBuffer b, double[] v, Precision p) {
        if (p == Precision.F64) { write(b, 0, v, 0, v.length); return; }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        write(b, 0, f, 0, f.length);
    }

    /** Reads {@code count} elements of type p (float or double) from the start of b into float64. */
    double[] readReal(DeviceBuffer b, int count, int elemBytes) {
        double[] out = new double[count];
        readRealInto(b, count, elemBytes, out, 0);
        return out;
    }

    /** Reads a float32/float64 buffer into part of a float64 array (row blocks of large results). */
    void readRealInto(DeviceBuffer b, int count, int elemBytes, double[] dst, long dstOff) {
        int base = Math.toIntExact(dstOff);
        download(b, count, elemBytes, elemBytes == 8
                ? (half, from, c) -> half.asDoubleBuffer().get(dst, base + from, c)
                : (half, from, c) -> {
                    FloatBuffer f = half.asFloatBuffer();
                    for (int i = 0; i < c; i++) dst[base + from + i] = f.get(i);
                });
    }

    /**
     * Adds a float32/float64 buffer into a float64 array as it comes out of the staging half, so that a
     * d × d product streamed in row blocks needs no temporary array of its own size per block.
     */
    void addReal(DeviceBuffer b, int count, int elemBytes, double[] dst) {
        download(b, count, elemBytes, elemBytes == 8
                ? (half, from, c) -> {
                    DoubleBuffer d = half.asDoubleBuffer();
                    for (int i = 0; i < c; i++) dst[from + i] += d.get(i);
                }
                : (half, from, c) -> {
                    FloatBuffer f = half.asFloatBuffer();
                    for (int i = 0; i < c; i++) dst[from + i] += f.get(i);
                });
    }

    /** The first {@code count} elements of b through the host staging into {@code drain}, timed as download. */
    private void download(DeviceBuffer b, int count, int elemBytes, HostStaging.Drain drain) {
        finish();
        long t0 = System.nanoTime();
        transfer(b, "download", () -> staging.download(b.mem, 0, count, elemBytes, drain));
        downloadNs += System.nanoTime() - t0;
    }

    int[] readInts(DeviceBuffer b, int count) {
        int[] out = new int[count];
        download(b, count, 4, (half, from, c) -> half.asIntBuffer().get(out, from, c));
        return out;
    }

    /** Runs a staged transfer of b, naming b and the device when it fails. */
    private void transfer(DeviceBuffer b, String what, Runnable r) {
        try {
            r.run();
        } catch (HostStaging.TransferException e) {
            String msg = String.format("%s of %s (%s) on %s failed: %s", e.getMessage(), b.what, ClDevice.bytes(b.bytes), device.name(),
                    OpenClException.name(e.code));
            if (OpenClException.isOutOfMemory(e.code)) throw new DeviceMemoryException(msg + " (the device could not back it)", e.code);
            throw new OpenClException(msg, e.code);
        }
    }

    // ---- kernels ---------------------------------------------------------------------------------

    /** Starts setting the arguments of a kernel of program p. */
    Launch launch(ClProgram p, String kernel) { return new Launch(p, p.kernel(kernel), kernel); }

    /** Fluent kernel-argument setter and launcher; global sizes are rounded up to the local sizes. */
    final class Launch {
        private final ClProgram program;
        private final long kernel;
        private final String name;
        private int index;

        private Launch(ClProgram program, long kernel, String name) {
            this.program = program;
            this.kernel = kernel;
            this.name = name;
        }

        Launch arg(int v) { OpenClException.check(clSetKernelArg1i(kernel, index++, v), "setting " + name + " argument " + index); return this; }

        Launch arg(long v) { OpenClException.check(clSetKernelArg1l(kernel, index++, v), "setting " + name + " argument " + index); return this; }

        Launch arg(DeviceBuffer b) { OpenClException.check(clSetKernelArg1p(kernel, index++, b.mem), "setting " + name + " argument " + index); return this; }

        /** A scalar of the program's REAL type. */
        Launch real(double v) {
            int rc = program.precision == Precision.F64 ? clSetKernelArg1d(kernel, index++, v) : clSetKernelArg1f(kernel, index++, (float) v);
            OpenClException.check(rc, "setting " + name + " argument " + index);
            return this;
        }

        /** A __local buffer of the given size. */
        Launch local(long bytes) { OpenClException.check(clSetKernelArg(kernel, index++, bytes), "setting " + name + " local argument " + index); return this; }

        void run(long[] global, long[] local) {
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer g = stack.mallocPointer(global.length);
                PointerBuffer l = stack.mallocPointer(local.length);
                for (int i = 0; i < global.length; i++) {
                    long rounded = (global[i] + local[i] - 1) / local[i] * local[i];
                    g.put(i, Math.max(local[i], rounded));
                    l.put(i, local[i]);
                }
                PointerBuffer ev = stack.mallocPointer(1);
                int rc = clEnqueueNDRangeKernel(queue, kernel, global.length, null, g, l, null, ev);
                if (rc != CL_SUCCESS) {
                    String msg = "OpenCL kernel " + name + " failed to launch on " + device.name() + ": " + OpenClException.name(rc);
                    if (OpenClException.isOutOfMemory(rc)) throw new DeviceMemoryException(msg + " (device out of memory)", rc);
                    throw new OpenClException(msg, rc);
                }
                pendingEvents.add(ev.get(0));
            }
        }
    }

    /** Waits for the queue and books the finished kernels' device time. */
    void finish() {
        int rc = clFinish(queue);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            LongBuffer t = stack.mallocLong(1);
            for (long ev : pendingEvents) {
                if (clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, t, null) == CL_SUCCESS) {
                    long start = t.get(0);
                    if (clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, t, null) == CL_SUCCESS) kernelNs += t.get(0) - start;
                }
                clReleaseEvent(ev);
            }
            pendingEvents.clear();
        }
        if (rc != CL_SUCCESS) {
            String msg = "OpenCL queue on " + device.name() + " failed: " + OpenClException.name(rc);
            if (OpenClException.isOutOfMemory(rc)) throw new DeviceMemoryException(msg + " (device out of memory)", rc);
            throw new OpenClException(msg, rc);
        }
    }

    Map<String, Double> timings() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("upload", uploadNs / 1e6);
        m.put("upload_host_copy", staging.fillNanos() / 1e6);   // the part of "upload" spent copying out of Java arrays
        m.put("kernels", kernelNs / 1e6);
        m.put("download", downloadNs / 1e6);
        return m;
    }

    void resetTimings() {
        uploadNs = kernelNs = downloadNs = 0;
        staging.resetFillNanos();
    }

    @Override
    public void close() {
        try {
            clFinish(queue);
            staging.close();
        } finally {
            for (ClProgram p : programs.values()) p.close();
            programs.clear();
            for (long ev : pendingEvents) clReleaseEvent(ev);
            pendingEvents.clear();
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }
}
