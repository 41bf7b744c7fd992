package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Squared Euclidean norms of matrix rows, accumulated in float64. */
public final class RowNorms {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private RowNorms() {}

    public static double[] squared(Matrix a) {
        int n = a.rows(), d = a.cols();
        double[] out = new double[n];
        if (a.precision() == dev.repsim.linalg.Precision.F64) {
            double[] x = a.f64();
            int bound = S.loopBound(d);
            for (int i = 0; i < n; i++) {
                int o = i * d, j = 0;
                DoubleVector acc = DoubleVector.zero(S);
                for (; j < bound; j += S.length()) {
                    DoubleVector v = DoubleVector.fromArray(S, x, o + j);
                    acc = v.fma(v, acc);
                }
                double s = acc.reduceLanes(VectorOperators.ADD);
                for (; j < d; j++) s += x[o + j] * x[o + j];
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
