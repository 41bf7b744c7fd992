package dev.repsim.bench;

import dev.repsim.linalg.Matrix;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded synthetic representations for the benchmarks: Y is a noisy linear image of X, like two layers. */
final class BenchData {
    private BenchData() {}

    /** X (n×d) and Y (n×d) float32, Y = 0.7·X·P + noise with P a fixed column shuffle-and-sign map. */
    static Matrix[] pair(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d], y = new float[n * d];
        int[] perm = new int[d];
        for (int i = 0; i < d; i++) perm[i] = i;
        for (int i = d - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        for (int i = 0; i < x.length; i++) x[i] = (float) gaussian(r);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                float s = (perm[c] & 1) == 0 ? 1f : -1f;
                y[i * d + c] = (float) (0.7 * s * x[i * d + perm[c]] + 0.5 * gaussian(r));
            }
        }
        return new Matrix[] {Matrix.of(n, d, x), Matrix.of(n, d, y)};
    }

    /**
     * RBF bandwidth σ² = s²·median of the squared distances among a seeded sample of at most 1 000 rows
     * (s = 0.5, Kornblith et al.'s default). The same rule is used by the PyTorch comparison; bandwidth
     * selection is outside the timed region in both.
     */
    static double sigma2(Matrix x, long seed) {
        int n = x.rows(), d = x.cols(), m = Math.min(n, 1000);
        SplittableRandom r = new SplittableRandom(seed);
        int[] rows = r.ints(0, n).distinct().limit(m).toArray();
        double[] dist = new double[m * (m - 1) / 2];
        int t = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                double s = 0;
                for (int c = 0; c < d; c++) { double v = x.get(rows[a], c) - x.get(rows[b], c); s += v * v; }
                dist[t++] = s;
            }
        }
        Arrays.sort(dist);
        return 0.25 * dist[dist.length / 2];
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
