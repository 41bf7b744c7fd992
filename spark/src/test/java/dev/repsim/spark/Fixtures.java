package dev.repsim.spark;

import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Two related representations of the same samples: X (float64) and Y = a linear map of X plus noise (float32). */
final class Fixtures {
    private Fixtures() {}

    static final int N = 600, DX = 12, DY = 8;

    static Matrix x() {
        SplittableRandom r = new SplittableRandom(16);
        double[] x = new double[N * DX];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() + (i % DX) * 0.25;
        return Matrix.of(N, DX, x);
    }

    static Matrix y(Matrix x) {
        SplittableRandom r = new SplittableRandom(61);
        double[] a = new double[DX * DY];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        float[] y = new float[N * DY];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < DY; j++) {
                double s = 0.7 * r.nextGaussian();
                for (int k = 0; k < DX; k++) s += x.get(i, k) * a[k * DY + j];
                y[i * DY + j] = (float) s;
            }
        }
        return Matrix.of(N, DY, y);
    }

    /**
     * Rows of small integers, the first column never 0 (many repeated rows and equal distances: ties for
     * the median and the neighbour ranks; no zero row, so cosine is defined).
     */
    static Matrix tied(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(3) - 1 + (i % d == 0 ? 0.5f : 0f);
        return Matrix.of(n, d, v);
    }

    /** Rows {@code [from, to)} of m as a new matrix in its precision. */
    static Matrix rows(Matrix m, int from, int to) {
        int c = m.cols();
        return m.precision() == dev.repsim.linalg.Precision.F64
                ? Matrix.of(to - from, c, Arrays.copyOfRange(m.f64(), from * c, to * c))
                : Matrix.of(to - from, c, Arrays.copyOfRange(m.f32(), from * c, to * c));
    }

    /** m written as shards of the given row counts, named so that file-name order is row order. */
    static void shards(Matrix m, Path dir, int... sizes) {
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            Npy.write(dir.resolve(String.format("part-%05d.npy", i)), rows(m, at, at + sizes[i]));
            at += sizes[i];
        }
        if (at != m.rows()) throw new IllegalArgumentException("shard sizes add up to " + at + ", not " + m.rows());
    }
}
