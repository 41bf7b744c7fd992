package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's neighbour analysis (Cadet et al. 2023): for every row, the share of its k nearest other
 * rows that carry the same label (e.g. the same image variant). Distances are computed tile by tile
 * through the backend (never an n×n matrix), keeping a bounded top-k per row; ties are broken by the
 * lower row index so the result is deterministic.
 */
public final class KnnShare {
    private KnnShare() {}

    /** Distance between rows. Cosine ranks by 1 − cos, i.e. by Euclidean distance of unit rows. */
    public enum Distance {
        EUCLIDEAN, COSINE;

        public static Distance parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "euclidean" -> EUCLIDEAN;
                case "cosine" -> COSINE;
                default -> throw new IllegalArgumentException("--metric: unknown distance '" + s + "' (expected euclidean or cosine)");
            };
        }
    }

    /** Mean same-label share overall and per label (in order of first appearance), and per row. */
    public record Result(int k, double mean, Map<String, Double> perLabel, double[] perRow) {}

    /**
     * Indices of the k nearest other rows of each row, nearest first, ties broken by the lower index.
     *
     * <p>For float64 rows the sets are exact on every backend: ranked by the float64 direct-form squared distance of
     * the rows in the canonical order of {@link FixedOrderSums} (of the unit rows for cosine), so they are
     * the same on every machine, vector width and thread count. The backend's expanded-form tiles
     * ‖a‖² + ‖b‖² − 2a·b of the centred rows only screen: with a rigorous bound E on their distance from
     * the direct form ({@link #screenBound}), a row keeps every candidate whose interval can still reach
     * its k-th smallest upper bound, and the few kept are ranked by their direct-form values.
     */
    public static int[][] neighbours(Matrix z, int k, Distance distance, Backend backend) {
        int n = z.rows();
        requireK(n, k);
        long bad = z.firstNonFinite();
        if (bad >= 0) throw new IllegalArgumentException("non-finite value at row " + bad / z.cols() + ", column " + bad % z.cols());
        Similarity.checkMagnitude(z.maxAbs(), z.precision(), "the representation");
        // Every distance would tie, and the sets would be the tie-break's (the lowest indices), not the data's.
        if (allRowsEqual(z)) throw new IllegalArgumentException("every row is the same: nearest neighbours are undefined (all distances tie)");
        // Float32 sets are ranked in the device's float32 arithmetic (fused top-k on the device); float64
        // sets are exact on every backend, the device then only computing the screening tiles.
        if (backend instanceof FusedKernels f && z.precision() == Precision.F32) {
            return f.nearestNeighbours(z, k, distance == Distance.COSINE);
        }
        Matrix z64 = z.to(Precision.F64);
        Matrix ranked = ranked(z64, distance);
        // Centred rows keep the expansion's cancellation small; unit rows have norm 1 already.
        Matrix screened = distance == Distance.COSINE ? ranked : z64.centered();
        // c2: products that a device flushes to zero, or that underflow (each off by < 2⁻¹⁰²²).
        double c1 = screenBound(z.cols()), c2 = 4.0 * (z.cols() + 2) * Double.MIN_NORMAL;
        Screen screen = new Screen(n, k);
        DistanceTiles tiles = new DistanceTiles(screened, backend, DistanceTiles.TILE);
        double[] norms = tiles.norms();
        for (int i = 0; i < tiles.blockCount(); i++) {
            for (int j = i; j < tiles.blockCount(); j++) {
                double[] d = tiles.tile(i, j);
                int rows = tiles.size(i), cols = tiles.size(j), i0 = tiles.start(i), j0 = tiles.start(j);
                for (int p = 0; p < rows; p++) {
                    int a = i0 + p;
                    for (int q = i == j ? p + 1 : 0; q < cols; q++) { // each pair once; never self
                        int b = j0 + q;
                        double v = d[p * cols + q], e = c1 * (norms[a] + norms[b]) + c2;
                        screen.offer(a, b, v - e, v + e);
                        screen.offer(b, a, v - e, v + e);
                    }
                }
            }
        }
        double[] x = ranked.f64();
        int dim = ranked.cols();
        int[][] out = new int[n][];
        for (int a = 0; a < n; a++) out[a] = screen.exact(a, x, dim);
        return out;
    }

    private static boolean allRowsEqual(Matrix z) {
        for (int i = 1; i < z.rows(); i++) {
            for (int j = 0; j < z.cols(); j++) if (z.get(i, j) != z.get(0, j)) return false;
        }
        return true;
    }

    /** k neighbours among n rows need 1 ≤ k ≤ n − 1. */
    public static void requireK(int n, int k) {
        if (k < 1 || k >= n) throw new IllegalArgumentException("--k must be between 1 and n-1 = " + (n - 1) + ", got " + k);
    }

    /**
     * The float64 rows the neighbour sets are ranked on (by their direct-form squared distances, ties
     * to the lower index): z in float64, made unit rows for cosine. Row by row, so a block of z gives
     * the same rows as the whole.
     */
    public static Matrix ranked(Matrix z, Distance distance) {
        Matrix z64 = z.to(Precision.F64);
        return distance == Distance.COSINE ? unitRows(z64) : z64;
    }

    /**
     * C with |D̃ − V| ≤ C·(N_a + N_b) (+ a subnormal term) between an expanded-form tile entry D̃ of the
     * rounded centred rows and the direct-form value V of the original rows, u = 2⁻⁵³ (Higham, §3.1):
     * centring ≤ 4u, the classical dot product and norms in any order ≤ (2d + 6)u, the direct form
     * ≤ 2(d + 3)u, all relative to N_a + N_b (squared norms of the centred rows); 8(d + 8)u doubles
     * their sum, which also covers the rounding of E and of D̃ ± E.
     */
    public static double screenBound(int d) {
        return 8.0 * (d + 8) * 0x1p-53;
    }

    /** Per row: the k smallest upper bounds seen, and every candidate whose lower bound may still beat them. */
    private static final class Screen {
        private final int k;
        private final double[][] upper;
        private final int[] filled;
        private final int[][] cand;
        private final double[][] lower;
        private final int[] size;

        Screen(int n, int k) {
            this.k = k;
            upper = new double[n][k];
            filled = new int[n];
            cand = new int[n][];
            lower = new double[n][];
            size = new int[n];
        }

        void offer(int a, int j, double lo, double hi) {
            double[] u = upper[a];
            int f = filled[a];
            if (f < k || hi < u[k - 1]) { // insert hi into the sorted k smallest upper bounds
                int pos = f < k ? f : k - 1;
                while (pos > 0 && hi < u[pos - 1]) {
                    u[pos] = u[pos - 1];
                    pos--;
                }
                u[pos] = hi;
                if (f < k) filled[a] = f + 1;
            }
            if (filled[a] == k && lo > u[k - 1]) return; // k others are certainly nearer
            int m = size[a];
            if (cand[a] == null || m == cand[a].length) {
                int grown = cand[a] == null ? 2 * k + 8 : 2 * m;
                cand[a] = cand[a] == null ? new int[grown] : Arrays.copyOf(cand[a], grown);
                lower[a] = lower[a] == null ? new double[grown] : Arrays.copyOf(lower[a], grown);
            }
            cand[a][m] = j;
            lower[a][m] = lo;
            size[a] = m + 1;
        }

        /**
         * Row a's k nearest by exact value among the candidates that can still reach the final k-th
         * upper bound T: at least k candidates have V ≤ T, and a row dropped at any time had V &gt; T.
         */
        int[] exact(int a, double[] x, int dim) {
            double t = upper[a][k - 1];
            List<double[]> kept = new ArrayList<>(); // {value, index}
            for (int c = 0; c < size[a]; c++) {
                if (lower[a][c] > t) continue;
                int j = cand[a][c];
                kept.add(new double[]{FixedOrderSums.squaredDistance(x, a * dim, x, j * dim, dim), j});
            }
            kept.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> e[1]));
            int[] out = new int[k];
            for (int c = 0; c < k; c++) out[c] = (int) kept.get(c)[1];
            cand[a] = null; // this row is done
            lower[a] = null;
            return out;
        }
    }

    /** Share of each row's neighbours with the row's own label, averaged overall and per label. */
    public static Result share(int[][] neighbours, String[] labels) {
        int n = neighbours.length;
        if (labels.length != n) throw new IllegalArgumentException("labels: " + labels.length + " labels for " + n + " rows");
        double[] perRow = new double[n];
        Map<String, double[]> acc = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < n; i++) {
            int same = 0;
            for (int j : neighbours[i]) if (labels[j].equals(labels[i])) same++;
            perRow[i] = (double) same / neighbours[i].length;
            total += perRow[i];
            double[] a = acc.computeIfAbsent(labels[i], l -> new double[2]);
            a[0] += perRow[i];
            a[1]++;
        }
        Map<String, Double> per = new LinkedHashMap<>();
        acc.forEach((l, a) -> per.put(l, a[0] / a[1]));
        return new Result(neighbours.length == 0 ? 0 : neighbours[0].length, total / n, per, perRow);
    }

    public static Result compute(Matrix z, String[] labels, int k, Distance distance, Backend backend) {
        return share(neighbours(z, k, distance, backend), labels);
    }

    /** z_i / ‖z_i‖ of float64 rows, the norm summed in the canonical order. */
    public static Matrix unitRows(Matrix z64) {
        int n = z64.rows(), d = z64.cols();
        double[] z = z64.f64(), out = new double[n * d];
        for (int i = 0; i < n; i++) {
            double s = FixedOrderSums.squaredNorm(z, i * d, d);
            if (!(s > 0)) throw new IllegalArgumentException("cosine distance is undefined for row " + i + ": it is all zeros");
            double f = 1.0 / Math.sqrt(s);
            for (int j = 0; j < d; j++) out[i * d + j] = z[i * d + j] * f;
        }
        return Matrix.of(n, d, out);
    }
}
