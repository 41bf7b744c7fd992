package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.stream.IntStream;

/**
 * Pure-Java kernels. Products are computed in the inputs' precision; factorisations use EJML.
 * (Interim straightforward loops; the cache-blocked Vector API kernels replace these.)
 */
public final class JavaBackend implements Backend {

    @Override
    public String name() { return "java"; }

    @Override
    public String describe() {
        return "Java " + Runtime.version() + " (" + Runtime.getRuntime().availableProcessors() + " threads)";
    }

    @Override
    public double[] multTransA(Matrix a, Matrix b) {
        BlasBackend.requireSame(a, b, a.rows() == b.rows(), "rows");
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] c = new double[p * q];
        IntStream.range(0, p).parallel().forEach(i -> {
            int o = i * q;
            for (int r = 0; r < n; r++) {
                double av = a.get(r, i);
                for (int j = 0; j < q; j++) c[o + j] += av * b.get(r, j);
            }
        });
        return c;
    }

    @Override
    public double[] multInner(Matrix a) {
        return multTransA(a, a);
    }

    @Override
    public double[] multTransB(Matrix a, Matrix b) {
        BlasBackend.requireSame(a, b, a.cols() == b.cols(), "columns");
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] c = new double[m * n];
        IntStream.range(0, m).parallel().forEach(i -> {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += a.get(i, k) * b.get(j, k);
                c[i * n + j] = s;
            }
        });
        return c;
    }

    @Override
    public Decompositions.Eigen eigenSymmetric(double[] a, int d) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, a.clone()))) {
            throw new ArithmeticException("EJML symmetric eigendecomposition failed on a " + d + "x" + d + " matrix");
        }
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (x, y) -> Double.compare(eig.getEigenvalue(x).real, eig.getEigenvalue(y).real));
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(order[k]).real;
            DMatrixRMaj v = eig.getEigenVector(order[k]);
            for (int i = 0; i < d; i++) vectors[i * d + k] = v.get(i, 0);
        }
        return new Decompositions.Eigen(values, vectors, d);
    }

    @Override
    public Decompositions.Svd svd(double[] a, int m, int n) {
        int k = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(new DMatrixRMaj(m, n, true, a.clone()))) {
            throw new ArithmeticException("EJML SVD failed on a " + m + "x" + n + " matrix");
        }
        double[] sv = svd.getSingularValues();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        Integer[] order = IntStream.range(0, k).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] s = new double[k];
        double[] uo = new double[m * k];
        double[] vt = new double[k * n];
        for (int t = 0; t < k; t++) {
            int src = order[t];
            s[t] = sv[src];
            for (int i = 0; i < m; i++) uo[i * k + t] = u.get(i, src);
            for (int j = 0; j < n; j++) vt[t * n + j] = v.get(j, src);
        }
        return new Decompositions.Svd(s, uo, vt, m, n);
    }

    static boolean isF64(Matrix m) { return m.precision() == Precision.F64; }
}
