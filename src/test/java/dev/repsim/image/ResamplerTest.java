package dev.repsim.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resampling against a direct float64 evaluation of the 2-D product-kernel sum (no separable passes,
 * no precomputed tables) and against hand-derived values. Tolerance 1e-5 absolute: the separable code
 * stores its intermediate in float32 (relative error ~6e-8 per step on values in [0, 1]). The raster path
 * is also held bit for bit to the order of its sums (its result must not depend on loop order, JIT state
 * or vector width).
 */
class ResamplerTest {
    private static double[] axisWeights(int in, int out, int i, Resampler.Filter f) {
        double scale = (double) in / out, stretch = Math.max(1, scale);
        double center = (i + 0.5) * scale;
        double[] w = new double[in];
        double sum = 0;
        for (int k = 0; k < in; k++) {
            // every source sample whose centre lies within the stretched support
            double d = (k + 0.5 - center) / stretch;
            if (Math.abs(k + 0.5 - center) < f.support * stretch + 0.5) sum += (w[k] = f.weight(d));
        }
        for (int k = 0; k < in; k++) w[k] /= sum;
        return w;
    }

    private static double reference(float[] src, int h, int w, int outH, int outW, int y, int x, Resampler.Filter f) {
        double[] wy = axisWeights(h, outH, y, f), wx = axisWeights(w, outW, x, f);
        double acc = 0;
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) acc += src[r * w + c] * wy[r] * wx[c];
        return acc;
    }

    @Test
    void matchesDirectTwoDimensionalSum() {
        SplittableRandom rnd = new SplittableRandom(5);
        int h = 37, w = 53;
        float[] src = new float[h * w];
        for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextDouble();
        int[][] sizes = {{16, 24}, {80, 90}, {37, 53}, {20, 100}};
        for (Resampler.Filter f : Resampler.Filter.values()) {
            for (int[] s : sizes) {
                float[] out = Resampler.resize(src, 1, h, w, s[0], s[1], f);
                for (int y = 0; y < s[0]; y++) {
                    for (int x = 0; x < s[1]; x++) {
                        assertEquals(reference(src, h, w, s[0], s[1], y, x, f), out[y * s[1] + x], 1e-5,
                                f + " " + s[0] + "x" + s[1] + " at " + y + "," + x);
                    }
                }
            }
        }
    }

    @Test
    void halvingWithBilinearAveragesOneThreeThreeOne() {
        float[] row = {1, 2, 4, 8, 16, 32, 64, 128};
        float[] out = Resampler.resize(row, 1, 1, 8, 1, 4, Resampler.Filter.BILINEAR);
        // interior output 1 covers source 1..4 with weights 1,3,3,1 / 8
        assertEquals((2 + 3 * 4 + 3 * 8 + 16) / 8.0, out[1], 1e-6);
        // the left edge loses its first weight and renormalises: (3·1 + 3·2 + 4)/7
        assertEquals((3 * 1 + 3 * 2 + 4) / 7.0, out[0], 1e-6);
    }

    @Test
    void identityAndConstantsArePreserved() {
        float[] src = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        assertArrayEquals(src, Resampler.resize(src, 1, 2, 3, 2, 3, Resampler.Filter.BICUBIC), 1e-7f);
        float[] flat = new float[7 * 9];
        java.util.Arrays.fill(flat, 0.25f);
        for (float v : Resampler.resize(flat, 1, 7, 9, 20, 3, Resampler.Filter.BICUBIC)) assertEquals(0.25f, v, 1e-6f);
    }

    /**
     * The order the passes document, one entry at a time: each horizontal sum adds its taps in order from
     * 0 and is scaled and rounded to float32, each vertical sum adds its taps in order from 0 and is rounded
     * to float32. The passes may run in any loop order, and vectorised, but every bit must match this.
     * Repeated, so that the later rounds run the code under test JIT-compiled.
     */
    @Test
    void rasterPathAddsEveryTermInTapOrder() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int round = 0; round < 3; round++) {
            for (int t = 0; t < 40; t++) {
                int channels = 1 + rnd.nextInt(4), bits = rnd.nextBoolean() ? 8 : 16;
                int w = 1 + rnd.nextInt(90), h = 1 + rnd.nextInt(90), outW = 1 + rnd.nextInt(70), outH = 1 + rnd.nextInt(70);
                int cropW = 1 + rnd.nextInt(outW), cropH = 1 + rnd.nextInt(outH);
                int left = rnd.nextInt(outW - cropW + 1), top = rnd.nextInt(outH - cropH + 1);
                Resampler.Filter f = Resampler.Filter.values()[rnd.nextInt(2)];
                Raster img = TestImages.random(w, h, channels, bits, t);
                float[] got = Resampler.resizeCropRgb(img, outH, outW, top, left, cropH, cropW, f);
                var cx = Resampler.Coefficients.of(w, outW, left, cropW, f);
                var cy = Resampler.Coefficients.of(h, outH, top, cropH, f);
                double scale = 1.0 / img.maxValue();
                float[] want = new float[3 * cropH * cropW];
                for (int c = 0; c < 3; c++) {
                    int colour = img.colorChannels() == 1 ? 0 : c;
                    for (int y = 0; y < cropH; y++) {
                        for (int x = 0; x < cropW; x++) {
                            double v = 0;
                            for (int ky = 0; ky < cy.count()[y]; ky++) {
                                int row = cy.start()[y] + ky;
                                double u = 0;
                                for (int kx = 0; kx < cx.count()[x]; kx++) {
                                    u += img.sample(row * w + cx.start()[x] + kx, colour) * cx.weights()[x * cx.stride() + kx];
                                }
                                v += (float) (u * scale) * cy.weights()[y * cy.stride() + ky];
                            }
                            want[(c * cropH + y) * cropW + x] = (float) v;
                        }
                    }
                }
                assertArrayEquals(want, got, "round " + round + " case " + t + ": " + w + "x" + h + "x" + channels + " at " + bits
                        + " bits to " + outW + "x" + outH + ", crop " + cropW + "x" + cropH + " at " + left + "," + top + ", " + f);
            }
        }
    }

    @Test
    void rasterPathEqualsThePlanarPath() {
        for (int[] layout : new int[][]{{1, 8}, {2, 16}, {3, 8}, {4, 16}}) {
            Raster img = TestImages.random(45, 31, layout[0], layout[1], layout[0]);
            float[] planar = Resampler.resizeCrop(img.toPlanarRgb(), 3, 31, 45, 20, 29, 2, 3, 16, 16, Resampler.Filter.BICUBIC);
            float[] direct = Resampler.resizeCropRgb(img, 20, 29, 2, 3, 16, 16, Resampler.Filter.BICUBIC);
            assertArrayEquals(planar, direct, 1e-6f, java.util.Arrays.toString(layout));
        }
    }

    @Test
    void cropIsTheWindowOfTheFullResize() {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] src = new float[2 * 30 * 40];
        for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextDouble();
        float[] full = Resampler.resize(src, 2, 30, 40, 24, 32, Resampler.Filter.BICUBIC);
        float[] crop = Resampler.resizeCrop(src, 2, 30, 40, 24, 32, 4, 8, 16, 16, Resampler.Filter.BICUBIC);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    assertEquals(full[(c * 24 + y + 4) * 32 + x + 8], crop[(c * 16 + y) * 16 + x], 0f);
                }
            }
        }
    }
}
