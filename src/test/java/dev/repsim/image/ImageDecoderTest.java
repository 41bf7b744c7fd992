package dev.repsim.image;

import dev.repsim.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} channels, {1} bits")
    @CsvSource({"1,8", "2,8", "3,8", "4,8", "1,16", "2,16", "3,16", "4,16"})
    void pngRoundTripIsExact(int channels, int bits) {
        Raster r = TestImages.random(37, 23, channels, bits, channels * 100L + bits);
        Path f = dir.resolve("a.png");
        PngWriter.write(f, r);
        Raster back = ImageDecoder.read(f);
        assertEquals(channels, back.channels());
        assertEquals(bits, back.bits());
        assertEquals(37, back.width());
        assertEquals(23, back.height());
        assertArrayEquals(r.samples(), back.samples());
    }

    @Test
    void jpegGreyAndRgb() throws Exception {
        TestImages.jpeg(dir.resolve("g.jpg"), 40, 30, true);
        TestImages.jpeg(dir.resolve("c.jpg"), 40, 30, false);
        Raster g = ImageDecoder.read(dir.resolve("g.jpg"));
        Raster c = ImageDecoder.read(dir.resolve("c.jpg"));
        assertEquals(1, g.channels());
        assertEquals(3, c.channels());
        assertEquals(8, c.bits());
        // the red channel ramps with x: left edge dark, right edge bright (checks RGB order, not BGR)
        assertTrue(c.sample(29 * 40 + 39, 0) > 200 && c.sample(0, 0) < 40, "red channel ramp");
    }

    @Test
    void truncatedJpegIsAnErrorNamingTheFile() throws Exception {
        Path f = dir.resolve("t.jpg");
        TestImages.jpeg(f, 200, 150, false);
        TestImages.truncate(f, 0.5);
        InputException e = assertThrows(InputException.class, () -> ImageDecoder.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedPngIsAnError() {
        Path f = dir.resolve("t.png");
        PngWriter.write(f, TestImages.random(64, 64, 3, 8, 1));
        assertThrows(InputException.class, () -> {
            TestImages.truncate(f, 0.6);
            ImageDecoder.read(f);
        });
    }

    @Test
    void nonImageAndEmptyFilesAreErrors() throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.jpg"), "hello, not an image");
        InputException e = assertThrows(InputException.class, () -> ImageDecoder.read(txt));
        assertEquals(txt + ": not a JPEG or PNG image (unrecognised content)", e.getMessage());
        Path empty = Files.write(dir.resolve("e.png"), new byte[0]);
        assertTrue(assertThrows(InputException.class, () -> ImageDecoder.read(empty)).getMessage().startsWith(empty.toString()));
    }

    @Test
    void otherFormatsAreRejected() throws Exception {
        Path bmp = dir.resolve("x.bmp");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        javax.imageio.ImageIO.write(img, "bmp", bmp.toFile());
        assertTrue(assertThrows(InputException.class, () -> ImageDecoder.read(bmp)).getMessage().contains("unsupported image format"));
    }

    @Test
    void paletteImagesExpandToTheSameColours() throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(5, 3, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED);
        img.setRGB(2, 1, 0xff0000);
        Path f = dir.resolve("p.png");
        javax.imageio.ImageIO.write(img, "png", f.toFile());
        Raster r = ImageDecoder.read(f);
        assertEquals(3, r.channels());
        int p = 1 * 5 + 2;
        int rgb = img.getRGB(2, 1);
        assertEquals((rgb >> 16) & 0xff, r.sample(p, 0));
        assertEquals((rgb >> 8) & 0xff, r.sample(p, 1));
        assertEquals(rgb & 0xff, r.sample(p, 2));
    }
}
