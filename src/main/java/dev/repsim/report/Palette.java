package dev.repsim.report;

import java.awt.Color;

/** Colours of the figures: a sequential map for values and a categorical set for groups. */
public final class Palette {
    private Palette() {}

    // Anchors of matplotlib's "viridis" (perceptually uniform, readable in grey and by most colour-blind
    // readers), sampled at 0, 1/8, ..., 1; values in between are interpolated linearly in RGB.
    private static final int[] VIRIDIS = {0x440154, 0x46327E, 0x365C8D, 0x277F8E, 0x1FA187, 0x4AC16D, 0x9FDA3A, 0xFDE725};

    // Tableau 10: distinct categorical colours.
    private static final int[] CATEGORICAL = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};

    /** The sequential colour of t in [0, 1] (clamped). */
    public static Color sequential(double t) {
        if (Double.isNaN(t)) throw new IllegalArgumentException("colour of NaN");
        double u = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) u, VIRIDIS.length - 2);
        double f = u - i;
        Color a = new Color(VIRIDIS[i]), b = new Color(VIRIDIS[i + 1]);
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    /** Colour of group i; past ten groups the colours repeat darker. */
    public static Color category(int i) {
        Color c = new Color(CATEGORICAL[i % CATEGORICAL.length]);
        for (int k = 0; k < i / CATEGORICAL.length; k++) c = c.darker();
        return c;
    }

    /** Black or white, whichever reads better on the background (WCAG relative luminance). */
    public static Color textOn(Color bg) {
        double l = 0.2126 * lin(bg.getRed()) + 0.7152 * lin(bg.getGreen()) + 0.0722 * lin(bg.getBlue());
        return l > 0.179 ? Color.BLACK : Color.WHITE;
    }

    private static double lin(int c) {
        double s = c / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
