package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.RowNorms;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Linear CKA (Kornblith et al. 2019) and its debiased variant (unbiased HSIC, Song et al. 2012).
 *
 * <p>With centred X (n×dx) and Y (n×dy), the linear kernels are K = XXᵀ and L = YYᵀ, and
 * ⟨K,L⟩ = ‖YᵀX‖²_F. The feature form costs n(dx+dy)² flops (XᵀX and YᵀY as syrk, XᵀY as a GEMM); the
 * Gram form costs n²(dx+dy). {@link #compute} takes the Gram form when n &lt; dx + dy, the cheaper one.
 */
public final class LinearCka {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private LinearCka() {}

    /** Which of the two equivalent formulations to evaluate. */
    public enum Form { AUTO, FEATURE, GRAM }

    public static double compute(Matrix x, Matrix y, Backend backend, boolean debiased, Form form) {
        Form f = form == Form.AUTO ? cheaperForm(x.rows(), x.cols(), y.cols()) : form;
        if (f == Form.FEATURE && !debiased) {
            if (backend instanceof FusedKernels k) {
                return fromNorms(k.centredProductNorm(x, y), k.centredProductNorm(x, x), k.centredProductNorm(y, y));
            }
            Backend.CoMomentNorms s = backend.centeredCoMomentNorms(x, x.columnMeans(), y, y.columnMeans());
            return fromNorms(s.ab(), s.aa(), s.bb());
        }
        KernelStats s = f == Form.FEATURE ? featureStats(x, y, backend) : gramStats(x, y, backend);
        return (debiased ? s.unbiased() : s.biased()).cka();
    }

    /** Gram form when n &lt; dx + dy (n²(dx+dy) &lt; n(dx+dy)² flops). */
    public static Form cheaperForm(int n, int dx, int dy) {
        return n < dx + dy ? Form.GRAM : Form.FEATURE;
    }

    /**
     * Linear CKA from streaming statistics: ‖Sxy‖²_F / (‖Sxx‖_F ‖Syy‖_F) with S the centred co-moments
     * (the 1/(n−1)² factors cancel).
     */
    public static double fromCovariance(CrossCovariance c) {
        return fromNorms(frobeniusSquared(c.sxy()), frobeniusSquared(c.sxx()), frobeniusSquared(c.syy()));
    }

    /** ‖Sxy‖²_F / (‖Sxx‖_F ‖Syy‖_F) from the three squared norms. */
    static double fromNorms(double xySq, double xxSq, double yySq) {
        double xx = Math.sqrt(xxSq), yy = Math.sqrt(yySq);
        if (!(xx > 0) || !(yy > 0)) {
            throw new ArithmeticException("CKA is undefined: " + (xx > 0 ? "Y" : "X") + " has no variance (all rows equal)");
        }
        return xySq / (xx * yy);
    }

    /**
     * Kernel summaries of the linear kernels from features: ⟨K,L⟩ = ‖XᵀY‖², K1 = X(Xᵀ1), Kᵢᵢ = ‖xᵢ‖²,
     * on centred data (centring improves the rounding; every estimator here is shift-invariant).
     */
    static KernelStats featureStats(Matrix x, Matrix y, Backend backend) {
        double[] mx = x.columnMeans(), my = y.columnMeans();
        Backend.CoMoments m = backend.centeredCoMoments(x, mx, y, my);
        return featureStats(x.rows(), m, rowSums(x, mx), rowSums(y, my), RowNorms.squared(x, mx), RowNorms.squared(y, my));
    }

    /** Kernel summaries from the explicit n×n Gram matrices XXᵀ and YYᵀ (used when n is small). */
    static KernelStats gramStats(Matrix x, Matrix y, Backend backend) {
        if (backend instanceof FusedKernels f) {
            return f.kernelStats(x.centered(), FusedKernels.Kernel.LINEAR, y.centered(), FusedKernels.Kernel.LINEAR);
        }
        Matrix xc = x.centered();
        Matrix yc = y.centered();
        int n = x.rows();
        double[] k = backend.multTransB(xc, xc);
        double[] l = backend.multTransB(yc, yc);
        double kl = 0, kk = 0, ll = 0;
        double[] rowK = new double[n], rowL = new double[n], diagK = new double[n], diagL = new double[n];
        double[] lanes = new double[S.length()];
        int bound = S.loopBound(n);
        for (int i = 0; i < n; i++) {
            int o = i * n;
            DoubleVector vkl = DoubleVector.zero(S), vkk = vkl, vll = vkl, vrk = vkl, vrl = vkl;
            int j = 0;
            for (; j < bound; j += S.length()) {
                DoubleVector a = DoubleVector.fromArray(S, k, o + j), b = DoubleVector.fromArray(S, l, o + j);
                vkl = a.fma(b, vkl);
                vkk = a.fma(a, vkk);
                vll = b.fma(b, vll);
                vrk = vrk.add(a);
                vrl = vrl.add(b);
            }
            double skl = FixedOrderSums.laneSum(vkl, lanes), skk = FixedOrderSums.laneSum(vkk, lanes);
            double sll = FixedOrderSums.laneSum(vll, lanes);
            double rk = FixedOrderSums.laneSum(vrk, lanes), rl = FixedOrderSums.laneSum(vrl, lanes);
            for (; j < n; j++) {
                double a = k[o + j], b = l[o + j];
                skl += a * b;
                skk += a * a;
                sll += b * b;
                rk += a;
                rl += b;
            }
            kl += skl;
            kk += skk;
            ll += sll;
            rowK[i] = rk;
            rowL[i] = rl;
            diagK[i] = k[o + i];
            diagL[i] = l[o + i];
        }
        return new KernelStats(n, kl, kk, ll, rowK, rowL, diagK, diagL);
    }

    /**
     * K1 = X̄(X̄ᵀ1) for the linear kernel of X̄ = X − 1μᵀ (its rows as {@link Matrix#centered(double[])}
     * holds them), without forming K or X̄: one pass for s = X̄ᵀ1, one for the dots x̄ᵢ·s.
     */
    static double[] rowSums(Matrix x, double[] mean) {
        return rowSums(x, mean, centredSum(x, mean));
    }

    /** s = X̄ᵀ1 of the rows of x centred with {@code mean}, added row by row (a part of it, for rows held in parts). */
    public static double[] centredSum(Matrix x, double[] mean) {
        int n = x.rows(), d = x.cols();
        double[] s = new double[d], row = new double[d];
        float[] row32 = x.precision() == Precision.F32 ? new float[d] : null;
        int bound = S.loopBound(d);
        for (int i = 0; i < n; i++) {
            centeredRow(x, i, mean, row, row32);
            int j = 0;
            for (; j < bound; j += S.length()) {
                DoubleVector.fromArray(S, s, j).add(DoubleVector.fromArray(S, row, j)).intoArray(s, j);
            }
            for (; j < d; j++) s[j] += row[j];
        }
        return s;
    }

    /** The dots x̄ᵢ·s of the rows of x centred with {@code mean}: their entries of K1 when s is X̄ᵀ1 over all rows. */
    public static double[] rowSums(Matrix x, double[] mean, double[] s) {
        int n = x.rows(), d = x.cols();
        double[] row = new double[d], out = new double[n], lanes = new double[S.length()];
        float[] row32 = x.precision() == Precision.F32 ? new float[d] : null;
        int bound = S.loopBound(d);
        for (int i = 0; i < n; i++) {
            centeredRow(x, i, mean, row, row32);
            DoubleVector acc = DoubleVector.zero(S);
            int j = 0;
            for (; j < bound; j += S.length()) acc = DoubleVector.fromArray(S, row, j).fma(DoubleVector.fromArray(S, s, j), acc);
            double v = FixedOrderSums.laneSum(acc, lanes);
            for (; j < d; j++) v += row[j] * s[j];
            out[i] = v;
        }
        return out;
    }

    /**
     * The linear kernels' statistics from their parts, as {@link #featureStats} forms them: the centred
     * co-moments (merged over all rows), K1 and L1 ({@link #rowSums}) and the diagonals ‖x̄ᵢ‖², ‖ȳᵢ‖².
     */
    public static KernelStats featureStats(int n, Backend.CoMoments m, double[] rowK, double[] rowL, double[] diagK, double[] diagL) {
        return new KernelStats(n, frobeniusSquared(m.ab()), frobeniusSquared(m.aa()), frobeniusSquared(m.bb()), rowK, rowL, diagK, diagL);
    }

    /** Row i of X̄ in float64 (a float32 matrix's row rounded to float32 first, through {@code row32}). */
    private static void centeredRow(Matrix x, int i, double[] mean, double[] row, float[] row32) {
        int d = x.cols();
        if (row32 == null) {
            x.centeredRow(i, 0, d, mean, row, 0);
            return;
        }
        x.centeredRow(i, 0, d, mean, row32, 0);
        for (int j = 0; j < d; j++) row[j] = row32[j];
    }

    /** Σ aᵢ², the squared Frobenius norm of a matrix stored in a. */
    public static double frobeniusSquared(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return s;
    }
}
