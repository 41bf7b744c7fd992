package dev.repsim.cli;

import dev.repsim.backend.BlasBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void kernelPinsAreRemovedAndNothingElse() {
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "512",
                "OPENBLAS_NUM_THREADS", "2", "PATH", "/usr/bin"));
        BenchCommand.removeKernelPins(env);
        assertEquals(Map.of("OPENBLAS_NUM_THREADS", "2", "PATH", "/usr/bin"), env);
    }

    /** The runner bench starts sees no pin even where this JVM has them (the project's machines export them). */
    @Test
    void theRunnerStartsWithoutTheKernelPins(@TempDir Path repo) throws Exception {
        Path runner = repo.resolve("benchmarks/run-cpu.sh");
        Files.createDirectories(runner.getParent());
        Path seen = repo.resolve("env.txt");
        Files.writeString(runner, "#!/bin/sh\nenv > '" + seen + "'\necho \"$@\" > '" + repo.resolve("args.txt") + "'\n");
        Files.setPosixFilePermissions(runner, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(0, Main.execute("bench", "--quick", "--machine", "m1", "--repo", repo.toString()));

        List<String> names = Files.readAllLines(seen).stream().map(l -> l.substring(0, Math.max(0, l.indexOf('=')))).toList();
        assertTrue(names.contains("PATH"), "the runner's environment was recorded: " + names);
        for (String pin : BlasBackend.KERNEL_PINS) assertFalse(names.contains(pin), pin + " reached the runner");
        assertEquals("--quick --machine m1 key", Files.readString(repo.resolve("args.txt")).strip());
    }
}
