package dev.repsim.backend.opencl;

import static org.lwjgl.opencl.CL10.clReleaseMemObject;

/** A device buffer (cl_mem) of a known size; closing releases it unless it is a borrowed view. */
final class DeviceBuffer implements AutoCloseable {
    final long mem;
    final long bytes;
    final String what;
    private final boolean borrowed;
    private boolean released;

    DeviceBuffer(long mem, long bytes, String what) {
        this(mem, bytes, what, false);
    }

    private DeviceBuffer(long mem, long bytes, String what, boolean borrowed) {
        this.mem = mem;
        this.bytes = bytes;
        this.what = what;
        this.borrowed = borrowed;
    }

    /** A view whose close() leaves the buffer alone (for buffers owned by a cache). */
    DeviceBuffer borrow() { return new DeviceBuffer(mem, bytes, what, true); }

    @Override
    public void close() {
        if (!released && !borrowed) {
            released = true;
            clReleaseMemObject(mem);
        }
    }
}
