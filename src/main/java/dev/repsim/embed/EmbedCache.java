package dev.repsim.embed;

import dev.repsim.io.AtomicFiles;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Embeddings already computed, keyed by model (SHA-256 of the model file + the canonical model config)
 * and input (SHA-256 of the image file's bytes). Each key lives in {@code DIR/<key>/}: a {@code key.txt}
 * describing it and append-only shard files {@code rows-*.bin} of fixed-size records
 * [32-byte input hash | D little-endian float32 | CRC-32C of both]. Each run appends to a shard of its
 * own after every batch, so a killed run loses at most the batch in flight; on load, a torn last record
 * (short, or failing its CRC) is ignored and recomputed.
 */
public final class EmbedCache implements AutoCloseable {
    private final Path dir;
    private final Map<Key, float[]> rows = new HashMap<>();
    private int dim = -1;
    private FileChannel shard;
    private long ignored;

    /** A 32-byte content hash usable as a map key. */
    public record Key(long a, long b, long c, long d) {
        public static Key of(byte[] h) {
            ByteBuffer bb = ByteBuffer.wrap(h);
            return new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
        }

        /** Writes the 32 hash bytes in their original (big-endian) order. */
        void put(ByteBuffer bb) {
            bb.put(ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array());
        }
    }

    /** Opens (creating) the cache for one model + config under {@code root}. */
    public static EmbedCache open(Path root, String modelHash, ModelConfig config) {
        byte[] key = Hashing.of((modelHash + "\n" + config.canonical()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path dir = root.resolve(HexFormat.of().formatHex(key, 0, 16));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(dir, "cannot create cache folder: " + e.getMessage(), e);
        }
        Path about = dir.resolve("key.txt");
        if (!Files.exists(about)) AtomicFiles.writeString(about, "model sha256 " + modelHash + "\nconfig " + config.canonical() + "\n");
        EmbedCache c = new EmbedCache(dir);
        c.load();
        return c;
    }

    private EmbedCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public int size() {
        return rows.size();
    }

    /** Records skipped on load because they were torn or corrupt. */
    public long ignored() {
        return ignored;
    }

    public synchronized float[] get(Key k) {
        return rows.get(k);
    }

    private void load() {
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "rows-*.bin")) {
            for (Path s : shards) loadShard(s);
        } catch (IOException e) {
            throw new InputException(dir, "cannot read cache: " + e.getMessage(), e);
        }
    }

    private void loadShard(Path s) throws IOException {
        byte[] all = Files.readAllBytes(s);
        if (all.length < 4) {
            ignored++;
            return;
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int d = bb.getInt();
        if (d < 1) {
            ignored++;
            return;
        }
        if (dim < 0) dim = d;
        if (d != dim) throw new InputException(s, "cache shard has dimension " + d + ", others " + dim + "; delete " + dir);
        int record = 32 + 4 * d + 4;
        CRC32C crc = new CRC32C();
        while (bb.remaining() >= record) {
            int start = bb.position();
            crc.reset();
            crc.update(all, start, record - 4);
            byte[] h = new byte[32];
            bb.get(h);
            float[] v = new float[d];
            bb.asFloatBuffer().get(v);
            bb.position(start + record - 4);
            int stored = bb.getInt();
            if (stored == (int) crc.getValue()) rows.put(Key.of(h), v);
            else ignored++;
        }
        if (bb.hasRemaining()) ignored++;
    }

    /** Stores rows and appends them to this run's shard (created on first use). */
    public synchronized void put(Key[] keys, float[][] values, int n) {
        if (n == 0) return;
        int d = values[0].length;
        if (dim < 0) dim = d;
        if (d != dim) throw new IllegalStateException("embedding dimension " + d + " differs from the cached " + dim);
        int record = 32 + 4 * d + 4;
        ByteBuffer bb = ByteBuffer.allocate(n * record).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < n; i++) {
            int start = bb.position();
            keys[i].put(bb);
            for (float f : values[i]) bb.putFloat(f);
            crc.reset();
            crc.update(bb.array(), start, record - 4);
            bb.putInt((int) crc.getValue());
            rows.put(keys[i], values[i]);
        }
        bb.flip();
        try {
            if (shard == null) {
                Path p = dir.resolve("rows-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-"
                        + Integer.toHexString(System.identityHashCode(this)) + ".bin");
                shard = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, d);
                while (head.hasRemaining()) shard.write(head);
            }
            while (bb.hasRemaining()) shard.write(bb);
        } catch (IOException e) {
            throw new InputException(dir, "cannot write cache: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (shard == null) return;
        try {
            shard.close();
        } catch (IOException e) {
            throw new InputException(dir, "cannot close cache shard: " + e.getMessage(), e);
        }
    }
}
