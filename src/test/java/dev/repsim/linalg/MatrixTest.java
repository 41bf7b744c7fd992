package dev.repsim.linalg;

import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MatrixTest {

    /**
     * Column means against Commons Math's (two-pass corrected) mean of each column, for a matrix small
     * enough to be summed on one thread and one large enough to be summed in parallel blocks, f64 and f32.
     * Columns carry offsets up to 1 000 on unit noise, so a lost or doubled block would show far above the
     * tolerance (1e-13 of the column's magnitude; the blocked float64 sum errs by a few ulps).
     */
    /** The largest magnitude, whatever the length's remainder after the vector loop; NaN and Inf show through. */
    @Test
    void maxAbsIsTheLargestMagnitude() {
        for (int len : new int[]{0, 1, 7, 8, 9, 33, 1000}) {
            double[] a = new double[len];
            float[] f = new float[len];
            Random r = new Random(len);
            double want = 0;
            for (int i = 0; i < len; i++) {
                a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
                f[i] = (float) a[i];
                want = Math.max(want, Math.abs(a[i]));
            }
            if (len > 0) {
                int at = len - 1; // the largest in the scalar tail, and negative
                a[at] = -2 * want - 1;
                f[at] = (float) a[at];
                want = -a[at];
            }
            assertEquals(want, Matrix.of(1, len, a).maxAbs(), "f64, " + len);
            assertEquals((float) want, (float) Matrix.of(1, len, f).maxAbs(), "f32, " + len);
        }
        assertEquals(Double.NaN, Matrix.of(1, 9, new double[]{1, 2, 3, Double.NaN, 5, 6, 7, 8, 9}).maxAbs());
        assertEquals(Double.POSITIVE_INFINITY, Matrix.of(1, 3, new double[]{1, Double.NEGATIVE_INFINITY, 3}).maxAbs());
    }

    @Test
    void columnMeansMatchReference() {
        for (int[] shape : new int[][] {{7, 5}, {2048, 3}, {4099, 300}}) {
            for (boolean f32 : new boolean[] {false, true}) {
                Matrix m = offsetNoise(shape[0], shape[1], f32, 17 + shape[0]);
                double[] mean = m.columnMeans();
                for (int c = 0; c < shape[1]; c++) {
                    double[] column = new double[shape[0]];
                    for (int r = 0; r < shape[0]; r++) column[r] = m.get(r, c);
                    double expected = new Mean().evaluate(column);
                    assertEquals(expected, mean[c], 1e-13 * Math.max(1, Math.abs(expected)),
                            "column " + c + " of " + m);
                }
            }
        }
    }

    /**
     * A float32 row centred into float32 is, value for value, the float64 difference rounded once to
     * float32 (the vector loop widens, subtracts and narrows lane by lane, the tail does it scalar): bit
     * for bit, for spans that start and end off the vector width, on values from 1e-30 to 1e30 with
     * means that cancel most of their digits.
     */
    @Test
    void centeredFloatRowRoundsTheFloat64DifferenceOnce() {
        Random r = new Random(41);
        int cols = 203;
        float[] v = new float[5 * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(61) - 30));
        Matrix m = Matrix.of(5, cols, v);
        double[] mean = new double[cols];
        for (int c = 0; c < cols; c++) mean[c] = c % 3 == 0 ? v[c] * (1 + 1e-7 * r.nextGaussian()) : r.nextGaussian();
        for (int[] span : new int[][] {{0, cols}, {1, 0}, {3, 5}, {7, 130}, {64, 139}}) {
            int c0 = span[0], len = span[1];
            for (int row = 0; row < 5; row++) {
                float[] out = new float[len + 2];
                m.centeredRow(row, c0, len, mean, out, 1);
                for (int c = 0; c < len; c++) {
                    float expected = (float) ((double) v[row * cols + c0 + c] - mean[c0 + c]);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[1 + c]),
                            "row " + row + " column " + (c0 + c));
                }
                assertEquals(0f, out[0]);
                assertEquals(0f, out[len + 1]);
            }
        }
    }

    /** The parallel sum adds fixed blocks in a fixed order: one thread gives the same bits as many. */
    @Test
    void columnMeansDoNotDependOnThreadCount() throws Exception {
        Matrix m = offsetNoise(5000, 256, false, 3);
        double[] many = m.columnMeans();
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            double[] single = one.submit(m::columnMeans).get();
            assertArrayEquals(many, single, 0.0);
        } finally {
            one.shutdown();
        }
    }

    /** Column c holds 1 000·c/cols + N(0, 1). */
    private static Matrix offsetNoise(int rows, int cols, boolean f32, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = 1000.0 * (i % cols) / cols + rnd.nextGaussian();
        if (!f32) return Matrix.of(rows, cols, v);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Matrix.of(rows, cols, f);
    }
}
