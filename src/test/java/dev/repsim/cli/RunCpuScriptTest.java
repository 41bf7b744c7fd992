package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * benchmarks/run-cpu.sh keeps another CPU's code paths (--vector-bits, --openblas-core) out of the checkout's
 * results/, which bench-report and --backend auto read as the machine's own kernels. Checked with --dry-run,
 * which validates the arguments and stops before building or measuring anything.
 */
class RunCpuScriptTest {
    private static final Path SCRIPT = RepoRoot.find().resolve("benchmarks/run-cpu.sh");

    private record Run(int status, String output) {}

    private static Run dryRun(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dry-run"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void otherCodePathsAreRefusedInResults() throws Exception {
        for (String[] args : List.of(new String[] {"--vector-bits", "256", "key"},
                new String[] {"--openblas-core", "Haswell", "--openblas-l2", "512", "key"},
                new String[] {"--results", "results", "--vector-bits", "256", "key"})) {
            Run r = dryRun(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.output());
            assertTrue(r.output().contains("--results DIR"), r.output());
        }
    }

    @Test
    void otherCodePathsRunElsewhere() throws Exception {
        Run r = dryRun("--results", "/tmp/avx2-paths", "--vector-bits", "256", "--openblas-core", "Haswell", "--openblas-l2", "512", "key");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("into /tmp/avx2-paths/, 256-bit vectors, OpenBLAS core Haswell with L2 512 KiB"), r.output());
        Run own = dryRun("key");
        assertEquals(0, own.status(), own.output());
        assertTrue(own.output().contains("into results/)"), own.output());
    }

    @Test
    void badValuesAndLoneL2AreRefused() throws Exception {
        assertEquals(2, dryRun("--vector-bits", "300", "key").status());
        assertEquals(2, dryRun("--results", "/tmp/x", "--openblas-core", "not-a-core", "key").status());
        Run r = dryRun("--results", "/tmp/x", "--openblas-l2", "512", "key");
        assertEquals(2, r.status(), r.output());
        assertTrue(r.output().contains("--openblas-l2 goes with --openblas-core"), r.output());
    }
}
