package dev.repsim.backend;

import dev.repsim.linalg.Matrix;

/** Squared Euclidean norms of matrix rows, accumulated in float64. */
public final class RowNorms {
    private RowNorms() {}

    public static double[] squared(Matrix a) {
        int n = a.rows(), d = a.cols();
        double[] out = new double[n];
        if (a.precision() == dev.repsim.linalg.Precision.F64) {
            double[] x = a.f64();
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = i * d, e = j + d; j < e; j++) s += x[j] * x[j];
                out[i] = s;
            }
        } else {
            float[] x = a.f32();
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = i * d, e = j + d; j < e; j++) s += (double) x[j] * x[j];
                out[i] = s;
            }
        }
        return out;
    }
}
