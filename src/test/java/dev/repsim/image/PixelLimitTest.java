package dev.repsim.image;

import dev.repsim.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.*;

/** The decompression-bomb guard of {@link ImageDecoder}: the header's size is checked before decoding. */
class PixelLimitTest {
    @TempDir
    Path dir;

    @Test
    void aBombIsRefusedFromItsHeaderWithoutDecoding() throws Exception {
        byte[] bomb = PngChunks.bomb(40_000, 40_000);
        assertTrue(bomb.length < 2_000_000, "a small file: " + bomb.length + " bytes");
        Path f = Files.write(dir.resolve("bomb.png"), bomb);
        assertEquals(new ImageDecoder.Size(40_000, 40_000), ImageDecoder.size(f));
        // decoding 1.6 G pixels would take the heap and far longer than this
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(InputException.class, () -> ImageDecoder.read(f)));
        assertTrue(e.getMessage().startsWith(f + ": image declares 40000x40000 = 1600000000 pixels, more than the limit of "
                + PixelLimit.DEFAULT_MAX), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theBombsZlibStreamInflatesToExactlyTheZeros() throws Exception {
        for (long n : new long[] {0, 1, 70_000, 2L << 20, 3 * (1L << 20) + 12_345}) {
            Inflater inf = new Inflater();
            inf.setInput(PngChunks.zlibZeros(n));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            while (!inf.finished()) {
                int got = inf.inflate(buf);
                assertFalse(got == 0 && !inf.finished() && inf.needsInput(), "stream ends early after " + total + " of " + n);
                for (int i = 0; i < got; i++) assertEquals(0, buf[i]);
                total += got;
            }
            assertEquals(n, total);
            assertEquals((n % 65521) << 16 | 1, inf.getAdler(), "Adler-32 checked by the inflater");
            inf.end();
        }
    }

    @Test
    void theLimitIsWidthTimesHeightInclusive() throws Exception {
        Path f = Files.write(dir.resolve("b.png"), PngChunks.bomb(300, 200));
        Raster r = ImageDecoder.read(f, new PixelLimit(300 * 200));
        assertEquals(300, r.width());
        assertEquals(200, r.height());
        InputException e = assertThrows(InputException.class, () -> ImageDecoder.read(f, new PixelLimit(300 * 200 - 1)));
        assertTrue(e.getMessage().contains("300x200 = 60000 pixels, more than the limit of 59999"), e.getMessage());
        assertThrows(InputException.class, () -> ImageDecoder.decode(Files.readAllBytes(f), f, new PixelLimit(59_999)));
    }

    @Test
    void jpegHeadersAreCheckedToo() throws Exception {
        Path f = dir.resolve("a.jpg");
        TestImages.jpeg(f, 64, 48, false);
        assertEquals(new ImageDecoder.Size(64, 48), ImageDecoder.size(f));
        InputException e = assertThrows(InputException.class, () -> ImageDecoder.read(f, new PixelLimit(64 * 48 - 1)));
        assertTrue(e.getMessage().startsWith(f + ": image declares 64x48"), e.getMessage());
    }

    @Test
    void limitsOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PixelLimit(0));
        assertThrows(IllegalArgumentException.class, () -> new PixelLimit(PixelLimit.CEILING + 1));
        // the highest limit keeps an RGBA image's samples within one Java array
        assertTrue(PixelLimit.CEILING * 4 <= Integer.MAX_VALUE);
        assertEquals(1024L * 1024 * 1024 / 4 / 3, PixelLimit.DEFAULT_MAX, "Pillow's MAX_IMAGE_PIXELS");
    }
}
