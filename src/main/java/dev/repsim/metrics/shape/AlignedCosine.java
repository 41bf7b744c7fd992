package dev.repsim.metrics.shape;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Decompositions;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Cca;

/**
 * {@code aligned-cosine} (Hamilton et al. 2016; ReSi): the mean over rows of cos(xᵢ, yᵢQ) after the
 * orthogonal Procrustes alignment of Y onto X, Q = argmin over orthogonal Q of ‖YQ − X‖_F
 * (Schönemann 1966). Unequal widths are compared as the Procrustes distances compare them, the
 * narrower side zero-padded: the first dx columns of Q are then R = UVᵀ from the thin SVD
 * YᵀX = UΣVᵀ (dy×dx), and yᵢQ keeps the length of yᵢ, so cos = xᵢ·(yᵢR) / (‖xᵢ‖‖yᵢ‖). The data are
 * used as given (not centred), so it is invariant under orthogonal maps and isotropic scaling of
 * either side but not under translation. Cost: YᵀX and YR (n·dx·dy each), one SVD (d³). When YᵀX
 * has rank below min(dx, dy) the alignment is not unique, and neither is the value.
 */
public final class AlignedCosine {
    /** Rows of Y aligned per product, bounding the extra memory to this many rows of width dx. */
    static final int BLOCK_ROWS = 4096;

    private AlignedCosine() {}

    public static double compute(Matrix x, Matrix y, Backend backend) {
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        Decompositions.Svd svd = backend.svd(backend.multTransA(y, x), dy, dx);
        int k = svd.k();
        // Rᵀ = V Uᵀ (dx×dy) = ((Vᵀ)ᵀ)(Uᵀ): the transposed rotation, as multTransB's right operand.
        double[] rt = backend.multTransA(Matrix.of(k, dx, svd.vt()), Matrix.of(k, dy, Cca.transpose(svd.u(), dy, k)));
        Matrix rotT = Matrix.of(dx, dy, rt).to(y.precision());
        double sum = 0;
        for (int r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
            int r1 = Math.min(n, r0 + BLOCK_ROWS);
            double[] aligned = backend.multTransB(y.rows(r0, r1), rotT); // (r1−r0)×dx: rows yᵢR
            for (int i = r0; i < r1; i++) {
                int o = (i - r0) * dx;
                double dot = 0, xx = 0, yy = 0;
                for (int j = 0; j < dx; j++) {
                    double a = x.get(i, j);
                    dot += a * aligned[o + j];
                    xx += a * a;
                }
                for (int j = 0; j < dy; j++) {
                    double b = y.get(i, j);
                    yy += b * b;
                }
                if (!(xx > 0)) throw new ArithmeticException("aligned-cosine is undefined: row " + i + " of X is zero");
                if (!(yy > 0)) throw new ArithmeticException("aligned-cosine is undefined: row " + i + " of Y is zero");
                sum += dot / Math.sqrt(xx * yy);
            }
        }
        return sum / n;
    }
}
