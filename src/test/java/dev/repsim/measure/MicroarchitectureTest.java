package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MicroarchitectureTest {

    /** One processor block shaped like Linux's /proc/cpuinfo (tab before the colon, as the kernel prints). */
    private static String block(int processor, String vendor, int family, int model, int stepping, String flags) {
        return "processor\t: " + processor + "\n"
                + "vendor_id\t: " + vendor + "\n"
                + "cpu family\t: " + family + "\n"
                + "model\t\t: " + model + "\n"
                + "model name\t: AMD EPYC\n"
                + "stepping\t: " + stepping + "\n"
                + "flags\t\t: fpu vme sse2 " + flags + " hypervisor\n"
                + "bogomips\t: 4890.81\n\n";
    }

    private static String amd(int family, int model, String flags) {
        return block(0, "AuthenticAMD", family, model, 1, flags);
    }

    private static String intel(int model, String flags) {
        return block(0, "GenuineIntel", 6, model, 7, flags);
    }

    @Test
    void amdFamily25Model1WithoutAvx512IsZen3() {
        assertEquals("zen3", Microarchitecture.of(amd(25, 1, "avx2 fma")));
    }

    @Test
    void otherZen3ModelsAreZen3() {
        assertEquals("zen3", Microarchitecture.of(amd(25, 0x21, "avx2 fma")));
        assertEquals("zen3", Microarchitecture.of(amd(25, 0x50, "avx2 fma")));
    }

    @Test
    void amdFamily25WithAvx512IsZen4() {
        assertEquals("zen4", Microarchitecture.of(amd(25, 0x11, "avx2 fma avx512f avx512bw")));
        assertEquals("zen4", Microarchitecture.of(amd(25, 0x44, "avx2 fma avx512f")), "an unlisted model with AVX-512");
    }

    @Test
    void zen4ModelWithAvx512HiddenByTheHypervisorIsStillZen4() {
        assertEquals("zen4", Microarchitecture.of(amd(25, 0x11, "avx2 fma")));
    }

    @Test
    void amdFamily26IsZen5() {
        assertEquals("zen5", Microarchitecture.of(amd(26, 2, "avx2 fma avx512f")));
    }

    @Test
    void amdFamily23IsZenOrZen2() {
        assertEquals("zen", Microarchitecture.of(amd(23, 1, "avx2")));
        assertEquals("zen2", Microarchitecture.of(amd(23, 0x31, "avx2")));
    }

    @Test
    void intelModel85IsToldApartByItsInstructions() {
        assertEquals("skylake-sp", Microarchitecture.of(intel(85, "avx512f")));
        assertEquals("cascadelake", Microarchitecture.of(intel(85, "avx512f avx512_vnni")));
        assertEquals("cooperlake", Microarchitecture.of(intel(85, "avx512f avx512_vnni avx512_bf16")));
    }

    @Test
    void intelServerModels() {
        assertEquals("icelake-sp", Microarchitecture.of(intel(106, "avx512f")));
        assertEquals("sapphirerapids", Microarchitecture.of(intel(143, "avx512f amx_tile")));
        assertEquals("emeraldrapids", Microarchitecture.of(intel(207, "avx512f amx_tile")));
        assertEquals("graniterapids", Microarchitecture.of(intel(173, "avx512f amx_tile")));
    }

    @Test
    void unlistedPartsAreUnknown() {
        assertEquals("unknown", Microarchitecture.of(intel(158, "avx2")), "a client part");
        assertEquals("unknown", Microarchitecture.of(amd(21, 2, "avx")), "Bulldozer family");
        assertEquals("unknown", Microarchitecture.of(block(0, "HygonGenuine", 24, 1, 1, "avx2")));
        assertEquals("unknown", Microarchitecture.of(""));
        assertEquals("unknown", Microarchitecture.of("processor\t: 0\nvendor_id\t: AuthenticAMD\n"), "no family or model");
    }

    @Test
    void onlyTheFirstProcessorCounts() {
        String two = amd(25, 1, "avx2") + block(1, "AuthenticAMD", 26, 2, 1, "avx512f");
        assertEquals("zen3", Microarchitecture.of(two));
    }
}
