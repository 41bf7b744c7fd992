package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Decompositions;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

/**
 * Canonical correlation analysis from covariances, and the metrics built on it: mean CCA ρ̄, R²_CCA
 * (mean ρ², Kornblith et al. 2019), SVCCA (Raghu et al. 2017) and PWCCA (Morcos et al. 2018).
 *
 * <p>Each side is whitened (WᵀCW = I) on the directions with λ &gt; tol·λ_max of its covariance C
 * (tol = {@value #RANK_TOL_F64} when the data were reduced in float64, {@value #RANK_TOL_F32} in float32:
 * below that an eigenvalue is rounding noise, and whitening it would blow noise up into spurious
 * correlations of 1): by W = U⁻¹ from the Cholesky factor C = UᵀU when a bound shows that every direction
 * qualifies, else by the eigendecomposition C = VΛVᵀ, W = V_k Λ_k^{-1/2} ({@link #whiten}). The canonical
 * correlations are the singular values of W_xᵀ C_xy W_y, clipped to [0, 1]. Dropping null directions makes
 * the result invariant under any invertible linear map of either side.
 */
public final class Cca {
    /** Relative eigenvalue tolerance for float64 reductions. */
    public static final double RANK_TOL_F64 = 1e-10;
    /** Relative eigenvalue tolerance for float32 reductions. */
    public static final double RANK_TOL_F32 = 1e-5;

    private Cca() {}

    /** Covariances of a pair of representations: dx×dx, dy×dy, dx×dy, row-major. */
    public record Covariances(long n, int dx, int dy, double[] xx, double[] yy, double[] xy) {
        public static Covariances of(CrossCovariance c) {
            return new Covariances(c.n(), c.dx(), c.dy(), c.covXX(), c.covYY(), c.covXY());
        }

        /** The same pair with X and Y exchanged. */
        Covariances swapped() {
            return new Covariances(n, dy, dx, yy, xx, transpose(xy, dx, dy));
        }
    }

    /** Canonical correlations (descending) with the canonical weights of both sides. */
    public record Solution(double[] rho, double[] weightsX, int kx, double[] weightsY, int ky) {}

    /**
     * Canonical correlations, descending; min(rank X, rank Y) of them.
     *
     * @param ridge λ added to both covariance diagonals (regularised CCA); 0 for plain CCA
     */
    public static double[] correlations(Covariances c, double ridge, Precision p, Backend backend) {
        Sides w = whiten(c, ridge, p, backend);
        return correlations(c, w.x(), w.y(), backend);
    }

    /** Canonical correlations with both sides' whitenings given (a study matrix whitens each representation once). */
    static double[] correlations(Covariances c, Whitening wx, Whitening wy, Backend backend) {
        return rho(backend.singularValues(whitenedCross(c, wx, wy, backend), wx.k, wy.k));
    }

    /** Mean canonical correlation ρ̄. */
    public static double mean(double[] rho) {
        return KernelStats.sum(rho) / rho.length;
    }

    /**
     * R²_CCA, the mean squared canonical correlation, without an SVD: the squared singular values of
     * M = W_xᵀ C_xy W_y sum to ‖M‖²_F, so mean ρ² = ‖M‖²_F / min(k_x, k_y) (min(k_x, k_y) correlations).
     * Clipped to 1 against rounding, as each ρ is.
     */
    public static double meanSquared(Covariances c, double ridge, Precision p, Backend backend) {
        Sides w = whiten(c, ridge, p, backend);
        return meanSquared(c, w.x(), w.y(), backend);
    }

    /** R²_CCA with both sides' whitenings given (a study matrix whitens each representation once). */
    static double meanSquared(Covariances c, Whitening wx, Whitening wy, Backend backend) {
        double sum = LinearCka.frobeniusSquared(whitenedCross(c, wx, wy, backend));
        if (!Double.isFinite(sum)) throw new ArithmeticException("CCA produced a non-finite canonical correlation");
        return Math.min(1.0, sum / Math.min(wx.k, wy.k));
    }

    /**
     * Solves CCA: M = W_xᵀ C_xy W_y = U S Vᵀ; ρ = S, canonical weights A = W_x U (columns aᵢ with
     * aᵢᵀ C_xx aᵢ = 1), B = W_y V.
     */
    public static Solution solve(Covariances c, double ridge, Precision p, Backend backend) {
        Sides w = whiten(c, ridge, p, backend);
        return solve(c, w.x(), w.y(), backend, true);
    }

