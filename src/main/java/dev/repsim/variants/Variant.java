package dev.repsim.variants;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The image variants of Cadet et al. (2023): which pixels of the source each keeps; the others are
 * filled. {@code center} keeps the disc of radius r·min(h, w)/2 around the image centre (pixel centres
 * at (x + ½, y + ½)); {@code border} is its complement.
 */
public enum Variant {
    FULL, FOREGROUND, BACKGROUND, CENTER, BORDER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the variant keeps or drops the foreground, so needs a mask ({@code foreground}, {@code background}). */
    public boolean needsMask() {
        return this == FOREGROUND || this == BACKGROUND;
    }

    public static Variant parse(String s) {
        for (Variant v : values()) if (v.id().equals(s.strip())) return v;
        throw new IllegalArgumentException("unknown variant '" + s + "' (expected full, foreground, background, center, border)");
    }

    /** Parses a comma-separated list, keeping its order; duplicates are an error. */
    public static List<Variant> parseList(String s) {
        List<Variant> out = new ArrayList<>();
        for (String part : s.split(",")) {
            Variant v = parse(part);
            if (out.contains(v)) throw new IllegalArgumentException("variant '" + v.id() + "' listed twice in --variants");
            out.add(v);
        }
        return out;
    }

    /** Per-pixel keep flags for a w × h image; {@code mask} may be null for variants that need none. */
    public boolean[] kept(Mask mask, int w, int h, double radius) {
        if (needsMask() && mask == null) throw new IllegalArgumentException("variant '" + id() + "' needs a mask");
        boolean[] keep = new boolean[w * h];
        switch (this) {
            case FULL -> java.util.Arrays.fill(keep, true);
            case FOREGROUND -> System.arraycopy(mask.foreground(), 0, keep, 0, keep.length);
            case BACKGROUND -> {
                for (int p = 0; p < keep.length; p++) keep[p] = !mask.foreground()[p];
            }
            case CENTER, BORDER -> {
                double r = radius * Math.min(w, h) / 2.0, r2 = r * r;
                double cx = w / 2.0, cy = h / 2.0;
                boolean inside = this == CENTER;
                for (int y = 0; y < h; y++) {
                    double dy = y + 0.5 - cy;
                    for (int x = 0; x < w; x++) {
                        double dx = x + 0.5 - cx;
                        keep[y * w + x] = (dx * dx + dy * dy <= r2) == inside;
                    }
                }
            }
        }
        return keep;
    }
}
