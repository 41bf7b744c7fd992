package dev.repsim.linalg;

import java.util.Locale;

/** Floating-point precision of the heavy kernels. Host-side d×d algebra is always float64. */
public enum Precision {
    F32, F64;

    /** Command-line spelling: {@code f32} or {@code f64}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static Precision parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> F32;
            case "f64", "float64" -> F64;
            default -> throw new IllegalArgumentException("unknown precision '" + s + "' (expected f32 or f64)");
        };
    }
}