    /**
     * As above, with both sides' whitenings given; without {@code weightsY} (null) V is never formed, which
     * PWCCA does not need.
     */
    private static Solution solve(Covariances c, Whitening wx, Whitening wy, Backend backend, boolean weightsY) {
        double[] m = whitenedCross(c, wx, wy, backend);
        Decompositions.Svd svd = weightsY ? backend.svd(m, wx.k, wy.k) : backend.leftSvd(m, wx.k, wy.k);
        int k = svd.k();
        double[] rho = rho(svd.s());
        // A = W_x U (dx×k), B = W_y V (dy×k); V = (Vᵀ)ᵀ.
        double[] a = multiply(wx.w, c.dx(), wx.k, svd.u(), k, backend);
        double[] b = weightsY ? multiply(wy.w, c.dy(), wy.k, transpose(svd.vt(), k, wy.k), k, backend) : null;
        return new Solution(rho, a, k, b, k);
    }

    /** M = W_xᵀ C_xy W_y (kx×ky), whose singular values are the canonical correlations. */
    private static double[] whitenedCross(Covariances c, Whitening wx, Whitening wy, Backend backend) {
        return whitenedCross(c.xy(), wx, wy, backend);
    }

    /** W_xᵀ C W_y (kx×ky) for a dx×dy cross (co)variance C, row-major. */
    public static double[] whitenedCross(double[] xy, Whitening wx, Whitening wy, Backend backend) {
        int dx = wx.d, dy = wy.d;
        // T = C W_y (dx×ky) = (Cᵀ)ᵀ W_y, then M = W_xᵀ T.
        double[] t = backend.multTransA(f64(dy, dx, transpose(xy, dx, dy)), f64(dy, wy.k, wy.w));
        return backend.multTransA(f64(dx, wx.k, wx.w), f64(dx, wy.k, t));
    }

