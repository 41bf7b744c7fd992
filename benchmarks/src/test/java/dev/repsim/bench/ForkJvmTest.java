package dev.repsim.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fork's JVM options keep a product's result array off fresh memory (issue 13): without them every
 * call of blas float64 multTransB page-faulted on each 4 KiB page of its 82 MB result, which cost more
 * than the GEMM. Counts page faults, not time, so machine load does not matter.
 */
class ForkJvmTest {
    @Test
    void resultsOfRepeatedProductsReuseTouchedMemory() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc/self/stat");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ForkJvm.ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ResultFaultsProbe.class.getName(), "8"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, p.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("most faults per call")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        long faults = Long.parseLong(f[4]), pages = Long.parseLong(f[7]);
        assertTrue(pages > 10_000, line);
        // Fresh memory faults once per page (about 20 000 here); reused eden, none (a few for JIT and the like).
        assertTrue(faults < pages / 100, "a call faulted on fresh memory: " + line);
    }

    /**
     * The fork's heap is committed (so pre-touched) in full at start: a heap that grows later pre-touches
     * each growth inside a young pause, which made a fork's iterations alternate between two rates.
     */
    @Test
    void theWholeHeapIsCommittedAtStart() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ForkJvm.ARGS.stream().filter(a -> !a.equals(ForkJvm.PRE_TOUCH)).toList()); // touching 8 GiB is not the point here
        cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "java -version did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals(flag(out, "MaxHeapSize"), flag(out, "InitialHeapSize"), "initial heap below the maximum");
        assertEquals((long) ForkJvm.HEAP_GIB << 30, flag(out, "MaxHeapSize"));
    }

    private static long flag(String printFlagsFinal, String name) {
        return printFlagsFinal.lines().map(String::trim).filter(l -> l.matches("\\S+\\s+" + name + "\\s+=.*"))
                .map(l -> Long.parseLong(l.split("=")[1].trim().split("\\s+")[0])).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not printed:\n" + printFlagsFinal));
    }
}
