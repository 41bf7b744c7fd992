package dev.repsim.backend;

/** Results of the d×d factorisations the CCA family needs. All arrays are row-major float64. */
public final class Decompositions {
    private Decompositions() {}

    /** A = V diag(values) Vᵀ; values ascending; vectors d×d with eigenvector k in column k. */
    public record Eigen(double[] values, double[] vectors, int d) {}

    /** A = U diag(s) Vᵀ (thin): s descending, length k = min(m, n); u is m×k, vt is k×n. */
    public record Svd(double[] s, double[] u, double[] vt, int m, int n) {
        public int k() { return s.length; }
    }
}