    /** Singular values of M as correlations: finite, clamped to [0, 1] against rounding. */
    private static double[] rho(double[] s) {
        double[] rho = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) throw new ArithmeticException("CCA produced a non-finite canonical correlation");
            rho[i] = Math.min(1.0, Math.max(0.0, s[i]));
        }
        return rho;
    }

    /**
     * Whitening W of a covariance C (d×k, row-major, WᵀCW = I_k), dropping directions below the rank
     * tolerance: k is the numerical rank. W = U⁻¹ (k = d) or V_k Λ_k^{-1/2}, as {@link #whiten} chose; for
     * SVCCA, V_k Λ_k^{-1/2} over the principal directions kept ({@link #principalWhitening}).
     */
    public record Whitening(double[] w, int d, int k) {}

    /** The relative eigenvalue tolerance for data reduced in precision p. */
    public static double rankTolerance(Precision p) {
        return p == Precision.F64 ? RANK_TOL_F64 : RANK_TOL_F32;
    }

    /** Both sides' whitenings of a pair. */
    private record Sides(Whitening x, Whitening y) {}

    /** Whitens X's and Y's covariances of c, with the rank tolerance of data reduced in precision p. */
    private static Sides whiten(Covariances c, double ridge, Precision p, Backend backend) {
        double tol = rankTolerance(p);
        return new Sides(whiten(c.xx(), c.dx(), ridge, tol, backend, "X"), whiten(c.yy(), c.dy(), ridge, tol, backend, "Y"));
    }

    static Whitening whiten(double[] cov, int d, double ridge, double tol, Backend backend, String side) {
        return whiten(cov, d, ridge, tol, backend, side, "CCA");
    }

    /**
     * As above; {@code measure} names the measure in the error for a side without variance.
     *
     * <p>Two routes give this whitening. When the Cholesky factor C = UᵀU shows that no direction falls below
     * the rank tolerance ({@link #byCholesky}), W = U⁻¹ (d³/3 multiply-adds); otherwise the
     * eigendecomposition (about 9d³), which finds and drops the null directions. Any two whitenings of the
     * full space differ by an orthogonal map Q (W' = WQ), which the measures built on them do not see:
     * the singular values of W'ᵀ C_xy W_y are those of Wᵀ C_xy W_y, W'W'ᵀ = WWᵀ = C⁻¹, and X W' spans X W's space.
     * {@code -Drepsim.cca.whitening=eigen} takes the eigendecomposition always, for comparing the two.
     */
    public static Whitening whiten(double[] cov, int d, double ridge, double tol, Backend backend, String side, String measure) {
        double[] c = cov;
        if (ridge > 0) {
            c = cov.clone();
            for (int i = 0; i < d; i++) c[i * d + i] += ridge;
        }
        if (!EIGEN_ONLY) {
            Whitening w = byCholesky(c, d, ridge, tol, backend);
            if (w != null) return w;
        }
        return byEigen(c, d, tol, backend, side, measure);
    }

    /** Whether {@code -Drepsim.cca.whitening=eigen} turned the Cholesky route off. */
    private static final boolean EIGEN_ONLY = "eigen".equals(System.getProperty("repsim.cca.whitening"));

    /**
     * W = U⁻¹ for C = UᵀU when that provably keeps every direction, else null. λ_min ≥ 1 / tr(C⁻¹) and
     * tr(C⁻¹) = ‖U⁻¹‖²_F; λ_max ≤ min(tr C, max_i Σ_j |c_ij|) (Gershgorin). So ‖U⁻¹‖²_F·λ_max-bound &lt; 1/(2·tol)
     * gives λ_min &gt; 2·tol·λ_max: the eigendecomposition, whose eigenvalues err by about dε·λ_max, would keep
     * all d directions too. The bound is loose by at most a factor d² (1/λ_min against tr C⁻¹, λ_max against tr C),
     * so a covariance close to the tolerance takes the eigen route, which gives the same correlations there.
     * tr(C⁻¹) ≥ Σ_i (U⁻¹)_ii² = Σ_i 1/u_ii², so a pivot u_ii² ≤ 2·tol·bound already decides against the route:
     * the factorisation stops there ({@code minPivot}), before U⁻¹, and the eigen route runs.
     * C = S + ridge·I with S a covariance (positive semi-definite up to rounding, which stays below
     * tol·λ_max: that is what the tolerance is set at) has λ_min ≥ ridge − tol·λ_max, so a ridge above
     * 2·tol·bound keeps every direction by itself, however singular S is (GULP's ridge, say); the factor is
     * then taken without the trace test.
     */
    static Whitening byCholesky(double[] c, int d, double ridge, double tol, Backend backend) {
        // Row sums of |c| over the symmetric matrix that the factor reads (the upper triangle, mirrored).
        double trace = 0, rowMax = 0;
        double[] rows = new double[d];
        for (int i = 0; i < d; i++) {
            trace += c[i * d + i];
            rows[i] += Math.abs(c[i * d + i]);
            for (int j = i + 1; j < d; j++) {
                double a = Math.abs(c[i * d + j]);
                rows[i] += a;
                rows[j] += a;
            }
            rowMax = Math.max(rowMax, rows[i]);
        }
        double bound = Math.min(trace, rowMax);
        if (!(bound > 0 && bound < Double.POSITIVE_INFINITY)) return null; // no variance, or not finite: the eigen route says which
        double[] w = backend.inverseCholeskyFactor(c, d, 2 * tol * bound);
        if (w == null) return null;
        double inverseTrace = FixedOrderSums.squaredNorm(w, 0, w.length);
        return ridge > 2 * tol * bound || inverseTrace * bound < 0.5 / tol ? new Whitening(w, d, d) : null;
    }

    /** Whitening through C = VΛVᵀ: W = V_k Λ_k^{-1/2} over the eigenvalues above tol·λ_max, largest first. */
    static Whitening byEigen(double[] c, int d, double tol, Backend backend, String side, String measure) {
        Decompositions.Eigen e = backend.eigenSymmetric(c, d);
        double max = e.values()[d - 1];
        if (!(max > 0)) throw new ArithmeticException(measure + " is undefined: " + side + " has no variance (all rows equal)");
        return fromEigen(e, d, 0, tol);
    }

    /**
     * W = V_k (Λ_k + ridge)^{-1/2} (d×k, largest eigenvalue first) over the top {@code top} eigenpairs of e
     * whose λ + ridge exceeds tol·(λ_max + ridge): the whitening of the covariance VΛVᵀ + ridge·I restricted
     * to those directions.
     */
    private static Whitening fromEigen(Decompositions.Eigen e, int top, double ridge, double tol) {
        int d = e.d();
        double floor = tol * (e.values()[d - 1] + ridge);
        int k = 0;
        while (k < top && e.values()[d - 1 - k] + ridge > floor) k++;
        double[] w = new double[d * k];
        for (int j = 0; j < k; j++) {
            int src = d - 1 - j;
            double f = 1.0 / Math.sqrt(e.values()[src] + ridge);
            for (int i = 0; i < d; i++) w[i * k + j] = e.vectors()[i * d + src] * f;
        }
        return new Whitening(w, d, k);
    }

    /**
     * SVCCA (Raghu et al. 2017): project each side on its top principal directions explaining a share
     * {@code keep} of the variance (the right singular vectors of the centred data are the eigenvectors
     * of its covariance), then the mean canonical correlation of the projections. The projection X V_k has
     * the diagonal covariance Λ_k, so its whitening is V_k (Λ_k + ridge)^{-1/2} ({@link #principalWhitening}),
     * applied to the full cross-covariance: one eigendecomposition a side and no reduced covariances.
     */
    public static double svcca(Covariances c, double keep, double ridge, Precision p, Backend backend) {
        double tol = rankTolerance(p);
        Whitening wx = principalWhitening(c.xx(), c.dx(), keep, ridge, tol, backend);
        Whitening wy = principalWhitening(c.yy(), c.dy(), keep, ridge, tol, backend);
        return mean(correlations(c, wx, wy, backend));
    }

    /**
     * SVCCA's whitening of one side: the top principal directions whose eigenvalues sum first to {@code keep}
     * of the variance, less any at or below the rank tolerance, scaled to unit variance (ridge added).
     */
    static Whitening principalWhitening(double[] cov, int d, double keep, double ridge, double tol, Backend backend) {
        Decompositions.Eigen e = backend.eigenSymmetric(cov, d);
        double total = 0;
        for (double v : e.values()) total += Math.max(0, v);
        if (!(total > 0)) throw new ArithmeticException("SVCCA is undefined: a representation has no variance");
        int k = 0;
        double acc = 0;
        while (k < d) {
            acc += Math.max(0, e.values()[d - 1 - k]);
            k++;
            if (acc >= keep * total * (1 - 1e-12)) break;
        }
        return fromEigen(e, k, ridge, tol);
    }

    /**
     * PWCCA (Morcos et al. 2018): ρ̄ weighted by αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩|, hᵢ the canonical variates of the side
     * with fewer features (X on a tie) and xⱼ that side's centred feature columns. With hᵢ = X aᵢ,
     * ⟨hᵢ, xⱼ⟩ = (n−1)(C_xx aᵢ)ⱼ, so α needs only the covariances (the factor n−1 cancels).
     */
    public static double pwcca(Covariances c, double ridge, Precision p, Backend backend) {
        Sides w = whiten(c, ridge, p, backend);
        return pwcca(c, w.x(), w.y(), backend);
    }

    /** PWCCA with both sides' whitenings given (a study matrix whitens each representation once). */
    static double pwcca(Covariances c, Whitening wx, Whitening wy, Backend backend) {
        boolean swap = c.dy() < c.dx();
        Covariances cc = swap ? c.swapped() : c;
        Solution s = solve(cc, swap ? wy : wx, swap ? wx : wy, backend, false);
        int k = s.rho().length;
        double[] ca = backend.multTransA(f64(cc.dx(), cc.dx(), cc.xx()), f64(cc.dx(), k, s.weightsX())); // C_xx symmetric
        double[] alpha = new double[k];
        for (int i = 0; i < cc.dx(); i++) for (int j = 0; j < k; j++) alpha[j] += Math.abs(ca[i * k + j]);
        double num = 0, den = 0;
        for (int j = 0; j < k; j++) {
            num += alpha[j] * s.rho()[j];
            den += alpha[j];
        }
        if (!(den > 0)) throw new ArithmeticException("PWCCA is undefined: all canonical weights are zero");
        return num / den;
    }

    /** Product of a (r×m) and b (m×q) through the backend: (aᵀ)ᵀb. */
    private static double[] multiply(double[] a, int r, int m, double[] b, int q, Backend backend) {
        return backend.multTransA(f64(m, r, transpose(a, r, m)), f64(m, q, b));
    }

    /** The transpose of a rows×cols row-major matrix. */
    public static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    private static Matrix f64(int rows, int cols, double[] a) {
        return Matrix.of(rows, cols, a);
    }
}
