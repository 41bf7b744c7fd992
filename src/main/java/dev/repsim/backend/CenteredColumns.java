package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

/**
 * The logical operand Z = [A − 1μaᵀ | B − 1μbᵀ] (the centred columns of A and B side by side, over the
 * same rows), produced one row segment at a time. Packing routines read it instead of a centred copy,
 * so the centring costs no pass over memory and ZᵀZ gives all three co-moment blocks in one product.
 * Values are subtracted in float64 and rounded to the inputs' precision, as {@link Matrix#centered}.
 */
final class CenteredColumns {
    private final Matrix a;
    private final double[] meanA;
    private final Matrix b;
    private final double[] meanB;
    private final int da;
    private final int width;

    CenteredColumns(Matrix a, double[] meanA, Matrix b, double[] meanB) {
        if (a.rows() != b.rows()) throw new IllegalArgumentException("different number of rows: " + a + " vs " + b);
        if (a.precision() != b.precision()) throw new IllegalArgumentException("precision mismatch: " + a + " vs " + b);
        if (meanA.length != a.cols() || meanB.length != b.cols()) {
            throw new IllegalArgumentException("means of length " + meanA.length + ", " + meanB.length + " for " + a + ", " + b);
        }
        this.a = a;
        this.meanA = meanA;
        this.b = b;
        this.meanB = meanB;
        this.da = a.cols();
        this.width = a.cols() + b.cols();
    }

    int rows() { return a.rows(); }

    int width() { return width; }

    /** The columns of A, which come first. */
    int leftWidth() { return da; }

    Precision precision() { return a.precision(); }

    /** Z[k][x0 .. x0+xc) into out[at .. at+xc). */
    void row(int k, int x0, int xc, double[] out, int at) {
        int x1 = x0 + xc;
        if (x0 < da) a.centeredRow(k, x0, Math.min(x1, da) - x0, meanA, out, at);
        if (x1 > da) {
            int from = Math.max(x0, da);
            b.centeredRow(k, from - da, x1 - from, meanB, out, at + from - x0);
        }
    }

    /** Z[k][x0 .. x0+xc) into out[at .. at+xc), rounded to float32. */
    void row(int k, int x0, int xc, float[] out, int at) {
        int x1 = x0 + xc;
        if (x0 < da) a.centeredRow(k, x0, Math.min(x1, da) - x0, meanA, out, at);
        if (x1 > da) {
            int from = Math.max(x0, da);
            b.centeredRow(k, from - da, x1 - from, meanB, out, at + from - x0);
        }
    }

    /**
     * The three blocks of the symmetric (da+db)² product ZᵀZ given by its upper triangle (row-major; entries
     * below the diagonal are not read): ĀᵀĀ and B̄ᵀB̄ are mirrored whole, ĀᵀB̄ lies above the diagonal.
     */
    Backend.CoMoments split(double[] z) {
        int db = width - da;
        double[] aa = new double[da * da], bb = new double[db * db], ab = new double[da * db];
        for (int i = 0; i < da; i++) {
            System.arraycopy(z, i * width + i, aa, i * da + i, da - i);
            System.arraycopy(z, i * width + da, ab, i * db, db);
        }
        for (int i = 0; i < db; i++) System.arraycopy(z, (da + i) * width + da + i, bb, i * db + i, db - i);
        Symmetric.mirrorUpper(aa, da);
        Symmetric.mirrorUpper(bb, db);
        return new Backend.CoMoments(aa, bb, ab);
    }

    /**
     * The blocks' squared Frobenius norms from the upper triangle of ZᵀZ (row-major; entries below the
     * diagonal are not read), where they lie: an off-diagonal entry of ĀᵀĀ or B̄ᵀB̄ stands for its mirror
     * too. Row by row, each row's part in {@link FixedOrderSums}' order, so the sums do not depend on the
     * vector width.
     */
    Backend.CoMomentNorms upperNorms(double[] z) {
        double aa = 0, bb = 0, ab = 0;
        for (int i = 0; i < width; i++) {
            int row = i * width;
            double d = z[row + i];
            if (i < da) {
                aa += d * d + 2 * FixedOrderSums.squaredNorm(z, row + i + 1, da - i - 1);
                ab += FixedOrderSums.squaredNorm(z, row + da, width - da);
            } else {
                bb += d * d + 2 * FixedOrderSums.squaredNorm(z, row + i + 1, width - i - 1);
            }
        }
        return new Backend.CoMomentNorms(aa, bb, ab);
    }
}
