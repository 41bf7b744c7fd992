package dev.repsim.backend.opencl;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Device selection, and the error when OpenCL is asked for but no device is usable (never a fallback). */
class OpenClAvailabilityTest {

    @Test
    void openclIsListedAndOpensByIndexAndName() {
        assertTrue(Backends.available().contains("opencl"), "the OpenCL backend is not available: is PoCL installed?");
        ClDevice first = ClDevices.list().devices().getFirst();
        try (Backend b = Backends.open("opencl", "0")) {
            assertEquals("opencl", b.name());
            assertEquals(first.name(), ((OpenClBackend) b).device().name());
        }
        String part = first.name().substring(0, Math.min(4, first.name().length())).toLowerCase();
        try (OpenClBackend b = OpenClBackend.open(part)) {
            assertEquals(first.name(), b.device().name());
        }
    }

    @Test
    void unknownDevicesAreClearErrors() {
        var e = assertThrows(RuntimeException.class, () -> OpenClBackend.open("99"));
        assertTrue(e.getMessage().startsWith("--device 99: no OpenCL device with that index"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> OpenClBackend.open("no-such-card"));
        assertTrue(e.getMessage().contains("no OpenCL device name contains it"), e.getMessage());
    }

    /** In a JVM whose ICD loader sees no driver, asking for opencl fails with the install hint; auto does not pick it. */
    @Test
    void noDriverMeansAClearErrorNotAFallback(@TempDir Path empty) throws IOException, InterruptedException {
        ProcessBuilder pb = childJvm(NoDeviceProbe.class);
        pb.environment().put("OCL_ICD_VENDORS", empty.toString());
        String out = run(pb, 3);
        assertTrue(out.contains("no usable OpenCL device"), out);
        assertTrue(out.contains("apt-get install ocl-icd-libopencl1 pocl-opencl-icd"), out);
        assertTrue(out.contains("auto=blas") || out.contains("auto=java"), out);
    }

    /**
     * PoCL and its LLVM install their own SIGSEGV and SIGBUS handlers when OpenCL loads. HotSpot takes
     * SIGSEGV for safepoint polls and implicit null checks, so with theirs in place a JVM could die of a
     * fault it would have handled (exit 139). With HotSpot's libjsig preloaded, as bin/repsim and the test
     * JVMs do, the JVM keeps its handlers: -Xcheck:jni reports any that changed. Without libjsig the same
     * child must report the change on PoCL, or the check would prove nothing.
     */
    @Test
    void theJvmKeepsItsSignalHandlersWhenOpenClLoads() throws IOException, InterruptedException {
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        assertTrue(java.nio.file.Files.isRegularFile(jsig), "no " + jsig + " in this JDK");
        String with = signalCheck(jsig.toString());
        assertFalse(with.contains("handler modified"), "with libjsig:\n" + with);
        if (ClDevices.list().devices().stream().anyMatch(d -> d.platformName().contains("Portable Computing Language"))) {
            String without = signalCheck(null);
            assertTrue(without.contains("SIGSEGV handler modified"), "without libjsig, PoCL's handlers were not seen:\n" + without);
        }
    }

    /** The output of a child JVM (-Xcheck:jni) that loads OpenCL and then waits for the JVM's periodic signal check. */
    private static String signalCheck(String preload) throws IOException, InterruptedException {
        ProcessBuilder pb = childJvm(SignalProbe.class, "-Xcheck:jni");
        if (preload == null) pb.environment().remove("LD_PRELOAD");
        else pb.environment().put("LD_PRELOAD", preload);
        String out = run(pb, 0);
        assertTrue(out.contains("devices="), out);
        return out;
    }

    /**
     * A child JVM running {@code main} with {@code flags}, this JVM's ICD loader and native-library settings
     * (the GPU bundle sets them) and its class path; stderr goes into stdout.
     */
    private static ProcessBuilder childJvm(Class<?> main, String... flags) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(List.of(flags));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.lwjgl.") || k.startsWith("org.bytedeco."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(List.of("-cp", classPath(), main.getName()));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** Runs the child to its end and returns its output, which the failure shows if it exits other than with {@code exit}. */
    private static String run(ProcessBuilder pb, int exit) throws IOException, InterruptedException {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(exit, p.waitFor(), out);
        return out;
    }

    /** This JVM's class path, plus the URLs of a launcher's class loader (the JUnit console's --class-path). */
    static String classPath() {
        List<String> parts = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        for (ClassLoader l = OpenClAvailabilityTest.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    try {
                        parts.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        throw new IllegalStateException("class path entry " + url, e);
                    }
                }
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Run in a child JVM by {@link #theJvmKeepsItsSignalHandlersWhenOpenClLoads}: loads OpenCL, then outlives a few signal checks. */
    public static final class SignalProbe {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("devices=" + ClDevices.list().devices().size());
            Thread.sleep(1500);
        }
    }

    /** Run in a child JVM by the test above. */
    public static final class NoDeviceProbe {
        public static void main(String[] args) {
            System.out.println("auto=" + Backends.autoChoice().split(" ")[0]);
            try (Backend b = Backends.open("opencl", null)) {
                System.out.println("opened " + b.describe());
                System.exit(0);
            } catch (RuntimeException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
