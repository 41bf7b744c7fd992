package dev.repsim.metrics.subspace;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Cca;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.LinearCka;
import dev.repsim.metrics.shape.Procrustes;

/**
 * {@code linear-regression} (ReSi; Kornblith et al. 2019 §2): R² = 1 − ‖Ȳ − X̄X̄⁺Ȳ‖²_F / ‖Ȳ‖²_F of the
 * least-squares fit of the centred Y from the centred X. Asymmetric: Y is predicted from X.
 * The residual is orthogonal to the fit, so R² = ‖X̄X̄⁺Ȳ‖²_F / ‖Ȳ‖²_F = ‖W_xᵀ S_xy‖²_F / tr S_yy with
 * W_x the whitening of S_xx on its numerical rank ({@link Cca#whiten}: W_xᵀ S_xx W_x = I and S_xx⁺ =
 * W_x W_xᵀ, whichever whitening it takes), so the pseudo-inverse never meets the n×dx data. Invariant under invertible linear maps
 * of X and orthogonal maps and isotropic scaling of Y, and translation of either.
 */
public final class LinearRegression {
    private LinearRegression() {}

    public static double compute(CrossCovariance c, Precision p, Backend backend) {
        double ty = traceY(c.syy(), c.dy(), "Y");
        Cca.Whitening wx = Cca.whiten(c.sxx(), c.dx(), 0, Cca.rankTolerance(p), backend, "X", "linear-regression");
        return compute(c.sxy(), wx, ty, backend);
    }

    /** tr S_yy, the total variance to explain; {@code name} names Y in the error when it is not positive. */
    public static double traceY(double[] syy, int dy, String name) {
        double ty = Procrustes.trace(syy, dy);
        if (!(ty > 0)) throw new ArithmeticException("linear-regression is undefined: " + name + " has no variance (all rows equal)");
        return ty;
    }

    /**
     * From the cross scatter S_xy (dx×dy), a whitening of S_xx on its numerical rank and {@link #traceY} (a
     * study matrix whitens each representation once).
     */
    public static double compute(double[] sxy, Cca.Whitening wx, double traceY, Backend backend) {
        int dy = sxy.length / wx.d();
        double[] fit = backend.multTransA(Matrix.of(wx.d(), wx.k(), wx.w()), Matrix.of(wx.d(), dy, sxy));
        return Math.min(1.0, LinearCka.frobeniusSquared(fit) / traceY);
    }
}
