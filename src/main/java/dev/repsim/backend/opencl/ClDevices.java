package dev.repsim.backend.opencl;

import org.lwjgl.PointerBuffer;
import org.lwjgl.opencl.CL;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.lwjgl.opencl.CL10.*;

/**
 * Enumerates the OpenCL platforms and devices through the system's ICD loader (libOpenCL.so.1; a
 * different file can be named with {@code -Dorg.lwjgl.opencl.libname=PATH}).
 */
public final class ClDevices {
    private ClDevices() {}

    /** How to get a usable OpenCL device; appended to every "no OpenCL" error. */
    public static final String INSTALL_HINT =
            "install the GPU vendor's OpenCL driver (NVIDIA/AMD/Intel) plus the ICD loader, or PoCL to run the kernels on the CPU: "
                    + "apt-get install ocl-icd-libopencl1 pocl-opencl-icd";

    /** The devices, or the reason there are none. */
    public record Listing(List<ClDevice> devices, String problem) {
        public boolean usable() { return !devices.isEmpty(); }
    }

    private static volatile Listing cached;

    /** Every device of every platform, in a stable order; never throws. */
    public static Listing list() {
        Listing l = cached;
        if (l == null) {
            synchronized (ClDevices.class) {
                l = cached;
                if (l == null) cached = l = LwjglDiagnostics.quietly(ClDevices::enumerate);
            }
        }
        return l;
    }

    /** The devices, or an {@link OpenClException} saying that none is usable and how to install one. */
    public static List<ClDevice> require() {
        Listing l = list();
        if (!l.usable()) throw new OpenClException("--backend opencl: no usable OpenCL device (" + l.problem() + "); " + INSTALL_HINT, 0);
        return l.devices();
    }

    /** The first GPU, if any. */
    public static Optional<ClDevice> firstGpu() {
        return list().devices().stream().filter(ClDevice::isGpu).findFirst();
    }

    private static Listing enumerate() {
        try {
            // The runtime package of the ICD loader (ocl-icd-libopencl1) ships only the soname
            // libOpenCL.so.1; LWJGL's default, libOpenCL.so, comes with the -dev package.
            if (Configuration.OPENCL_LIBRARY_NAME.get() == null && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                Configuration.OPENCL_LIBRARY_NAME.set("libOpenCL.so.1");
            }
            CL.getFunctionProvider();
        } catch (Throwable t) {
            return new Listing(List.of(), "the OpenCL ICD loader library could not be loaded: " + t.getMessage());
        }
        List<ClDevice> out = new ArrayList<>();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            int err = clGetPlatformIDs(null, count);
            if (err != CL_SUCCESS || count.get(0) == 0) {
                return new Listing(List.of(), err != CL_SUCCESS ? "clGetPlatformIDs: " + OpenClException.name(err) : "no OpenCL platform is installed");
            }
            PointerBuffer platforms = stack.mallocPointer(count.get(0));
            OpenClException.check(clGetPlatformIDs(platforms, (IntBuffer) null), "clGetPlatformIDs");
            for (int p = 0; p < platforms.capacity(); p++) {
                long platform = platforms.get(p);
                String pname = platformString(platform, CL_PLATFORM_NAME);
                IntBuffer nd = stack.mallocInt(1);
                if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, null, nd) != CL_SUCCESS || nd.get(0) == 0) continue;
                PointerBuffer ids = stack.mallocPointer(nd.get(0));
                OpenClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids, (IntBuffer) null), "clGetDeviceIDs");
                for (int d = 0; d < ids.capacity(); d++) out.add(describe(out.size(), platform, pname, ids.get(d)));
            }
        } catch (RuntimeException | LinkageError e) {
            return new Listing(List.of(), "OpenCL enumeration failed: " + e.getMessage());
        }
        return out.isEmpty() ? new Listing(List.of(), "the OpenCL platforms report no devices") : new Listing(List.copyOf(out), null);
    }

    private static ClDevice describe(int index, long platform, String pname, long dev) {
        long type = deviceLong(dev, CL_DEVICE_TYPE);
        String t = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        String ext = deviceString(dev, CL_DEVICE_EXTENSIONS);
        return new ClDevice(index, platform, dev, pname, deviceString(dev, CL_DEVICE_NAME).strip(),
                deviceString(dev, CL_DEVICE_VENDOR).strip(), deviceString(dev, CL_DEVICE_VERSION).strip(), t,
                deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                deviceLong(dev, CL_DEVICE_LOCAL_MEM_SIZE), deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS),
                devicePointer(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE), ext.contains("cl_khr_fp64"),
                deviceInt(dev, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT), deviceInt(dev, CL_DEVICE_PREFERRED_VECTOR_WIDTH_DOUBLE));
    }

    static String deviceString(long dev, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            OpenClException.check(clGetDeviceInfo(dev, param, (ByteBuffer) null, size), "clGetDeviceInfo");
            ByteBuffer buf = stack.malloc((int) size.get(0));
            OpenClException.check(clGetDeviceInfo(dev, param, buf, null), "clGetDeviceInfo");
            return org.lwjgl.system.MemoryUtil.memUTF8(buf, Math.max(0, (int) size.get(0) - 1));
        }
    }

    private static String platformString(long platform, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer size = stack.mallocPointer(1);
            OpenClException.check(clGetPlatformInfo(platform, param, (ByteBuffer) null, size), "clGetPlatformInfo");
            ByteBuffer buf = stack.malloc((int) size.get(0));
            OpenClException.check(clGetPlatformInfo(platform, param, buf, null), "clGetPlatformInfo");
            return org.lwjgl.system.MemoryUtil.memUTF8(buf, Math.max(0, (int) size.get(0) - 1)).strip();
        }
    }

    private static long deviceLong(long dev, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            LongBuffer v = stack.mallocLong(1);
            OpenClException.check(clGetDeviceInfo(dev, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }

    private static int deviceInt(long dev, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer v = stack.mallocInt(1);
            OpenClException.check(clGetDeviceInfo(dev, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }

    private static long devicePointer(long dev, int param) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer v = stack.mallocPointer(1);
            OpenClException.check(clGetDeviceInfo(dev, param, v, null), "clGetDeviceInfo");
            return v.get(0);
        }
    }
}
