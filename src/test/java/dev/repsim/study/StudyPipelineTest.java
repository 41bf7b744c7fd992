package dev.repsim.study;

import dev.repsim.cli.Main;
import dev.repsim.embed.EmbedInput;
import dev.repsim.embed.EmbedSettings;
import dev.repsim.embed.Embedder;
import dev.repsim.embed.ModelConfig;
import dev.repsim.embed.OrtModel;
import dev.repsim.io.Npy;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.onnx.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A study on images through the whole pipeline (variants from masks, the built-in tiny-cnn through
 * ONNX Runtime): its embedding matrices equal a direct embedding of the same variant images, and a
 * second run reuses the variants and the embedding cache.
 */
class StudyPipelineTest {

    static void images(Path dir, int n) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            String rel = (i % 2 == 0 ? "x/" : "y/") + "p" + i;
            BufferedImage img = new BufferedImage(40 + i, 36, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(8, 6, 20, 20);
            g.dispose();
            BufferedImage mask = new BufferedImage(img.getWidth(), 36, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D gm = mask.createGraphics();
            gm.setColor(Color.WHITE);
            gm.fillOval(8, 6, 20, 20);
            gm.dispose();
            Files.createDirectories(dir.resolve("images").resolve(rel).getParent());
            Files.createDirectories(dir.resolve("masks").resolve(rel).getParent());
            ImageIO.write(img, "png", dir.resolve("images").resolve(rel + ".png").toFile());
            ImageIO.write(mask, "png", dir.resolve("masks").resolve(rel + ".png").toFile());
        }
    }

    /**
     * Writes a study of the {@link #images} next to it: tiny-cnn with {@code batch}, three variants,
     * linear CKA on the java backend, k-NN with {@code k} and a quick UMAP of k + 1 neighbours.
     */
    static Path shapesStudy(Path file, Object output, int batch, int k) throws java.io.IOException {
        Files.writeString(file, """
                output: %s
                datasets: [{name: shapes, images: images, masks: masks}]
                models: [{name: cnn, builtin: tiny-cnn, batch: %d}]
                variants: [full, foreground, background]
                metrics: [linear-cka]
                backend: java
                k: %d
                umap: {neighbors: %d, epochs: 30}
                """.formatted(output, batch, k, k + 1));
        return file;
    }

    @Test
    void aCorruptModelFailsBeforeAnyVariantIsMade(@TempDir Path dir) throws Exception {
        images(dir, 4);
        Files.writeString(dir.resolve("bad.onnx"), "not a model");
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images, masks: masks}]
                models: [{name: bad, onnx: bad.onnx, preset: swav}]
                variants: [full, foreground]
                metrics: [linear-cka]
                k: 2
                umap: {neighbors: 3}
                """);
        assertEquals(2, Main.execute("study", study.toString()));
        assertFalse(Files.exists(dir.resolve("out/variants")), "no variants made");
    }

    @Test
    void pipelineEmbeddingsMatchADirectRunAndResume(@TempDir Path dir) throws Exception {
        images(dir, 12);
        Path study = shapesStudy(dir.resolve("study.yaml"), "out", 4, 4);
        assertEquals(0, Main.execute("study", study.toString()));
        Path out = dir.resolve("out");

        // the study's foreground matrix = ONNX Runtime on the foreground variant images, row by study image order
        Path model = out.resolve("models/tiny-cnn.onnx");
        assertArrayEquals(TinyModel.create("tiny-cnn", StudyEmbeddings.BUILTIN_SEED).toOnnx(), Files.readAllBytes(model));
        List<EmbedInput> fg = EmbedInput.fromVariants(out.resolve("variants/shapes")).stream().filter(i -> i.variant().equals("foreground")).toList();
        Matrix direct = Embedder.embed(model, ModelConfig.resolve("swav", null), fg,
                new EmbedSettings(4, 1, 1, OrtModel.Provider.CPU, null, false), Progress.silent()).matrix();
        Matrix study1 = Npy.readMatrix(out.resolve("embeddings/cnn/foreground.npy"));
        List<String> order = StudyLoader.load(study).images().stream().map(Study.ImageRef::relativePath).toList();
        assertEquals(12, study1.rows());
        for (int i = 0; i < fg.size(); i++) {
            int row = order.indexOf(fg.get(i).image());
            for (int c = 0; c < direct.cols(); c++) assertEquals(direct.get(i, c), study1.get(row, c), 0.0, fg.get(i).image());
        }

        // a second run: variants up to date, every embedding from the cache, same results
        String first = Files.readString(out.resolve("csv/variants-cnn-linear-cka.csv"));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("study", study.toString()));
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("variants of 'shapes' are up to date"), log);
        assertTrue(log.contains("embedded cnn / shapes: 36 images (0 computed, 36 from the cache)"), log);
        assertEquals(first, Files.readString(out.resolve("csv/variants-cnn-linear-cka.csv")));
    }
}
