package dev.repsim.embed;

import dev.repsim.io.AtomicFiles;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Embeddings already computed, keyed by model (SHA-256 of the model file + the resolved settings,
 * {@link ModelConfig#settingsKey}) and input (SHA-256 of the image file's bytes). Each key lives in
 * {@code DIR/<key>/}: a {@code key.txt} describing it and append-only shard files {@code rows-*.bin}: a
 * header [D as little-endian int32 | CRC-32C of those 4 bytes], then fixed-size records
 * [32-byte input hash | D little-endian float32 | CRC-32C of both]. Each run appends to a shard of its
 * own after every batch (locked while open), so a killed run loses at most the batch in flight. On
 * load, a record that fails its checksum (corrupt, or torn by a kill) is never used: it is recomputed,
 * reported in one line on stderr, and dropped from its shard, which is rewritten with its good records
 * unless a live run still holds it.
 */
public final class EmbedCache implements AutoCloseable {
    private static final int HEADER = 8;

    private final Path dir;
    private final Map<Key, float[]> rows = new HashMap<>();
    private int dim = -1;
    private FileChannel shard;
    private Path shardPath;
    private long dropped;

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

    /** Opens (creating) the cache for one model + settings under {@code root}; reports dropped entries on stderr. */
    public static EmbedCache open(Path root, String modelHash, ModelConfig config) {
        return open(root, modelHash, config, System.err);
    }

    static EmbedCache open(Path root, String modelHash, ModelConfig config, PrintStream report) {
        String settings = config.settingsKey();
        byte[] key = Hashing.of((modelHash + "\n" + settings).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path dir = root.resolve(HexFormat.of().formatHex(key, 0, 16));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(dir, "cannot create cache folder: " + e.getMessage(), e);
        }
        Path about = dir.resolve("key.txt");
        if (!Files.exists(about)) AtomicFiles.writeString(about, "model sha256 " + modelHash + "\nsettings " + settings + "\n");
        EmbedCache c = new EmbedCache(dir);
        c.load();
        if (c.dropped > 0) {
            report.println("repsim: " + dir + ": " + c.dropped + " corrupt or truncated cache entr" + (c.dropped == 1 ? "y" : "ies")
                    + " (checksum mismatch) dropped; recomputing");
            report.flush();
        }
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

    /** Records dropped on load because they failed their checksum or were cut short. */
    public long dropped() {
        return dropped;
    }

    public synchronized float[] get(Key k) {
        return rows.get(k);
    }

    private void load() {
        List<Path> shards = new ArrayList<>();
        try {
            AtomicFiles.removeStale(dir, ".*.tmp");
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "rows-*.bin")) {
                for (Path p : s) shards.add(p);
            }
            for (Path s : shards) loadShard(s);
        } catch (IOException e) {
            throw new InputException(dir, "cannot read cache: " + AtomicFiles.rootMessage(e), e);
        }
    }

    /** What a shard holds: its good records' bytes (header included) and how many records were bad. */
    private record Scan(byte[] good, long bad) {}

    private void loadShard(Path s) throws IOException {
        try (FileChannel ch = FileChannel.open(s, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = AtomicFiles.tryLock(ch); // null: a live run (perhaps this one) writes it
            byte[] all = new byte[Math.toIntExact(ch.size())];
            ByteBuffer bb = ByteBuffer.wrap(all);
            while (bb.hasRemaining() && ch.read(bb, bb.position()) >= 0) {
                // read the whole shard
            }
            Scan scan = scan(s, ByteBuffer.wrap(all, 0, bb.position()).slice());
            // a shard held by a live run may end in the record it is writing: not a fault, and not ours to rewrite
            if (lock == null || scan.bad() == 0) return;
            dropped += scan.bad();
            if (scan.good().length > HEADER) AtomicFiles.write(newShardPath(), out -> out.write(scan.good()));
            Files.delete(s);
        }
    }

    /** Loads the good records of a shard's bytes. */
    private Scan scan(Path s, ByteBuffer bytes) {
        ByteBuffer bb = bytes.order(ByteOrder.LITTLE_ENDIAN);
        int total = bb.remaining();
        if (total < HEADER) return new Scan(new byte[0], 1);
        byte[] all = new byte[total];
        bb.get(0, all);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, 4);
        int d = bb.getInt(0);
        if (bb.getInt(4) != (int) crc.getValue() || d < 1) {
            // without a trustworthy width no record can be told apart: the whole shard goes
            int guess = d >= 1 && d < 1 << 20 ? 32 + 4 * d + 4 : total;
            return new Scan(new byte[0], Math.max(1, (total - HEADER + guess - 1) / guess));
        }
        if (dim < 0) dim = d;
        if (d != dim) throw new InputException(s, "cache shard has dimension " + d + ", others " + dim + "; delete " + dir);
        int record = 32 + 4 * d + 4;
        ByteBuffer good = ByteBuffer.allocate(total);
        good.put(all, 0, HEADER);
        long bad = 0;
        int pos = HEADER;
        for (; pos + record <= total; pos += record) {
            crc.reset();
            crc.update(all, pos, record - 4);
            if (bb.getInt(pos + record - 4) != (int) crc.getValue()) {
                bad++;
                continue;
            }
            byte[] h = new byte[32];
            bb.get(pos, h);
            float[] v = new float[d];
            bb.slice(pos + 32, 4 * d).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            rows.put(Key.of(h), v);
            good.put(all, pos, record);
        }
        if (pos < total) bad++;
        byte[] kept = new byte[good.position()];
        good.get(0, kept);
        return new Scan(kept, bad);
    }

    private Path newShardPath() {
        return dir.resolve("rows-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(System.identityHashCode(this)) + "-" + Long.toUnsignedString(System.nanoTime(), 36) + ".bin");
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
        Path target = shardPath != null ? shardPath : newShardPath();
        try {
            if (shard == null) openShard(target, d);
            while (bb.hasRemaining()) shard.write(bb);
        } catch (IOException e) {
            throw new InputException(target, "cannot write cache: " + AtomicFiles.rootMessage(e), e);
        }
    }

    /**
     * Creates this run's shard with its header under a temporary name, locked, then renames it: a
     * loader sees either no shard or a complete header whose lock says a live run is appending.
     */
    private void openShard(Path target, int d) throws IOException {
        AtomicFiles.Temp tmp = AtomicFiles.createTemp(target);
        try {
            ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).putInt(0, d);
            CRC32C crc = new CRC32C();
            crc.update(head.array(), 0, 4);
            head.putInt(4, (int) crc.getValue());
            while (head.hasRemaining()) tmp.channel().write(head);
            tmp.commit(target);
        } catch (IOException | RuntimeException e) {
            tmp.close();
            throw e;
        }
        shard = tmp.channel();
        shardPath = target;
    }

    @Override
    public synchronized void close() {
        if (shard == null) return;
        try {
            shard.close();
        } catch (IOException e) {
            throw new InputException(shardPath, "cannot close cache shard: " + e.getMessage(), e);
        }
    }
}
