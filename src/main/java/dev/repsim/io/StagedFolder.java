package dev.repsim.io;

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
    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    public static StagedFolder open(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path staging = abs.resolveSibling("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new InputException(target, "cannot create a staging folder: " + e.getMessage(), e);
        }
        return new StagedFolder(abs, staging);
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
                entries = new ArrayList<>(s.toList());
            }
            List<String> last = List.of(markers);
            entries.sort(Comparator.comparing((Path p) -> last.contains(p.getFileName().toString())).thenComparing(Path::toString));
            for (Path e : entries) replace(e, target.resolve(e.getFileName().toString()));
            Files.delete(staging);
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

    static void deleteTree(Path p) throws IOException {
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
            deleteTree(staging);
        } catch (IOException ignored) {
            // the failure that stopped the work is what the user needs to see; a stray hidden folder remains
        }
    }
}
