package dev.repsim.embed;

import dev.repsim.image.ImageDecoder;
import dev.repsim.io.Csv;
import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.onnx.ReferenceForward;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.onnx.TinyVit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole pipeline against an independent computation: each image preprocessed on its own and run
 * through the float64 reference forward pass of the same weights. Tolerance per element:
 * 1e-4 + 1e-4·|ref| (see TinyModelTest; batching and pooling must not add error beyond float32 rounding).
 */
class EmbedderTest {
    @TempDir
    Path dir;

    private static EmbedSettings settings(int batch, Path cache) {
        return new EmbedSettings(batch, 2, 2, OrtModel.Provider.CPU, cache, false);
    }

    private static void assertRowClose(double[] ref, Matrix m, int row) {
        assertEquals(ref.length, m.cols());
        for (int j = 0; j < ref.length; j++) {
            assertEquals(ref[j], m.get(row, j), 1e-4 + 1e-4 * Math.abs(ref[j]), "row " + row + " col " + j);
        }
    }

    @Test
    void cnnEmbeddingsMatchTheReferenceInInputOrder() throws Exception {
        EmbedFixtures.images(dir.resolve("img"));
        TinyCnn cnn = new TinyCnn(11);
        Path model = EmbedFixtures.model(dir, cnn);
        ModelConfig cfg = ModelConfig.resolve("swav", null);
        List<EmbedInput> inputs = EmbedInput.fromImages(dir.resolve("img"));
        Embeddings e = Embedder.embed(model, cfg, inputs, settings(4, null), Progress.silent());
        assertEquals(List.of("cat/a.jpg", "cat/b.png", "cat/c.png", "dog/d.jpg", "dog/e.png", "dog/f.png"),
                e.index().stream().map(Embeddings.IndexRow::image).toList());
        assertEquals("dog", e.index().get(4).label());
        assertEquals(6, e.matrix().rows());
        Preprocessor pre = new Preprocessor(cfg);
        for (int i = 0; i < 6; i++) {
            float[] x = pre.apply(ImageDecoder.read(inputs.get(i).file()));
            assertRowClose(ReferenceForward.cnn(cnn, x, 1), e.matrix(), i);
        }
    }

    @Test
    void vitClsAndMeanPooling() throws Exception {
        EmbedFixtures.images(dir.resolve("img"));
        TinyVit vit = new TinyVit(12);
        Path model = EmbedFixtures.model(dir, vit);
        List<EmbedInput> inputs = EmbedInput.fromImages(dir.resolve("img")).subList(0, 3);
        ModelConfig cls = ModelConfig.resolve("mae", null);
        ModelConfig mean = cls.withPooling(Pooling.MEAN);
        Matrix a = Embedder.embed(model, cls, inputs, settings(2, null), Progress.silent()).matrix();
        Matrix b = Embedder.embed(model, mean, inputs, settings(2, null), Progress.silent()).matrix();
        Preprocessor pre = new Preprocessor(cls);
        int t = TinyVit.TOKENS, d = vit.shape().dim();
        for (int i = 0; i < 3; i++) {
            double[] tokens = ReferenceForward.vit(vit, pre.apply(ImageDecoder.read(inputs.get(i).file())), 1);
            double[] first = java.util.Arrays.copyOf(tokens, d);
            double[] avg = new double[d];
            for (int k = 1; k < t; k++) for (int j = 0; j < d; j++) avg[j] += tokens[k * d + j] / (t - 1);
            assertRowClose(first, a, i);
            assertRowClose(avg, b, i);
        }
    }

