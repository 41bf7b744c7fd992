package dev.repsim.study;

import dev.repsim.cli.CliRun;
import dev.repsim.image.ImageFiles;
import dev.repsim.io.InputException;
import dev.repsim.io.Location;
import dev.repsim.io.UriFiles;
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

    /** A key given twice is refused, not settled silently by the last one. */
    @Test
    void aDuplicateKeyIsNamedWithItsLine() {
        String msg = error(GOOD.replace("k: 3", "k: 3\nk: 4"));
        assertTrue(msg.contains("Duplicate field 'k'") && msg.contains("line"), msg);
    }

    @Test
    void missingPathsAreNamed() {
        assertTrue(error(GOOD.replace("images: images", "images: nowhere")).contains("datasets[0].images: folder not found"));
        assertTrue(error(GOOD.replace("onnx: m.onnx", "onnx: gone.onnx")).contains("models[0].onnx: file not found"));
        assertTrue(error(GOOD.replace("e-full.npy", "e-gone.npy")).contains("models[1].embeddings.full: file not found"));
    }

    @Test
    void aUriWithoutSparkIsRefusedNamingTheKeyButAFileUriIsALocalPath() throws IOException {
        String msg = error(GOOD.replace("images: images", "images: hdfs://nn:8020/pets/images"));
        assertTrue(msg.endsWith("datasets[0].images: 'hdfs://nn:8020/pets/images' is a URI: a study reads URIs (through Hadoop's FileSystem) "
                + "only on Spark: add --spark MASTER"), msg);
        assertTrue(error(GOOD.replace("onnx: m.onnx", "onnx: s3a://bucket/m.onnx")).contains("models[0].onnx: 's3a://bucket/m.onnx' is a URI"));
        assertTrue(error(GOOD.replace("output: out", "output: hdfs://nn:8020/out")).endsWith("output: 'hdfs://nn:8020/out' is a URI: "
                + "the output is a local folder (the driver's with --spark), where the report is written"));
        Study s = load(GOOD.replace("images: images", "images: " + dir.resolve("images").toUri()));
        assertEquals(dir.resolve("images"), s.datasets().getFirst().folder());
        assertEquals(4, s.n());
    }

    @Test
    void theStudyCommandRefusesAUriWithoutSparkWithExitStatus2() throws IOException {
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, GOOD.replace("masks: masks", "masks: hdfs://nn:8020/pets/masks"));
        CliRun r = CliRun.of("study", f.toString());
        assertEquals(2, r.status(), r.err());
        assertEquals("repsim study: " + f + ": datasets[0].masks: 'hdfs://nn:8020/pets/masks' is a URI: a study reads URIs "
                + "(through Hadoop's FileSystem) only on Spark: add --spark MASTER", r.errLines().getLast());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    /** URIs {@code mem:/REL} naming the files under the test's folder, read as the Spark module reads Hadoop URIs. */
    private UriFiles memFiles() {
        return new UriFiles() {
            Path of(String uri) {
                return dir.resolve(uri.substring("mem:/".length()));
            }

            @Override
            public Kind kind(String uri) {
                return Files.isDirectory(of(uri)) ? Kind.FOLDER : Files.isRegularFile(of(uri)) ? Kind.FILE : Kind.NOTHING;
            }

            @Override
            public List<String> listTree(String uri) {
                return ImageFiles.list(of(uri)).stream().map(ImageFiles.Entry::relative).toList();
            }

            @Override
            public void copy(String uri, Path to) {
                try {
                    Files.createDirectories(to.getParent());
                    Files.copy(of(uri), to);
                } catch (IOException e) {
                    throw new InputException(uri + ": cannot copy: " + e);
                }
            }
        };
    }

    private Study loadWithUris(String yaml) throws IOException {
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return StudyLoader.load(f, memFiles());
    }

    private static final String URIS = GOOD.replace("images: images", "images: mem:/images").replace("masks: masks", "masks: mem:/masks")
            .replace("onnx: m.onnx", "onnx: mem:/m.onnx").replace("full: e-full.npy", "full: mem:/e-full.npy");

    @Test
    void withAUriReaderFoldersStayUrisAndFilesReadHereAreCopied() throws IOException {
        Study s = loadWithUris(URIS);
        Study.Dataset d = s.datasets().getFirst();
        assertEquals(Location.ofUri("mem:/images"), d.folderAt());
        assertEquals(Location.ofUri("mem:/masks"), d.masksAt().orElseThrow());
        assertThrows(IllegalStateException.class, d::folder, "a URI has no local path");
        assertEquals(load(GOOD).images(), s.images(), "the same images, labels and order as the local folder");
        Path onnx = s.models().getFirst().onnx().orElseThrow();
        assertNotEquals(dir.resolve("m.onnx"), onnx);
        assertEquals("m.onnx", onnx.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(dir.resolve("m.onnx")), Files.readAllBytes(onnx), "a copy of the model file");
        Path full = s.models().get(1).embeddings().get("full");
        assertArrayEquals(Files.readAllBytes(dir.resolve("e-full.npy")), Files.readAllBytes(full));
        assertEquals(dir.resolve("e-foreground.npy"), s.models().get(1).embeddings().get("foreground"), "a local path stays one");
    }

    @Test
    void missingUrisAreNamedWithTheirKey() throws IOException {
        String msg = assertThrows(InputException.class, () -> loadWithUris(URIS.replace("mem:/images", "mem:/nowhere"))).getMessage();
        assertTrue(msg.endsWith("datasets[0].images: folder not found: mem:/nowhere"), msg);
        msg = assertThrows(InputException.class, () -> loadWithUris(URIS.replace("mem:/m.onnx", "mem:/gone.onnx"))).getMessage();
        assertTrue(msg.endsWith("models[0].onnx: file not found: mem:/gone.onnx"), msg);
        Files.delete(dir.resolve("masks/dogs/d.png"));
        msg = assertThrows(InputException.class, () -> loadWithUris(URIS)).getMessage();
        assertTrue(msg.endsWith("datasets[0].masks: no mask for image dogs/d.png (expected mem:/masks/dogs/d.png)"), msg);
        msg = assertThrows(InputException.class, () -> loadWithUris(URIS.replace("output: out", "output: mem:/out"))).getMessage();
        assertTrue(msg.endsWith("output: 'mem:/out' is a URI: the output is a local folder (the driver's with --spark), where the report is written"), msg);
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
