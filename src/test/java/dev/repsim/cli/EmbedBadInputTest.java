package dev.repsim.cli;

import dev.repsim.image.PngWriter;
import dev.repsim.image.TestImages;
import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.OnnxGraph;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.onnx.TinyVit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bad input of issue 4 through the command line: exit status 2, one stderr line that names the
 * file and the problem, and no .npy / index / variants.csv left behind.
 */
class EmbedBadInputTest {
    @TempDir
    Path dir;
    Path img;
    Path cnn;
    Path vit;

    @BeforeEach
    void setUp() throws Exception {
        img = dir.resolve("img");
        TestImages.jpeg(img.resolve("cat/a.jpg"), 240, 230, false);
        PngWriter.write(img.resolve("dog/b.png"), TestImages.random(230, 240, 3, 8, 1));
        cnn = write("cnn.onnx", new TinyCnn(1).toOnnx());
        vit = write("vit.onnx", new TinyVit(1).toOnnx());
    }

    private Path write(String name, byte[] bytes) {
        Path p = dir.resolve(name);
        AtomicFiles.write(p, o -> o.write(bytes));
        return p;
    }

    /** Runs the CLI; returns stderr lines without the progress lines; asserts the exit status. */
    private List<String> fails(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.execute(args);
        } finally {
            System.setErr(old);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.matches("(embed|variants)[ :].*")).toList(); // progress lines
        assertEquals(2, rc, "exit status; stderr: " + lines);
        assertEquals(1, lines.size(), "one line: " + lines);
        return lines;
    }

    private void assertNoOutput() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".repsim-cache")).toList();
            assertEquals(List.of(), names);
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing at all: fine
        }
    }

    private String embed(Path model, String preset, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("embed", "--model", model.toString(), "--preset", preset,
                "--images", img.toString(), "--out", dir.resolve("out/e.npy").toString(), "--batch", "2"));
        args.addAll(Arrays.asList(extra));
        String line = fails(args.toArray(String[]::new)).getFirst();
        assertNoOutput();
        return line;
    }

    @Test
    void corruptTruncatedAndNonImageFiles() throws Exception {
        Path b = img.resolve("dog/b.png");
        TestImages.truncate(b, 0.5);
        String line = embed(cnn, "swav");
        assertTrue(line.contains(b.toString()) && line.contains("corrupt or truncated"), line);
        Files.delete(b);
        Path txt = Files.writeString(img.resolve("dog/notes.txt"), "hello");
        line = embed(cnn, "swav");
        assertTrue(line.contains(txt + ": not a JPEG or PNG image"), line);
    }

    @Test
    void emptyFolder() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String line = fails("embed", "--model", cnn.toString(), "--preset", "swav", "--images", empty.toString(),
                "--out", dir.resolve("out/e.npy").toString()).getFirst();
        assertTrue(line.contains(empty + ": no images found"), line);
        assertNoOutput();
    }

    @Test
    void nonOnnxAndCorruptModels() throws Exception {
        Path text = Files.writeString(dir.resolve("model.onnx"), "this is not a model");
        assertTrue(embed(text, "swav").contains(text + ": not a valid ONNX model"));
        byte[] good = new TinyVit(1).toOnnx();
        Path cut = write("cut.onnx", Arrays.copyOf(good, good.length / 2));
        assertTrue(embed(cut, "dinov2").contains(cut + ": not a valid ONNX model"));
        Path missing = dir.resolve("missing.onnx");
        String line = embed(missing, "swav");
        assertTrue(line.contains(missing + ": no such"), line);
    }

    @Test
    void modelInputNotMatchingThePreset() throws Exception {
        Path u2 = Path.of("models/u2netp/u2netp.onnx");
        String line = embed(u2, "dinov2");
        assertTrue(line.contains(u2 + ": input 'input.1' is float [1,3,320,320] but preset 'dinov2' feeds float [B,3,224,224]"), line);
    }

    @Test
    void outputNameThatDoesNotExist() throws Exception {
        String line = embed(cnn, "dinov2");
        assertTrue(line.contains(cnn + ": no output named 'tokens' (outputs: [features])"), line);
        line = embed(vit, "swav");
        assertTrue(line.contains(vit + ": no output named 'features'"), line);
    }

    @Test
    void nanInTheOutput() throws Exception {
        OnnxGraph g = new OnnxGraph("nan");
        g.input("pixels", -1, 3, 224, 224).output("features", -1, 3)
                .node("Log", new String[]{"pixels"}, "log")
                .node("GlobalAveragePool", new String[]{"log"}, "gap")
                .node("Flatten", new String[]{"gap"}, "features", "axis", 1);
        Path nan = write("nan.onnx", g.toBytes("test"));
        String line = embed(nan, "swav");
        assertTrue(line.contains(nan + ": output 'features' has NaN or Inf for image " + img.resolve("cat/a.jpg")), line);
    }

    @Test
    void cudaWithoutCudaLibraries() throws Exception {
        String line = embed(cnn, "swav", "--provider", "cuda");
        assertTrue(line.contains("--provider cuda: the CUDA execution provider is not available"), line);
    }

    @Test
    void unknownPresetAndBadConfig() throws Exception {
        assertTrue(embed(cnn, "resnet").contains("unknown preset 'resnet'"));
        Path cfg = Files.writeString(dir.resolve("m.json"), "{\"output\": \"features\", \"croop\": 3}");
        String line = fails("embed", "--model", cnn.toString(), "--config", cfg.toString(), "--images", img.toString(),
                "--out", dir.resolve("out/e.npy").toString()).getFirst();
        assertTrue(line.contains(cfg.toString()) && line.contains("croop"), line);
    }

    @Test
    void variantsMaskMissingAndWrongSize() throws Exception {
        Path masks = dir.resolve("masks");
        PngWriter.write(masks.resolve("cat/a.png"), TestImages.random(240, 230, 1, 8, 1));
        String line = fails("variants", "--images", img.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString()).getFirst();
        assertTrue(line.contains(masks.resolve("dog/b.png") + ": mask missing for image " + img.resolve("dog/b.png")), line);
        PngWriter.write(masks.resolve("dog/b.png"), TestImages.random(10, 10, 1, 8, 1));
        line = fails("variants", "--images", img.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString()).getFirst();
        assertTrue(line.contains(masks.resolve("dog/b.png") + ": mask is 10x10 but image"), line);
        assertFalse(Files.exists(dir.resolve("out/variants.csv")));
    }

    @Test
    void anIndexThatCannotBeWrittenLeavesNoMatrix() throws Exception {
        Files.createDirectories(dir.resolve("out/e.index.csv/taken"));
        String line = fails("embed", "--model", cnn.toString(), "--preset", "swav", "--images", img.toString(),
                "--out", dir.resolve("out/e.npy").toString(), "--batch", "2").getFirst();
        assertTrue(line.contains("e.index.csv: cannot write"), line);
        assertFalse(Files.exists(dir.resolve("out/e.npy")), "a matrix without its index");
    }

    @Test
    void goodRunWritesMatrixAndIndex() throws Exception {
        int rc = Main.execute("embed", "--model", vit.toString(), "--preset", "dinov2", "--images", img.toString(),
                "--out", dir.resolve("out/e.npy").toString(), "--batch", "2");
        assertEquals(0, rc);
        assertEquals(2, dev.repsim.io.Npy.readMatrix(dir.resolve("out/e.npy")).rows());
        assertEquals(List.of("row,image,label,variant", "0,cat/a.jpg,cat,full", "1,dog/b.png,dog,full"),
                Files.readAllLines(dir.resolve("out/e.index.csv")));
    }
}
