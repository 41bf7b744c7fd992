package dev.repsim.backend.opencl;

import dev.repsim.linalg.Precision;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.lwjgl.opencl.CL10.*;

/**
 * The kernels of kernels/*.cl (packaged in the jar under /kernels) compiled at run time for one device
 * and one precision, with tile sizes from {@link TileConfig}. A failed build reports the device's
 * build log.
 */
final class ClProgram implements AutoCloseable {
    /** Source files, concatenated in this order (common.cl first: it defines the shared macros). */
    static final List<String> SOURCES = List.of("common.cl", "gemm.cl", "columns.cl", "gram.cl", "knn.cl");
    static final List<String> KERNELS = List.of("gemm_tn", "gemm_nt", "reduce_splits", "sum_squares", "column_sums",
            "center_columns", "row_sq_norms", "normalize_rows", "gram_row_stats", "gram_col_sums", "topk_rows");
    /** Kernels compiled with reqd_work_group_size from the tile configuration. */
    private static final List<String> TILED = List.of("gemm_tn", "gemm_nt");

    final Precision precision;
    final TileConfig tiles;
    final int elemBytes;
    /** Bytes of the ACC type (8 when the device has fp64). */
    final int accBytes;
    private final long program;
    private final Map<String, Long> kernels;

    private ClProgram(Precision precision, TileConfig tiles, int accBytes, long program, Map<String, Long> kernels) {
        this.precision = precision;
        this.tiles = tiles;
        this.elemBytes = precision == Precision.F64 ? 8 : 4;
        this.accBytes = accBytes;
        this.program = program;
        this.kernels = kernels;
    }

    long kernel(String name) {
        Long k = kernels.get(name);
        if (k == null) throw new IllegalArgumentException("no kernel " + name);
        return k;
    }

    static String source() {
        StringBuilder sb = new StringBuilder();
        for (String f : SOURCES) {
            try (InputStream in = ClProgram.class.getResourceAsStream("/kernels/" + f)) {
                if (in == null) throw new IllegalStateException("kernel source /kernels/" + f + " is missing from the jar");
                sb.append("/* ---- ").append(f).append(" ---- */\n").append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("reading kernel source " + f, e);
            }
        }
        return sb.toString();
    }

    /** Builds for the first tile configuration the device accepts. */
    static ClProgram build(long context, ClDevice dev, Precision p) {
        if (p == Precision.F64 && !dev.fp64()) {
            throw new OpenClException("device " + dev.label() + " has no cl_khr_fp64: float64 kernels cannot run there (use --precision f32)", 0);
        }
        String src = source();
        OpenClException last = null;
        for (TileConfig t : TileConfig.candidates(dev, p)) {
            String opts = "-DREAL=" + (p == Precision.F64 ? "double" : "float")
                    + " -DACC=" + (dev.fp64() ? "double" : "float") + " -DHAS_FP64=" + (dev.fp64() ? 1 : 0) + t.defines();
            long prog = compile(context, dev, src, opts);
            Map<String, Long> ks = new HashMap<>();
            boolean fits = true;
            for (String name : KERNELS) {
                long k = createKernel(prog, name);
                ks.put(name, k);
                if (TILED.contains(name) && kernelWorkGroupLimit(k, dev.id()) < t.workGroupSize()) fits = false;
            }
            ClProgram cp = new ClProgram(p, t, dev.fp64() ? 8 : 4, prog, ks);
            if (fits) return cp;
            cp.close();
            last = new OpenClException("no tile configuration fits the compiled kernels' work-group limit on " + dev.label(), 0);
        }
        throw last;
    }

    private static long compile(long context, ClDevice dev, String src, String opts) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long prog = clCreateProgramWithSource(context, src, err);
            OpenClException.check(err.get(0), "clCreateProgramWithSource");
            int rc = clBuildProgram(prog, dev.id(), opts, null, 0L);
            if (rc != CL_SUCCESS) {
                String log = buildLog(prog, dev.id());
                clReleaseProgram(prog);
                throw new OpenClException("building kernels/*.cl for " + dev.label() + " with [" + opts + "] failed ("
                        + OpenClException.name(rc) + "); device build log:\n" + log, rc);
            }
            return prog;
        }
    }

    static String buildLog(long prog, long device) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            if (clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, (ByteBuffer) null, size) != CL_SUCCESS) return "(no build log)";
            ByteBuffer buf = org.lwjgl.system.MemoryUtil.memAlloc((int) Math.max(1, size.get(0)));
            try {
                clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, buf, null);
                return org.lwjgl.system.MemoryUtil.memUTF8(buf, Math.max(0, (int) size.get(0) - 1)).strip();
            } finally {
                org.lwjgl.system.MemoryUtil.memFree(buf);
            }
        }
    }

    private static long createKernel(long prog, String name) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer err = stack.mallocInt(1);
            long k = clCreateKernel(prog, name, err);
            OpenClException.check(err.get(0), "clCreateKernel(" + name + ")");
            return k;
        }
    }

    private static long kernelWorkGroupLimit(long kernel, long device) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer v = stack.mallocPointer(1);
            OpenClException.check(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, v, null), "clGetKernelWorkGroupInfo");
            return v.get(0);
        }
    }

    @Override
    public void close() {
        for (long k : kernels.values()) clReleaseKernel(k);
        kernels.clear();
        clReleaseProgram(program);
    }
}
