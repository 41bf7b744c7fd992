package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.RowNorms;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * The all-pairs measures split into contiguous row blocks, for an engine that runs one task per block
 * pair (I ≤ J) and merges the partial results (the Spark module): the RBF kernel statistics, the exact
 * (or, above {@link MedianDistance#EXACT_LIMIT} rows, sampled) median bandwidth, and each row's k
 * nearest neighbours. Every formula is the one-machine pass's: {@link RbfCka#reduceTile} on the tile of
 * a block pair, the median of {@link MedianDistance} (the same seeded pairs, the same direct-form
 * distances, the same middle ranks) and the ranking of {@link KnnShare#neighbours} (direct-form
 * distances of the {@link KnnShare#ranked} rows, ties to the lower index). The rows a block hands in
 * are the rows the local pass reads: centred with the same means ({@link Matrix#meansOfBlockSums}) for
 * RBF, as stored (unit rows for cosine) for the neighbours.
 */
public final class GramBlocks {
    private GramBlocks() {}

    // ---- the median bandwidth -------------------------------------------------------------------------

    /** Whether the median over n rows is exact (else the median of {@link #samplePairs} is the bandwidth's). */
    public static boolean exactMedian(long n) {
        return n <= MedianDistance.EXACT_LIMIT;
    }

    /**
     * The seeded pairs (i·2³² + j, sorted) the median starts from, as {@link MedianDistance} draws them:
     * the window sample for an exact median, else the sample whose median is the estimate.
     */
    public static long[] samplePairs(int n, boolean forWindow, long seed) {
        return MedianDistance.pairIndices(n, forWindow ? MedianDistance.WINDOW_SAMPLE : MedianDistance.SAMPLE_PAIRS, seed);
    }

    /** The direct-form float64 squared distance between row i of A and row j of B (rows of {@link #forMedian}). */
    public static double distance(Matrix a64, int i, Matrix b64, int j) {
        int d = a64.cols();
        return FixedOrderSums.squaredDistance(a64.f64(), i * d, b64.f64(), j * d, d);
    }

    /** The rows the median is taken over: centred with the global means in the input's precision, then float64. */
    public static Matrix forMedian(Matrix rows, double[] mean) {
        return rows.centered(mean).to(Precision.F64);
    }

    /** The median of the sample's distances (the estimate above the exact limit); sorts the array. */
    public static double sampledMedian(double[] sample) {
        return MedianDistance.medianOfSample(sample);
    }

    /** The value window [lo, hi) a sample's quantiles bracket the median with; {@code attempt} 0, 1, ... widens it 2^attempt times. */
    public static double[] window(double[] sample, int attempt) {
        return MedianDistance.window(sample.clone(), Math.scalb(1.0, attempt));
    }

    /**
     * One block pair's part of the n² entries against a window: how many lie below it, and the values
     * inside (an entry stands for itself and its mirror, so off-diagonal values appear twice; the
     * diagonal's zeros once each).
     */
    public record WindowPart(long below, double[] inside) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The parts of all block pairs, merged in the given order. */
        public static WindowPart merge(List<WindowPart> parts) {
            long below = 0;
            int size = 0;
            for (WindowPart p : parts) {
                below += p.below;
                size = Math.addExact(size, p.inside.length);
            }
            double[] all = new double[size];
            int at = 0;
            for (WindowPart p : parts) {
                System.arraycopy(p.inside, 0, all, at, p.inside.length);
                at += p.inside.length;
            }
            return new WindowPart(below, all);
        }

        /** The median of all n² entries, or NaN when a middle rank lies outside the window (widen it and pass again). */
        public double median(long n) {
            long total = n * n, rLo = (total - 1) / 2, rHi = total / 2;
            if (rLo < below || rHi >= below + inside.length) return Double.NaN;
            double[] v = inside.clone();
            Arrays.sort(v);
            return 0.5 * (v[(int) (rLo - below)] + v[(int) (rHi - below)]);
        }
    }

    /**
     * The entries of block pair (A, B) against [lo, hi): the backend's expanded-form distances screen
     * with the rigorous bound of {@link KnnShare#screenBound}, and the entries the bound cannot place
     * are computed in the direct form, so the values kept are those {@link MedianDistance} ranks.
     * {@code b} null: the diagonal block pair A with itself.
     */
    public static WindowPart window(Matrix a64, Matrix b64, double lo, double hi, Backend backend) {
        boolean diagonal = b64 == null;
        Matrix[] as = tiles(a64), bs = diagonal ? as : tiles(b64);
        double c1 = KnnShare.screenBound(a64.cols()), c2 = 4.0 * (a64.cols() + 2) * Double.MIN_NORMAL;
        long below = 0;
        double[] inside = new double[64];
        int used = 0;
        for (int i = 0; i < as.length; i++) {
            for (int j = diagonal ? i : 0; j < bs.length; j++) {
                Matrix a = as[i], b = bs[j];
                boolean onDiagonal = diagonal && i == j;
                int m = a.rows(), n = b.rows();
                double[] expanded = backend.squaredDistances(a, b);
                double[] na = RowNorms.squared(a), nb = onDiagonal ? na : RowNorms.squared(b);
                for (int p = 0; p < m; p++) {
                    if (onDiagonal) { // the entry (p, p) is 0, once
                        if (0.0 < lo) below++;
                        else if (0.0 < hi) {
                            if (used == inside.length) inside = Arrays.copyOf(inside, 2 * used);
                            inside[used++] = 0.0;
                        }
                    }
                    for (int q = onDiagonal ? p + 1 : 0; q < n; q++) {
                        double v = expanded[p * n + q], e = c1 * (na[p] + nb[q]) + c2;
                        if (v + e < lo) {
                            below += 2;
                            continue;
                        }
                        if (v - e >= hi) continue;
                        double exact = distance(a, p, b, q);
                        if (exact < lo) {
                            below += 2;
                        } else if (exact < hi) {
                            if (used + 2 > inside.length) inside = Arrays.copyOf(inside, 2 * inside.length);
                            inside[used++] = exact;
                            inside[used++] = exact;
                        }
                    }
                }
            }
        }
        return new WindowPart(below, Arrays.copyOf(inside, used));
    }

    /** A block's rows in tiles of {@link DistanceTiles#TILE}: a task holds one tile pair's products at a time. */
    private static Matrix[] tiles(Matrix m) {
        int t = DistanceTiles.TILE, count = Math.max(1, Math.ceilDiv(m.rows(), t));
        Matrix[] out = new Matrix[count];
        for (int i = 0; i < count; i++) out[i] = m.rows(i * t, Math.min(m.rows(), (i + 1) * t));
        return out;
    }

    /** σ² from a median as {@link RbfCka} takes it: s²·median, or (--sigma-abs)²; a zero median is an error naming the side. */
    public static double bandwidth(double median, MetricOptions o, String side) {
        if (o.sigmaAbs() > 0) return o.sigmaAbs() * o.sigmaAbs();
        if (!(median > 0)) {
            throw new ArithmeticException("RBF bandwidth is 0 for " + side + ": at least half of all pairs of rows are"
                    + " identical (median squared distance 0); give --sigma-abs");
        }
        return o.sigma() * o.sigma() * median;
    }

    // ---- the RBF kernel statistics ---------------------------------------------------------------------

    /**
     * One block pair's sums over its entries of the Gaussian kernels (the diagonal entries i = i left
     * out, each off-diagonal pair standing for both orders): Σ K∘L, Σ K², Σ L², and the row sums of its
     * rows, those of A then those of B (B's only off the diagonal).
     */
    public record RbfPart(double kl, double kk, double ll, double[] rowK, double[] rowL) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * The RBF part of block pair (A, B) of the centred rows of X and Y ({@code xb}, {@code yb} null: the
     * diagonal block pair), with σ² = sx2 and sy2: {@link RbfCka#reduceTile} on their Gram tile.
     */
    public static RbfPart rbf(Matrix xa, Matrix xb, Matrix ya, Matrix yb, double sx2, double sy2, Backend backend) {
        boolean diagonal = xb == null;
        int m = xa.rows(), width = diagonal ? m : m + xb.rows();
        double[] nx = norms(xa, xb), ny = norms(ya, yb);
        double[] rowK = new double[width], rowL = new double[width];
        Matrix[] xas = tiles(xa), yas = tiles(ya);
        Matrix[] xbs = diagonal ? xas : tiles(xb), ybs = diagonal ? yas : tiles(yb);
        int t = DistanceTiles.TILE;
        double kl = 0, kk = 0, ll = 0;
        for (int i = 0; i < xas.length; i++) {
            for (int j = diagonal ? i : 0; j < xbs.length; j++) {
                boolean onDiagonal = diagonal && i == j;
                int i0 = i * t, j0 = (diagonal ? 0 : m) + j * t, rows = xas[i].rows(), cols = xbs[j].rows();
                double[] gx = gram(xas[i], onDiagonal ? null : xbs[j], backend), gy = gram(yas[i], onDiagonal ? null : ybs[j], backend);
                if (onDiagonal) { // as DistanceTiles.gram: ‖a‖² on the diagonal, so the distance there is exactly 0
                    for (int r = 0; r < rows; r++) {
                        gx[r * rows + r] = nx[i0 + r];
                        gy[r * rows + r] = ny[i0 + r];
                    }
                }
                double[] s = RbfCka.reduceTile(MemorySegment.ofArray(gx), MemorySegment.ofArray(gy), nx, ny, -1.0 / (2 * sx2),
                        -1.0 / (2 * sy2), rows, cols, rowK, rowL, i0, j0, onDiagonal);
                kl += 2 * s[0];
                kk += 2 * s[1];
                ll += 2 * s[2];
            }
        }
        return new RbfPart(kl, kk, ll, rowK, rowL);
    }

    private static double[] gram(Matrix a, Matrix b, Backend backend) {
        return b == null ? backend.multOuterUpper(a) : backend.multTransB(a, b);
    }

    private static double[] norms(Matrix a, Matrix b) {
        double[] na = RowNorms.squared(a);
        if (b == null) return na;
        double[] nb = RowNorms.squared(b), all = Arrays.copyOf(na, na.length + nb.length);
        System.arraycopy(nb, 0, all, na.length, nb.length);
        return all;
    }

    /** The kernel statistics of all n rows from the merged off-diagonal sums and row sums (changed in place). */
    public static KernelStats rbfStats(int n, double kl, double kk, double ll, double[] rowK, double[] rowL) {
        return RbfCka.withDiagonal(n, kl, kk, ll, rowK, rowL);
    }

    // ---- nearest neighbours ----------------------------------------------------------------------------

    /** The rows neighbours are ranked on ({@link KnnShare#ranked}): each row's bits as locally. */
    public static Matrix forNeighbours(Matrix rows, KnnShare.Distance distance) {
        return KnnShare.ranked(rows, distance);
    }

    /**
     * Up to k nearest candidates of each row of one block, nearest first by (distance, index): index[r]
     * and value[r] of row r. Merged across all block pairs they are the rows' neighbour sets.
     */
    public record Nearest(int k, int[][] index, double[][] value) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The k nearest of both candidate lists, row by row (the order of the two does not matter). */
        public Nearest merge(Nearest o) {
            int rows = index.length;
            int[][] idx = new int[rows][];
            double[][] val = new double[rows][];
            for (int r = 0; r < rows; r++) {
                int a = 0, b = 0, len = Math.min(k, index[r].length + o.index[r].length);
                idx[r] = new int[len];
                val[r] = new double[len];
                for (int c = 0; c < len; c++) {
                    boolean takeA = b >= o.index[r].length || (a < index[r].length && before(value[r][a], index[r][a], o.value[r][b], o.index[r][b]));
                    idx[r][c] = takeA ? index[r][a] : o.index[r][b];
                    val[r][c] = takeA ? value[r][a++] : o.value[r][b++];
                }
            }
            return new Nearest(k, idx, val);
        }
    }

    /** The ranking of {@link KnnShare}: smaller distance first, on a tie the lower index. */
    private static boolean before(double v, int i, double w, int j) {
        return v < w || (v == w && i < j);
    }

    /**
     * The block pair (A, B)'s candidates: for each row of A its k nearest rows of B and, off the diagonal,
     * for each row of B its k nearest rows of A (a row is never its own neighbour). Rows are
     * {@link #forNeighbours} rows; a0 and b0 their global first indices. Returns {A's, B's} (B's null on the diagonal).
     */
    public static Nearest[] nearest(Matrix a, int a0, Matrix b, int b0, int k) {
        boolean diagonal = b == null;
        Matrix[] as = tiles(a), bs = diagonal ? as : tiles(b);
        int t = DistanceTiles.TILE;
        TopK forA = new TopK(a.rows(), k), forB = diagonal ? forA : new TopK(b.rows(), k);
        for (int i = 0; i < as.length; i++) {
            for (int j = diagonal ? i : 0; j < bs.length; j++) {
                boolean onDiagonal = diagonal && i == j;
                Matrix ta = as[i], tb = bs[j];
                for (int p = 0; p < ta.rows(); p++) {
                    for (int q = onDiagonal ? p + 1 : 0; q < tb.rows(); q++) { // each pair once; never self
                        double v = distance(ta, p, tb, q);
                        int ra = i * t + p, rb = j * t + q;
                        forA.offer(ra, v, (diagonal ? a0 : b0) + rb);
                        forB.offer(rb, v, a0 + ra);
                    }
                }
            }
        }
        return new Nearest[]{forA.result(), diagonal ? null : forB.result()};
    }

    /** Each row's k smallest (distance, index) offered so far, in the ranking of {@link KnnShare}. */
    private static final class TopK {
        final int k;
        final int[][] idx;
        final double[][] val;
        final int[] filled;

        TopK(int rows, int k) {
            this.k = k;
            idx = new int[rows][k];
            val = new double[rows][k];
            filled = new int[rows];
        }

        void offer(int row, double v, int index) {
            int f = filled[row];
            double[] bv = val[row];
            int[] bi = idx[row];
            if (f == k && !before(v, index, bv[k - 1], bi[k - 1])) return;
            int pos = f < k ? f : k - 1;
            while (pos > 0 && before(v, index, bv[pos - 1], bi[pos - 1])) {
                bv[pos] = bv[pos - 1];
                bi[pos] = bi[pos - 1];
                pos--;
            }
            bv[pos] = v;
            bi[pos] = index;
            if (f < k) filled[row] = f + 1;
        }

        Nearest result() {
            int rows = idx.length;
            int[][] i = new int[rows][];
            double[][] v = new double[rows][];
            for (int r = 0; r < rows; r++) {
                i[r] = Arrays.copyOf(idx[r], filled[r]);
                v[r] = Arrays.copyOf(val[r], filled[r]);
            }
            return new Nearest(k, i, v);
        }
    }

    /** The neighbour lists of one block's rows once every block pair is merged (each row has k, n &gt; k). */
    public static int[][] sets(Nearest merged) {
        return merged.index();
    }
}
