package dev.repsim.variants;

import dev.repsim.image.Raster;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What replaces removed pixels: black (0), the image's mean colour (per channel over all pixels,
 * rounded), mid-grey (half the sample range, 128 or 32768), or Gaussian noise with the image's
 * per-channel mean and standard deviation, clipped to the sample range and rounded. Noise is drawn from
 * a generator seeded by (seed, image, variant), so it does not depend on thread scheduling. Filled
 * pixels are opaque where the image has alpha.
 */
public enum Fill {
    BLACK, MEAN, GRAY, NOISE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Fill parse(String s) {
        for (Fill f : values()) if (f.id().equals(s)) return f;
        throw new IllegalArgumentException("unknown fill '" + s + "' (expected black, mean, gray, noise)");
    }

    /** A copy of {@code src} with the pixels not kept replaced. */
    public Raster apply(Raster src, boolean[] keep, long seed, String image, Variant variant) {
        Raster out = src.copy();
        int colours = src.colorChannels(), max = src.maxValue();
        double[] mean = new double[colours], std = new double[colours];
        if (this == MEAN || this == NOISE) moments(src, mean, std);
        SplittableRandom random = this == NOISE ? new SplittableRandom(mix(seed, image, variant)) : null;
        int[] constant = new int[colours];
        for (int c = 0; c < colours; c++) {
            constant[c] = switch (this) {
                case BLACK, NOISE -> 0;
                case MEAN -> (int) Math.round(mean[c]);
                case GRAY -> (max + 1) / 2;
            };
        }
        for (int p = 0; p < keep.length; p++) {
            if (keep[p]) continue;
            for (int c = 0; c < colours; c++) {
                int v = constant[c];
                if (random != null) {
                    v = (int) Math.round(Math.clamp(mean[c] + std[c] * random.nextGaussian(), 0.0, max));
                }
                out.setSample(p, c, v);
            }
            if (src.hasAlpha()) out.setSample(p, colours, max);
        }
        return out;
    }

    /** Per-channel mean and (population) standard deviation, accumulated in float64. */
    static void moments(Raster r, double[] mean, double[] std) {
        int n = r.pixels();
        for (int c = 0; c < mean.length; c++) {
            double s = 0;
            for (int p = 0; p < n; p++) s += r.sample(p, c);
            mean[c] = s / n;
            double q = 0;
            for (int p = 0; p < n; p++) {
                double d = r.sample(p, c) - mean[c];
                q += d * d;
            }
            std[c] = Math.sqrt(q / n);
        }
    }

    /** A 64-bit seed from the user seed, the image's relative path and the variant (SplitMix64 finaliser). */
    static long mix(long seed, String image, Variant variant) {
        long z = seed * 0x9E3779B97F4A7C15L + image.hashCode() * 0xBF58476D1CE4E5B9L + variant.ordinal();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
