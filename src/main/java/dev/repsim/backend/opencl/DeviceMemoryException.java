package dev.repsim.backend.opencl;

/**
 * The device could not hold a buffer. Blocked computations catch it and retry with smaller row blocks;
 * when they cannot shrink further, it reaches the user with the sizes involved.
 */
public final class DeviceMemoryException extends OpenClException {
    public DeviceMemoryException(String message, int code) {
        super(message, code);
    }
}
