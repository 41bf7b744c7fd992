package dev.repsim.cli;

import dev.repsim.image.PngChunks;
import dev.repsim.image.PngWriter;
import dev.repsim.image.TestImages;
import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.TinyCnn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 11: a 1.5 MB PNG declaring 40 000 × 40 000 pixels, with an 8 × 8 mask, through {@code variants},
 * {@code embed} and a study: refused from its header with one line naming it (exit 2), or skipped with
 * {@code --skip-bad}; never decoded (no OutOfMemoryError), and its mask's size is compared first.
 */
class DecompressionBombTest {
    private static final Duration QUICK = Duration.ofSeconds(60); // decoding the bomb would exhaust the heap long before
    @TempDir
    Path dir;
    Path images;
    Path masks;
    Path bomb;

    @BeforeEach
    void setUp() throws Exception {
        images = dir.resolve("images");
        masks = dir.resolve("masks");
        PngWriter.write(images.resolve("a/good.png"), TestImages.random(8, 8, 3, 8, 1));
        PngWriter.write(masks.resolve("a/good.png"), TestImages.random(8, 8, 1, 8, 2));
        bomb = images.resolve("b/bomb.png");
        byte[] bytes = PngChunks.bomb(40_000, 40_000);
        AtomicFiles.write(bomb, o -> o.write(bytes));
        PngWriter.write(masks.resolve("b/bomb.png"), TestImages.random(8, 8, 1, 8, 3));
    }

    /** Exit status and stderr lines (progress lines left out) of one command. */
    private record Run(int status, List<String> lines) {}

    private static Run run(String... args) {
        CliRun r = assertTimeoutPreemptively(QUICK, () -> CliRun.of(args));
        return new Run(r.status(), r.errLines().stream()
                .filter(l -> !l.matches("(embed|variants|study)[ :].*")).toList()); // progress lines
    }

    private String refusal(long limit) {
        return bomb + ": image declares 40000x40000 = 1600000000 pixels, more than the limit of " + limit;
    }

    @Test
    void variantsRefusesTheBombBeforeDecodingIt() {
        Run r = run("variants", "--images", images.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, r.status(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().getFirst().startsWith("repsim variants: " + refusal(89_478_485)), r.lines().getFirst());
        assertFalse(Files.exists(dir.resolve("out/variants.csv")));
    }

    @Test
    void variantsSkipsTheBombWithSkipBad() throws Exception {
        Run r = run("variants", "--images", images.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString(),
                "--skip-bad", "--variants", "full,foreground");
        assertEquals(0, r.status(), r.lines().toString());
        assertTrue(r.lines().contains("repsim variants: skipped " + refusal(89_478_485) + " (max-pixels); not decoded (decompression bomb?)"),
                r.lines().toString());
        List<String> csv = Files.readAllLines(dir.resolve("out/variants.csv"));
        assertEquals(3, csv.size(), "header and the good image's two variants: " + csv);
        assertTrue(csv.stream().skip(1).allMatch(l -> l.startsWith("a/good.png,")), csv.toString());
        assertTrue(Files.readString(dir.resolve("out/skipped.csv")).contains(bomb.toString()));
    }

    @Test
    void theMaskSizeIsComparedOnTheHeadersBeforeTheImageIsDecoded() throws Exception {
        // pixels that cannot be decoded: had the image been decoded first, this would be the error
        byte[] undecodable = PngChunks.png(PngChunks.chunk("IHDR", PngChunks.ihdr(20_000, 20_000, 8, 0, 0)),
                PngChunks.chunk("IDAT", new byte[] {1, 2, 3, 4}), PngChunks.chunk("IEND", new byte[0]));
        AtomicFiles.write(bomb, o -> o.write(undecodable));
        Run r = run("variants", "--images", images.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString(),
                "--max-pixels", "400000000");
        assertEquals(2, r.status(), r.lines().toString());
        assertEquals(List.of("repsim variants: " + masks.resolve("b/bomb.png") + ": mask is 8x8 but image " + bomb + " is 20000x20000"),
                r.lines());
    }

    @Test
    void maxPixelsIsAnOption() throws Exception {
        Run r = run("variants", "--images", images.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString(),
                "--max-pixels", "63", "--skip-bad");
        assertEquals(List.of("repsim variants: " + images + ": no usable images (all 2 were bad; see " + dir.resolve("out/skipped.csv") + ")"),
                r.lines(), "every image is above 63 pixels");
        String skipped = Files.readString(dir.resolve("out/skipped.csv"));
        assertTrue(skipped.contains(images.resolve("a/good.png") + ": image declares 8x8 = 64 pixels, more than the limit of 63"), skipped);
        r = run("variants", "--images", images.toString(), "--masks", masks.toString(), "--out", dir.resolve("out").toString(), "--max-pixels", "0");
        assertEquals(2, r.status());
        assertEquals(List.of("repsim variants: --max-pixels must be between 1 and 536870909, got 0"), r.lines());
    }

    @Test
    void embedRefusesOrSkipsTheBomb() throws Exception {
        Path cnn = dir.resolve("cnn.onnx");
        byte[] model = new TinyCnn(1).toOnnx();
        AtomicFiles.write(cnn, o -> o.write(model));
        String out = dir.resolve("out/e.npy").toString();
        Run r = run("embed", "--model", cnn.toString(), "--preset", "swav", "--images", images.toString(), "--out", out, "--no-cache");
        assertEquals(2, r.status(), r.lines().toString());
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().getFirst().startsWith("repsim embed: " + refusal(89_478_485)), r.lines().getFirst());
        assertFalse(Files.exists(dir.resolve("out/e.npy")));

        r = run("embed", "--model", cnn.toString(), "--preset", "swav", "--images", images.toString(), "--out", out, "--no-cache", "--skip-bad");
        assertEquals(0, r.status(), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("repsim embed: skipped " + refusal(89_478_485))), r.lines().toString());
        assertEquals(List.of("row,image,label,variant", "0,a/good.png,a,full"), Files.readAllLines(dir.resolve("out/e.index.csv")));
    }

    @Test
    void aStudyStopsOnTheBombNamingIt() throws Exception {
        for (int i = 0; i < 6; i++) { // enough images for k and UMAP's neighbours
            PngWriter.write(images.resolve("a/g" + i + ".png"), TestImages.random(8, 8, 3, 8, 10 + i));
            PngWriter.write(masks.resolve("a/g" + i + ".png"), TestImages.random(8, 8, 1, 8, 20 + i));
        }
        Path study = dir.resolve("study.yaml");
        String yaml = """
                output: out
                datasets: [{name: d, images: images, masks: masks}]
                models: [{name: cnn, builtin: tiny-cnn, batch: 4}]
                variants: [full, foreground]
                metrics: [linear-cka]
                backend: java
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """;
        Files.writeString(study, yaml);
        Run r = run("study", study.toString());
        assertEquals(2, r.status(), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains(refusal(89_478_485))), r.lines().toString());

        // the study key: a limit below the bomb's 1.6 G pixels but above 8 x 8 names the key's value
        Files.writeString(study, yaml + "max-pixels: 1000\n");
        r = run("study", study.toString());
        assertEquals(2, r.status(), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains(refusal(1000))), r.lines().toString());

        Files.writeString(study, yaml + "max-pixels: 0\n");
        r = run("study", study.toString());
        assertEquals(2, r.status(), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains(study + ": max-pixels: must be between 1 and")), r.lines().toString());
    }
}
