package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;

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

    /** Indices of the k nearest other rows of each row, nearest first. */
    public static int[][] neighbours(Matrix z, int k, Distance distance, Backend backend) {
        int n = z.rows();
        if (k < 1 || k >= n) throw new IllegalArgumentException("--k must be between 1 and n-1 = " + (n - 1) + ", got " + k);
        if (backend instanceof FusedKernels f) return f.nearestNeighbours(z, k, distance == Distance.COSINE);
        Matrix m = distance == Distance.COSINE ? unitRows(z) : z.centered();
        DistanceTiles tiles = new DistanceTiles(m, backend, DistanceTiles.TILE);
        double[][] best = new double[n][k];
        int[][] idx = new int[n][k];
        int[] filled = new int[n];
        for (int i = 0; i < tiles.blockCount(); i++) {
            for (int j = i; j < tiles.blockCount(); j++) {
                double[] d = tiles.tile(i, j);
                int rows = tiles.size(i), cols = tiles.size(j), i0 = tiles.start(i), j0 = tiles.start(j);
                for (int p = 0; p < rows; p++) {
                    for (int q = 0; q < cols; q++) {
                        int a = i0 + p, b = j0 + q;
                        if (a == b || (i == j && b < a)) continue; // self, or seen from the other side
                        double v = d[p * cols + q];
                        offer(best[a], idx[a], filled, a, v, b, k);
                        offer(best[b], idx[b], filled, b, v, a, k);
                    }
                }
            }
        }
        return idx;
    }

    /** Inserts (v, j) into row a's sorted top-k (ascending distance, then index). */
    private static void offer(double[] dist, int[] ids, int[] filled, int a, double v, int j, int k) {
        int f = filled[a];
        if (f == k && !(v < dist[k - 1] || (v == dist[k - 1] && j < ids[k - 1]))) return;
        int pos = f == k ? k - 1 : f;
        while (pos > 0 && (v < dist[pos - 1] || (v == dist[pos - 1] && j < ids[pos - 1]))) {
            dist[pos] = dist[pos - 1];
            ids[pos] = ids[pos - 1];
            pos--;
        }
        dist[pos] = v;
        ids[pos] = j;
        if (f < k) filled[a] = f + 1;
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

    private static Matrix unitRows(Matrix z) {
        int n = z.rows(), d = z.cols();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += z.get(i, j) * z.get(i, j);
            if (!(s > 0)) throw new IllegalArgumentException("cosine distance is undefined for row " + i + ": it is all zeros");
            double f = 1.0 / Math.sqrt(s);
            for (int j = 0; j < d; j++) out[i * d + j] = z.get(i, j) * f;
        }
        Matrix u = Matrix.of(n, d, out);
        return u.to(z.precision());
    }
}
