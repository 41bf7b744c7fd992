package dev.repsim.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real small file system for disk-full tests: a tmpfs of a given number of 4 KiB pages mounted on a
 * folder (tmpfs charges every started page of file data, nothing for folders). Mounting needs root,
 * which {@code bin/test} and CI have; without it the test fails saying so rather than passing unchecked.
 */
public final class Tmpfs implements AutoCloseable {
    public static final int PAGE = 4096;

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code pages} pages (at least one) on {@code dir}, creating it. */
    public static Tmpfs mount(Path dir, long pages) throws IOException, InterruptedException {
        if (pages < 1) throw new IllegalArgumentException("a tmpfs of " + pages + " pages");
        Files.createDirectories(dir);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + pages * PAGE + ",mode=0755", "tmpfs", dir.toString());
        if (out != null) {
            throw new AssertionError("this test needs to mount a tmpfs (as root, as bin/test and CI run): mount said: " + out);
        }
        return new Tmpfs(dir);
    }

    /** Pages a file of this size takes on a tmpfs. */
    public static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String out = run("umount", dir.toString());
        if (out != null) throw new IOException("umount " + dir + ": " + out);
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
