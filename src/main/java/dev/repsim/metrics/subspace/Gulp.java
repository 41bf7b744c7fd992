package dev.repsim.metrics.subspace;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Cca;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.LinearCka;
import dev.repsim.metrics.shape.Procrustes;

/**
 * {@code gulp} (Boix-Adsera, Lawrence, Stepaniants &amp; Rigollet 2022): how differently ridge
 * regressions on X and on Y predict any linear function of the inputs. Each side is centred and
 * scaled to unit total variance (√n·X̄/‖X̄‖_F: the distance becomes scale-invariant and λ has the same
 * meaning for every pair), so that
 * Σ_x = S_xx / tr S_xx, Σ_y = S_yy / tr S_yy, Σ_xy = S_xy / √(tr S_xx tr S_yy); with
 * A_x = (Σ_x + λI)⁻¹ and A_y = (Σ_y + λI)⁻¹ (λ = {@code --gulp-lambda}),
 * <pre>
 *   d²_λ = tr(A_x Σ_x A_x Σ_x) + tr(A_y Σ_y A_y Σ_y) − 2 tr(A_x Σ_xy A_y Σ_yx),
 *   gulp = d_λ = √max(0, d²_λ).
 * </pre>
 * (Equivalently ‖H_x − H_y‖_F with H the n×n ridge "hat" matrices X̃(X̃ᵀX̃ + nλI)⁻¹X̃ᵀ.) Both traces come
 * from a whitening W of Σ + λI (Wᵀ(Σ + λI)W = I_k, so A = WWᵀ), the one CCA uses ({@link Cca#whiten}):
 * tr(AΣAΣ) = ‖WᵀΣW‖²_F = ‖I − λWᵀW‖²_F (WᵀΣW = I − λWᵀW, whose eigenvalues are a/(a+λ) over the
 * eigenvalues a of Σ) and tr(A_x Σ_xy A_y Σ_yx) = ‖W_xᵀ Σ_xy W_y‖²_F.
 * <ul>
 *   <li>λ &gt; 0: every eigenvalue of Σ + λI is at least λ, so for λ above 2·tol·λ_max (tol =
 *   {@link Cca#rankTolerance}: 1e-10 for float64 data, 1e-5 for float32; λ_max ≤ 1 + λ as tr Σ = 1) no
 *   direction is dropped and the whitening is W = U⁻¹ from the Cholesky factor (d³/3 multiply-adds, against
 *   about 9d³ for an eigendecomposition), however singular Σ is. The two routes agree to 1e-11 down to
 *   λ = 1e-8 on rank-deficient data (SubspaceMeasuresTest).</li>
 *   <li>λ = 0: the pseudo-inverse on the numerical rank r (directions with a ≤ tol·a_max dropped), where
 *   d²₀ = r_X + r_Y − 2 Σ ρ² (ρ the canonical correlations).</li>
 * </ul>
 * Invariant under orthogonal maps, isotropic scaling and translation of either side. Near identity it
 * bottoms out at about √ε.
 */
public final class Gulp {
    private Gulp() {}

    public static double distance(CrossCovariance c, double lambda, Precision p, Backend backend) {
        Side x = side(c.sxx(), c.dx(), lambda, p, backend, "X");
        Side y = side(c.syy(), c.dy(), lambda, p, backend, "Y");
        return distance(c.sxy(), x, y, backend);
    }

    /**
     * One side's share of d²_λ, which depends on that side alone (a study matrix computes it once per
     * representation): tr S, the whitening W of Σ + λI and the self term tr(AΣAΣ).
     */
    public record Side(double trace, Cca.Whitening whitening, double selfTerm) {}

    /** The side of a scatter (or covariance) matrix S (d×d, row-major); {@code name} names it in errors. */
    public static Side side(double[] s, int d, double lambda, Precision p, Backend backend, String name) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("--gulp-lambda must be >= 0, got " + lambda);
        double trace = Procrustes.trace(s, d);
        if (!(trace > 0)) throw new ArithmeticException("gulp is undefined: " + name + " has no variance (all rows equal)");
        double[] sigma = new double[s.length];
        for (int i = 0; i < s.length; i++) sigma[i] = s[i] / trace;
        Cca.Whitening w = Cca.whiten(sigma, d, lambda, Cca.rankTolerance(p), backend, name, "gulp");
        return new Side(trace, w, selfTerm(w, lambda, backend));
    }

    /** d_λ from both sides (computed with the same λ) and the cross scatter S_xy (dx×dy, row-major). */
    public static double distance(double[] sxy, Side x, Side y, Backend backend) {
        double cross = LinearCka.frobeniusSquared(Cca.whitenedCross(sxy, x.whitening(), y.whitening(), backend)) / (x.trace() * y.trace());
        double d2 = x.selfTerm() + y.selfTerm() - 2.0 * cross;
        if (!Double.isFinite(d2)) throw new ArithmeticException("gulp produced a non-finite value");
        return Math.sqrt(Math.max(0.0, d2));
    }

    /**
     * tr(AΣAΣ) = ‖I − λWᵀW‖²_F for a whitening W (d×k) of Σ + λI, summed entry by entry (not as
     * k − 2λ tr WᵀW + λ²‖WᵀW‖²_F, which would cancel where λ dominates Σ); k when λ = 0.
     */
    private static double selfTerm(Cca.Whitening w, double lambda, Backend backend) {
        int k = w.k();
        if (lambda == 0) return k;
        double[] g = backend.multInner(Matrix.of(w.d(), k, w.w()));
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double v = (i == j ? 1.0 : 0.0) - lambda * g[i * k + j];
                sum += v * v;
            }
        }
        return sum;
    }
}
