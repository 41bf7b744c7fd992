package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;

import java.util.SplittableRandom;

/**
 * Minibatch linear CKA (Nguyen, Raghu &amp; Kornblith 2021): rows are shuffled with a seed and split into
 * ⌊n/b⌋ batches of near-equal size (each of b to 2b−1 rows, so no row is dropped); the unbiased HSIC
 * estimates of (K,L), (K,K), (L,L) are summed over batches and the ratio is taken at the end:
 * CKA = Σ HSIC₁(K,L) / √(Σ HSIC₁(K,K) · Σ HSIC₁(L,L)).
 */
public final class MinibatchCka {
    private MinibatchCka() {}

    public static double compute(Matrix x, Matrix y, Backend backend, MetricOptions o) {
        int n = x.rows();
        int batches = Math.max(1, n / o.batchSize());
        int[] order = shuffled(n, o.seed());
        double kl = 0, kk = 0, ll = 0;
        for (int t = 0; t < batches; t++) {
            int from = (int) ((long) t * n / batches), to = (int) ((long) (t + 1) * n / batches);
            int[] idx = java.util.Arrays.copyOfRange(order, from, to);
            Matrix xb = x.selectRows(idx), yb = y.selectRows(idx);
            KernelStats s = LinearCka.cheaperForm(idx.length, x.cols(), y.cols()) == LinearCka.Form.GRAM
                    ? LinearCka.gramStats(xb, yb, backend) : LinearCka.featureStats(xb, yb, backend);
            KernelStats.Hsic h = s.unbiased();
            kl += h.kl();
            kk += h.kk();
            ll += h.ll();
        }
        return new KernelStats.Hsic(kl, kk, ll).cka();
    }

    /** A seeded Fisher–Yates permutation of 0..n−1. */
    static int[] shuffled(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
