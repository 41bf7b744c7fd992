package dev.repsim.metrics;

import dev.repsim.linalg.Matrix;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.Arrays;

/**
 * Float64 reference implementations written independently of the production code: explicit n×n
 * kernel matrices, the centring matrix H, textbook formulas, and QR-based CCA (Björck &amp; Golub 1973)
 * instead of the covariance whitening used in production. Apache Commons Math does the linear algebra.
 */
public final class Reference {
    private Reference() {}

    public static RealMatrix real(Matrix m) {
        double[][] a = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) a[i][j] = m.get(i, j);
        return new Array2DRowRealMatrix(a, false);
    }

    static RealMatrix linearKernel(Matrix x) {
        RealMatrix r = real(x);
        return r.multiply(r.transpose());
    }

    /** Gaussian kernel with σ² = s² · median of all n² squared distances (np.median semantics). */
    static RealMatrix rbfKernel(Matrix x, double s) {
        int n = x.rows();
        double[][] d = new double[n][n];
        double[] all = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double t = 0;
                for (int c = 0; c < x.cols(); c++) {
                    double u = x.get(i, c) - x.get(j, c);
                    t += u * u;
                }
                d[i][j] = t;
                all[i * n + j] = t;
            }
        }
        double med = median(all);
        double s2 = s * s * med;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) k[i][j] = Math.exp(-d[i][j] / (2 * s2));
        return new Array2DRowRealMatrix(k, false);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    /** tr(KHLH) with H = I − 11ᵀ/n formed explicitly. */
    static double hsicBiased(RealMatrix k, RealMatrix l) {
        int n = k.getRowDimension();
        RealMatrix h = MatrixUtils.createRealIdentityMatrix(n).scalarAdd(0);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h.addToEntry(i, j, -1.0 / n);
        return h.multiply(k).multiply(h).multiply(l).getTrace();
    }

    /** Song et al. (2012) eq. 5, written with explicit K̃, L̃ (zero diagonals) and loops. */
    public static double hsicUnbiased(RealMatrix k, RealMatrix l) {
        int n = k.getRowDimension();
        RealMatrix kt = k.copy(), lt = l.copy();
        for (int i = 0; i < n; i++) {
            kt.setEntry(i, i, 0);
            lt.setEntry(i, i, 0);
        }
        double tr = kt.multiply(lt).getTrace();
        double sk = 0, sl = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            sk += kt.getEntry(i, j);
            sl += lt.getEntry(i, j);
        }
        double[] one = new double[n];
        Arrays.fill(one, 1);
        double mid = new org.apache.commons.math3.linear.ArrayRealVector(one).dotProduct(kt.multiply(lt).operate(
                new org.apache.commons.math3.linear.ArrayRealVector(one)));
        return (tr + sk * sl / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * mid) / (n * (n - 3.0));
    }

    static double cka(RealMatrix k, RealMatrix l, boolean unbiased) {
        if (unbiased) return hsicUnbiased(k, l) / Math.sqrt(hsicUnbiased(k, k) * hsicUnbiased(l, l));
        return hsicBiased(k, l) / Math.sqrt(hsicBiased(k, k) * hsicBiased(l, l));
    }

    static RealMatrix centered(Matrix m) {
        RealMatrix r = real(m);
        int n = r.getRowDimension();
        for (int c = 0; c < r.getColumnDimension(); c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += r.getEntry(i, c);
            mean /= n;
            for (int i = 0; i < n; i++) r.addToEntry(i, c, -mean);
        }
        return r;
    }

    /** Orthonormal basis of the column space of a full-column-rank centred matrix (thin Q of QR). */
    static RealMatrix orthonormalBasis(RealMatrix a) {
        QRDecomposition qr = new QRDecomposition(a);
        return qr.getQ().getSubMatrix(0, a.getRowDimension() - 1, 0, a.getColumnDimension() - 1);
    }

    /** Canonical correlations as the singular values of QxᵀQy (full-rank inputs). */
    static double[] ccaCorrelations(RealMatrix xc, RealMatrix yc) {
        RealMatrix qx = orthonormalBasis(xc), qy = orthonormalBasis(yc);
        double[] s = new SingularValueDecomposition(qx.transpose().multiply(qy)).getSingularValues();
        return Arrays.stream(s).map(v -> Math.min(1, v)).toArray();
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    /** SVCCA: top right-singular directions keeping a share of the variance (Σs²), then mean CCA. */
    static double svcca(Matrix x, Matrix y, double keep) {
        return mean(ccaCorrelations(reduce(centered(x), keep), reduce(centered(y), keep)));
    }

    static RealMatrix reduce(RealMatrix xc, double keep) {
        SingularValueDecomposition svd = new SingularValueDecomposition(xc);
        double[] s = svd.getSingularValues();
        double total = Arrays.stream(s).map(v -> v * v).sum(), acc = 0;
        int k = 0;
        while (k < s.length) {
            acc += s[k] * s[k];
            k++;
            if (acc >= keep * total * (1 - 1e-12)) break;
        }
        return xc.multiply(svd.getV().getSubMatrix(0, xc.getColumnDimension() - 1, 0, k - 1));
    }

    /**
     * PWCCA (Morcos et al. 2018): canonical variates of the side with fewer features (X on a tie) as
     * Qx·U, weights αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩| over that side's centred columns.
     */
    static double pwcca(Matrix x, Matrix y) {
        RealMatrix xc = centered(x), yc = centered(y);
        if (y.cols() < x.cols()) {
            RealMatrix t = xc;
            xc = yc;
            yc = t;
        }
        RealMatrix qx = orthonormalBasis(xc), qy = orthonormalBasis(yc);
        SingularValueDecomposition svd = new SingularValueDecomposition(qx.transpose().multiply(qy));
        double[] rho = svd.getSingularValues();
        RealMatrix h = qx.multiply(svd.getU()); // n × k canonical variates (unit norm)
        return weightedMean(h, xc, rho);
    }

    /** Σᵢ αᵢ min(1, ρᵢ) / Σᵢ αᵢ with αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩| over the columns xⱼ of xc (Morcos et al. 2018). */
    private static double weightedMean(RealMatrix h, RealMatrix xc, double[] rho) {
        double num = 0, den = 0;
        for (int i = 0; i < rho.length; i++) {
            double alpha = 0;
            for (int j = 0; j < xc.getColumnDimension(); j++) {
                alpha += Math.abs(h.getColumnVector(i).dotProduct(xc.getColumnVector(j)));
            }
            num += alpha * Math.min(1, rho[i]);
            den += alpha;
        }
        return num / den;
    }

    /**
     * Regularised CCA: the singular values (min(dx, dy) of them, descending, clipped to 1) of
     * K = (C_xx + λI)^{-1/2} C_xy (C_yy + λI)^{-1/2}, covariances over n − 1, the inverse square roots from
     * Commons Math's symmetric eigendecomposition.
     */
    static double[] ridgeCcaCorrelations(RealMatrix xc, RealMatrix yc, double ridge) {
        double[] s = new SingularValueDecomposition(ridgeWhitenedCross(xc, yc, ridge)).getSingularValues();
        return Arrays.stream(s).map(v -> Math.min(1, v)).toArray();
    }

    /**
     * PWCCA with a ridge, from the data: canonical weights aᵢ = (C_xx + λI)^{-1/2} uᵢ of the side with fewer
     * features (X on a tie), uᵢ the left singular vectors of K; variates hᵢ = X aᵢ; αᵢ = Σⱼ |⟨hᵢ, xⱼ⟩|.
     */
    static double ridgePwcca(Matrix x, Matrix y, double ridge) {
        RealMatrix xc = centered(x), yc = centered(y);
        if (y.cols() < x.cols()) {
            RealMatrix t = xc;
            xc = yc;
            yc = t;
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(ridgeWhitenedCross(xc, yc, ridge));
        double[] rho = svd.getSingularValues();
        RealMatrix h = xc.multiply(inverseSqrt(covariance(xc, xc), ridge)).multiply(svd.getU());
        return weightedMean(h, xc, rho);
    }

    private static RealMatrix ridgeWhitenedCross(RealMatrix xc, RealMatrix yc, double ridge) {
        return inverseSqrt(covariance(xc, xc), ridge).multiply(covariance(xc, yc)).multiply(inverseSqrt(covariance(yc, yc), ridge));
    }

    /** AᵀB / (n − 1) for centred A, B of n rows. */
    private static RealMatrix covariance(RealMatrix a, RealMatrix b) {
        return a.transpose().multiply(b).scalarMultiply(1.0 / (a.getRowDimension() - 1));
    }

    /** (C + λI)^{-1/2} = V (Λ + λ)^{-1/2} Vᵀ for a symmetric positive semi-definite C and λ &gt; 0. */
    private static RealMatrix inverseSqrt(RealMatrix c, double ridge) {
        EigenDecomposition e = new EigenDecomposition(c);
        double[] l = e.getRealEigenvalues();
        double[] f = new double[l.length];
        for (int i = 0; i < l.length; i++) f[i] = 1 / Math.sqrt(l[i] + ridge);
        return e.getV().multiply(MatrixUtils.createRealDiagonalMatrix(f)).multiply(e.getVT());
    }
}
