package dev.repsim.variants;

/**
 * One line of {@code variants.csv}: the source image (relative to the images folder), its label, the
 * variant, the variant's PNG (relative to the output folder) and the mask's foreground share of pixels.
 */
public record VariantRow(String image, String label, String variant, String path, double foregroundShare) {}
