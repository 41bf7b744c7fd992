package dev.repsim.metrics;

import dev.repsim.linalg.Matrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/**
 * Float64 references for the shape, subspace and centroid measures of issue 14, written from the
 * definitions on the explicit n×d data with Commons Math and sharing no code with production: the
 * Procrustes distances by applying the minimising rotation and measuring ‖X̂ − ŶQ‖_F (not the
 * nuclear-norm closed form), permutations and matchings by enumerating every permutation, subspaces
 * from the SVD of the centred data with the rank threshold s_max·max(n, d)·ε, GULP from the
 * explicit n×n ridge hat matrices, correlations with PearsonsCorrelation.
 */
final class ShapeReference {
    private ShapeReference() {}

    /** X̄ / ‖X̄‖_F. */
    static RealMatrix normalized(Matrix m) {
        RealMatrix c = Reference.centered(m);
        return c.scalarMultiply(1.0 / c.getFrobeniusNorm());
    }

    /** The matrix with zero columns appended up to {@code width} (unequal widths are compared zero-padded). */
    static RealMatrix padded(RealMatrix a, int width) {
        RealMatrix p = MatrixUtils.createRealMatrix(a.getRowDimension(), width);
        p.setSubMatrix(a.getData(), 0, 0);
        return p;
    }

    /** The square orthogonal Q minimising ‖A − BQ‖_F (equal widths): UVᵀ of BᵀA = UΣVᵀ. */
    static RealMatrix rotation(RealMatrix a, RealMatrix b) {
        SingularValueDecomposition s = new SingularValueDecomposition(b.transpose().multiply(a));
        return s.getU().multiply(s.getVT());
    }

    /** min over orthogonal Q of ‖A − BQ‖_F, the narrower side zero-padded. */
    static double minimised(RealMatrix a, RealMatrix b) {
        int w = Math.max(a.getColumnDimension(), b.getColumnDimension());
        RealMatrix ap = padded(a, w), bp = padded(b, w);
        return ap.subtract(bp.multiply(rotation(ap, bp))).getFrobeniusNorm();
    }

    static double procrustes(Matrix x, Matrix y) {
        return minimised(normalized(x), normalized(y));
    }

    static double sizeShape(Matrix x, Matrix y) {
        return minimised(Reference.centered(x), Reference.centered(y));
    }

    /** arccos of the Frobenius inner product ⟨X̂, ŶQ⟩ at the best Q (zero-padded). */
    static double angular(Matrix x, Matrix y) {
        int w = Math.max(x.cols(), y.cols());
        RealMatrix a = padded(normalized(x), w), b = padded(normalized(y), w);
        RealMatrix bq = b.multiply(rotation(a, b));
        double dot = 0;
        for (int i = 0; i < a.getRowDimension(); i++) {
            for (int j = 0; j < a.getColumnDimension(); j++) dot += a.getEntry(i, j) * bq.getEntry(i, j);
        }
        return Math.acos(Math.min(1, dot));
    }

