package dev.repsim.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a file through a temporary sibling and a rename, so readers never see a partial file and a
 * failure (an exception, a full disk, a kill) leaves the destination untouched. The temporary file
 * {@code .NAME.<random>.tmp} is locked while it is written: a run killed part-way leaves it unlocked
 * (the OS drops a dead process's locks), which is how {@link #removeStale} tells it from one in use
 * when the next run cleans up.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Body of a write: gets a buffered stream to the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** An open, locked temporary file; {@link #commit} renames it onto its target. */
    public record Temp(Path path, FileChannel channel) implements AutoCloseable {
        /** Moves the temporary file onto {@code target} (atomically where the file system can). */
        public void commit(Path target) throws IOException {
            try {
                Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Closes the channel (dropping the lock) and deletes the file if it is still there. */
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted below either way
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the original failure is what the user needs to see; a later run removes it
            }
        }
    }

    public static void write(Path target, Writer body) {
        writeAll(List.of(new Part(target, body)));
    }

    /** One file of {@link #writeAll}: its target and the body that writes it. */
    public record Part(Path target, Writer body) {}

    /**
     * Writes files that belong together (a matrix and its index): every temporary file is written first,
     * so a failure there leaves every target as it was; then, for several parts, the last part's old target
     * is removed, and the parts are moved in order, the last one last. A failure between the moves can leave
     * the last target missing, never an old file beside new ones. One part replaces its target in one move.
     */
    public static void writeAll(List<Part> parts) {
        List<Temp> temps = new ArrayList<>();
        Path at = parts.getFirst().target();
        try {
            for (Part p : parts) {
                at = p.target();
                Path abs = at.toAbsolutePath();
                if (Files.isDirectory(abs)) throw new InputException(at, "cannot write: it is a directory");
                Files.createDirectories(abs.getParent());
                Temp tmp = createTemp(abs);
                temps.add(tmp);
                try (OutputStream out = new BufferedOutputStream(Channels.newOutputStream(tmp.channel()), 1 << 16)) {
                    p.body().write(out);
                }
            }
            at = parts.getLast().target();
            if (parts.size() > 1) Files.deleteIfExists(at.toAbsolutePath());
            for (int i = 0; i < parts.size(); i++) {
                at = parts.get(i).target();
                temps.get(i).commit(at.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new InputException(at, "cannot write: " + rootMessage(e), e);
        } finally {
            temps.forEach(Temp::close);
        }
    }

    /** Writes text (UTF-8) atomically. */
    public static void writeString(Path target, String text) {
        write(target, text(text));
    }

    /** The body that writes {@code text} in UTF-8. */
    public static Writer text(String text) {
        return out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Creates and locks a fresh temporary sibling {@code .NAME.<random>.tmp} of {@code target} (with the
     * process umask: createTempFile would make it 0600). A cleaner may delete the file between its
     * creation and the lock; the file is then made again.
     */
    public static Temp createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        while (true) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                ch.lock();
                if (Files.exists(tmp)) return new Temp(tmp, ch);
                ch.close();
            } catch (OverlappingFileLockException cleanerOfThisProcess) {
                ch.close(); // it holds the lock and deletes the file
            } catch (IOException | RuntimeException e) {
                ch.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /**
     * Deletes the files of {@code dir} matching {@code glob} that no live process holds locked: the
     * temporary files of killed runs. A missing folder has none.
     */
    public static void removeStale(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) return;
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) candidates.add(p);
        }
        for (Path p : candidates) removeIfUnlocked(p);
    }

    /**
     * Removes the temporary files a killed run left for {@code target} (its {@code .NAME.*.tmp}
     * siblings). Commands call this, and {@link #removeStaleTree}, once for the files and folders they
     * own before writing: a listing per write would cost O(files²) in a large folder.
     */
    public static void removeStaleSiblings(Path target) {
        Path abs = target.toAbsolutePath();
        try {
            removeStale(abs.getParent(), "." + abs.getFileName() + ".*.tmp");
        } catch (IOException e) {
            throw new InputException(abs.getParent(), "cannot remove stale temporary files: " + rootMessage(e), e);
        }
    }

    /** {@link #removeStale} with the glob {@code .*.tmp} in {@code root} and every folder under it (folders only repsim writes). */
    public static void removeStaleTree(Path root) {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path dir : s.filter(Files::isDirectory).toList()) removeStale(dir, ".*.tmp");
        } catch (IOException e) {
            throw new InputException(root, "cannot remove stale temporary files: " + rootMessage(e), e);
        }
    }

    private static void removeIfUnlocked(Path p) throws IOException {
        if (!Files.isRegularFile(p)) return;
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.WRITE);
        } catch (NoSuchFileException gone) {
            return;
        }
        try (ch) {
            if (tryLock(ch) == null) return; // a live run is writing it
            // deleted while locked, so its writer (if it has just created it) sees it gone and starts over
            Files.deleteIfExists(p);
        }
    }

    /**
     * An exclusive lock on the channel's file, or null when a live process (this one included: Java
     * throws rather than answering for its own locks) holds one. The OS drops a dead process's locks,
     * which is how every lock file and temporary file of repsim tells a live run from a killed one.
     */
    public static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException inThisProcess) {
            return null;
        }
    }

    /** The innermost message of a chain (ImageIO wraps "No space left on device" in a generic one). */
    public static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) if (c.getMessage() != null) msg = c.getMessage();
        return msg != null ? msg : e.getClass().getSimpleName();
    }
}
