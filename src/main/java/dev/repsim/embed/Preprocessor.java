package dev.repsim.embed;

import dev.repsim.image.Raster;
import dev.repsim.image.Resampler;

/**
 * Image → model input, as torchvision's {@code Resize(r) → CenterCrop(c) → ToTensor → Normalize}:
 * the shorter side becomes r (the longer one ⌊r·long/short⌋), the c×c window at
 * top = round((h' − c)/2), left = round((w' − c)/2) (Python's round half to even) is kept, then
 * (x − mean)/std per channel, planar RGB (grey replicated, alpha dropped).
 */
public final class Preprocessor {
    private final ModelConfig config;
    private final float[] mean = new float[3];
    private final float[] invStd = new float[3];

    public Preprocessor(ModelConfig config) {
        this.config = config;
        for (int c = 0; c < 3; c++) {
            mean[c] = (float) config.mean()[c];
            invStd[c] = (float) (1 / config.std()[c]);
        }
    }

    /** Values per image: 3·crop·crop. */
    public int size() {
        return 3 * config.crop() * config.crop();
    }

    /** The normalised CHW tensor of one image. */
    public float[] apply(Raster img) {
        int h = img.height(), w = img.width(), r = config.resize(), c = config.crop();
        int outH, outW;
        if (h <= w) {
            outH = r;
            outW = (int) ((long) r * w / h);
        } else {
            outW = r;
            outH = (int) ((long) r * h / w);
        }
        if (outH < c || outW < c) {
            throw new IllegalArgumentException("image " + w + "x" + h + " resized to " + outW + "x" + outH + " is smaller than the crop " + c);
        }
        int top = (int) Math.rint((outH - c) / 2.0);
        int left = (int) Math.rint((outW - c) / 2.0);
        float[] x = Resampler.resizeCropRgb(img, outH, outW, top, left, c, c, config.filter());
        int plane = c * c;
        for (int ch = 0; ch < 3; ch++) {
            float m = mean[ch], s = invStd[ch];
            for (int i = ch * plane, e = i + plane; i < e; i++) x[i] = (x[i] - m) * s;
        }
        return x;
    }
}
