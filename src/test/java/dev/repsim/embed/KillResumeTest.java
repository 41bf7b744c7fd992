package dev.repsim.embed;

import dev.repsim.cli.Main;
import dev.repsim.io.Csv;
import dev.repsim.io.Progress;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.variants.Variants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real {@code repsim embed} process killed with SIGKILL part-way leaves its finished batches in the
 * cache and no output; the next run computes only the rest. To stop the child at a known point, the
 * fifth input is a named pipe: reading it blocks after the first two batches of two are stored.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    public static void main(String[] args) {
        System.exit(Main.execute(args));
    }

    @Test
    void killedRunResumes() throws Exception {
        Path images = dir.resolve("img");
        EmbedFixtures.images(images);
        Path model = EmbedFixtures.model(dir, new TinyCnn(5));
        Path cache = dir.resolve("cache");
        // a variants folder listing the six images; the fifth entry is a FIFO standing in for dog/e.png
        Path var = Files.createDirectories(dir.resolve("var"));
        List<List<?>> rows = new ArrayList<>();
        List<EmbedInput> real = EmbedInput.fromImages(images);
        for (int i = 0; i < real.size(); i++) {
            EmbedInput in = real.get(i);
            rows.add(List.of(in.image(), in.label(), "full", i == 4 ? "pipe" : in.file().toString(), "1.0"));
        }
        Csv.write(var.resolve(Variants.CSV), Variants.COLUMNS, rows);
        Path fifo = var.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

        Path out = dir.resolve("out/e.npy");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KillResumeTest.class.getName(), "embed", "--model", model.toString(), "--preset", "swav",
                "--variants", var.toString(), "--out", out.toString(), "--batch", "2", "--threads", "1",
                "--decode-threads", "1", "--cache", cache.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long record = 32 + 4L * TinyCnn.OUT + 4;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (shardBytes(cache) < 8 + 4 * record) {
            assertTrue(p.isAlive(), "child ended early: " + Files.readString(dir.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "child made no progress");
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        assertEquals(8 + 4 * record, shardBytes(cache));
        assertFalse(Files.exists(out), "no output from the killed run");
        assertFalse(Files.exists(Embeddings.indexPath(out)));

        Files.delete(fifo);
        Files.copy(real.get(4).file(), fifo);
        List<EmbedInput> inputs = EmbedInput.fromVariants(var);
        Embeddings resumed = Embedder.embed(model, ModelConfig.resolve("swav", null), inputs,
                new EmbedSettings(2, 1, 1, OrtModel.Provider.CPU, cache, false), Progress.silent());
        assertEquals(4, resumed.cached());
        assertEquals(2, resumed.computed());
        Embeddings fresh = Embedder.embed(model, ModelConfig.resolve("swav", null), inputs,
                new EmbedSettings(3, 1, 1, OrtModel.Provider.CPU, null, false), Progress.silent());
        assertArrayEquals(fresh.matrix().f32(), resumed.matrix().f32());
    }

    private static long shardBytes(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) return 0;
        try (Stream<Path> s = Files.walk(cache)) {
            long total = 0;
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("rows-")).toList()) total += Files.size(f);
            return total;
        }
    }
}
