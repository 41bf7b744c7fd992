package dev.repsim.backend.opencl;

import java.util.Locale;

/**
 * One OpenCL device and the limits the kernels are tuned from.
 *
 * @param index         position in the list of all devices of all platforms (what {@code --device N} means)
 * @param platform      cl_platform_id
 * @param id            cl_device_id
 * @param globalMem     CL_DEVICE_GLOBAL_MEM_SIZE in bytes
 * @param maxAlloc      CL_DEVICE_MAX_MEM_ALLOC_SIZE in bytes (largest single buffer)
 * @param localMem      CL_DEVICE_LOCAL_MEM_SIZE in bytes
 * @param maxWorkGroup  CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param fp64          whether cl_khr_fp64 is supported (float64 kernels)
 */
public record ClDevice(int index, long platform, long id, String platformName, String name, String vendor,
                       String version, String type, long globalMem, long maxAlloc, long localMem,
                       int computeUnits, long maxWorkGroup, boolean fp64, int prefVectorFloat, int prefVectorDouble) {

    public boolean isGpu() { return type.equals("GPU"); }

    /** One line for listings: index, name, platform, type. */
    public String label() {
        return index + ": " + name + " [" + platformName + ", " + type + "]";
    }

    /** The limits on one line, as {@code devices} prints them. */
    public String limits() {
        return String.format(Locale.ROOT,
                "global mem %s, max alloc %s, local mem %s, compute units %d, max work-group %d, fp64 %s, preferred vector float/double %d/%d, %s",
                bytes(globalMem), bytes(maxAlloc), kib(localMem), computeUnits, maxWorkGroup, fp64 ? "yes" : "no",
                prefVectorFloat, prefVectorDouble, version);
    }

    /** A byte count for messages: B, KiB, MiB or GiB. */
    static String bytes(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
    }

    static String kib(long bytes) { return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0); }
}
