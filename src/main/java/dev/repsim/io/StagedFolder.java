package dev.repsim.io;

import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of outputs built in a temporary sibling and moved into place only when the work succeeded,
 * so a run stopped by bad input (or killed) leaves no half-filled sub-folders in the destination.
 * {@link #commit} moves each top-level entry into the destination, replacing an entry of the same name
 * from an earlier run; the entries named as markers (e.g. a CSV listing the outputs) move last, so
 * their presence means everything they list is in place. Closing without commit deletes the staging.
 */
public final class StagedFolder implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Held open and locked inside the staging folder while it is in use: a dead run's lock is gone. */
    private static final String LOCK = ".staging.lock";
    private final Path target;
    private final Path staging;
    private final FileChannel lock;
    private boolean committed;

    private StagedFolder(Path target, Path staging, FileChannel lock) {
        this.target = target;
        this.staging = staging;
        this.lock = lock;
    }

    /**
     * Deletes what killed runs left beside {@code target}: staging folders whose lock no live process
     * holds, and earlier entries moved aside by an interrupted {@link #commit} ({@code .NAME.*.old}).
     */
    public static void removeStale(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            if (Files.isDirectory(parent)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + abs.getFileName() + ".*.tmp")) {
                    for (Path p : s) if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && unlocked(p.resolve(LOCK))) deleteTree(p);
                }
            }
            if (Files.isDirectory(abs)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(abs, ".*.old")) {
                    for (Path p : s) deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new InputException(target, "cannot remove what an interrupted run left: " + e.getMessage(), e);
        }
    }

    /** Whether no process holds the staging lock (a missing lock file: killed before it was made). */
    private static boolean unlocked(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) return true;
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            return AtomicFiles.tryLock(ch) != null;
        }
    }

    public static StagedFolder open(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path staging = abs.resolveSibling("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
            Files.createDirectories(staging);
            FileChannel ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ch.lock();
            return new StagedFolder(abs, staging, ch);
        } catch (IOException e) {
            throw new InputException(target, "cannot create a staging folder: " + e.getMessage(), e);
        }
    }

    /** Where the work writes. */
    public Path path() {
        return staging;
    }

    /** Moves every staged entry into the destination, {@code markers} last. */
    public void commit(String... markers) {
        try {
            Files.createDirectories(target);
            List<Path> entries;
            try (Stream<Path> s = Files.list(staging)) {
                entries = new ArrayList<>(s.filter(p -> !p.getFileName().toString().equals(LOCK)).toList());
            }
            List<String> last = List.of(markers);
            entries.sort(Comparator.comparing((Path p) -> last.contains(p.getFileName().toString())).thenComparing(Path::toString));
            for (Path e : entries) replace(e, target.resolve(e.getFileName().toString()));
            lock.close();
            deleteTree(staging);
            committed = true;
        } catch (IOException e) {
            throw new InputException(target, "cannot move the finished outputs into place: " + e.getMessage(), e);
        }
    }

    /** Moves {@code from} onto {@code to}; an earlier entry there is first moved aside, then deleted. */
    private static void replace(Path from, Path to) throws IOException {
        Path old = null;
        if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            old = to.resolveSibling("." + to.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".old");
            Files.move(to, old);
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
        if (old != null) deleteTree(old);
    }

    /** Deletes a file or folder tree (without following links); nothing when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes the staging folder unless it was committed. */
    @Override
    public void close() {
        if (committed) return;
        try {
            lock.close();
            deleteTree(staging);
        } catch (IOException ignored) {
            // the failure that stopped the work is what the user needs to see; a stray hidden folder remains
        }
    }
}
