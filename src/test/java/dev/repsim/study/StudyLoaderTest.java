package dev.repsim.study;

import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Bad study files fail at once with one line naming the file and the key; a good one loads fully. */
class StudyLoaderTest {
    @TempDir Path dir;

    @BeforeEach
    void images() throws IOException {
        for (String rel : List.of("cats/a.jpg", "cats/b.png", "dogs/c.png", "dogs/d.png")) {
            Path img = dir.resolve("images").resolve(rel);
            Files.createDirectories(img.getParent());
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), rel.endsWith(".jpg") ? "jpg" : "png", img.toFile());
            Path mask = dir.resolve("masks").resolve(rel.replaceFirst("\\.[a-z]+$", ".png"));
            Files.createDirectories(mask.getParent());
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", mask.toFile());
        }
        Files.writeString(dir.resolve("m.onnx"), "not really a model; the loader only checks it exists");
        for (String v : List.of("full", "foreground")) Npy.write(dir.resolve("e-" + v + ".npy"), Matrix.of(4, 3, new float[12]));
        Npy.write(dir.resolve("e-short.npy"), Matrix.of(3, 3, new float[9]));
    }

    private static final String GOOD = """
            name: test study
            output: out
            datasets:
              - name: pets
                images: images
                masks: masks
            models:
              - name: cnn
                onnx: m.onnx
                preset: tiny-cnn
              - name: pre
                embeddings: {full: e-full.npy, foreground: e-foreground.npy}
              - name: vit
                builtin: tiny-vit
            variants: [full, foreground]
            metrics: [linear-cka, cca-mean]
            backend: java
            k: 3
            umap: {neighbors: 4, epochs: 50}
            """;

    private Study load(String yaml) throws IOException {
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return StudyLoader.load(f);
    }

    private String error(String yaml) {
        InputException e = assertThrows(InputException.class, () -> load(yaml));
        assertTrue(e.getMessage().startsWith(dir.resolve("study.yaml").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void goodFileLoads() throws IOException {
        Study s = load(GOOD);
        assertEquals("test study", s.name());
        assertEquals(4, s.n());
        assertEquals(List.of("cats", "cats", "dogs", "dogs"), s.images().stream().map(Study.ImageRef::label).toList());
        assertEquals(List.of("cats/a.jpg", "cats/b.png", "dogs/c.png", "dogs/d.png"), s.images().stream().map(Study.ImageRef::relativePath).toList());
        assertEquals(List.of(Metric.LINEAR_CKA, Metric.CCA_MEAN), s.metrics());
        assertEquals(dir.resolve("out"), s.output());
        assertEquals(Study.Source.BUILTIN, s.models().get(2).source());
        assertEquals(dir.resolve("out/models/tiny-vit.onnx"), s.models().get(2).onnx().orElseThrow());
        assertEquals(3, s.k());
        assertEquals(4, s.umap().neighbors());
    }

    @Test
    void unknownKeyIsNamedWithItsLine() {
        String msg = error(GOOD.replace("k: 3", "k: 3\ncolour: red"));
        assertTrue(msg.contains("unknown key 'colour'") && msg.contains("line"), msg);
        msg = error(GOOD.replace("masks: masks", "masks: masks\n    mask: x"));
        assertTrue(msg.contains("unknown key 'mask'"), msg);
    }

    @Test
    void missingPathsAreNamed() {
        assertTrue(error(GOOD.replace("images: images", "images: nowhere")).contains("datasets[0].images: folder not found"));
        assertTrue(error(GOOD.replace("onnx: m.onnx", "onnx: gone.onnx")).contains("models[0].onnx: file not found"));
        assertTrue(error(GOOD.replace("e-full.npy", "e-gone.npy")).contains("models[1].embeddings.full: file not found"));
    }

    @Test
    void aUriIsRefusedNamingTheKeyButAFileUriIsALocalPath() throws IOException {
        String msg = error(GOOD.replace("images: images", "images: hdfs://nn:8020/pets/images"));
        assertTrue(msg.endsWith("datasets[0].images: 'hdfs://nn:8020/pets/images' is a URI: a study's paths are local paths "
                + "(at the same place on every executor with --spark)"), msg);
        assertTrue(error(GOOD.replace("onnx: m.onnx", "onnx: s3a://bucket/m.onnx")).contains("models[0].onnx: 's3a://bucket/m.onnx' is a URI"));
        Study s = load(GOOD.replace("images: images", "images: " + dir.resolve("images").toUri()));
        assertEquals(dir.resolve("images"), s.datasets().getFirst().folder());
        assertEquals(4, s.n());
    }

    @Test
    void variantWithoutMasksIsAnError() {
        String msg = error(GOOD.replace("    masks: masks\n", ""));
        assertTrue(msg.contains("datasets[0]: variant foreground needs foreground masks"), msg);
        // mask-free variants need no masks
        assertDoesNotThrow(() -> load(GOOD.replace("    masks: masks\n", "").replace("[full, foreground]", "[full, center, border]")
                .replace("foreground: e-foreground.npy", "center: e-full.npy, border: e-full.npy")));
    }

    @Test
    void aStrayFileAmongTheImagesIsNamed() throws IOException {
        Files.writeString(dir.resolve("images/cats/notes.txt"), "not an image");
        assertTrue(error(GOOD).contains("datasets[0].images: not a JPEG or PNG image: "));
    }

    @Test
    void missingMaskOfOneImageIsNamed() throws IOException {
        Files.delete(dir.resolve("masks/dogs/c.png"));
        assertTrue(error(GOOD).contains("no mask for image dogs/c.png"));
    }

    @Test
    void embeddingsWithAnotherNAreAnError() {
        String msg = error(GOOD.replace("foreground: e-foreground.npy", "foreground: e-short.npy"));
        assertTrue(msg.contains("models[1].embeddings.foreground") && msg.contains("3 rows") && msg.contains("4 images"), msg);
    }

    @Test
    void badValuesAreNamed() {
        assertTrue(error(GOOD.replace("[linear-cka, cca-mean]", "[linear-cka, cka]")).contains("metrics: unknown metric 'cka'"));
        assertTrue(error(GOOD.replace("[full, foreground]", "[full, blurred]")).contains("variants: unknown variant 'blurred'"));
        assertTrue(error(GOOD.replace("backend: java", "backend: cuda")).contains("backend: unknown backend 'cuda'"));
        assertTrue(error(GOOD.replace("k: 3", "k: 8")).contains("k: must be between 1 and 7"));
        assertTrue(error(GOOD.replace("name: vit", "name: cnn")).contains("model 'cnn' named twice"));
        assertTrue(error(GOOD.replace("builtin: tiny-vit", "builtin: resnet")).contains("unknown model 'resnet'"));
        assertTrue(error(GOOD.replace("k: 3", "k: [3")).contains("not a valid study file"));
    }
}
