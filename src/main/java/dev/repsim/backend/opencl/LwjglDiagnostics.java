package dev.repsim.backend.opencl;

import org.lwjgl.system.Configuration;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Keeps LWJGL's multi-line "[LWJGL] Failed to load a library. Possible solutions: ..." block off stderr
 * while OpenCL is probed: a machine without OpenCL is normal for {@code --backend auto}, and the probe
 * turns the failure into one line of its own ({@link ClDevices.Listing#problem()}). Outside a probe LWJGL's
 * diagnostics reach stderr as before. LWJGL reads its debug stream once, so it is installed before its
 * first use, unless the user configured one.
 */
final class LwjglDiagnostics {
    private static volatile boolean quiet;
    private static boolean installed;

    private LwjglDiagnostics() {}

    /** Runs {@code probe} with LWJGL's diagnostics dropped. */
    static synchronized <T> T quietly(Supplier<T> probe) {
        install();
        quiet = true;
        try {
            return probe.get();
        } finally {
            quiet = false;
        }
    }

    private static void install() {
        if (installed) return;
        installed = true;
        if (Configuration.DEBUG_STREAM.get() != null) return;
        Configuration.DEBUG_STREAM.set(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                if (!quiet) System.err.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (!quiet) System.err.write(b, off, len);
            }

            @Override
            public void flush() {
                System.err.flush();
            }
        }, true));
    }
}
