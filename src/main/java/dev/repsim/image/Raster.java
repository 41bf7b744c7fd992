package dev.repsim.image;

import java.util.Objects;

/**
 * A decoded image at the source's sample depth: {@code channels} interleaved unsigned samples of
 * {@code bits} (8 or 16) per pixel, row-major. Channels are 1 (grey), 2 (grey + alpha), 3 (RGB) or
 * 4 (RGBA). Keeping the depth lets a variant write back exactly the pixels it keeps.
 */
public final class Raster {
    private final int width;
    private final int height;
    private final int channels;
    private final int bits;
    private final short[] samples;

    public Raster(int width, int height, int channels, int bits, short[] samples) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (channels < 1 || channels > 4) throw new IllegalArgumentException("channels " + channels + " not in 1..4");
        if (bits != 8 && bits != 16) throw new IllegalArgumentException("bits per sample " + bits + " (expected 8 or 16)");
        if (Objects.requireNonNull(samples).length != (long) width * height * channels) {
            throw new IllegalArgumentException("sample count " + samples.length + " != " + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.bits = bits;
        this.samples = samples;
    }

    /** A blank image of the given layout (all samples zero). */
    public static Raster blank(int width, int height, int channels, int bits) {
        return new Raster(width, height, channels, bits, new short[Math.multiplyExact(Math.multiplyExact(width, height), channels)]);
    }

    public int width() { return width; }
    public int height() { return height; }
    public int channels() { return channels; }
    public int bits() { return bits; }
    public int pixels() { return width * height; }

    /** Largest sample value: 255 or 65535. */
    public int maxValue() { return (1 << bits) - 1; }

    public boolean hasAlpha() { return channels == 2 || channels == 4; }

    /** Channels carrying colour (1 for grey, 3 for RGB), excluding alpha. */
    public int colorChannels() { return channels <= 2 ? 1 : 3; }

    /** Sample {@code c} of pixel {@code p} (= y·width + x), unsigned. */
    public int sample(int p, int c) {
        return samples[p * channels + c] & 0xffff;
    }

    public void setSample(int p, int c, int value) {
        samples[p * channels + c] = (short) value;
    }

    /** The interleaved samples (shared, not copied; read them unsigned with {@code & 0xffff}). */
    public short[] samples() { return samples; }

    public Raster copy() {
        return new Raster(width, height, channels, bits, samples.clone());
    }

    /**
     * Colour as planar float RGB in [0, 1]: [3][height][width], grey replicated to three planes, alpha
     * dropped (as PIL's {@code convert("RGB")} does, the usual step before a vision model).
     */
    public float[] toPlanarRgb() {
        int n = pixels();
        float[] out = new float[3 * n];
        float inv = 1f / maxValue();
        if (colorChannels() == 1) {
            for (int p = 0; p < n; p++) {
                float v = (samples[p * channels] & 0xffff) * inv;
                out[p] = v;
                out[n + p] = v;
                out[2 * n + p] = v;
            }
        } else {
            for (int p = 0; p < n; p++) {
                int b = p * channels;
                out[p] = (samples[b] & 0xffff) * inv;
                out[n + p] = (samples[b + 1] & 0xffff) * inv;
                out[2 * n + p] = (samples[b + 2] & 0xffff) * inv;
            }
        }
        return out;
    }
}
