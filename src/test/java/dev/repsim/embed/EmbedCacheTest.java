package dev.repsim.embed;

import dev.repsim.cli.Main;
import dev.repsim.io.Npy;
import dev.repsim.io.Progress;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.onnx.TinyVit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The embedding cache under damage: a flipped byte or a cut shard is caught by its checksum, never
 * served, recomputed, reported in one stderr line, and gone from the cache afterwards; and a cache key
 * that depends on the resolved settings only, not on how they were spelled.
 */
class EmbedCacheTest {
    @TempDir
    Path dir;
    Path model;
    Path cache;
    List<EmbedInput> inputs;
    ModelConfig cfg;
    float[] fresh;

    @BeforeEach
    void setUp() throws Exception {
        EmbedFixtures.images(dir.resolve("img"));
        model = EmbedFixtures.model(dir, new TinyCnn(3));
        cache = dir.resolve("cache");
        inputs = EmbedInput.fromImages(dir.resolve("img"));
        cfg = ModelConfig.resolve("swav", null);
        fresh = Embedder.embed(model, cfg, inputs, settings(null), Progress.silent()).matrix().f32();
        Embeddings filled = run().result;
        assertEquals(6, filled.computed());
    }

    private static EmbedSettings settings(Path cache) {
        return new EmbedSettings(2, 1, 1, OrtModel.Provider.CPU, cache, false);
    }

    private record Outcome(Embeddings result, List<String> stderr) {}

    /** Embeds through the cache; returns the result and what was printed on stderr. */
    private Outcome run() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        Embeddings e;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            e = Embedder.embed(model, cfg, inputs, settings(cache), Progress.silent());
        } finally {
            System.setErr(old);
        }
        return new Outcome(e, err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private Path shard() throws Exception {
        try (Stream<Path> s = Files.walk(cache)) {
            List<Path> shards = s.filter(p -> p.getFileName().toString().startsWith("rows-")).toList();
            assertEquals(1, shards.size(), shards.toString());
            return shards.getFirst();
        }
    }

    /** The damaged entries are recomputed and reported once; the next run finds a clean cache. */
    private void assertRecovers(int recomputed) {
        Outcome o = run();
        assertEquals(1, o.stderr().size(), o.stderr().toString());
        assertTrue(o.stderr().getFirst().contains("corrupt or truncated cache entr"), o.stderr().getFirst());
        assertTrue(o.stderr().getFirst().contains(cache.toString()), o.stderr().getFirst());
        assertEquals(recomputed, o.result().computed());
        assertEquals(6 - recomputed, o.result().cached());
        assertArrayEquals(fresh, o.result().matrix().f32(), "a damaged entry was served");
        Outcome again = run();
        assertEquals(List.of(), again.stderr());
        assertEquals(0, again.result().computed());
        assertArrayEquals(fresh, again.result().matrix().f32());
    }

    private static long record() {
        return 32 + 4L * TinyCnn.OUT + 4;
    }

    private static void flip(Path file, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, at);
        }
    }

    @Test
    void aFlippedByteInAnEmbeddingIsRecomputed() throws Exception {
        // third record, inside its floats: a served entry would change the matrix
        flip(shard(), 8 + 2 * record() + 32 + 4 * 5 + 1);
        assertRecovers(1);
    }

    @Test
    void aFlippedByteInAnInputHashIsRecomputed() throws Exception {
        flip(shard(), 8 + 4 * record() + 7);
        assertRecovers(1);
    }

    @Test
    void aTruncatedShardLosesOnlyItsLastEntry() throws Exception {
        Path s = shard();
        try (FileChannel ch = FileChannel.open(s, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        assertRecovers(1);
    }

    @Test
    void aDamagedShardHeaderDropsTheShard() throws Exception {
        flip(shard(), 1);
        assertRecovers(6);
    }

    @Test
    void equivalentConfigsShareTheCache() throws Exception {
        Path vit = dir.resolve("vit.onnx");
        Files.write(vit, new TinyVit(4).toOnnx());
        Path c = Files.writeString(dir.resolve("c.json"), "{\"base\": \"mae\", \"pooling\": \"mean\"}");
        assertEquals(ModelConfig.resolve("mae", c).settingsKey(), ModelConfig.resolve(null, c).settingsKey());
        assertNotEquals(ModelConfig.resolve("mae", c).name(), ModelConfig.resolve(null, c).name());
        Path shared = dir.resolve("shared-cache");
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy"), none = dir.resolve("none.npy");
        String img = dir.resolve("img").toString();
        assertEquals(0, Main.execute("embed", "--model", vit.toString(), "--preset", "mae", "--config", c.toString(),
                "--images", img, "--out", a.toString(), "--cache", shared.toString(), "--threads", "1", "--decode-threads", "1"));
        assertEquals(0, Main.execute("embed", "--model", vit.toString(), "--config", c.toString(),
                "--images", img, "--out", b.toString(), "--cache", shared.toString(), "--threads", "1", "--decode-threads", "1"));
        assertEquals(0, Main.execute("embed", "--model", vit.toString(), "--config", c.toString(),
                "--images", img, "--out", none.toString(), "--no-cache", "--threads", "1", "--decode-threads", "1"));
        assertArrayEquals(Files.readAllBytes(none), Files.readAllBytes(a));
        assertArrayEquals(Files.readAllBytes(none), Files.readAllBytes(b));
        try (Stream<Path> keys = Files.list(shared)) {
            assertEquals(1, keys.count(), "both spellings use one cache entry");
        }
        // the resolved config hits that entry through the API as well
        Embeddings again = Embedder.embed(vit, ModelConfig.resolve(null, c), inputs,
                settings(shared), Progress.silent());
        assertEquals(0, again.computed());
        assertArrayEquals(Npy.readMatrix(b).f32(), again.matrix().f32());
    }
}
