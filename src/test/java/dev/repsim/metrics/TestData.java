package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Seeded random and structured test matrices. */
public final class TestData {
    private TestData() {}

    /**
     * The backends every backend-parameterised test runs on. Each must open here (OpenBLAS comes from Maven
     * Central, PoCL from {@code bin/test}), so one that does not load fails those tests with its load error
     * rather than dropping out of them as it would from {@link Backends#available()}.
     */
    public static final List<String> BACKENDS = List.of("java", "blas", "opencl");

    public static Stream<String> backends() {
        return BACKENDS.stream();
    }

    public static Backend open(String name) {
        return Backends.open(name, null);
    }

    public static Matrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * d];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return Matrix.of(n, d, a);
    }

    /** Gaussian with a non-zero mean and uneven column scales (exercises centring). */
    public static Matrix shiftedScaled(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * d];
        for (int j = 0; j < d; j++) {
            double mu = 5 * r.nextGaussian(), sd = Math.exp(r.nextGaussian());
            for (int i = 0; i < n; i++) a[i * d + j] = mu + sd * r.nextGaussian();
        }
        return Matrix.of(n, d, a);
    }

    /** Rank-r data embedded in d dimensions (exact low rank). */
    public static Matrix lowRank(int n, int d, int rank, long seed) {
        return times(gaussian(n, rank, seed), gaussian(rank, d, seed + 1));
    }

    /** Y = X·W + noise·E: a representation correlated with X. */
    public static Matrix correlatedWith(Matrix x, int dy, double noise, long seed) {
        Matrix w = gaussian(x.cols(), dy, seed);
        Matrix e = gaussian(x.rows(), dy, seed + 7);
        Matrix xw = times(x, w);
        double[] out = xw.f64().clone();
        for (int i = 0; i < out.length; i++) out[i] += noise * e.f64()[i];
        return Matrix.of(x.rows(), dy, out);
    }

    public static Matrix times(Matrix a, Matrix b) {
        RealMatrix p = Reference.real(a).multiply(Reference.real(b));
        return fromReal(p);
    }

    public static Matrix fromReal(RealMatrix p) {
        int n = p.getRowDimension(), d = p.getColumnDimension();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) out[i * d + j] = p.getEntry(i, j);
        return Matrix.of(n, d, out);
    }

    /** A random d×d orthogonal matrix (Q of a Gaussian matrix's QR). */
    public static Matrix orthogonal(int d, long seed) {
        return fromReal(new QRDecomposition(Reference.real(gaussian(d, d, seed))).getQ());
    }

    /** A random invertible, moderately conditioned d×d matrix: I + 0.3·G/√d. */
    public static Matrix invertible(int d, long seed) {
        RealMatrix g = Reference.real(gaussian(d, d, seed)).scalarMultiply(0.3 / Math.sqrt(d));
        return fromReal(MatrixUtils.createRealIdentityMatrix(d).add(g));
    }

    public static Matrix scaled(Matrix m, double f) {
        double[] a = m.f64().clone();
        for (int i = 0; i < a.length; i++) a[i] *= f;
        return Matrix.of(m.rows(), m.cols(), a);
    }

    public static Matrix shifted(Matrix m, double s) {
        double[] a = m.f64().clone();
        for (int i = 0; i < a.length; i++) a[i] += s * ((i % m.cols()) + 1);
        return Matrix.of(m.rows(), m.cols(), a);
    }

    public static void assertRel(double expected, double actual, double tol, String what) {
        double err = Math.abs(expected - actual) / Math.max(1e-300, Math.abs(expected));
        if (!(err <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " got " + actual + " (relative error " + err + " > " + tol + ")");
        }
    }

    public static void assertAbs(double expected, double actual, double tol, String what) {
        double err = Math.abs(expected - actual);
        if (!(err <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " got " + actual + " (absolute error " + err + " > " + tol + ")");
        }
    }
}
