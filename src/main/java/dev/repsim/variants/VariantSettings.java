package dev.repsim.variants;

import dev.repsim.image.PixelLimit;

import java.util.List;

/**
 * How variants are made: which ones (in this order per image), the fill, the centre-disc radius as a
 * fraction of min(h, w)/2, the noise seed, worker threads, and whether bad images are skipped (listed
 * in {@code skipped.csv}) instead of stopping the run, and the most pixels an image may declare.
 */
public record VariantSettings(List<Variant> variants, Fill fill, double radius, long seed, int threads, boolean skipBad,
                              PixelLimit pixelLimit) {
    public VariantSettings {
        variants = List.copyOf(variants);
        java.util.Objects.requireNonNull(pixelLimit);
        if (variants.isEmpty()) throw new IllegalArgumentException("--variants: no variant selected");
        // At most 1 (the disc inscribed in the image), as a study file allows.
        if (!(radius > 0 && radius <= 1)) throw new IllegalArgumentException("--radius must be in (0, 1], got " + radius);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }

    /** Settings under the default pixel limit. */
    public VariantSettings(List<Variant> variants, Fill fill, double radius, long seed, int threads, boolean skipBad) {
        this(variants, fill, radius, seed, threads, skipBad, PixelLimit.DEFAULT);
    }

    /** All five variants, gray fill (as the CLI and a study), radius 0.5, seed 0, one thread per core, stop on bad input. */
    public static VariantSettings defaults() {
        return new VariantSettings(List.of(Variant.values()), Fill.GRAY, 0.5, 0,
                Runtime.getRuntime().availableProcessors(), false);
    }
}
