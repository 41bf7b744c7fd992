package dev.repsim.metrics.subspace;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Decompositions;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Cca;
import dev.repsim.metrics.CrossCovariance;
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
 * (Equivalently ‖H_x − H_y‖_F with H the n×n ridge "hat" matrices X̃(X̃ᵀX̃ + nλI)⁻¹X̃ᵀ.) In the
 * eigenbases Σ_x = V_x diag(a) V_xᵀ, Σ_y = V_y diag(b) V_yᵀ and G = V_xᵀ Σ_xy V_y:
 * d² = Σᵢ (aᵢ/(aᵢ+λ))² + Σⱼ (bⱼ/(bⱼ+λ))² − 2 Σᵢⱼ G²ᵢⱼ / ((aᵢ+λ)(bⱼ+λ)). Negative rounding
 * eigenvalues count as 0; λ = 0 uses the pseudo-inverse on the numerical rank ({@link Cca#rankTolerance}),
 * where d²₀ = r_X + r_Y − 2 Σ ρ² (ρ the canonical correlations). Invariant under orthogonal maps,
 * isotropic scaling and translation of either side. Near identity it bottoms out at about √ε.
 */
public final class Gulp {
    private Gulp() {}

    public static double distance(CrossCovariance c, double lambda, Precision p, Backend backend) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("--gulp-lambda must be >= 0, got " + lambda);
        int dx = c.dx(), dy = c.dy();
        double tx = Procrustes.trace(c.sxx(), dx), ty = Procrustes.trace(c.syy(), dy);
        if (!(tx > 0)) throw new ArithmeticException("gulp is undefined: X has no variance (all rows equal)");
        if (!(ty > 0)) throw new ArithmeticException("gulp is undefined: Y has no variance (all rows equal)");
        Side x = side(c.sxx(), dx, tx, lambda, p, backend);
        Side y = side(c.syy(), dy, ty, lambda, p, backend);
        // G = V_xᵀ Σ_xy V_y: T = V_xᵀ S_xy (dx×dy), then G = (Tᵀ)ᵀ V_y, scaled by 1/√(tx·ty).
        double[] t = backend.multTransA(Matrix.of(dx, dx, x.vectors), Matrix.of(dx, dy, c.sxy()));
        double[] g = backend.multTransA(Matrix.of(dy, dx, Cca.transpose(t, dx, dy)), Matrix.of(dy, dy, y.vectors));
        double scale = 1.0 / (tx * ty);
        double cross = 0;
        for (int i = 0; i < dx; i++) {
            if (x.inverse[i] == 0) continue;
            double row = 0;
            for (int j = 0; j < dy; j++) {
                double v = g[i * dy + j];
                row += v * v * y.inverse[j];
            }
            cross += row * x.inverse[i];
        }
        double d2 = x.selfTerm + y.selfTerm - 2.0 * cross * scale;
        if (!Double.isFinite(d2)) throw new ArithmeticException("gulp produced a non-finite value");
        return Math.sqrt(Math.max(0.0, d2));
    }

    /**
     * One side in its eigenbasis: the eigenvectors of Σ = S/tr S, the diagonal of (Σ + λI)⁻¹ (0 for
     * directions outside the numerical rank when λ = 0) and tr((Σ+λI)⁻¹Σ(Σ+λI)⁻¹Σ) = Σ (a/(a+λ))².
     */
    private record Side(double[] vectors, double[] inverse, double selfTerm) {}

    private static Side side(double[] s, int d, double trace, double lambda, Precision p, Backend backend) {
        double[] sigma = new double[s.length];
        for (int i = 0; i < s.length; i++) sigma[i] = s[i] / trace;
        Decompositions.Eigen e = backend.eigenSymmetric(sigma, d);
        double max = e.values()[d - 1];
        double floor = lambda > 0 ? 0 : Cca.rankTolerance(p) * max;
        double[] inverse = new double[d];
        double self = 0;
        for (int i = 0; i < d; i++) {
            double a = Math.max(0.0, e.values()[i]);
            if (lambda == 0 && !(a > floor)) continue;
            inverse[i] = 1.0 / (a + lambda);
            double r = a * inverse[i];
            self += r * r;
        }
        return new Side(e.vectors(), inverse, self);
    }
}
