package dev.repsim.image;

import java.util.Arrays;

/**
 * Separable antialiased resampling of planar float images, the convolution scheme of Pillow's
 * {@code Image.resize} (which torchvision's {@code Resize(antialias=True)} reproduces): output sample x
 * maps to source centre c = (x + ½)·s with s = in/out; the filter is stretched by max(s, 1) so that
 * downscaling averages every source pixel it covers; weights are normalised to sum to 1 (so edges
 * renormalise over the samples that exist). Only the requested crop window of the resized image is
 * computed, which makes "resize shorter side, then centre crop" one pass.
 */
public final class Resampler {
    private Resampler() {}

    /** Interpolation kernels: triangle (support 1) and Keys cubic with a = −½ (support 2). */
    public enum Filter {
        BILINEAR(1) {
            @Override double weight(double x) {
                x = Math.abs(x);
                return x < 1 ? 1 - x : 0;
            }
        },
        BICUBIC(2) {
            @Override double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
                if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
                return 0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    /** Per-output-sample source ranges and normalised weights along one axis. */
    record Coefficients(int[] start, int[] count, double[] weights, int stride) {
        static Coefficients of(int in, int out, int from, int n, Filter f) {
            double scale = (double) in / out;
            double stretch = Math.max(scale, 1);
            double support = f.support * stretch;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[n];
            int[] count = new int[n];
            double[] w = new double[n * stride];
            for (int i = 0; i < n; i++) {
                double center = (from + i + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), in);
                double sum = 0;
                for (int k = lo; k < hi; k++) sum += (w[i * stride + k - lo] = f.weight((k - center + 0.5) / stretch));
                if (sum == 0) throw new IllegalStateException("resampling window is empty at output " + (from + i));
                for (int k = 0; k < hi - lo; k++) w[i * stride + k] /= sum;
                start[i] = lo;
                count[i] = hi - lo;
            }
            return new Coefficients(start, count, w, stride);
        }
    }

    /**
     * Resizes planar {@code src} [channels][h][w] to (outH, outW) and returns the window of size
     * (cropH, cropW) starting at (top, left) of that resized image, planar [channels][cropH][cropW].
     */
    public static float[] resizeCrop(float[] src, int channels, int h, int w, int outH, int outW,
                                     int top, int left, int cropH, int cropW, Filter filter) {
        Plan plan = new Plan(h, w, outH, outW, top, left, cropH, cropW, filter, 1);
        float[] out = new float[channels * cropH * cropW];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            Coefficients cx = plan.cx;
            for (int y = 0; y < plan.rows; y++) {
                int srow = plane + (plan.rowLo + y) * w;
                for (int x = 0; x < cropW; x++) {
                    int s0 = srow + cx.start[x], wb = x * cx.stride;
                    double acc = 0;
                    for (int k = 0; k < cx.count[x]; k++) acc += src[s0 + k] * cx.weights[wb + k];
                    plan.tmp[y * cropW + x] = (float) acc;
                }
            }
            plan.vertical(0, out, c * cropH * cropW);
        }
        return out;
    }

