package dev.repsim.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CPU microarchitecture named from /proc/cpuinfo's vendor, family, model and flags: the one
 * definition the benchmark runner's machine id ({@code cpu-<microarchitecture>-<cores>c}) and
 * machine.json use. The brand string ("AMD EPYC") does not tell Zen 3 from Zen 5, and which kernels
 * OpenBLAS and the Vector API pick depends on exactly that.
 *
 * <p>Covers the current server parts: AMD family 23 (Zen, Zen 2), 25 (Zen 3, Zen 4), 26 (Zen 5); Intel
 * family 6 Xeon Scalable generations. Anything else is {@link #UNKNOWN}, never a guess.
 */
public final class Microarchitecture {
    public static final String UNKNOWN = "unknown";

    private Microarchitecture() {}

    /** Intel family 6 server models (decimal model numbers, as /proc/cpuinfo prints them). */
    private static final Map<Integer, String> INTEL_FAMILY_6 = Map.ofEntries(
            Map.entry(63, "haswell"),          // Haswell-EP/EX
            Map.entry(79, "broadwell"),        // Broadwell-EP/EX
            Map.entry(86, "broadwell"),        // Broadwell-DE
            Map.entry(106, "icelake-sp"),      // Ice Lake-SP
            Map.entry(108, "icelake-sp"),      // Ice Lake-D
            Map.entry(143, "sapphirerapids"),
            Map.entry(207, "emeraldrapids"),
            Map.entry(173, "graniterapids"),   // Granite Rapids-AP/SP
            Map.entry(174, "graniterapids"),   // Granite Rapids-D
            Map.entry(175, "sierraforest"));

    /** The microarchitecture of this machine, or {@link #UNKNOWN} where /proc/cpuinfo does not exist. */
    public static String ofThisMachine() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.exists(cpuinfo)) return UNKNOWN;
        try {
            return of(Files.readString(cpuinfo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cpuinfo, e);
        }
    }

    /** The microarchitecture described by the first processor block of a /proc/cpuinfo text. */
    public static String of(String cpuinfo) {
        Map<String, String> cpu = firstProcessor(cpuinfo);
        String vendor = cpu.getOrDefault("vendor_id", "");
        Integer family = number(cpu.get("cpu family"));
        Integer model = number(cpu.get("model"));
        if (family == null || model == null) return UNKNOWN;
        Set<String> flags = Set.of(cpu.getOrDefault("flags", "").trim().split("\\s+"));
        return switch (vendor) {
            case "AuthenticAMD" -> amd(family, model, flags);
            case "GenuineIntel" -> family == 6 ? intelFamily6(model, flags) : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    private static String amd(int family, int model, Set<String> flags) {
        return switch (family) {
            case 0x17 -> model < 0x30 ? "zen" : "zen2";          // Naples/Zen+ below 0x30; Rome, Renoir, Matisse from 0x30
            case 0x19 -> zen4Model(model) || flags.contains("avx512f") ? "zen4" : "zen3";
            case 0x1A -> "zen5";
            default -> UNKNOWN;
        };
    }

    /** Family 0x19 model ranges of Zen 4 (Genoa 0x10-0x1F, Raphael/Phoenix 0x60-0x7F, Bergamo 0xA0-0xAF). */
    private static boolean zen4Model(int model) {
        return (model >= 0x10 && model <= 0x1F) || (model >= 0x60 && model <= 0x7F) || (model >= 0xA0 && model <= 0xAF);
    }

    private static String intelFamily6(int model, Set<String> flags) {
        if (model == 85) { // one model number for three Xeon Scalable generations; their new instructions tell them apart
            if (flags.contains("avx512_bf16")) return "cooperlake";
            return flags.contains("avx512_vnni") ? "cascadelake" : "skylake-sp";
        }
        return INTEL_FAMILY_6.getOrDefault(model, UNKNOWN);
    }

    private static Map<String, String> firstProcessor(String cpuinfo) {
        Map<String, String> m = new HashMap<>();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!m.isEmpty()) break;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            m.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return m;
    }

    private static Integer number(String s) {
        if (s == null) return null;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
