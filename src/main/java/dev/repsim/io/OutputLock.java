package dev.repsim.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of an output folder by one run: an OS lock on {@code FOLDER/.repsim.lock}, held until
 * {@link #close}. The OS drops the lock when its process dies, so a killed run never blocks the next;
 * the file itself stays (deleting it would let two runs lock two different files).
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE = ".repsim.lock";

    private final FileChannel channel;

    private OutputLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Locks {@code folder} (creating it) or fails at once naming the lock file. */
    public static OutputLock acquire(Path folder) {
        Path file = folder.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(folder);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = AtomicFiles.tryLock(ch);
            if (lock == null) {
                throw new InputException(file, "another run is writing to " + folder + " (it holds this lock); wait for it to end or use another output folder");
            }
            OutputLock held = new OutputLock(ch);
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

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new InputException("cannot release the output lock: " + e.getMessage());
        }
    }
}
