package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.image.TestImages;
import dev.repsim.io.Csv;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class VariantsTest {
    @TempDir
    Path dir;

    /** A mask with a filled rectangle, written as an RGB PNG (non-zero anywhere = foreground). */
    private static Raster rectMask(int w, int h, int x0, int y0, int x1, int y1) {
        Raster m = Raster.blank(w, h, 3, 8);
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) m.setSample(y * w + x, 1, 7);
        return m;
    }

    private static boolean inRect(int p, int w, int x0, int y0, int x1, int y1) {
        int x = p % w, y = p / w;
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }

    private void setup(Map<String, Raster> images) {
        images.forEach((rel, img) -> {
            PngWriter.write(dir.resolve("img").resolve(rel), img);
            PngWriter.write(dir.resolve("masks").resolve(rel), rectMask(img.width(), img.height(), 3, 2, 11, 9));
        });
    }

    private Variants.Result run(VariantSettings s) {
        try (MaskFolder masks = new MaskFolder(dir.resolve("masks"))) {
            return Variants.generate(dir.resolve("img"), masks, dir.resolve("out"), s, Progress.silent());
        }
    }

    private static VariantSettings settings(Fill fill, boolean skipBad) {
        return new VariantSettings(List.of(Variant.values()), fill, 0.5, 42, 2, skipBad);
    }

    @Test
    void keptPixelsAreExactAndFillsAreRight() {
        Raster rgb16 = TestImages.random(17, 13, 3, 16, 1);
        Raster grey = TestImages.random(17, 13, 1, 8, 2);
        Raster rgba = TestImages.random(17, 13, 4, 8, 3);
        Raster greyA16 = TestImages.random(17, 13, 2, 16, 4);
        setup(Map.of("cat/a.png", rgb16, "cat/b.png", grey, "dog/c.png", rgba, "d.png", greyA16));
        for (Fill fill : Fill.values()) {
            Variants.Result r = run(settings(fill, false));
            assertEquals(20, r.rows().size());
            for (VariantRow row : r.rows()) {
                Raster src = ImageDecoder.read(dir.resolve("img").resolve(row.image()));
                Raster v = ImageDecoder.read(dir.resolve("out").resolve(row.path()));
                assertEquals(src.channels(), v.channels(), row.path());
                assertEquals(src.bits(), v.bits(), row.path());
                assertEquals(8 * 7 / (17.0 * 13), row.foregroundShare(), 1e-12);
                Variant variant = Variant.parse(row.variant());
                double r2 = Math.pow(0.5 * 13 / 2.0, 2);
                int filled = 0;
                for (int p = 0; p < src.pixels(); p++) {
                    int x = p % 17, y = p / 17;
                    boolean inDisc = Math.pow(x + 0.5 - 8.5, 2) + Math.pow(y + 0.5 - 6.5, 2) <= r2;
                    boolean fg = inRect(p, 17, 3, 2, 11, 9);
                    boolean keep = switch (variant) {
                        case FULL -> true;
                        case FOREGROUND -> fg;
                        case BACKGROUND -> !fg;
                        case CENTER -> inDisc;
                        case BORDER -> !inDisc;
                    };
                    if (keep) {
                        for (int c = 0; c < src.channels(); c++) assertEquals(src.sample(p, c), v.sample(p, c), row.path() + " kept pixel " + p);
                    } else {
                        filled++;
                        int max = src.maxValue();
                        for (int c = 0; c < src.colorChannels(); c++) {
                            double mean = 0;
                            for (int q = 0; q < src.pixels(); q++) mean += src.sample(q, c);
                            mean /= src.pixels();
                            int got = v.sample(p, c);
                            switch (fill) {
                                case BLACK -> assertEquals(0, got);
                                case GRAY -> assertEquals(max == 255 ? 128 : 32768, got);
                                case MEAN -> assertEquals(Math.round(mean), got);
                                case NOISE -> assertTrue(got >= 0 && got <= max);
                            }
                        }
                        if (src.hasAlpha()) assertEquals(src.maxValue(), v.sample(p, src.channels() - 1));
                    }
                }
                if (variant != Variant.FULL) assertTrue(filled > 0, row.path());
            }
        }
    }

    /** The disc radius is a share of the inscribed circle's, in (0, 1] as a study file requires. */
    @Test
    void radiusOutsideZeroToOneIsRefused() {
        for (double r : new double[]{0, -0.5, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new VariantSettings(List.of(Variant.CENTER), Fill.GRAY, r, 0, 1, false));
            assertTrue(e.getMessage().startsWith("--radius must be in (0, 1]"), e.getMessage());
        }
        assertEquals(1.0, new VariantSettings(List.of(Variant.CENTER), Fill.GRAY, 1.0, 0, 1, false).radius());
    }

    @Test
    void noiseFillHasTheImageStatisticsAndIsReproducible() {
        Raster img = TestImages.random(64, 48, 3, 8, 9);
        PngWriter.write(dir.resolve("img/x.png"), img);
        PngWriter.write(dir.resolve("masks/x.png"), rectMask(64, 48, 0, 0, 0, 0));
        VariantSettings s = new VariantSettings(List.of(Variant.FOREGROUND), Fill.NOISE, 0.5, 5, 1, false);
        run(s);
        Raster a = ImageDecoder.read(dir.resolve("out/foreground/x.png"));
        run(new VariantSettings(List.of(Variant.FOREGROUND), Fill.NOISE, 0.5, 5, 2, false));
        assertArrayEquals(a.samples(), ImageDecoder.read(dir.resolve("out/foreground/x.png")).samples());
        // empty mask: everything is noise; uniform 0..255 has mean 127.5, sd 73.9 → clipped Gaussian
        double[] mean = new double[3], sd = new double[3], got = new double[3], gotSd = new double[3];
        Fill.moments(img, mean, sd);
        Fill.moments(a, got, gotSd);
        for (int c = 0; c < 3; c++) assertEquals(mean[c], got[c], 4.0);
        run(new VariantSettings(List.of(Variant.FOREGROUND), Fill.NOISE, 0.5, 6, 1, false));
        assertFalse(java.util.Arrays.equals(a.samples(), ImageDecoder.read(dir.resolve("out/foreground/x.png")).samples()));
    }

    @Test
    void csvListsRowsInOrder() {
        setup(Map.of("b/z.png", TestImages.random(17, 13, 3, 8, 1), "a/y.png", TestImages.random(17, 13, 3, 8, 2)));
        run(new VariantSettings(List.of(Variant.CENTER, Variant.FULL), Fill.BLACK, 0.5, 0, 2, false));
        List<Map<String, String>> rows = Csv.read(dir.resolve("out/variants.csv"), Variants.COLUMNS);
        assertEquals(List.of("a/y.png center", "a/y.png full", "b/z.png center", "b/z.png full"),
                rows.stream().map(r -> r.get("image") + " " + r.get("variant")).toList());
        assertEquals("a", rows.getFirst().get("label"));
        assertEquals("center/a/y.png", rows.getFirst().get("path"));
        assertEquals("0.253394", rows.getFirst().get("foreground_share"));
    }

    @Test
    void missingAndWrongSizeMasksNameTheMaskFile() throws Exception {
        setup(Map.of("a.png", TestImages.random(17, 13, 3, 8, 1)));
        Files.delete(dir.resolve("masks/a.png"));
        InputException e = assertThrows(InputException.class, () -> run(settings(Fill.BLACK, false)));
        assertTrue(e.getMessage().startsWith(dir.resolve("masks/a.png").toString()) && e.getMessage().contains("mask missing"), e.getMessage());
        PngWriter.write(dir.resolve("masks/a.png"), rectMask(16, 13, 0, 0, 1, 1));
        e = assertThrows(InputException.class, () -> run(settings(Fill.BLACK, false)));
        assertTrue(e.getMessage().contains("mask is 16x13 but image"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/variants.csv")));
    }

    @Test
    void skipBadListsTheBadImage() throws Exception {
        setup(Map.of("a.png", TestImages.random(17, 13, 3, 8, 1)));
        Files.writeString(dir.resolve("img/notes.txt"), "not an image");
        assertThrows(InputException.class, () -> run(settings(Fill.BLACK, false)));
        Variants.Result r = run(settings(Fill.BLACK, true));
        assertEquals(5, r.rows().size());
        assertEquals(1, r.skipped().size());
        List<Map<String, String>> skipped = Csv.read(dir.resolve("out/skipped.csv"), List.of("file", "problem"));
        assertEquals(dir.resolve("img/notes.txt").toString(), skipped.getFirst().get("file"));
    }

    @Test
    void emptyFolderIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("img"));
        Files.createDirectories(dir.resolve("masks"));
        InputException e = assertThrows(InputException.class, () -> run(settings(Fill.BLACK, false)));
        assertTrue(e.getMessage().contains("no images found"));
    }

    /**
     * U²-Net-p on a synthetic scene: a saturated red disc on a smooth grey gradient. The model finds
     * salient objects in natural images; on this scene its thresholded map must cover most of the disc
     * and little else (IoU > 0.6), which a wrong channel order, normalisation or resize would break.
     */
    @Test
    void segmenterFindsASalientDisc() {
        int w = 200, h = 150;
        Raster img = Raster.blank(w, h, 3, 8);
        boolean[] disc = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                disc[p] = Math.pow(x - 110, 2) + Math.pow(y - 70, 2) <= 40 * 40;
                int g = 90 + x / 10;
                img.setSample(p, 0, disc[p] ? 220 : g);
                img.setSample(p, 1, disc[p] ? 30 : g);
                img.setSample(p, 2, disc[p] ? 40 : g);
            }
        }
        Path model = Path.of("models/u2netp/u2netp.onnx");
        try (Segmenter s = new Segmenter(model, 0.5, 2)) {
            Mask m = s.maskFor(new ImageFiles.Entry(dir.resolve("x.png"), "x.png", ""), img);
            assertEquals(w, m.width());
            int inter = 0, union = 0;
            for (int p = 0; p < disc.length; p++) {
                if (disc[p] && m.foreground()[p]) inter++;
                if (disc[p] || m.foreground()[p]) union++;
            }
            assertTrue(inter / (double) union > 0.6, "IoU " + inter / (double) union);
        }
    }

    @Test
    void segmenterRejectsAModelWithTheWrongInput() {
        Path m = dir.resolve("cnn.onnx");
        dev.repsim.io.AtomicFiles.write(m, o -> o.write(new dev.repsim.onnx.TinyCnn(1).toOnnx()));
        InputException e = assertThrows(InputException.class, () -> new Segmenter(m, 0.5, 1));
        assertTrue(e.getMessage().startsWith(m.toString()) && e.getMessage().contains("expected float [1,3,320,320]"), e.getMessage());
    }
}
