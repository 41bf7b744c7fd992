package dev.repsim.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU run ({@code benchmarks/gpu/run.sh}) carries its bundle beside the working tree, and the device tool
 * takes at most 64 MiB for both, every tracked file included. {@code prepare.sh} checks the sum, but only in
 * the rare session that has a GPU; this check fails the build on the commit that takes the room instead.
 * Results that a newer run supersedes leave the tree (git keeps them; docs/benchmarks.md).
 */
class GpuBundleRoomTest {
    static final long MIB = 1L << 20;
    /** What the device tool lets travel: the working tree and the carried paths together. */
    static final long CARRY_LIMIT = 64 * MIB;
    /** prepare.sh's bundle: 27.3 MiB on 2026-12-07, plus room for it to grow. */
    static final long BUNDLE = 28 * MIB;
    /** The spare MiB prepare.sh keeps. */
    static final long SPARE = MIB;

    @Test
    void trackedFilesLeaveRoomForTheGpuBundle() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout: " + root);
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files in " + root);

        long total = 0;
        Map<String, Long> byFolder = new TreeMap<>();
        for (String name : listing.split("\0")) {
            Path f = root.resolve(name);
            if (name.isEmpty() || !Files.isRegularFile(f)) continue;
            long size = Files.size(f);
            total += size;
            byFolder.merge(name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : ".", size, Long::sum);
        }
        assertTrue(total > MIB, "the listing of " + root + " looks empty: " + total + " bytes");
        String largest = byFolder.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8).map(e -> String.format("%s %.1f MiB", e.getKey(), e.getValue() / (double) MIB))
                .collect(Collectors.joining(", "));
        long room = CARRY_LIMIT - BUNDLE - SPARE;
        assertTrue(total <= room, String.format(
                "tracked files take %.1f MiB, more than the %.0f MiB that leave room for the GPU bundle under the device's"
                        + " 64 MiB: move superseded results out of the tree (git keeps them). Largest folders: %s",
                total / (double) MIB, room / (double) MIB, largest));
    }
}
