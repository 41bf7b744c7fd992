package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.bytedeco.openblas.global.openblas;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

/**
 * OpenBLAS (GEMM, SYRK) and its bundled LAPACK (dsyevd, dgesdd) through the bytedeco JavaCPP presets.
 * OpenBLAS picks its kernels for the CPU at load time and uses one thread per core.
 */
public final class BlasBackend implements Backend {
    private static volatile Boolean available;

    private BlasBackend() {}

    /** Loads the native library; an {@link IllegalStateException} says why when it cannot. */
    public static BlasBackend open() {
        try {
            org.bytedeco.javacpp.Loader.load(openblas.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IllegalStateException("--backend blas: OpenBLAS native library failed to load: " + e.getMessage(), e);
        }
        return new BlasBackend();
    }

    /** Whether the native library loads on this machine. */
    public static boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            try {
                org.bytedeco.javacpp.Loader.load(openblas.class);
                a = Boolean.TRUE;
            } catch (Throwable t) {
                a = Boolean.FALSE;
            }
            available = a;
        }
        return a;
    }

    @Override
    public String name() { return "blas"; }

    @Override
    public String describe() {
        return "OpenBLAS " + openblas.OPENBLAS_VERSION.strip() + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    @Override
    public double[] multTransA(Matrix a, Matrix b) {
        requireSame(a, b, a.rows() == b.rows(), "rows");
        int n = a.rows(), p = a.cols(), q = b.cols();
        if (a.precision() == Precision.F64) {
            double[] c = new double[p * q];
            openblas.cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, q, n, 1.0, a.f64(), p, b.f64(), q, 0.0, c, q);
            return c;
        }
        float[] c = new float[p * q];
        openblas.cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, q, n, 1f, a.f32(), p, b.f32(), q, 0f, c, q);
        return widen(c);
    }

    @Override
    public double[] multInner(Matrix a) {
        int n = a.rows(), d = a.cols();
        double[] c;
        if (a.precision() == Precision.F64) {
            c = new double[d * d];
            openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, d, n, 1.0, a.f64(), d, 0.0, c, d);
        } else {
            float[] f = new float[d * d];
            openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, d, n, 1f, a.f32(), d, 0f, f, d);
            c = widen(f);
        }
        mirrorUpper(c, d);
        return c;
    }

    @Override
    public double[] multTransB(Matrix a, Matrix b) {
        requireSame(a, b, a.cols() == b.cols(), "columns");
        int m = a.rows(), n = b.rows(), d = a.cols();
        if (a == b) {
            double[] c;
            if (a.precision() == Precision.F64) {
                c = new double[m * m];
                openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1.0, a.f64(), d, 0.0, c, m);
            } else {
                float[] f = new float[m * m];
                openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, 1f, a.f32(), d, 0f, f, m);
                c = widen(f);
            }
            mirrorUpper(c, m);
            return c;
        }
        if (a.precision() == Precision.F64) {
            double[] c = new double[m * n];
            openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1.0, a.f64(), d, b.f64(), d, 0.0, c, n);
            return c;
        }
        float[] c = new float[m * n];
        openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1f, a.f32(), d, b.f32(), d, 0f, c, n);
        return widen(c);
    }

    @Override
    public Decompositions.Eigen eigenSymmetric(double[] a, int d) {
        double[] v = a.clone();
        double[] w = new double[d];
        int info = openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', d, v, d, w);
        if (info != 0) throw new ArithmeticException("LAPACK dsyevd failed (info=" + info + ") on a " + d + "x" + d + " matrix");
        return new Decompositions.Eigen(w, v, d);
    }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) {
        int k = Math.min(m, n);
        double[] copy = a.clone();
        double[] s = new double[k];
        double[] u = new double[m * k];
        double[] vt = new double[k * n];
        int info = openblas.LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'S', m, n, copy, n, s, u, k, vt, n);
        if (info != 0) throw new ArithmeticException("LAPACK dgesdd failed (info=" + info + ") on a " + m + "x" + n + " matrix");
        return new Decompositions.Svd(s, u, vt, m, n);
    }

    static void mirrorUpper(double[] c, int d) {
        for (int i = 1; i < d; i++) {
            for (int j = 0; j < i; j++) c[i * d + j] = c[j * d + i];
        }
    }

    static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static void requireSame(Matrix a, Matrix b, boolean shapeOk, String what) {
        if (a.precision() != b.precision()) throw new IllegalArgumentException("precision mismatch: " + a + " vs " + b);
        if (!shapeOk) throw new IllegalArgumentException("different number of " + what + ": " + a + " vs " + b);
    }
}
