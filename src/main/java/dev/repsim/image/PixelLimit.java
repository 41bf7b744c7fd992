package dev.repsim.image;

import dev.repsim.io.InputException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The most pixels an image may declare before it is decoded: a guard against decompression bombs (a
 * small PNG or JPEG whose header announces gigapixels, which would exhaust the heap). Checked on the
 * header alone, so a refused image costs no decoding.
 *
 * @param max largest width × height accepted
 */
public record PixelLimit(long max) {
    /** Pillow's default {@code Image.MAX_IMAGE_PIXELS} (1024³ / 4 / 3): the limit users of Python tools expect. */
    public static final long DEFAULT_MAX = 89_478_485L;
    /** The highest limit: the samples of an RGBA image this large still fit one Java array. */
    public static final long CEILING = (Integer.MAX_VALUE - 8) / 4;
    public static final PixelLimit DEFAULT = new PixelLimit(DEFAULT_MAX);

    public PixelLimit {
        if (max < 1 || max > CEILING) {
            throw new IllegalArgumentException("--max-pixels must be between 1 and " + CEILING + ", got " + max);
        }
    }

    /** Throws when {@code file}'s declared size is empty or above the limit. */
    public void check(Path file, long width, long height) {
        if (width < 1 || height < 1) throw new InputException(file, "image has no pixels (" + width + "x" + height + ")");
        long pixels = width * height; // both come from int header fields: no overflow
        if (pixels > max) {
            throw new InputException(file, String.format(Locale.ROOT,
                    "image declares %dx%d = %d pixels, more than the limit of %d (max-pixels); not decoded (decompression bomb?)",
                    width, height, pixels, max));
        }
    }
}
