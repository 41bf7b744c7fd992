package dev.repsim.backend.opencl;

import static org.lwjgl.opencl.CL10.clReleaseMemObject;

/** A device buffer (cl_mem) of a known size; closing releases it. */
final class DeviceBuffer implements AutoCloseable {
    final long mem;
    final long bytes;
    final String what;
    private boolean released;

    DeviceBuffer(long mem, long bytes, String what) {
        this.mem = mem;
        this.bytes = bytes;
        this.what = what;
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            clReleaseMemObject(mem);
        }
    }
}
