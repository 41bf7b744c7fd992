package dev.repsim.metrics.shape;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Assignment;
import dev.repsim.linalg.Matrix;

/**
 * {@code permutation-procrustes}: ‖X − YP‖_F for the column permutation P closest to X (equal
 * widths; the data as given, neither centred nor scaled, as ReSi's implementation). Since
 * ‖X − YP‖²_F = ‖X‖²_F + ‖Y‖²_F − 2 tr(XᵀYP), the best P is the assignment maximising the matched
 * entries of XᵀY (one d×d product, then O(d³)); the distance itself is then summed over the rows
 * directly (O(n·d)), so it is exactly 0 when Y is a column permutation of X.
 */
public final class PermutationProcrustes {
    private PermutationProcrustes() {}

    public static double distance(Matrix x, Matrix y, Backend backend) {
        int d = x.cols();
        if (y.cols() != d) {
            throw new IllegalArgumentException("permutation-procrustes needs X and Y of equal widths: dx=" + d + ", dy=" + y.cols());
        }
        int[] match = Assignment.maximize(backend.multTransA(x, y), d); // X's column j ↔ Y's column match[j]
        double sum = 0;
        for (int i = 0; i < x.rows(); i++) {
            double row = 0;
            for (int j = 0; j < d; j++) {
                double e = x.get(i, j) - y.get(i, match[j]);
                row += e * e;
            }
            sum += row;
        }
        return Math.sqrt(sum);
    }
}
