package dev.repsim.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Exclusive use of an output folder by one run: an OS lock on {@code FOLDER/.repsim.lock}, held until
 * {@link #close}. The OS drops the lock when its process dies, so a killed run never blocks the next;
 * the file itself stays (deleting it would let two runs lock two different files), except where
 * {@link #removeIfUnused} takes back a folder the run created and left empty.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE = ".repsim.lock";

    private final FileChannel channel;
    private final Path folder;
    /** Whether {@link #acquire} created the folder (it did not exist before this run). */
    private final boolean created;

    private OutputLock(FileChannel channel, Path folder, boolean created) {
        this.channel = channel;
        this.folder = folder;
        this.created = created;
    }

    /** Locks {@code folder} (creating it) or fails at once naming the lock file. */
    public static OutputLock acquire(Path folder) {
        Path file = folder.resolve(FILE);
        FileChannel ch = null;
        try {
            boolean created = !Files.exists(folder);
            Files.createDirectories(folder);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = AtomicFiles.tryLock(ch);
            if (lock == null) {
                throw new InputException(file, "another run is writing to " + folder + " (it holds this lock); wait for it to end or use another output folder");
            }
            OutputLock held = new OutputLock(ch, folder, created);
            ch = null;
            return held;
        } catch (IOException e) {
            throw new InputException(file, "cannot lock the output folder: " + AtomicFiles.rootMessage(e), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the lock failure is what the user needs to see
                }
            }
        }
    }

    /**
     * After a failed run, while the lock is still held: deletes the folder when {@link #acquire} created
     * it and the run left nothing in it but the lock file and empty folders, so a run stopped by bad input
     * leaves no trace. Anything else (a folder the user made, a cache worth resuming from) stays. Safe
     * while locked: a run that opened the lock file before the deletion finds it locked and refuses; one
     * that starts after it makes a new folder and lock.
     *
     * @throws IOException when the folder cannot be read or deleted (the caller keeps its own failure first)
     */
    public void removeIfUnused() throws IOException {
        if (!created) return;
        Path lockFile = folder.resolve(FILE);
        try (Stream<Path> s = Files.walk(folder)) {
            if (s.anyMatch(p -> !p.equals(lockFile) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) return;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        StagedFolder.deleteTree(folder);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new InputException("cannot release the output lock: " + e.getMessage());
        }
    }
}
