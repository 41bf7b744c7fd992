package dev.repsim.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;

/**
 * The roots of the secular equation f(λ) = 1/ρ + Σ z_i²/(d_i − λ) = 0 of a rank-one update D + ρzzᵀ
 * (d ascending and distinct, every z_i ≠ 0, ρ &gt; 0): one root in each gap (d_j, d_{j+1}) and the last in
 * (d_k, d_k + ρ‖z‖²]. The merge step of both divide-and-conquer solvers: the tridiagonal eigenproblem's
 * (poles the halves' eigenvalues) and the bidiagonal SVD's (poles the squared singular values, ρ = 1).
 *
 * <p>Each root is kept as its nearer pole o and the offset τ = λ − d_o, so that d_i − λ_j = (d_i − d_o) − τ
 * is accurate to working precision even when λ_j is within a few ulps of a pole; the eigenvectors need
 * exactly those differences. The iteration is Li's "middle way" (a two-pole rational model fitted to f and
 * to both partial sums' slopes), safeguarded by a bisection bracket (Li 1994; Gu &amp; Eisenstat 1995).
 * Roots are independent of one another, so the result does not depend on how they are split between
 * threads.
 */
final class SecularEquation {
    /**
     * Iterations allowed per root. The rational model takes a handful; bisection, its fallback, needs up
     * to about 60 halvings per 2⁻⁵² of the gap, and a root may lie within ~ε² of its pole.
     */
    private static final int MAX_ITERATIONS = 400;
    private static final double EPS = Math.ulp(1.0) / 2;

    private final double[] poles;
    private final int[] origin;
    private final double[] shift;
    private final double rho;

    private SecularEquation(double[] poles, int[] origin, double[] shift, double rho) {
        this.poles = poles;
        this.origin = origin;
        this.shift = shift;
        this.rho = rho;
    }

    /** Solves for all k roots; a NaN, or a root that does not converge, throws ArithmeticException. */
    static SecularEquation solve(double[] poles, double[] z, double rho, ForkJoinPool pool) {
        int k = poles.length;
        double zz = 0;
        for (double v : z) zz += v * v;
        int[] origin = new int[k];
        double[] shift = new double[k];
        double bound = rho * zz;
        // A root costs a few passes over the k poles, each term a division (~8 multiply-adds' time).
        forEach(k, (long) k * k * 32, pool, j -> root(poles, z, rho, bound, j, origin, shift));
        return new SecularEquation(poles, origin, shift, rho);
    }

    /** Root j (ascending). */
    double root(int j) {
        return poles[origin[j]] + shift[j];
    }

    /** d_i − λ_j, from λ_j's nearer pole: (d_i − d_o) − τ_j, exact in its leading part. */
    double delta(int i, int j) {
        return (poles[i] - poles[origin[j]]) - shift[j];
    }

    /**
     * Löwner's formula: the ẑ (with the signs of z) for which the computed roots are the exact eigenvalues
     * of D + ρẑẑᵀ, ẑ_i² = (λ_k − d_i)/ρ · Π_{j&lt;i} (λ_j − d_i)/(d_j − d_i) · Π_{i≤j&lt;k−1} (λ_j − d_i)/(d_{j+1} − d_i);
     * by interlacing every factor lies in [0, 1]. With it the vectors ẑ_i/(d_i − λ_j) are orthogonal to
     * working precision (Gu &amp; Eisenstat 1995).
     */
    double[] lowner(double[] z, ForkJoinPool pool) {
        int k = poles.length;
        double[] zh = new double[k];
        forEach(k, (long) k * k * 8, pool, i -> {
            double p = -delta(i, k - 1) / rho;
            for (int j = 0; j < i; j++) p *= delta(i, j) / (poles[i] - poles[j]);
            for (int j = i; j < k - 1; j++) p *= delta(i, j) / (poles[i] - poles[j + 1]);
            zh[i] = Math.copySign(Math.sqrt(p), z[i]);
        });
        return zh;
    }

