package dev.repsim.backend;

import dev.repsim.backend.opencl.ClDevices;
import dev.repsim.backend.opencl.OpenClBackend;
import dev.repsim.io.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Creates backends by name. {@code auto} uses an OpenCL GPU when one is present (no GPU has been measured
 * yet, so nothing to choose by); on a CPU it picks java or blas per metric, precision and size from the
 * committed measurements of this microarchitecture ({@link AutoBackend}, {@link AutoChoice}). An explicitly
 * named backend that cannot start is an error (never a silent fallback to another backend).
 */
public final class Backends {
    private Backends() {}

    /** Names accepted by {@code --backend}. */
    public static final List<String> NAMES = List.of("auto", "java", "blas", "opencl");

    /**
     * Opens the named backend.
     *
     * @param name   auto, java, blas or opencl
     * @param device OpenCL device name or index (null: the first GPU, else the first device)
     */
    public static Backend open(String name, String device) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "java" -> new JavaBackend();
            case "blas" -> BlasBackend.open();
            case "opencl" -> openOpenCl(device);
            case "auto" -> openAuto();
            default -> throw new InputException("--backend: unknown backend '" + name + "' (expected one of " + NAMES + ")");
        };
    }

    /** What {@code auto} resolves to on this machine, in words: the GPU, or per metric on the CPU. */
    public static String autoChoice() {
        Optional<String> gpu = openClGpuName();
        if (gpu.isPresent()) return "opencl (GPU: " + gpu.get() + ")";
        AutoChoice t = AutoChoice.packaged();
        String cpu = dev.repsim.measure.Microarchitecture.ofThisMachine();
        return "java or blas per metric and size (no OpenCL GPU found), from " + (t.isEmpty() ? "no packaged measurements" : "the measurements of " + cpu + " CPUs")
                + "; see devices --n N --d D";
    }

    /** On a machine without an OpenCL GPU, {@code auto}'s per-metric chooser; empty where auto means the GPU. */
    public static Optional<AutoBackend> cpuAuto() {
        return openClGpuName().isPresent() ? Optional.empty() : Optional.of(AutoBackend.forThisMachine());
    }

    private static Backend openAuto() {
        if (openClGpuName().isPresent()) return openOpenCl(null);
        return AutoBackend.forThisMachine();
    }

    private static Optional<String> openClGpuName() {
        return OpenClBackend.firstGpuName();
    }

    private static Backend openOpenCl(String device) {
        return OpenClBackend.open(device);
    }

    /** Every backend that opens on this machine, for tests and benchmarks. */
    public static List<String> available() {
        List<String> out = new ArrayList<>(List.of("java"));
        if (BlasBackend.isAvailable()) out.add("blas");
        if (ClDevices.list().usable()) out.add("opencl");
        return out;
    }
}
