package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CenteredColumns#split} and {@link CenteredColumns#upperNorms} read the upper triangle of ZᵀZ only:
 * backends hand them products whose lower triangle is stale scratch (blas) or unspecified (java).
 */
class CenteredColumnsTest {

    /** A random symmetric w × w matrix, and a copy of it whose strictly lower triangle is NaN. */
    private static double[][] symmetricAndPoisoned(int w, long seed) {
        Random r = new Random(seed);
        double[] full = new double[w * w];
        for (int i = 0; i < w; i++) {
            for (int j = i; j < w; j++) full[i * w + j] = full[j * w + i] = r.nextGaussian();
        }
        double[] upper = full.clone();
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < i; j++) upper[i * w + j] = Double.NaN;
        }
        return new double[][] {full, upper};
    }

    /** The blocks {aa, bb, ab} of a full row-major (da + db)² matrix, each row-major, read entry by entry. */
    private static double[][] blocks(double[] full, int da, int db) {
        int w = da + db;
        double[] aa = new double[da * da], bb = new double[db * db], ab = new double[da * db];
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                double v = full[i * w + j];
                if (i < da && j < da) aa[i * da + j] = v;
                else if (i >= da && j >= da) bb[(i - da) * db + j - da] = v;
                else if (i < da) ab[i * db + j - da] = v;
            }
        }
        return new double[][] {aa, bb, ab};
    }

    private static double sumOfSquares(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return s;
    }

    private static CenteredColumns columns(int da, int db) {
        return new CenteredColumns(Matrix.of(3, da, new double[3 * da]), new double[da], Matrix.of(3, db, new double[3 * db]), new double[db]);
    }

    @Test
    void splitReadsTheUpperTriangleAndMirrorsTheDiagonalBlocks() {
        for (int[] s : new int[][] {{1, 1}, {5, 3}, {17, 40}, {64, 64}}) {
            int da = s[0], db = s[1], w = da + db;
            double[][] m = symmetricAndPoisoned(w, 10L * da + db);
            Backend.CoMoments got = columns(da, db).split(m[1]);
            double[][] want = blocks(m[0], da, db);
            assertArrayEquals(want[0], got.aa(), 0.0, "aa " + da + "+" + db);
            assertArrayEquals(want[1], got.bb(), 0.0, "bb " + da + "+" + db);
            assertArrayEquals(want[2], got.ab(), 0.0, "ab " + da + "+" + db);
        }
    }

    /** The norms from the upper triangle against plain sums of squares over the whole blocks. */
    @Test
    void upperNormsEqualTheBlocksNorms() {
        for (int[] s : new int[][] {{1, 1}, {5, 3}, {17, 40}, {64, 64}, {9, 1}}) {
            int da = s[0], db = s[1], w = da + db;
            double[][] m = symmetricAndPoisoned(w, 7L * da + db);
            Backend.CoMomentNorms got = columns(da, db).upperNorms(m[1]);
            double[][] b = blocks(m[0], da, db);
            double aa = sumOfSquares(b[0]), bb = sumOfSquares(b[1]), ab = sumOfSquares(b[2]);
            String label = da + "+" + db;
            assertEquals(aa, got.aa(), 1e-13 * aa, "aa " + label);
            assertEquals(bb, got.bb(), 1e-13 * bb, "bb " + label);
            assertEquals(ab, got.ab(), 1e-13 * ab, "ab " + label);
        }
    }
}