    /**
     * Root j of 1/ρ + Σ z_i²/(d_i − λ) = 0: in (d_j, d_{j+1}), or for the last one in (d_j, d_j + bound].
     * Stored as its nearer pole o and the offset τ = λ − d_o.
     */
    private static void root(double[] dk, double[] zk, double rho, double bound, int j, int[] origin, double[] shift) {
        int k = dk.length, o;
        double lo, hi, inverseRho = 1.0 / rho;
        if (j < k - 1) {
            double half = 0.5 * (dk[j + 1] - dk[j]), g = inverseRho;
            for (int i = 0; i < k; i++) g += zk[i] * zk[i] / ((dk[i] - dk[j]) - half);
            // f rises from −∞ to +∞ across the gap: its sign at the midpoint says which pole is nearer.
            if (g >= 0) {
                o = j;
                lo = 0;
                hi = half;
            } else {
                o = j + 1;
                lo = -half;
                hi = 0;
            }
        } else {
            o = j;
            lo = 0;
            hi = bound;
        }
        double tau = 0.5 * (lo + hi);
        for (int iteration = 0; ; iteration++) {
            if (iteration == MAX_ITERATIONS) {
                throw new ArithmeticException("secular equation of order " + k + " did not converge at root " + j);
            }
            double psi = 0, dpsi = 0, phi = 0, dphi = 0;
            for (int i = 0; i <= j; i++) {
                double t = zk[i] / ((dk[i] - dk[o]) - tau);
                psi += zk[i] * t;
                dpsi += t * t;
            }
            for (int i = j + 1; i < k; i++) {
                double t = zk[i] / ((dk[i] - dk[o]) - tau);
                phi += zk[i] * t;
                dphi += t * t;
            }
            double w = inverseRho + psi + phi;
            if (Double.isNaN(w)) throw new ArithmeticException("secular equation of order " + k + ": NaN at root " + j);
            if (w > 0) hi = tau;
            else if (w < 0) lo = tau;
            else break;
            // w's rounding error: each term to a few ulps, and the shifts d_i − d_o to one ulp of themselves.
            double error = EPS * (8 * (phi - psi + inverseRho) + 3 * Math.abs(w) + Math.abs(tau) * (dpsi + dphi));
            if (Math.abs(w) <= error) break;
            double below = (dk[j] - dk[o]) - tau, eta;
            if (j < k - 1) {
                // f ≈ c + s/(Δ_j − η) + S/(Δ_{j+1} − η), matching f and the slopes of both partial sums.
                double above = (dk[j + 1] - dk[o]) - tau;
                double s = below * below * dpsi, bigS = above * above * dphi, c = w - below * dpsi - above * dphi;
                double a = c * (below + above) + s + bigS, b = c * below * above + s * above + bigS * below;
                eta = quadraticRootBetween(c, a, b, below, above);
            } else {
                double s = below * below * dpsi, c = w - below * dpsi;
                eta = c > 0 ? below + s / c : Double.NaN;
            }
            double next = tau + eta;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
                if (!(next > lo && next < hi)) break; // the bracket is down to adjacent doubles
            }
            if (next == tau) break;
            tau = next;
        }
        origin[j] = o;
        shift[j] = tau;
    }

    /** The root of c η² − a η + b = 0 strictly between lo and hi (the model has one there), or NaN. */
    private static double quadraticRootBetween(double c, double a, double b, double lo, double hi) {
        if (c == 0) return b / a;
        double disc = a * a - 4 * c * b;
        if (disc < 0) return Double.NaN;
        double qq = 0.5 * (a + Math.copySign(Math.sqrt(disc), a));
        double r1 = qq / c, r2 = qq == 0 ? Double.NaN : b / qq;
        boolean in1 = r1 > lo && r1 < hi, in2 = r2 > lo && r2 < hi;
        if (in1 && in2) return Math.abs(r1) <= Math.abs(r2) ? r1 : r2;
        return in1 ? r1 : in2 ? r2 : Double.NaN;
    }

    /**
     * Q·U for the merge: rows [r0, r0 + rows) of the row-major Q (row stride {@code stride}), columns
     * qColumns[0 .. width), times the k × k U whose column j is stored as row j of {@code vectors}
     * (vectors[j·k + i] = U_ij), rows uRows[0 .. width) of U; one blocked product, rows × k.
     */
    static double[] product(double[] q, int stride, int r0, int rows, int[] qColumns, int[] uRows, int width,
                            double[] vectors, int k, ForkJoinPool pool) {
        if (width == 0) return new double[rows * k];
        double[] left = new double[rows * width], right = new double[k * width];
        for (int i = 0; i < rows; i++) {
            int src = (r0 + i) * stride;
            for (int t = 0; t < width; t++) left[i * width + t] = q[src + qColumns[t]];
        }
        for (int j = 0; j < k; j++) for (int t = 0; t < width; t++) right[j * width + t] = vectors[j * k + uRows[t]];
        var kernel = new DoublePackedKernel(left, width, PackedKernel.Layout.K_COLS, right, width, PackedKernel.Layout.K_COLS);
        return BlockedGemm.product(kernel, rows, k, width, false, pool);
    }

    /**
     * The order in which a merge lists its k roots (values[0 .. k)) and nd deflated columns (values d[deflated[j]],
     * written to values[k + j]): from[col] = p, ascending by value, ties the roots first and then the
     * deflated columns in their order (a stable sort).
     */
    static int[] ascending(double[] values, int k, double[] d, int[] deflated, int nd) {
        Integer[] all = new Integer[k + nd];
        for (int j = 0; j < k; j++) all[j] = j;
        for (int j = 0; j < nd; j++) {
            all[k + j] = k + j;
            values[k + j] = d[deflated[j]];
        }
        java.util.Arrays.sort(all, (x, y) -> Double.compare(values[x], values[y]));
        int[] from = new int[k + nd];
        for (int col = 0; col < from.length; col++) from[col] = all[col];
        return from;
    }

    /** body(0 .. count − 1), in contiguous runs, one per thread where the work is large enough. */
    static void forEach(int count, long work, ForkJoinPool pool, IntConsumer body) {
        Parts.runs(pool, Parts.threads(pool, work, count), count, (t, from, to) -> {
            for (int i = from; i < to; i++) body.accept(i);
        });
    }
}
