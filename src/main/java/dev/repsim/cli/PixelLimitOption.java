package dev.repsim.cli;

import dev.repsim.image.PixelLimit;
import picocli.CommandLine.Option;

/** {@code --max-pixels}, a picocli mixin of the commands that decode images ({@code variants}, {@code embed}). */
final class PixelLimitOption {
    @Option(names = "--max-pixels", defaultValue = "" + PixelLimit.DEFAULT_MAX, paramLabel = "N",
            description = "Refuse (or with --skip-bad, skip) an image whose header declares more than N pixels, before decoding it (default: ${DEFAULT-VALUE}, Pillow's decompression-bomb limit).")
    long maxPixels;

    /** The limit; an out-of-range N fails here, naming the option. */
    PixelLimit limit() {
        return new PixelLimit(maxPixels);
    }
}