    /**
     * The same resize and crop read straight from a raster's interleaved samples, scaled to [0, 1]:
     * planar RGB [3][cropH][cropW] (grey computed once and replicated, alpha ignored), without a
     * full-size float copy of the image.
     */
    public static float[] resizeCropRgb(Raster img, int outH, int outW, int top, int left, int cropH, int cropW, Filter filter) {
        int h = img.height(), w = img.width(), stride = img.channels(), colours = img.colorChannels();
        Plan plan = new Plan(h, w, outH, outW, top, left, cropH, cropW, filter, colours);
        short[] src = img.samples();
        double scale = 1.0 / img.maxValue();
        int plane = cropH * cropW, tmpPlane = plan.rows * cropW;
        float[] out = new float[3 * plane], tmp = plan.tmp;
        Coefficients cx = plan.cx;
        // The colours of a pixel in one loop over its taps: each colour's sum still adds its terms in tap
        // order (the bits of one colour at a time), and the three chains overlap their additions' latency.
        for (int y = 0; y < plan.rows; y++) {
            int srow = (plan.rowLo + y) * w, t = y * cropW;
            for (int x = 0; x < cropW; x++) {
                int s = (srow + cx.start[x]) * stride, wb = x * cx.stride, n = cx.count[x];
                if (colours == 3) {
                    double a0 = 0, a1 = 0, a2 = 0;
                    for (int k = 0; k < n; k++, s += stride) {
                        double wk = cx.weights[wb + k];
                        a0 += (src[s] & 0xffff) * wk;
                        a1 += (src[s + 1] & 0xffff) * wk;
                        a2 += (src[s + 2] & 0xffff) * wk;
                    }
                    tmp[t + x] = (float) (a0 * scale);
                    tmp[tmpPlane + t + x] = (float) (a1 * scale);
                    tmp[2 * tmpPlane + t + x] = (float) (a2 * scale);
                } else {
                    double a = 0;
                    for (int k = 0; k < n; k++, s += stride) a += (src[s] & 0xffff) * cx.weights[wb + k];
                    tmp[t + x] = (float) (a * scale);
                }
            }
        }
        for (int c = 0; c < colours; c++) plan.vertical(c * tmpPlane, out, c * plane);
        if (colours == 1) {
            System.arraycopy(out, 0, out, plane, plane);
            System.arraycopy(out, 0, out, 2 * plane, plane);
        }
        return out;
    }

    /** Coefficients of both axes and the scratch rows of one resize + crop. */
    private static final class Plan {
        final Coefficients cx;
        final Coefficients cy;
        final int rowLo;
        final int rows;
        final int cropW;
        final int cropH;
        /** The horizontally resampled rows, {@code planes} planes of rows × cropW. */
        final float[] tmp;
        /** One output row's sums in the vertical pass. */
        private final double[] acc;

        Plan(int h, int w, int outH, int outW, int top, int left, int cropH, int cropW, Filter filter, int planes) {
            if (top < 0 || left < 0 || top + cropH > outH || left + cropW > outW) {
                throw new IllegalArgumentException("crop " + cropH + "x" + cropW + " at (" + top + "," + left
                        + ") outside " + outH + "x" + outW);
            }
            cx = Coefficients.of(w, outW, left, cropW, filter);
            cy = Coefficients.of(h, outH, top, cropH, filter);
            rowLo = cy.start[0];
            rows = cy.start[cropH - 1] + cy.count[cropH - 1] - rowLo;
            this.cropW = cropW;
            this.cropH = cropH;
            tmp = new float[planes * rows * cropW];
            acc = new double[cropW];
        }

        /**
         * The vertical pass from the plane of {@code tmp} at t0 into out[o..]. A whole output row at a
         * time, tap by tap: every entry still adds its terms in tap order from 0 (the bits of one entry at
         * a time), and the loop over the row's entries vectorises.
         */
        void vertical(int t0, float[] out, int o) {
            for (int y = 0; y < cropH; y++) {
                int r0 = t0 + (cy.start[y] - rowLo) * cropW, wb = y * cy.stride, n = cy.count[y];
                Arrays.fill(acc, 0.0);
                for (int k = 0; k < n; k++) {
                    double wk = cy.weights[wb + k];
                    for (int x = 0, r = r0 + k * cropW; x < cropW; x++) acc[x] += tmp[r + x] * wk;
                }
                for (int x = 0, e = o + y * cropW; x < cropW; x++) out[e + x] = (float) acc[x];
            }
        }
    }

    /** Plain resize of every plane to (outH, outW). */
    public static float[] resize(float[] src, int channels, int h, int w, int outH, int outW, Filter filter) {
        return resizeCrop(src, channels, h, w, outH, outW, 0, 0, outH, outW, filter);
    }
}
