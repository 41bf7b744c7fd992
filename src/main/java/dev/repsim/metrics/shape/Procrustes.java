package dev.repsim.metrics.shape;

import dev.repsim.backend.Backend;
import dev.repsim.metrics.CrossCovariance;

/**
 * The orthogonal Procrustes family from the centred co-moments: with X̄, Ȳ the centred data and
 * X̂ = X̄/‖X̄‖_F, min over orthogonal Q of ‖X̂ − ŶQ‖²_F = 2 − 2‖X̂ᵀŶ‖_* (Schönemann 1966), and
 * ‖X̂ᵀŶ‖_* = ‖S_xy‖_* / √(tr S_xx · tr S_yy) (‖X̄‖²_F = tr S_xx). Only the singular values of the
 * dx×dy cross co-moment are needed, so the cost is the products (n·d²) plus one d³ SVD, and the
 * measures stream. Widths may differ: the narrower side counts as zero-padded (Williams et al. 2021),
 * which leaves the closed form as it is.
 *
 * <p>Near identity the distances are limited by cancellation in 2 − 2‖·‖_*: they bottom out at about
 * √ε ≈ 1e-8 rather than 0, as in every implementation of this closed form.
 */
public final class Procrustes {
    private Procrustes() {}

    /** {@code procrustes}: √max(0, 2 − 2‖X̂ᵀŶ‖_*). */
    public static double distance(CrossCovariance c, Backend backend) {
        return Math.sqrt(Math.max(0.0, 2.0 - 2.0 * normalizedNuclear(c, backend)));
    }

    /** {@code angular-shape} (Williams et al. 2021): arccos ‖X̂ᵀŶ‖_*, in radians. */
    public static double angular(CrossCovariance c, Backend backend) {
        return Math.acos(normalizedNuclear(c, backend));
    }

    /**
     * {@code procrustes-size-shape}: min over orthogonal Q of ‖X̄ − ȲQ‖_F =
     * √max(0, ‖X̄‖²_F + ‖Ȳ‖²_F − 2‖X̄ᵀȲ‖_*) (centred, not normalised: it keeps the scale).
     */
    public static double sizeShape(CrossCovariance c, Backend backend) {
        return Math.sqrt(Math.max(0.0, trace(c.sxx(), c.dx()) + trace(c.syy(), c.dy()) - 2.0 * nuclear(c, backend)));
    }

    /** ‖X̂ᵀŶ‖_*, clamped to [0, 1] (Cauchy–Schwarz bounds it by 1; rounding may not). */
    static double normalizedNuclear(CrossCovariance c, Backend backend) {
        double tx = trace(c.sxx(), c.dx()), ty = trace(c.syy(), c.dy());
        if (!(tx > 0)) throw new ArithmeticException("Procrustes is undefined: X has no variance (all rows equal)");
        if (!(ty > 0)) throw new ArithmeticException("Procrustes is undefined: Y has no variance (all rows equal)");
        return Math.min(1.0, nuclear(c, backend) / Math.sqrt(tx * ty));
    }

    /** ‖S_xy‖_*, the sum of the singular values of the cross co-moment. */
    static double nuclear(CrossCovariance c, Backend backend) {
        double sum = 0;
        for (double s : backend.singularValues(c.sxy(), c.dx(), c.dy())) {
            if (!Double.isFinite(s)) throw new ArithmeticException("the SVD of XᵀY produced a non-finite singular value");
            sum += s;
        }
        return sum;
    }

    /** Trace of a d×d row-major matrix. */
    public static double trace(double[] a, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) t += a[i * d + i];
        return t;
    }
}
