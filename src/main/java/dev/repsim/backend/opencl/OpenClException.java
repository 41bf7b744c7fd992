package dev.repsim.backend.opencl;

import java.util.Map;

import static org.lwjgl.opencl.CL10.*;

/** An OpenCL call failed; the message names the call, the error code and what was being done. */
public class OpenClException extends IllegalStateException {
    private final int code;

    public OpenClException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The OpenCL error code (negative), or 0 when the failure was detected on the host. */
    public int code() { return code; }

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(CL_DEVICE_NOT_FOUND, "CL_DEVICE_NOT_FOUND"),
            Map.entry(CL_DEVICE_NOT_AVAILABLE, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(CL_COMPILER_NOT_AVAILABLE, "CL_COMPILER_NOT_AVAILABLE"),
            Map.entry(CL_MEM_OBJECT_ALLOCATION_FAILURE, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES"),
            Map.entry(CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(CL_BUILD_PROGRAM_FAILURE, "CL_BUILD_PROGRAM_FAILURE"),
            Map.entry(CL_INVALID_VALUE, "CL_INVALID_VALUE"),
            Map.entry(CL_INVALID_BUILD_OPTIONS, "CL_INVALID_BUILD_OPTIONS"),
            Map.entry(CL_INVALID_KERNEL_NAME, "CL_INVALID_KERNEL_NAME"),
            Map.entry(CL_INVALID_ARG_INDEX, "CL_INVALID_ARG_INDEX"),
            Map.entry(CL_INVALID_ARG_VALUE, "CL_INVALID_ARG_VALUE"),
            Map.entry(CL_INVALID_ARG_SIZE, "CL_INVALID_ARG_SIZE"),
            Map.entry(CL_INVALID_KERNEL_ARGS, "CL_INVALID_KERNEL_ARGS"),
            Map.entry(CL_INVALID_WORK_GROUP_SIZE, "CL_INVALID_WORK_GROUP_SIZE"),
            Map.entry(CL_INVALID_WORK_ITEM_SIZE, "CL_INVALID_WORK_ITEM_SIZE"),
            Map.entry(CL_INVALID_GLOBAL_WORK_SIZE, "CL_INVALID_GLOBAL_WORK_SIZE"),
            Map.entry(CL_INVALID_BUFFER_SIZE, "CL_INVALID_BUFFER_SIZE"),
            Map.entry(CL_INVALID_MEM_OBJECT, "CL_INVALID_MEM_OBJECT"),
            Map.entry(CL_INVALID_OPERATION, "CL_INVALID_OPERATION"),
            Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR (no OpenCL driver registered with the ICD loader)"));

    static String name(int code) {
        return NAMES.getOrDefault(code, "error " + code);
    }

    /** Whether the code means the device ran out of memory (allocation fails lazily on some drivers). */
    static boolean isOutOfMemory(int code) {
        return code == CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL_OUT_OF_RESOURCES || code == CL_INVALID_BUFFER_SIZE;
    }

    /** Throws when {@code code} is not CL_SUCCESS: out-of-memory codes become {@link DeviceMemoryException}. */
    static void check(int code, String what) {
        if (code == CL_SUCCESS) return;
        String msg = "OpenCL " + what + " failed: " + name(code);
        if (isOutOfMemory(code)) throw new DeviceMemoryException(msg + " (device out of memory)", code);
        throw new OpenClException(msg, code);
    }
}