    /** min over all column permutations P of ‖X − YP‖_F (d ≤ 8). */
    static double permutationProcrustes(Matrix x, Matrix y) {
        int d = x.cols();
        double best = Double.POSITIVE_INFINITY;
        for (int[] p : permutations(d)) {
            double s = 0;
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < d; j++) {
                    double e = x.get(i, j) - y.get(i, p[j]);
                    s += e * e;
                }
            }
            best = Math.min(best, s);
        }
        return Math.sqrt(best);
    }

    /** Mean row cosine between X and YQ, Q the orthogonal Procrustes map of Y onto X (raw data, zero-padded). */
    static double alignedCosine(Matrix x, Matrix y) {
        int w = Math.max(x.cols(), y.cols());
        RealMatrix a = padded(Reference.real(x), w), b = padded(Reference.real(y), w);
        RealMatrix bq = b.multiply(rotation(a, b));
        double sum = 0;
        for (int i = 0; i < a.getRowDimension(); i++) {
            sum += cosine(a.getRow(i), bq.getRow(i));
        }
        return sum / a.getRowDimension();
    }

    /** Left singular vectors of the centred data for the numerical rank s > s_max·max(n, d)·ε. */
    static RealMatrix leftBasis(Matrix m) {
        RealMatrix c = Reference.centered(m);
        SingularValueDecomposition s = new SingularValueDecomposition(c);
        double[] sv = s.getSingularValues();
        double tol = sv[0] * Math.max(c.getRowDimension(), c.getColumnDimension()) * Math.ulp(1.0);
        int r = 0;
        while (r < sv.length && sv[r] > tol) r++;
        return s.getU().getSubMatrix(0, c.getRowDimension() - 1, 0, r - 1);
    }

    static double eigenspaceOverlap(Matrix x, Matrix y) {
        RealMatrix u = leftBasis(x), v = leftBasis(y);
        double f = u.transpose().multiply(v).getFrobeniusNorm();
        return f * f / Math.max(u.getColumnDimension(), v.getColumnDimension());
    }

    /** 1 − ‖Ȳ − X̄X̄⁺Ȳ‖²/‖Ȳ‖², the fit as the projection UUᵀȲ onto X̄'s column space. */
    static double linearRegression(Matrix x, Matrix y) {
        RealMatrix u = leftBasis(x), yc = Reference.centered(y);
        RealMatrix resid = yc.subtract(u.multiply(u.transpose().multiply(yc)));
        double r = resid.getFrobeniusNorm(), t = yc.getFrobeniusNorm();
        return 1 - r * r / (t * t);
    }

    /** ‖H_X − H_Y‖_F, H = X̃(X̃ᵀX̃ + nλI)⁻¹X̃ᵀ with X̃ = √n·X̄/‖X̄‖_F (λ = 0: the projection onto X̄'s columns). */
    static double gulp(Matrix x, Matrix y, double lambda) {
        RealMatrix hx = hat(x, lambda), hy = hat(y, lambda);
        return hx.subtract(hy).getFrobeniusNorm();
    }

    private static RealMatrix hat(Matrix m, double lambda) {
        int n = m.rows();
        if (lambda == 0) {
            RealMatrix u = leftBasis(m);
            return u.multiply(u.transpose());
        }
        RealMatrix t = normalized(m).scalarMultiply(Math.sqrt(n));
        RealMatrix g = t.transpose().multiply(t).add(MatrixUtils.createRealIdentityMatrix(m.cols()).scalarMultiply(n * lambda));
        return t.multiply(MatrixUtils.inverse(g)).multiply(t.transpose());
    }

    /** Pearson correlation of every column of X with every column of Y (dx×dy). */
    static double[][] correlations(Matrix x, Matrix y) {
        RealMatrix a = Reference.real(x), b = Reference.real(y);
        PearsonsCorrelation p = new PearsonsCorrelation();
        double[][] c = new double[x.cols()][y.cols()];
        for (int i = 0; i < x.cols(); i++) for (int j = 0; j < y.cols(); j++) c[i][j] = p.correlation(a.getColumn(i), b.getColumn(j));
        return c;
    }

    /** max over permutations of the mean matched correlation (d ≤ 8). */
    static double hardCorrelationMatch(Matrix x, Matrix y) {
        double[][] c = correlations(x, y);
        int d = x.cols();
        double best = Double.NEGATIVE_INFINITY;
        for (int[] p : permutations(d)) {
            double s = 0;
            for (int j = 0; j < d; j++) s += c[j][p[j]];
            best = Math.max(best, s / d);
        }
        return best;
    }

    static double softCorrelationMatch(Matrix x, Matrix y) {
        double[][] c = correlations(x, y);
        int dx = x.cols(), dy = y.cols();
        double a = 0, b = 0;
        for (int i = 0; i < dx; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < dy; j++) m = Math.max(m, c[i][j]);
            a += m;
        }
        for (int j = 0; j < dy; j++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < dx; i++) m = Math.max(m, c[i][j]);
            b += m;
        }
        return 0.5 * (a / dx + b / dy);
    }

    static double[] meanRow(Matrix m) {
        double[] mu = new double[m.cols()];
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) mu[j] += m.get(i, j) / m.rows();
        return mu;
    }

    static double magnitudeDifference(Matrix x, Matrix y) {
        return Math.abs(MatrixUtils.createRealVector(meanRow(x)).getNorm() - MatrixUtils.createRealVector(meanRow(y)).getNorm());
    }

    static double concentricityDifference(Matrix x, Matrix y) {
        return Math.abs(concentricity(x) - concentricity(y));
    }

    private static double concentricity(Matrix m) {
        double[] mu = meanRow(m);
        double s = 0;
        RealMatrix r = Reference.real(m);
        for (int i = 0; i < m.rows(); i++) s += cosine(r.getRow(i), mu);
        return s / m.rows();
    }

    static double cosine(double[] a, double[] b) {
        var u = MatrixUtils.createRealVector(a);
        var v = MatrixUtils.createRealVector(b);
        return u.dotProduct(v) / (u.getNorm() * v.getNorm());
    }

    /** Every permutation of 0..d−1 (Heap's algorithm). */
    static java.util.List<int[]> permutations(int d) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        int[] a = new int[d];
        for (int i = 0; i < d; i++) a[i] = i;
        int[] c = new int[d];
        out.add(a.clone());
        int i = 0;
        while (i < d) {
            if (c[i] < i) {
                int k = i % 2 == 0 ? 0 : c[i];
                int t = a[k];
                a[k] = a[i];
                a[i] = t;
                out.add(a.clone());
                c[i]++;
                i = 0;
            } else {
                c[i] = 0;
                i++;
            }
        }
        return out;
    }
}
