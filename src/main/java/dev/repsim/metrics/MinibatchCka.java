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
        java.util.List<KernelStats.Hsic> perBatch = new java.util.ArrayList<>();
        for (int[] idx : batches(x.rows(), o.batchSize(), o.seed())) {
            perBatch.add(linearBatch(x.selectRows(idx), y.selectRows(idx), backend));
        }
        return cka(perBatch);
    }

    /** One batch's unbiased HSIC estimates for the linear kernels of its rows (the batch of {@link #compute}). */
    public static KernelStats.Hsic linearBatch(Matrix xb, Matrix yb, Backend backend) {
        KernelStats s = LinearCka.cheaperForm(xb.rows(), xb.cols(), yb.cols()) == LinearCka.Form.GRAM
                ? LinearCka.gramStats(xb, yb, backend) : LinearCka.featureStats(xb, yb, backend);
        return s.unbiased();
    }

    /** The batches: the seeded permutation of the n rows cut into ⌊n/b⌋ consecutive runs of near-equal size. */
    public static int[][] batches(int n, int batchSize, long seed) {
        int count = Math.max(1, n / batchSize);
        int[] order = shuffled(n, seed);
        int[][] out = new int[count][];
        for (int t = 0; t < count; t++) {
            out[t] = java.util.Arrays.copyOfRange(order, (int) ((long) t * n / count), (int) ((long) (t + 1) * n / count));
        }
        return out;
    }

    /** CKA from the batches' unbiased HSIC estimates, summed in batch order. */
    public static double cka(java.util.List<KernelStats.Hsic> perBatch) {
        double kl = 0, kk = 0, ll = 0;
        for (KernelStats.Hsic h : perBatch) {
            kl += h.kl();
            kk += h.kk();
            ll += h.ll();
        }
        return new KernelStats.Hsic(kl, kk, ll).cka();
    }

    /**
     * One batch's unbiased HSIC estimates for the Gaussian kernels of its rows (centred with the batch's
     * means) with the given σ²: the minibatch form of RBF CKA (the Spark route above its all-pairs limit).
     */
    public static KernelStats.Hsic rbfBatch(Matrix xb, Matrix yb, double sx2, double sy2, Backend backend) {
        return RbfCka.stats(xb.centered(), yb.centered(), sx2, sy2, backend, DistanceTiles.TILE).unbiased();
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
