package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

/**
 * Householder reflectors H = I − τ v vᵀ (v₀ = 1) as LAPACK's dlarfg defines them, applied one by one
 * (the blocked product is {@link BlockReflectors}), and the scaling and transposes around them.
 */
final class Householder {
    private Householder() {}

    /**
     * Turns x = t[o .. o+n) into the reflector that maps it onto β e₁: stores v there (v₀ = 1), τ into
     * {@code tau[k]}, and returns β (|β| = ‖x‖). A vector already of the form α e₁ gets τ = 0, H = I.
     */
    static double reflect(double[] t, int o, int n, double[] tau, int k) {
        double alpha = t[o];
        double sigma = n > 1 ? FixedOrderSums.squaredNorm(t, o + 1, n - 1) : 0.0;
        t[o] = 1.0;
        if (sigma == 0.0) {
            tau[k] = 0.0;
            return alpha;
        }
        double norm = Math.sqrt(alpha * alpha + sigma);
        double beta = alpha >= 0 ? -norm : norm;
        tau[k] = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        for (int j = 1; j < n; j++) t[o + j] *= scale;
        return beta;
    }

    /**
     * q ← H_from ⋯ H_{to−1} q, the last one first, for q row-major rows × cols and the reflectors of
     * {@link BlockReflectors#accumulate} (reflector j acts on indices j + shift …).
     */
    static void applyBackward(double[] q, double[] vs, int ldv, double[] tau, int from, int to, int shift, int rows, int cols) {
        double[] z = new double[cols];
        for (int j = to - 1; j >= from; j--) {
            int o = j + shift;
            double t = tau[j];
            if (t == 0.0 || o >= cols) continue;
            int n = cols - o;
            java.util.Arrays.fill(z, o, cols, 0.0);
            int v = j * ldv;
            // z = vᵀ Q_sub as a sum of rows (no reduction across lanes), then Q_sub −= τ v z.
            for (int i = o; i < rows; i++) RowKernels.axpy(vs[v + i], q, i * cols + o, z, o, n);
            for (int i = o; i < rows; i++) RowKernels.axpy(-t * vs[v + i], z, o, q, i * cols + o, n);
        }
    }

    /** √(a² + b²) without the cost of {@link Math#hypot} when no intermediate can overflow or underflow. */
    static double hypot(double a, double b) {
        double s = a * a + b * b;
        if (s > 0x1p-1000 && s < 0x1p1000) return Math.sqrt(s);
        return Math.hypot(a, b);
    }

    /**
     * Power of two that brings the largest |entry| of {@code a} near 1 (an exact scaling, so that squares
     * of entries neither overflow nor underflow); 1 for a zero matrix. Throws on NaN or infinity.
     */
    static double scaleFor(double[] a, String what) {
        double max = 0;
        for (double x : a) {
            if (!Double.isFinite(x)) throw new ArithmeticException(what + ": the matrix has a non-finite entry");
            max = Math.max(max, Math.abs(x));
        }
        return max == 0 ? 1.0 : Math.scalb(1.0, -Math.getExponent(max));
    }
}
