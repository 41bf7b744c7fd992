package dev.repsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.backend.BlasBackend;
import dev.repsim.backend.CoreSpeed;
import dev.repsim.measure.Microarchitecture;
import jdk.incubator.vector.DoubleVector;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernels of a benchmark process really run on, as JSON for machine.json: the OpenBLAS core
 * that repsim's OpenBLAS selected, the Vector API's preferred width, whether OPENBLAS_CORETYPE forced
 * the core, the CPU microarchitecture and the default machine id. benchmarks/run-cpu.sh starts it with
 * the benchmarks' own environment, so the answers hold for the benchmark forks too.
 *
 * <pre>java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks.jar dev.repsim.bench.MachineProbe</pre>
 *
 * With {@code --core-speed} it prints instead the GFLOP/s of the java GEMM micro-kernel on one thread
 * ({@link CoreSpeed}); run-cpu.sh runs it pinned to each CPU.
 */
public final class MachineProbe {
    private MachineProbe() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 1 && args[0].equals("--core-speed")) {
            System.out.printf(java.util.Locale.ROOT, "%.1f%n", CoreSpeed.gflops(CoreSpeed.WARMUP_MILLIS, 5, 100));
            return;
        }
        if (args.length > 0) {
            System.err.println("MachineProbe: unknown arguments " + java.util.Arrays.toString(args) + " (expected none or --core-speed)");
            System.exit(2);
        }
        String microarchitecture = Microarchitecture.ofThisMachine();
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("openblas_core", openblasCore());
        m.put("vector_bits", DoubleVector.SPECIES_PREFERRED.vectorBitSize());
        m.put("openblas_forced", System.getenv("OPENBLAS_CORETYPE") != null);
        m.put("microarchitecture", microarchitecture);
        m.put("cores", cores);
        m.put("machine_id", Microarchitecture.UNKNOWN.equals(microarchitecture) ? null : "cpu-" + microarchitecture + "-" + cores + "c");
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    /**
     * OpenBLAS's own name for the core it picked at load time (e.g. "Haswell", "SkylakeX", "Zen"). The
     * bytedeco presets do not bind openblas_get_corename, so it is called on the library the preset
     * loaded (found in /proc/self/maps; opening the same path again yields the already initialised copy).
     */
    static String openblasCore() throws Throwable {
        BlasBackend.open().close();
        Path lib = loadedOpenblas();
        SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        MemorySegment fn = lookup.find("openblas_get_corename")
                .orElseThrow(() -> new IllegalStateException(lib + ": no openblas_get_corename symbol"));
        MethodHandle h = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ValueLayout.ADDRESS));
        MemorySegment name = (MemorySegment) h.invokeExact();
        return name.reinterpret(Long.MAX_VALUE).getString(0).strip();
    }

    private static Path loadedOpenblas() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.split("\\s+"))
                    .filter(f -> f.length >= 6 && Path.of(f[5]).getFileName().toString().startsWith("libopenblas"))
                    .map(f -> Path.of(f[5]))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("/proc/self/maps: no libopenblas loaded after opening the blas backend"));
        }
    }
}
