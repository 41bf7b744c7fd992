package dev.repsim.backend.opencl;

/**
 * The k nearest other rows of every row: {@code index[i*k + r]} is the r-th nearest (ascending
 * distance, ties by smaller index) and {@code dist2} its squared Euclidean distance (for cosine, of
 * the unit-normalised rows: 2(1 − cos)).
 */
public record Neighbours(int n, int k, int[] index, double[] dist2) {}
