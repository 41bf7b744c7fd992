package dev.repsim.variants;

/** A foreground mask: one flag per pixel, row-major, the size of its image. */
public record Mask(int width, int height, boolean[] foreground) {
    public Mask {
        if (foreground.length != width * height) throw new IllegalArgumentException("mask size mismatch");
    }

    /** Fraction of pixels that are foreground. */
    public double share() {
        int n = 0;
        for (boolean b : foreground) if (b) n++;
        return (double) n / foreground.length;
    }
}
