package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;

import java.io.Serial;
import java.io.Serializable;

/**
 * Streaming, mergeable sufficient statistics of a pair of representations: the sample count n, the
 * column means μx, μy and the centred co-moment matrices Sxx = Σ(x−μx)(x−μx)ᵀ, Syy, Sxy. Linear CKA and
 * the whole CCA family are functions of these alone, so inputs larger than memory are reduced in row
 * blocks with O(d²) state.
 *
 * <p>Blocks are centred on their own means before the products (so float32 blocks keep their accuracy)
 * and combined with the pairwise update of Chan, Golub &amp; LeVeque (1979):
 * S = S_a + S_b + (n_a n_b / n) δx δyᵀ with δ = μ_b − μ_a. The same rule merges two partial results
 * exactly (up to rounding), e.g. from different machines: it is {@link Serializable} so that Spark's
 * {@code treeAggregate} can ship partial results between executors.
 */
public final class CrossCovariance implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;
    private final int dx;
    private final int dy;
    private long n;
    private final double[] meanX;
    private final double[] meanY;
    private final double[] sxx;
    private final double[] syy;
    private final double[] sxy;
    /** Largest magnitudes in the rows added (0 for statistics given as moments): see {@link Similarity#checkMagnitude}. */
    private double maxAbsX, maxAbsY;

    /** Empty statistics for dx and dy features. */
    public CrossCovariance(int dx, int dy) {
        this.dx = dx;
        this.dy = dy;
        this.meanX = new double[dx];
        this.meanY = new double[dy];
        this.sxx = new double[dx * dx];
        this.syy = new double[dy * dy];
        this.sxy = new double[dx * dy];
    }

    private CrossCovariance(long n, double[] meanX, double[] meanY, double[] sxx, double[] syy, double[] sxy) {
        this.dx = meanX.length;
        this.dy = meanY.length;
        if (sxx.length != dx * dx || syy.length != dy * dy || sxy.length != dx * dy) {
            throw new IllegalArgumentException("co-moment sizes do not match the means (" + dx + ", " + dy + ")");
        }
        this.n = n;
        this.meanX = meanX;
        this.meanY = meanY;
        this.sxx = sxx;
        this.syy = syy;
        this.sxy = sxy;
    }

    /** Statistics of whole matrices (one block). */
    public static CrossCovariance of(Matrix x, Matrix y, Backend backend) {
        return x.rows() == 0 && y.rows() == 0 ? new CrossCovariance(x.cols(), y.cols()) : block(x, y, backend);
    }

    /**
     * Statistics given directly: n rows with column means μx, μy and centred co-moments Sxx (dx×dx),
     * Syy (dy×dy), Sxy (dx×dy), row-major. The arrays are copied.
     */
    public static CrossCovariance ofMoments(long n, double[] meanX, double[] meanY, double[] sxx, double[] syy, double[] sxy) {
        return new CrossCovariance(n, meanX.clone(), meanY.clone(), sxx.clone(), syy.clone(), sxy.clone());
    }

    /**
     * {@link #ofMoments} without the copies: the statistics keep the given arrays, so the caller hands
     * them over (a later {@link #merge} or {@link #add} writes into them) or only reads the result. At
     * d = 2048 the three co-moments are 100 MB: copying them twice was about half of an OpenCL call's host
     * time at n = 1000 (results/gpu-h200, runs 2 and 3).
     */
    public static CrossCovariance wrap(long n, double[] meanX, double[] meanY, double[] sxx, double[] syy, double[] sxy) {
        return new CrossCovariance(n, meanX, meanY, sxx, syy, sxy);
    }

    /** Adds a block of rows (the same samples in x and y). */
    public CrossCovariance add(Matrix x, Matrix y, Backend backend) {
        if (x.cols() != dx || y.cols() != dy) throw new IllegalArgumentException("block widths " + x.cols() + "," + y.cols() + " != " + dx + "," + dy);
        if (x.rows() == 0 && y.rows() == 0) return this;
        return merge(block(x, y, backend));
    }

    /** One block's statistics, in arrays of their own. */
    private static CrossCovariance block(Matrix x, Matrix y, Backend backend) {
        if (x.rows() != y.rows()) throw new IllegalArgumentException("blocks have different rows: " + x.rows() + " vs " + y.rows());
        CrossCovariance c;
        if (backend instanceof FusedKernels f) {
            c = f.crossCovariance(x, y);
        } else {
            double[] mx = x.columnMeans(), my = y.columnMeans();
            Backend.CoMoments m = backend.centeredCoMoments(x, mx, y, my);
            c = wrap(x.rows(), mx, my, m.aa(), m.bb(), m.ab());
        }
        c.maxAbsX = x.maxAbs();
        c.maxAbsY = y.maxAbs();
        return c;
    }

    /** Merges another partial result into this one (Chan et al.'s pairwise update). */
    public CrossCovariance merge(CrossCovariance o) {
        if (o.dx != dx || o.dy != dy) throw new IllegalArgumentException("cannot merge statistics of different widths");
        if (o.n == 0) return this;
        maxAbsX = Math.max(maxAbsX, o.maxAbsX);
        maxAbsY = Math.max(maxAbsY, o.maxAbsY);
        if (n == 0) {
            n = o.n;
            System.arraycopy(o.meanX, 0, meanX, 0, dx);
            System.arraycopy(o.meanY, 0, meanY, 0, dy);
            System.arraycopy(o.sxx, 0, sxx, 0, sxx.length);
            System.arraycopy(o.syy, 0, syy, 0, syy.length);
            System.arraycopy(o.sxy, 0, sxy, 0, sxy.length);
            return this;
        }
        long total = n + o.n;
        double w = (double) n * o.n / total;
        double[] ddx = new double[dx];
        double[] ddy = new double[dy];
        for (int i = 0; i < dx; i++) ddx[i] = o.meanX[i] - meanX[i];
        for (int i = 0; i < dy; i++) ddy[i] = o.meanY[i] - meanY[i];
        addOuter(sxx, o.sxx, ddx, ddx, w);
        addOuter(syy, o.syy, ddy, ddy, w);
        addOuter(sxy, o.sxy, ddx, ddy, w);
        double f = (double) o.n / total;
        for (int i = 0; i < dx; i++) meanX[i] += ddx[i] * f;
        for (int i = 0; i < dy; i++) meanY[i] += ddy[i] * f;
        n = total;
        return this;
    }

    private static void addOuter(double[] s, double[] so, double[] a, double[] b, double w) {
        int q = b.length;
        for (int i = 0; i < a.length; i++) {
            double wa = w * a[i];
            int o = i * q;
            for (int j = 0; j < q; j++) s[o + j] += so[o + j] + wa * b[j];
        }
    }

    public long n() { return n; }

    public int dx() { return dx; }

    public int dy() { return dy; }

    public double[] meanX() { return meanX.clone(); }

    /** The largest magnitude in X's rows added so far (0 if none, or if the statistics were given as moments). */
    public double maxAbsX() { return maxAbsX; }

    /** The same for Y. */
    public double maxAbsY() { return maxAbsY; }

    public double[] meanY() { return meanY.clone(); }

    /** Centred co-moment Σ(x−μx)(x−μx)ᵀ, dx×dx row-major (a view: do not modify). */
    public double[] sxx() { return sxx; }

    /** Centred co-moment Σ(y−μy)(y−μy)ᵀ, dy×dy row-major (a view: do not modify). */
    public double[] syy() { return syy; }

    /** Centred cross co-moment Σ(x−μx)(y−μy)ᵀ, dx×dy row-major (a view: do not modify). */
    public double[] sxy() { return sxy; }

    /** Sample covariance Sxx/(n−1) as a new array. */
    public double[] covXX() { return scaled(sxx, 1.0 / (n - 1)); }

    public double[] covYY() { return scaled(syy, 1.0 / (n - 1)); }

    public double[] covXY() { return scaled(sxy, 1.0 / (n - 1)); }

    private static double[] scaled(double[] a, double f) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * f;
        return r;
    }
}