    @Test
    void preprocessingGeometryAndNormalisationWithoutResampling() throws Exception {
        // 300x224 with resize 224: no resampling; crop 224 at left = round(76/2) = 38
        var img = dev.repsim.image.TestImages.random(300, 224, 3, 8, 4);
        Path cfgFile = Files.writeString(dir.resolve("m.json"), "{\"base\": \"swav\", \"resize\": 224, \"crop\": 224}");
        ModelConfig cfg = ModelConfig.resolve(null, cfgFile);
        float[] x = new Preprocessor(cfg).apply(img);
        double[] mean = {0.485, 0.456, 0.406}, std = {0.228, 0.224, 0.225}; // SwaV's std (red 0.228, not ImageNet's 0.229)
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 224; y += 17) {
                for (int xx = 0; xx < 224; xx += 13) {
                    double want = (img.sample(y * 300 + xx + 38, c) / 255.0 - mean[c]) / std[c];
                    assertEquals(want, x[(c * 224 + y) * 224 + xx], 1e-5);
                }
            }
        }
    }

    @Test
    void secondRunComputesNothingAndAnInterruptedRunResumes() throws Exception {
        EmbedFixtures.images(dir.resolve("img"));
        Path model = EmbedFixtures.model(dir, new TinyCnn(1));
        ModelConfig cfg = ModelConfig.resolve("swav", null);
        Path cache = dir.resolve("cache");
        // a corrupt 4th image stops the first run after a, b, c were computed
        Path d = dir.resolve("img/dog/d.jpg");
        byte[] good = Files.readAllBytes(d);
        Files.write(d, java.util.Arrays.copyOf(good, good.length / 3));
        List<EmbedInput> inputs = EmbedInput.fromImages(dir.resolve("img"));
        InputException bad = assertThrows(InputException.class,
                () -> Embedder.embed(model, cfg, inputs, settings(2, cache), Progress.silent()));
        assertTrue(bad.getMessage().startsWith(d.toString()), bad.getMessage());
        Files.write(d, good);
        Embeddings resumed = Embedder.embed(model, cfg, inputs, settings(2, cache), Progress.silent());
        assertEquals(3, resumed.cached());
        assertEquals(3, resumed.computed());
        // a torn record at the end of a shard (a kill mid-write) is ignored, the rest still serve
        try (Stream<Path> shards = Files.list(Files.list(cache).findFirst().orElseThrow())) {
            Path shard = shards.filter(p -> p.getFileName().toString().startsWith("rows-")).findFirst().orElseThrow();
            Files.write(shard, new byte[]{1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
        }
        Embeddings again = Embedder.embed(model, cfg, inputs, settings(3, cache), Progress.silent());
        assertEquals(0, again.computed());
        assertEquals(6, again.cached());
        Embeddings fresh = Embedder.embed(model, cfg, inputs, settings(5, null), Progress.silent());
        assertArrayEquals(fresh.matrix().f32(), again.matrix().f32());
        // an equal config built another way hits the same entry; a different one is a new entry
        Embeddings same = Embedder.embed(model, cfg.withPooling(Pooling.NONE), inputs, settings(3, cache), Progress.silent());
        assertEquals(0, same.computed());
        Path bicubic = Files.writeString(dir.resolve("b.json"), "{\"base\": \"swav\", \"interpolation\": \"bicubic\"}");
        Embeddings other = Embedder.embed(model, ModelConfig.resolve(null, bicubic), inputs, settings(3, cache), Progress.silent());
        assertEquals(6, other.computed());
        Path cfgFile = Files.writeString(dir.resolve("c.json"), "{\"base\": \"swav\", \"crop\": 200, \"resize\": 224}");
        assertThrows(InputException.class, () -> Embedder.embed(model, ModelConfig.resolve(null, cfgFile), inputs,
                settings(3, cache), Progress.silent()), "input mismatch for crop 200");
    }

    @Test
    void skipBadLeavesTheBadImageOut() throws Exception {
        EmbedFixtures.images(dir.resolve("img"));
        Files.writeString(dir.resolve("img/cat/readme.txt"), "not an image");
        Path model = EmbedFixtures.model(dir, new TinyCnn(1));
        List<EmbedInput> inputs = EmbedInput.fromImages(dir.resolve("img"));
        Embeddings e = Embedder.embed(model, ModelConfig.resolve("swav", null), inputs,
                new EmbedSettings(4, 1, 2, OrtModel.Provider.CPU, null, true), Progress.silent());
        assertEquals(6, e.matrix().rows());
        assertEquals(1, e.skipped().size());
        assertEquals(dir.resolve("img/cat/readme.txt"), e.skipped().getFirst().file());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), e.index().stream().map(Embeddings.IndexRow::row).toList());
        Path out = dir.resolve("out/e.npy");
        e.write(out);
        e.writeSkipped(out);
        assertEquals(6, Npy.readMatrix(out).rows());
        List<Map<String, String>> idx = Csv.read(dir.resolve("out/e.index.csv"), Embeddings.INDEX_COLUMNS);
        assertEquals("cat/c.png", idx.get(2).get("image"));
        assertEquals(1, Csv.read(dir.resolve("out/e.skipped.csv"), List.of("file", "problem")).size());
    }

    @Test
    void fixedBatchModelsArePadded() throws Exception {
        // tiny-cnn with a fixed batch dimension of 4: 6 images run as 4 + (2 padded to 4)
        EmbedFixtures.images(dir.resolve("img"));
        TinyCnn cnn = new TinyCnn(3);
        byte[] bytes = cnn.toOnnx();
        ai.onnx.proto.OnnxMl.ModelProto.Builder mb = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes).toBuilder();
        mb.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(0).clearDimParam().setDimValue(4);
        mb.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(0).clearDimParam().setDimValue(4);
        Path model = dir.resolve("fixed.onnx");
        Files.write(model, mb.build().toByteArray());
        ModelConfig cfg = ModelConfig.resolve("swav", null);
        List<EmbedInput> inputs = EmbedInput.fromImages(dir.resolve("img"));
        Matrix m = Embedder.embed(model, cfg, inputs, settings(32, null), Progress.silent()).matrix();
        Preprocessor pre = new Preprocessor(cfg);
        assertEquals(6, m.rows());
        assertRowClose(ReferenceForward.cnn(cnn, pre.apply(ImageDecoder.read(inputs.get(5).file())), 1), m, 5);
    }
}
