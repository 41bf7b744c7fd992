package dev.repsim.embed;

import dev.repsim.io.Progress;
import dev.repsim.onnx.TinyCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run killed hard part-way (Runtime.halt in a child JVM: no finally blocks, no shutdown hooks, the
 * effect of SIGKILL on the process) leaves its finished batches in the cache; the next run computes
 * only the rest.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    /** Child process: embeds with batch 2 and halts once 4 images are done. */
    public static void main(String[] args) {
        Path model = Path.of(args[0]), images = Path.of(args[1]), cache = Path.of(args[2]);
        Progress haltAfterFour = new Progress("", "", 0, null) {
            private int done;

            @Override public synchronized void advance(long n) {
                done += (int) n;
                if (done >= 4) Runtime.getRuntime().halt(137);
            }

            @Override public synchronized void finish() {}
        };
        Embedder.embed(model, ModelConfig.resolve("swav", null), EmbedInput.fromImages(images),
                new EmbedSettings(2, 1, 1, OrtModel.Provider.CPU, cache, false), haltAfterFour);
        System.exit(0);
    }

    @Test
    void killedRunResumes() throws Exception {
        Path images = dir.resolve("img");
        EmbedFixtures.images(images);
        Path model = EmbedFixtures.model(dir, new TinyCnn(5));
        Path cache = dir.resolve("cache");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KillResumeTest.class.getName(), model.toString(), images.toString(), cache.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(137, p.exitValue(), "child halted");
        List<EmbedInput> inputs = EmbedInput.fromImages(images);
        Embeddings resumed = Embedder.embed(model, ModelConfig.resolve("swav", null), inputs,
                new EmbedSettings(2, 1, 1, OrtModel.Provider.CPU, cache, false), Progress.silent());
        assertEquals(4, resumed.cached());
        assertEquals(2, resumed.computed());
        Embeddings fresh = Embedder.embed(model, ModelConfig.resolve("swav", null), inputs,
                new EmbedSettings(3, 1, 1, OrtModel.Provider.CPU, null, false), Progress.silent());
        assertArrayEquals(fresh.matrix().f32(), resumed.matrix().f32());
    }
}
