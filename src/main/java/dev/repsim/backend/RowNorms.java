package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.FixedOrderSums;

/** Squared Euclidean norms of matrix rows, accumulated in float64 (float64 rows in the canonical order of {@link FixedOrderSums}). */
public final class RowNorms {
    private RowNorms() {}

    public static double[] squared(Matrix a) {
        return squared(a, null);
    }

    /**
     * ‖x_i − μ‖² for the rows of A − 1μᵀ as {@link Matrix#centered(double[])} holds them (no centred copy
     * is made), or ‖x_i‖² when {@code mean} is null.
     */
    public static double[] squared(Matrix a, double[] mean) {
        int n = a.rows(), d = a.cols();
        double[] out = new double[n];
        if (a.precision() == dev.repsim.linalg.Precision.F64) {
            double[] row = mean == null ? null : new double[d];
            for (int i = 0; i < n; i++) {
                double[] x = a.f64();
                int o = i * d;
                if (row != null) {
                    a.centeredRow(i, 0, d, mean, row, 0);
                    x = row;
                    o = 0;
                }
                out[i] = FixedOrderSums.squaredNorm(x, o, d);
            }
        } else {
            float[] row = mean == null ? null : new float[d];
            for (int i = 0; i < n; i++) {
                float[] x = a.f32();
                int o = i * d;
                if (row != null) {
                    a.centeredRow(i, 0, d, mean, row, 0);
                    x = row;
                    o = 0;
                }
                double s = 0;
                for (int j = o, e = o + d; j < e; j++) s += (double) x[j] * x[j];
                out[i] = s;
            }
        }
        return out;
    }
}
