package dev.repsim.embed;

import java.util.Locale;

/**
 * How a model output becomes one vector per image: {@code none} takes a [B, D] output as is;
 * {@code cls} takes token 0 of a [B, T, D] output (the CLS token of DINOv2/MAE ViTs); {@code mean}
 * averages tokens {@code skipTokens}..T−1 (the patch tokens, leaving out CLS and any register tokens).
 */
public enum Pooling {
    NONE, CLS, MEAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Pooling parse(String s) {
        for (Pooling p : values()) if (p.id().equals(s)) return p;
        throw new IllegalArgumentException("unknown pooling '" + s + "' (expected none, cls, mean)");
    }

    /** Output rank this pooling expects: 2 for none, 3 for token outputs. */
    public int rank() {
        return this == NONE ? 2 : 3;
    }

    /**
     * Pools {@code rows} images of a [rows, tokens, dim] (or [rows, dim]) output into [rows, dim];
     * token sums accumulate in float64.
     */
    public float[] pool(float[] out, int rows, int tokens, int dim, int skipTokens) {
        if (this == NONE) return out.length == rows * dim ? out : java.util.Arrays.copyOf(out, rows * dim);
        float[] v = new float[rows * dim];
        for (int b = 0; b < rows; b++) {
            int base = b * tokens * dim;
            if (this == CLS) {
                System.arraycopy(out, base, v, b * dim, dim);
            } else {
                double[] acc = new double[dim];
                for (int t = skipTokens; t < tokens; t++) {
                    for (int j = 0; j < dim; j++) acc[j] += out[base + t * dim + j];
                }
                for (int j = 0; j < dim; j++) v[b * dim + j] = (float) (acc[j] / (tokens - skipTokens));
            }
        }
        return v;
    }
}
