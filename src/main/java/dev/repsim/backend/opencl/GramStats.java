package dev.repsim.backend.opencl;

/**
 * The sufficient statistics of two n×n Gram matrices K and L for biased and unbiased HSIC, gathered
 * block by block on the device without holding K or L: ⟨K,L⟩_F, ‖K‖²_F, ‖L‖²_F, the row sums K1 and
 * L1, and the diagonals.
 */
public record GramStats(int n, double kl, double kk, double ll, double[] rowSumsK, double[] rowSumsL,
                        double[] diagK, double[] diagL) {

    /**
     * tr(KHLH) with H = I − 11ᵀ/n, expanded so that no n×n product is needed:
     * ⟨K,L⟩ − (2/n)(K1)·(L1) + (1ᵀK1)(1ᵀL1)/n². (Biased HSIC = this / (n−1)², Gretton et al. 2005.)
     */
    public double centeredTrace(Which a, Which b) {
        double[] ra = rows(a), rb = rows(b);
        double dot = 0, sa = 0, sb = 0;
        for (int i = 0; i < n; i++) { dot += ra[i] * rb[i]; sa += ra[i]; sb += rb[i]; }
        return frob(a, b) - 2.0 / n * dot + sa * sb / ((double) n * n);
    }

    /**
     * Unbiased HSIC (Song et al. 2012) with K̃, L̃ the Gram matrices with zeroed diagonals:
     * [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − (2/(n−2)) 1ᵀK̃L̃1] / (n(n−3)).
     */
    public double hsicUnbiased(Which a, Which b) {
        if (n < 4) throw new IllegalArgumentException("unbiased HSIC needs n >= 4, got " + n);
        double[] ra = rows(a), rb = rows(b), da = diag(a), db = diag(b);
        double diagProd = 0, sa = 0, sb = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            diagProd += da[i] * db[i];
            double ta = ra[i] - da[i], tb = rb[i] - db[i];
            sa += ta; sb += tb; cross += ta * tb;
        }
        double tr = frob(a, b) - diagProd;
        return (tr + sa * sb / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * cross) / ((double) n * (n - 3.0));
    }

    /** CKA from biased HSIC (Kornblith et al. 2019): tr(KHLH) / √(tr(KHKH) tr(LHLH)). */
    public double cka() {
        return centeredTrace(Which.K, Which.L) / Math.sqrt(centeredTrace(Which.K, Which.K) * centeredTrace(Which.L, Which.L));
    }

    /** Debiased CKA: the same ratio of unbiased HSIC estimates. */
    public double ckaDebiased() {
        return hsicUnbiased(Which.K, Which.L) / Math.sqrt(hsicUnbiased(Which.K, Which.K) * hsicUnbiased(Which.L, Which.L));
    }

    /** Which of the two Gram matrices. */
    public enum Which { K, L }

    private double frob(Which a, Which b) {
        if (a != b) return kl;
        return a == Which.K ? kk : ll;
    }

    private double[] rows(Which w) { return w == Which.K ? rowSumsK : rowSumsL; }

    private double[] diag(Which w) { return w == Which.K ? diagK : diagL; }
}
