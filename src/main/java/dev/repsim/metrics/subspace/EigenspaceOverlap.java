package dev.repsim.metrics.subspace;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Cca;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.LinearCka;

/**
 * {@code eigenspace-overlap} (May et al. 2019; ReSi): ‖UᵀV‖²_F / max(r_X, r_Y), U and V the left
 * singular vectors of the centred X̄ and Ȳ for their numerical ranks r. From the co-moments
 * S_xx = W Λ Wᵀ: U = X̄ W Λ^{-1/2}, so UᵀV = Λx^{-1/2} Wxᵀ S_xy Wy Λy^{-1/2}, the whitened cross
 * product of {@link Cca} (‖UᵀV‖²_F is the sum of the squared canonical correlations, so any whitening
 * that {@link Cca#whiten} takes, which differ by an orthogonal map, gives the same value); nothing n×n
 * or n×r is formed. The rank counts eigenvalues of S above {@link Cca#rankTolerance} × the largest
 * (singular values above 10⁻⁵ s_max in float64): the s_max·max(n, d)·ε lies below the
 * rounding of an eigenvalue of XᵀX (about ε·λ_max), so the co-moments cannot resolve it; both give
 * the same rank unless X has singular values between the two levels.
 */
public final class EigenspaceOverlap {
    private EigenspaceOverlap() {}

    public static double compute(CrossCovariance c, Precision p, Backend backend) {
        double tol = Cca.rankTolerance(p);
        Cca.Whitening wx = Cca.whiten(c.sxx(), c.dx(), 0, tol, backend, "X", "eigenspace-overlap");
        Cca.Whitening wy = Cca.whiten(c.syy(), c.dy(), 0, tol, backend, "Y", "eigenspace-overlap");
        return compute(c.sxy(), wx, wy, backend);
    }

    /** From the cross scatter S_xy and whitenings of S_xx and S_yy on their numerical ranks (a study matrix whitens each representation once). */
    public static double compute(double[] sxy, Cca.Whitening wx, Cca.Whitening wy, Backend backend) {
        double overlap = LinearCka.frobeniusSquared(Cca.whitenedCross(sxy, wx, wy, backend));
        // ‖UᵀV‖²_F ≤ min(r_X, r_Y): only rounding can take the ratio above 1.
        return Math.min(1.0, overlap / Math.max(wx.k(), wy.k()));
    }
}
