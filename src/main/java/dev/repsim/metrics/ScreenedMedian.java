package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Exact order statistics of the n² direct-form float64 squared distances V_ij = fl(Σ_k (x_ik − x_jk)²)
 * inside a value window [lo, hi), found with a float32 Gram pass (about twice as fast as float64) and
 * a rigorous bound on its error, so that only the few entries the bound cannot place are computed in
 * float64.
 *
 * <p>The rows are scaled by an exact power of two 2^e (max |x| in [0.5, 1): float32 cannot overflow)
 * and rounded to float32. One pass over the upper block triangle of Gram tiles G = A·Bᵀ (float32
 * backend products) gives for every pair i &lt; j the estimate D̃ = N_i + N_j − 2G_ij (N = squared row
 * norms, float64) with |D̃ − 2^{2e}·V_ij| ≤ E_ij = C1·(N_i + N_j) + C2 (see {@link #bound}). Pairs
 * with D̃ + E below the window are counted, those with D̃ − E at or above it dropped, the rest kept with
 * their interval; kept pairs whose interval straddles lo or hi are computed exactly and reclassified.
 * A rank inside the window is then selected by interval selection ({@link #select}). The diagonal
 * (V_ii = 0, once each) is never computed; a pair i &lt; j stands for (i, j) and (j, i).
 */
final class ScreenedMedian {
    /** Rows per Gram tile, as {@link DistanceTiles}. */
    static final int TILE = DistanceTiles.TILE;
    /**
     * Most pairs one pass keeps (16 B each: 128 MiB, 16 Mi weighted entries as MedianDistance's
     * collect limit); beyond it {@link #ranks} gives up and the caller uses its histogram select.
     */
    static final int COLLECT_LIMIT = 8 << 20;
    private static final double U = 0x1p-24;
    /** Float32 smallest normal: the absolute error of one float32 operation that flushes to zero. */
    private static final double ETA = 0x1p-126;
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private final double[] xs;
    private final int n;
    private final int d;
    private final int e;
    private final double[] norms;
    private final List<Matrix> blocks;
    private final double c1;
    private final double c2;
    /** {@link #COLLECT_LIMIT}; tests lower it to reach the overflow fallback on small inputs. */
    int collectLimit = COLLECT_LIMIT;

    private ScreenedMedian(Matrix x, int e, double[] norms, List<Matrix> blocks) {
        this.xs = x.f64();
        this.n = x.rows();
        this.d = x.cols();
        this.e = e;
        this.norms = norms;
        this.blocks = blocks;
        this.c1 = 1.25 * (d + 4) * U;
        this.c2 = 16.0 * (d + 2) * ETA + Math.scalb((double) (d + 2), 2 * e - 1072);
    }

    /**
     * Scales and converts the float64 rows; null where screening cannot help: all rows zero or no
     * columns (every distance is 0), or (d+1)·2⁻²⁴ &gt; 1/100 (the float32 bound below would not hold
     * as written; d &gt; 167 000).
     */
    static ScreenedMedian prepare(Matrix x64) {
        if (x64.precision() != Precision.F64) throw new IllegalArgumentException("needs float64 rows, got " + x64);
        int n = x64.rows(), d = x64.cols();
        if (d == 0 || (d + 1) * U > 0.01) return null;
        double[] a = x64.f64();
        double max = 0;
        for (double v : a) max = Math.max(max, Math.abs(v));
        if (!Double.isFinite(max)) throw new ArithmeticException("non-finite value in the rows: " + max);
        if (max == 0) return null;
        // max ∈ [2^k, 2^(k+1)) → e = −k − 1 puts it in [0.5, 1); getExponent of a subnormal is wrong, so lift it first.
        int k = max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(max * 0x1p54) - 54;
        int e = -k - 1;
        double[] norms = new double[n];
        int count = (n + TILE - 1) / TILE;
        float[][] f = new float[count][];
        for (int b = 0; b < count; b++) f[b] = new float[(Math.min(n, (b + 1) * TILE) - b * TILE) * d];
        // Multiplying by 2^e is exact unless the product is subnormal (then correctly rounded, as scalb);
        // 2^e overflows only for data whose max is below 2^-1024 (scalb then).
        double pow = e <= Double.MAX_EXPONENT ? Math.scalb(1.0, e) : 0;
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] fb = f[i / TILE];
            int o = (i % TILE) * d;
            double s = 0;
            for (int c = 0; c < d; c++) {
                double v = pow != 0 ? a[i * d + c] * pow : Math.scalb(a[i * d + c], e);
                s += v * v;
                fb[o + c] = (float) v;
            }
            norms[i] = s;
        });
        List<Matrix> blocks = new ArrayList<>(count);
        for (int b = 0; b < count; b++) blocks.add(Matrix.of(f[b].length / d, d, f[b]));
        return new ScreenedMedian(x64, e, norms, blocks);
    }

    /**
     * E_ij, a bound on |D̃_ij − 2^{2e}·V_ij| in scaled units. With a, b the scaled rows (|a_k| &lt; 1),
     * u = 2⁻²⁴, η = 2⁻¹²⁶ and γ_m = mu/(1 − mu) (Higham, Accuracy and Stability of Numerical
     * Algorithms, §3.1; (d+1)u ≤ 1/100, so γ_{d+1} ≤ 1.011·(d+1)u):
     * <ul>
     * <li>float32 inputs: |ã_k − a_k| ≤ u|a_k| + 2η (η rather than 2⁻¹⁵⁰ because an OpenCL device may
     *     flush float32 subnormals; it also covers float64 underflow of the scaled copy);</li>
     * <li>the backend's dot product (a classical product, not Strassen-like), float32 or wider, any
     *     order, FMA or not, result stored to float32:
     *     |Ĝ − ã·b̃| ≤ γ_{d+1} Σ|ã_k b̃_k| + (2d + 2)η (each operation may flush to zero);</li>
     * <li>hence |Ĝ − a·b| ≤ 1.011 (d+3)u ‖a‖‖b‖ + 7(d+2)η, using Σ|a_k b_k| ≤ ‖a‖‖b‖ and ‖a‖₁ ≤ d;</li>
     * <li>the factor 2 of −2G and 2‖a‖‖b‖ ≤ N_i + N_j: 1.011 (d+3)u (N_i + N_j) + 14(d+2)η;</li>
     * <li>float64 norms and the sum N_i + N_j − 2Ĝ: below 2⁻⁴⁰ d (N_i + N_j) + tiny absolute terms;</li>
     * <li>the direct form itself, V = fl(Σ (x_ik − x_jk)²) in any order: |V − ‖x_i − x_j‖²| ≤
     *     γ⁶⁴_{d+2} ‖x_i − x_j‖² + d·2⁻¹⁰⁷⁵ (subnormal squares; differences and sums that land in the
     *     subnormal range are exact), i.e. ≤ 2⁻⁵⁰(d+2)(N_i + N_j) + (d+2)2^{2e−1074} in scaled units.</li>
     * </ul>
     * C1 = 1.25 (d+4) u exceeds the sum of the relative terms by a margin that also absorbs the float64
     * rounding of E and of D̃ ± E; C2 = 16 (d+2) η + (d+2) 2^{2e−1072} covers the absolute ones (the
     * second part matters only for data so small that the float64 squares underflow).
     */
    double bound(int i, int j) {
        return c1 * (norms[i] + norms[j]) + c2;
    }

    /** D̃_ij from a Gram entry. */
    double estimate(double g, int i, int j) {
        return norms[i] + norms[j] - 2.0 * g;
    }

    /** Raw float32 Gram tile of row blocks I and J (the same matrix object for I = J: a symmetric product). */
    double[] gram(Backend backend, int bi, int bj) {
        Matrix a = blocks.get(bi);
        return backend.multTransB(a, bi == bj ? a : blocks.get(bj));
    }

    int blockCount() { return blocks.size(); }

    /** The largest squared row norm, in the original units. */
    double maxNorm() {
        double m = 0;
        for (double v : norms) m = Math.max(m, v);
        return Math.scalb(m, -2 * e);
    }

    /** 2^{2e}·v in scaled units, as an exact value when possible else the neighbour on the given side. */
    double scaled(double v, boolean up) {
        double s = Math.scalb(v, 2 * e);
        boolean exact = Double.isInfinite(v) || v == 0 || (Math.abs(s) >= Double.MIN_NORMAL && Double.isFinite(s));
        if (exact) return s;
        return up ? Math.nextUp(s) : Math.nextDown(s);
    }

    /** The direct-form float64 squared distance between original rows i and j. */
    double exact(int i, int j) {
        return MedianDistance.direct(xs, i * d, j * d, d);
    }

    /**
     * The values of the given 0-based ranks among all n² entries (sorted ascending, diagonal zeros
     * included), or null when a rank falls outside [lo, hi) or the window holds more than
     * {@link #collectLimit} pairs: the caller then selects by other means.
     */
    double[] ranks(Backend backend, double lo, double hi, long... ranks) {
        Kept k = pass(backend, lo, hi);
        if (k == null) return null;
        k.resolve(lo, hi);
        long below = 2 * k.belowPairs + (0 < lo ? n : 0);
        long zeros = (lo <= 0 && 0 < hi) ? n : 0;
        long inside = zeros + 2L * k.size;
        double[] out = new double[ranks.length];
        int[] pairRank = new int[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            long kr = ranks[r] - below;
            if (kr < 0 || kr >= inside) return null;
            // Zeros precede every pair value (≥ 0); after them each pair fills two consecutive ranks.
            pairRank[r] = kr < zeros ? -1 : (int) ((kr - zeros) / 2);
        }
        double[] v = k.select(Arrays.stream(pairRank).filter(p -> p >= 0).toArray());
        for (int r = 0, t = 0; r < ranks.length; r++) out[r] = pairRank[r] < 0 ? 0.0 : v[t++];
        return out;
    }

    /** Pairs kept by one pass: packed (i, j), D̃ (or scaled exact bounds after resolution). */
    private final class Kept {
        /** One vector's lanes of D̃, for collecting those in the window. */
        final double[] lanes = new double[S.length()];
        long belowPairs;
        int size;
        long[] pairs = new long[1024];
        double[] lower = new double[1024];
        double[] upper;

        void add(int i, int j, double dt) {
            if (size == pairs.length) {
                int grown = (int) Math.min(collectLimit, 2L * size);
                pairs = Arrays.copyOf(pairs, grown);
                lower = Arrays.copyOf(lower, grown);
            }
            pairs[size] = (long) i << 32 | j;
            lower[size++] = dt;
        }

        /**
         * Turns D̃ into intervals [D̃ − E, D̃ + E]; computes the pairs whose interval straddles lo or hi
         * exactly, counts those below lo, drops those at or above hi. Afterwards every kept pair lies
         * in [lo, hi) exactly and belowPairs is exact.
         */
        void resolve(double lo, double hi) {
            double loUp = scaled(lo, true), hiDown = scaled(hi, false);
            upper = new double[size];
            int w = 0;
            for (int p = 0; p < size; p++) {
                int i = (int) (pairs[p] >>> 32), j = (int) pairs[p];
                double dt = lower[p], err = bound(i, j);
                double l = dt - err, u = dt + err;
                if (!(l <= u)) throw new ArithmeticException("non-finite float32 Gram entry for rows " + i + ", " + j);
                if (l < loUp || u >= hiDown) {
                    double v = exact(i, j);
                    if (v < lo) {
                        belowPairs++;
                        continue;
                    }
                    if (v >= hi) continue;
                    l = scaled(v, false);
                    u = scaled(v, true);
                }
                pairs[w] = pairs[p];
                lower[w] = l;
                upper[w++] = u;
            }
            size = w;
        }

        /**
         * The r-th smallest (0-based) exact values among kept pairs for the given r, by interval
         * selection. Each pair p has its exact value v_p in [l_p, u_p]. Let A be the r_min-th smallest
         * l and B the r_max-th smallest u. At least r_max + 1 pairs have u_p ≤ B, so v_(r_max) ≤ B; at
         * most r_min pairs have l_p &lt; A, so at least m − r_min values are ≥ A and v_(r_min) ≥ A.
         * Pairs with u_p &lt; A lie strictly below v_(r_min) (say c of them) and pairs with l_p &gt; B
         * strictly above v_(r_max); every other pair (interval meeting [A, B]) is a candidate, so
         * v_(r) is the (r − c)-th smallest exact candidate value for every requested r.
         */
        double[] select(int[] r) {
            if (r.length == 0) return new double[0];
            int rMin = Arrays.stream(r).min().getAsInt(), rMax = Arrays.stream(r).max().getAsInt();
            double a = Selection.kth(Arrays.copyOf(lower, size), rMin);
            double b = Selection.kth(Arrays.copyOf(upper, size), rMax);
            int c = 0, m = 0;
            double[] cand = new double[64];
            for (int p = 0; p < size; p++) {
                if (upper[p] < a) {
                    c++;
                } else if (lower[p] <= b) {
                    if (m == cand.length) cand = Arrays.copyOf(cand, 2 * m);
                    cand[m++] = exact((int) (pairs[p] >>> 32), (int) pairs[p]);
                }
            }
            Arrays.sort(cand, 0, m);
            double[] out = new double[r.length];
            for (int t = 0; t < r.length; t++) out[t] = cand[r[t] - c];
            return out;
        }
    }

    /**
     * One pass over the upper block triangle: pairs certainly below the window are counted, those
     * certainly at or above it skipped, the rest kept with D̃. Null once more than collectLimit are kept.
     */
    private Kept pass(Backend backend, double lo, double hi) {
        double loDown = scaled(lo, false), hiUp = scaled(hi, true);
        Kept k = new Kept();
        for (int bi = 0; bi < blocks.size(); bi++) {
            for (int bj = bi; bj < blocks.size(); bj++) {
                double[] g = gram(backend, bi, bj);
                int i0 = bi * TILE, j0 = bj * TILE, cols = blocks.get(bj).rows();
                for (int p = 0; p < blocks.get(bi).rows(); p++) {
                    int q0 = bi == bj ? p + 1 : 0;
                    if (!classifyRow(g, p * cols, i0 + p, j0, q0, cols, loDown, hiUp, k)) return null;
                }
            }
        }
        return k;
    }

    /**
     * Classifies pairs (i, j0 + q) for q in [q0, cols), reading Gram entries g[o + q]; false when the
     * kept set overflows. The common case (every lane certainly below or above) is a vector count.
     */
    private boolean classifyRow(double[] g, int o, int i, int j0, int q0, int cols,
                                double loDown, double hiUp, Kept k) {
        double ni = norms[i];
        long below = 0;
        int q = q0;
        int bound = q0 + S.loopBound(cols - q0);
        for (; q < bound; q += S.length()) {
            DoubleVector nj = DoubleVector.fromArray(S, norms, j0 + q);
            DoubleVector sum = nj.add(ni);
            DoubleVector dt = DoubleVector.fromArray(S, g, o + q).mul(-2.0).add(sum);
            DoubleVector err = sum.mul(c1).add(c2);
            VectorMask<Double> lowMask = dt.add(err).lt(loDown);
            VectorMask<Double> highMask = dt.sub(err).compare(VectorOperators.GE, hiUp);
            below += lowMask.trueCount();
            // Only the set lanes are visited (as in RbfOnePass's window): no branch per lane.
            long rest = lowMask.or(highMask).not().toLong();
            if (rest != 0) {
                dt.intoArray(k.lanes, 0);
                do {
                    int t = Long.numberOfTrailingZeros(rest);
                    if (k.size >= collectLimit) return false;
                    k.add(i, j0 + q + t, k.lanes[t]);
                    rest &= rest - 1;
                } while (rest != 0);
            }
        }
        for (; q < cols; q++) {
            int j = j0 + q;
            double sum = ni + norms[j];
            double dt = sum - 2.0 * g[o + q];
            double err = c1 * sum + c2;
            if (dt + err < loDown) {
                below++;
            } else if (!(dt - err >= hiUp)) {
                if (k.size >= collectLimit) return false;
                k.add(i, j, dt);
            }
        }
        k.belowPairs += below;
        return true;
    }
}
