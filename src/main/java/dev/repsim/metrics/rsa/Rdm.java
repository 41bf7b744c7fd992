package dev.repsim.metrics.rsa;

import java.util.Locale;

/** The dissimilarity between two rows that an RDM holds (rsatoolbox's names). */
public enum Rdm {
    /** 1 − Pearson correlation of the two rows across features (the correlation distance; repsim's default). */
    CORRELATION,
    /** Euclidean distance (RSA ranks it, so squared or not makes no difference). */
    EUCLIDEAN;

    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static Rdm parse(String s) {
        for (Rdm r : values()) if (r.label().equals(s.strip().toLowerCase(Locale.ROOT))) return r;
        throw new IllegalArgumentException("--rdm: unknown RDM '" + s + "' (expected correlation or euclidean)");
    }
}
