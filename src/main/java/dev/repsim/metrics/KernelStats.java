package dev.repsim.metrics;

/**
 * The O(n) summaries of two n×n kernel matrices K and L from which every HSIC estimator follows, so
 * that no n×n matrix needs to be held: the Frobenius products ⟨K,L⟩, ⟨K,K⟩, ⟨L,L⟩, the row sums
 * k = K1, l = L1 and the diagonals. They come from features (linear kernel), from an explicit Gram
 * matrix, or from kernel tiles accumulated block by block.
 *
 * @param n      samples
 * @param kl     Σᵢⱼ KᵢⱼLᵢⱼ
 * @param kk     Σᵢⱼ Kᵢⱼ²
 * @param ll     Σᵢⱼ Lᵢⱼ²
 * @param rowK   k = K1
 * @param rowL   l = L1
 * @param diagK  Kᵢᵢ
 * @param diagL  Lᵢᵢ
 */
public record KernelStats(int n, double kl, double kk, double ll,
                          double[] rowK, double[] rowL, double[] diagK, double[] diagL) {

    /** HSIC estimates of (K,L), (K,K), (L,L) and the CKA they give. */
    public record Hsic(double kl, double kk, double ll) {
        /** CKA = HSIC(K,L) / √(HSIC(K,K)·HSIC(L,L)) (Kornblith et al. 2019, eq. 4). */
        public double cka() {
            if (!(kk > 0) || !(ll > 0)) {
                throw new ArithmeticException("CKA is undefined: a representation has no variance (HSIC(K,K)="
                        + kk + ", HSIC(L,L)=" + ll + ")");
            }
            return kl / Math.sqrt(kk * ll);
        }
    }

    /**
     * The biased estimator tr(KHLH) with H = I − 11ᵀ/n, expanded so the centred matrices are never formed:
     * tr(KHLH) = ⟨K,L⟩ − (2/n) kᵀl + (1ᵀk)(1ᵀl)/n². The common factor 1/(n−1)² cancels in CKA and is left out.
     */
    public Hsic biased() {
        double sk = sum(rowK), sl = sum(rowL);
        double inv = 1.0 / n;
        return new Hsic(
                kl - 2 * inv * dot(rowK, rowL) + sk * sl * inv * inv,
                kk - 2 * inv * dot(rowK, rowK) + sk * sk * inv * inv,
                ll - 2 * inv * dot(rowL, rowL) + sl * sl * inv * inv);
    }

    /**
     * The unbiased estimator of Song et al. (2012), eq. 5, with K̃, L̃ the kernels with zeroed diagonals:
     * HSIC₁ = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·(K̃1)ᵀ(L̃1)] / (n(n−3)). Needs n ≥ 4.
     */
    public Hsic unbiased() {
        if (n < 4) throw new IllegalArgumentException("the unbiased HSIC estimator needs at least 4 samples, got " + n);
        double[] kt = minus(rowK, diagK);
        double[] lt = minus(rowL, diagL);
        return new Hsic(
                unbiasedTerm(kl - dot(diagK, diagL), sum(kt), sum(lt), dot(kt, lt)),
                unbiasedTerm(kk - dot(diagK, diagK), sum(kt), sum(kt), dot(kt, kt)),
                unbiasedTerm(ll - dot(diagL, diagL), sum(lt), sum(lt), dot(lt, lt)));
    }

    private double unbiasedTerm(double trace, double sumK, double sumL, double rowDot) {
        double nn = n;
        return (trace + sumK * sumL / ((nn - 1) * (nn - 2)) - 2.0 / (nn - 2) * rowDot) / (nn * (nn - 3));
    }

    private static double[] minus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
