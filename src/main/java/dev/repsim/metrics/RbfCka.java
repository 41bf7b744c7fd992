package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.PortableExp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * CKA with Gaussian kernels k(a,b) = exp(−‖a−b‖²/(2σ²)) (Kornblith et al. 2019), biased or debiased.
 * σ² = s²·m with m the median of the squared-distance matrix ({@link MedianDistance}), or σ given.
 *
 * <p>The n×n kernels are never held: one pass over the upper block triangle of distance tiles
 * evaluates both kernels tile by tile (the exponential fused with the reductions) and accumulates
 * {@link KernelStats}, from which the O(n²) centring tr(KHLH) and the unbiased estimator follow.
 * Memory is O(n·d + tile²), so n = 100 000 runs in a small heap.
 */
public final class RbfCka {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private RbfCka() {}

    public static double compute(Matrix x, Matrix y, Backend backend, MetricOptions o, boolean debiased) {
        // Centred rows: the expanded form ‖a‖² + ‖b‖² − 2a·b of the distances loses less to cancellation.
        double[] mx = x.columnMeans(), my = y.columnMeans();
        if (RbfOnePass.applies(x, o, backend)) {
            KernelStats one = RbfOnePass.stats(x, mx, y, my, backend, o.sigma(), o.seed(), DistanceTiles.TILE);
            if (one != null) return (debiased ? one.unbiased() : one.biased()).cka();
        }
        Matrix xc = x.centered(mx);
        Matrix yc = y.centered(my);
        double sx2 = bandwidth(xc, backend, o, "X");
        double sy2 = bandwidth(yc, backend, o, "Y");
        KernelStats s = stats(xc, yc, sx2, sy2, backend, DistanceTiles.TILE);
        return (debiased ? s.unbiased() : s.biased()).cka();
    }

    /** σ²: (--sigma-abs)², or s² times the median squared distance of the (centred) rows. */
    static double bandwidth(Matrix xc, Backend backend, MetricOptions o, String side) {
        return GramBlocks.bandwidth(o.sigmaAbs() > 0 ? 0 : MedianDistance.of(xc, backend, o.seed()), o, side);
    }

    /** Kernel summaries of the two Gaussian kernels, accumulated over distance tiles. */
    static KernelStats stats(Matrix xc, Matrix yc, double sx2, double sy2, Backend backend, int tile) {
        if (backend instanceof FusedKernels f) {
            return f.kernelStats(xc, FusedKernels.Kernel.gaussian(sx2), yc, FusedKernels.Kernel.gaussian(sy2));
        }
        int n = xc.rows();
        double cx = -1.0 / (2 * sx2), cy = -1.0 / (2 * sy2);
        double[] rowK = new double[n], rowL = new double[n];
        double kl = 0, kk = 0, ll = 0;
        try (DistanceTiles tx = new DistanceTiles(xc, backend, tile); DistanceTiles ty = new DistanceTiles(yc, backend, tile)) {
            for (int i = 0; i < tx.blockCount(); i++) {
                for (int j = i; j < tx.blockCount(); j++) {
                    double[] acc = reduceTile(tx.gram(i, j), ty.gram(i, j), tx.norms(), ty.norms(), cx, cy,
                            tx.size(i), tx.size(j), rowK, rowL, tx.start(i), tx.start(j), i == j);
                    kl += 2 * acc[0];
                    kk += 2 * acc[1];
                    ll += 2 * acc[2];
                }
            }
        }
        return withDiagonal(n, kl, kk, ll, rowK, rowL);
    }

    /**
     * The statistics from sums over the off-diagonal entries (each pair i ≠ j, both orders) and their
     * row sums (changed in place), adding the diagonal (D = 0, so K = L = 1) that the tiles leave out.
     */
    static KernelStats withDiagonal(int n, double kl, double kk, double ll, double[] rowK, double[] rowL) {
        for (int i = 0; i < n; i++) {
            rowK[i] += 1;
            rowL[i] += 1;
        }
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return new KernelStats(n, kl + n, kk + n, ll + n, rowK, rowL, ones, ones.clone());
    }

    /**
     * Evaluates K = exp(cx·Dx), L = exp(cy·Dy) on one tile, with the squared distances
     * D = ‖a_p‖² + ‖b_q‖² − 2 g_pq formed on the fly from the inner products g (clamped at 0: rounding can
     * make the expansion slightly negative), and returns {ΣK∘L, ΣK², ΣL²}. Every entry visited stands for
     * itself and its mirror (j, i): an off-diagonal tile whole, a diagonal tile its strict upper triangle
     * (the only part {@link DistanceTiles#gram} computes there). Adds each entry to the row sums of both
     * its row (i0 + p) and its column (j0 + q).
     */
    static double[] reduceTile(MemorySegment gx, MemorySegment gy, double[] nx, double[] ny, double cx, double cy, int rows,
                               int cols, double[] rowK, double[] rowL, int i0, int j0, boolean diagonal) {
        double kl = 0, kk = 0, ll = 0;
        double[] lanes = new double[S.length()];
        DoubleVector zero = DoubleVector.zero(S);
        for (int p = 0; p < rows; p++) {
            int o = p * cols;
            double ax = nx[i0 + p], ay = ny[i0 + p];
            DoubleVector vkl = zero, vkk = zero, vll = zero, vrk = zero, vrl = zero;
            int q = diagonal ? p + 1 : 0;
            for (int bound = q + S.loopBound(cols - q); q < bound; q += S.length()) {
                DoubleVector dx = DistanceTiles.distances(S, gx, o + q, nx, j0 + q, ax);
                DoubleVector dy = DistanceTiles.distances(S, gy, o + q, ny, j0 + q, ay);
                DoubleVector k = PortableExp.exp(dx.mul(cx));
                DoubleVector l = PortableExp.exp(dy.mul(cy));
                vkl = k.fma(l, vkl);
                vkk = k.fma(k, vkk);
                vll = l.fma(l, vll);
                vrk = vrk.add(k);
                vrl = vrl.add(l);
                DoubleVector.fromArray(S, rowK, j0 + q).add(k).intoArray(rowK, j0 + q);
                DoubleVector.fromArray(S, rowL, j0 + q).add(l).intoArray(rowL, j0 + q);
            }
            double skl = FixedOrderSums.laneSum(vkl, lanes), skk = FixedOrderSums.laneSum(vkk, lanes);
            double sll = FixedOrderSums.laneSum(vll, lanes);
            double srk = FixedOrderSums.laneSum(vrk, lanes), srl = FixedOrderSums.laneSum(vrl, lanes);
            for (; q < cols; q++) {
                double k = PortableExp.exp(cx * DistanceTiles.distance(gx, o + q, nx, j0 + q, ax));
                double l = PortableExp.exp(cy * DistanceTiles.distance(gy, o + q, ny, j0 + q, ay));
                skl += k * l;
                skk += k * k;
                sll += l * l;
                srk += k;
                srl += l;
                rowK[j0 + q] += k;
                rowL[j0 + q] += l;
            }
            kl += skl;
            kk += skk;
            ll += sll;
            rowK[i0 + p] += srk;
            rowL[i0 + p] += srl;
        }
        return new double[]{kl, kk, ll};
    }
}
