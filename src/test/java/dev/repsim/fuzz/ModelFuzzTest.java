package dev.repsim.fuzz;

import dev.repsim.embed.ModelConfig;
import dev.repsim.embed.OrtModel;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.Raster;
import dev.repsim.image.TestImages;
import dev.repsim.io.InputException;
import dev.repsim.onnx.OnnxGraph;
import dev.repsim.variants.Segmenter;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.onnx.TinyVit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mutated ONNX models through {@link OrtModel} (opening, the input/output checks, one inference) and
 * mutated model configs through {@link ModelConfig#resolve}: a model or one clear line naming the file.
 */
class ModelFuzzTest {
    @TempDir
    Path dir;

    /** Opens the model, and when it passes the checks runs one image through it. */
    private static Fuzz.Reader open(String preset) {
        return f -> {
            ModelConfig cfg = ModelConfig.resolve(preset, null);
            try (OrtModel m = new OrtModel(f, cfg, 1, OrtModel.Provider.CPU)) {
                int rows = m.fixedBatch() > 0 ? (int) m.fixedBatch() : 1;
                if (rows > 4) return m; // a mutated fixed batch; nothing to run cheaply
                int size = 3 * cfg.crop() * cfg.crop();
                FloatBuffer in = ByteBuffer.allocateDirect(rows * size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < rows * size; i++) in.put(i, (i % 7) / 7f);
                return m.run(in, rows, 1, new String[] {"zeros"});
            }
        };
    }

    @Test
    void mutatedCnnModels() {
        byte[] seed = new TinyCnn(1).toOnnx();
        Fuzz.run(dir.resolve("m.onnx"), 41, 300, Duration.ofSeconds(60), r -> Mutations.bytes(seed, r), open("swav"));
    }

    @Test
    void mutatedVitModels() {
        byte[] seed = new TinyVit(1).toOnnx();
        Fuzz.run(dir.resolve("m.onnx"), 42, 200, Duration.ofSeconds(60), r -> Mutations.bytes(seed, r), open("dinov2"));
    }

    /** A saliency model of the segmenter's shape: the channel mean of the image, [1,1,320,320]. */
    private static byte[] tinySegmenter() {
        return new OnnxGraph("saliency").input("x", 1, 3, 320, 320).output("s", 1, 1, 320, 320)
                .initializer("w", new long[] {1, 3, 1, 1}, new float[] {1 / 3f, 1 / 3f, 1 / 3f})
                .node("Conv", new String[] {"x", "w"}, "s").toBytes("test");
    }

    @Test
    void mutatedSegmenters() {
        byte[] seed = tinySegmenter();
        Raster img = TestImages.random(8, 6, 3, 8, 1);
        ImageFiles.Entry entry = new ImageFiles.Entry(dir.resolve("a.png"), "a.png", "");
        Fuzz.run(dir.resolve("s.onnx"), 44, 200, Duration.ofSeconds(60), r -> Mutations.bytes(seed, r), f -> {
            try (Segmenter s = new Segmenter(f, 0.5, 1)) {
                return s.maskFor(entry, img);
            }
        });
    }

    /**
     * The defect fuzzing found: a Conv fed an input declared rank 3 made ONNX Runtime's shape inference
     * abort the JVM (a native assertion) while opening the session. Now refused before ONNX Runtime loads it.
     */
    @Test
    void anImageInputOfTheWrongRankIsRefusedBeforeOnnxRuntimeSeesIt() throws Exception {
        Path seg = Files.write(dir.resolve("rank3.onnx"), new OnnxGraph("saliency").input("x", 1, 3, 320).output("s", 1, 1, 320, 320)
                .initializer("w", new long[] {1, 3, 1, 1}, new float[] {1, 1, 1})
                .node("Conv", new String[] {"x", "w"}, "s").toBytes("test"));
        InputException e = assertThrows(InputException.class, () -> new Segmenter(seg, 0.5, 1));
        assertEquals(seg + ": input 'x' is not a 4-D image tensor [B,3,H,W]", e.getMessage());
        Path emb = Files.write(dir.resolve("emb.onnx"), new OnnxGraph("emb").input("pixels", -1, 3, 224).output("features", -1, 1)
                .initializer("w", new long[] {1, 3, 1, 1}, new float[] {1, 1, 1})
                .node("Conv", new String[] {"pixels", "w"}, "features").toBytes("test"));
        e = assertThrows(InputException.class, () -> new OrtModel(emb, ModelConfig.resolve("swav", null), 1, OrtModel.Provider.CPU));
        assertEquals(emb + ": input 'pixels' is not a 4-D image tensor [B,3,H,W]", e.getMessage());
    }

    @Test
    void aCropTooLargeForAnyModelIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("big.json"), "{\"base\": \"swav\", \"resize\": 40000, \"crop\": 40000}");
        InputException e = assertThrows(InputException.class,
                () -> ModelConfig.resolve(null, f));
        assertEquals(f + ": model config: resize and crop must be <= 8192", e.getMessage());
    }

    @Test
    void mutatedConfigs() {
        List<byte[]> seeds = List.of(
                "{\"base\": \"dinov2\", \"pooling\": \"mean\", \"skipTokens\": 1}".getBytes(StandardCharsets.UTF_8),
                ("{\"name\": \"mine\", \"input\": \"pixels\", \"output\": \"features\", \"pooling\": \"none\", \"resize\": 40, \"crop\": 32,"
                        + " \"interpolation\": \"bilinear\", \"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]}").getBytes(StandardCharsets.UTF_8));
        Fuzz.Outcome o = Fuzz.run(dir.resolve("model.json"), 43, 400, Duration.ofSeconds(20), r -> {
            byte[] s = seeds.get(r.nextInt(seeds.size()));
            return r.nextBoolean() ? Mutations.text(s, r) : Mutations.bytes(s, r);
        }, f -> ModelConfig.resolve(null, f));
        assertTrue(o.valid() > 0, o.toString());
    }
}
