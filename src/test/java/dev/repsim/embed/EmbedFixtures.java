package dev.repsim.embed;

import dev.repsim.image.PngWriter;
import dev.repsim.image.TestImages;
import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.OnnxGraph;
import dev.repsim.onnx.TinyModel;

import java.io.IOException;
import java.nio.file.Path;

/** Image folders and model files for the embedding tests. */
final class EmbedFixtures {
    private EmbedFixtures() {}

    /** Six images of mixed layouts under cat/ and dog/, sorted names a..f. */
    static void images(Path dir) throws IOException {
        TestImages.jpeg(dir.resolve("cat/a.jpg"), 260, 230, false);
        PngWriter.write(dir.resolve("cat/b.png"), TestImages.random(240, 300, 1, 8, 2));
        PngWriter.write(dir.resolve("cat/c.png"), TestImages.random(231, 229, 4, 16, 3));
        TestImages.jpeg(dir.resolve("dog/d.jpg"), 400, 250, true);
        PngWriter.write(dir.resolve("dog/e.png"), TestImages.random(300, 260, 3, 16, 5));
        PngWriter.write(dir.resolve("dog/f.png"), TestImages.random(250, 250, 2, 8, 6));
    }

    static Path model(Path dir, TinyModel m) {
        Path f = dir.resolve(m.name() + ".onnx");
        byte[] b = m.toOnnx();
        AtomicFiles.write(f, o -> o.write(b));
        return f;
    }

    /** A model whose output is NaN for normalised pixels: mean over the image of log(x) (x < 0 somewhere). */
    static Path nanModel(Path dir) {
        OnnxGraph g = new OnnxGraph("nan");
        g.input("pixels", -1, 3, 224, 224).output("features", -1, 3)
                .node("Log", new String[]{"pixels"}, "log")
                .node("GlobalAveragePool", new String[]{"log"}, "gap")
                .node("Flatten", new String[]{"gap"}, "features", "axis", 1);
        Path f = dir.resolve("nan.onnx");
        byte[] b = g.toBytes("test");
        AtomicFiles.write(f, o -> o.write(b));
        return f;
    }
}
