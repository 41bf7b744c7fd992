package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.PortableExp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * RBF CKA's kernel statistics and both exact median bandwidths from ONE pass over the float64 Gram
 * tiles of X and Y, instead of a median pass per side followed by a statistics pass.
 *
 * <p>Before the pass a seeded sample brackets each median m in a window [lo, hi) (as
 * {@link MedianDistance}), so the kernel coefficient c = −1/(2s²m) lies in [c(lo), c(hi)). With c₀ the
 * middle of that range (|c/c₀ − 1| ≤ ρ), every kernel entry factors as
 * exp(cD) = e^t·Σ_{a≤p} (ηt)^a/a! + R with t = c₀D ≤ 0 and η = c/c₀ − 1. The pass therefore
 * accumulates the moments Σ K₀L₀ tx^a ty^b, Σ K₀² tx^a, Σ L₀² ty^b and the row sums Σ_j K₀ tx^a
 * (K₀ = e^{tx}, L₀ likewise) while it counts and collects the distances against the windows; once the
 * exact medians are known, the statistics at the exact c are polynomials in η. The Taylor remainder of
 * an entry with weight e^{−u}, u = |c₀|D, is at most e^{−u(1−ρ)}(ρu)^{p+1}/(p+1)!, whose maximum over u is
 * f(ρ, p) = e^{−(p+1)}(ρ(p+1)/(1−ρ))^{p+1}/(p+1)!; the order p is the smallest with f ≤ 2⁻⁵³ (one
 * rounding of a float64 entry of size 1; the same bound covers K∘L with u = |c₀x|Dx + |c₀y|Dy and K² with
 * u = 2|c₀|D). A window too wide for p ≤ {@value #MAX_ORDER}, or a median that falls outside its window
 * (odds about 10⁻⁶), makes {@link #stats} return null and the caller runs the separate passes.
 *
 * <p>The medians here are of the expanded-form distances ‖a‖² + ‖b‖² − 2a·b, refined to the direct form
 * Σ(a_k − b_k)² for the few pairs within the expansion's rounding bound of the middle ranks, so they
 * equal {@link MedianDistance}'s.
 */
final class RbfOnePass {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int PARTS = 8;
    private static final int V = S.length();
    static final int MAX_ORDER = 8;
    /**
     * Per-entry truncation target, absolute (entries are at most 1): one rounding of an entry of size 1.
     * Over n² entries the sums err by at most n²·2⁻⁵³, against sums of at least n (the diagonal).
     */
    private static final double TRUNCATION = 0x1p-53;

    private RbfOnePass() {}

    /**
     * Rows below which the separate passes run (they cost little there). The sampled window holds for any
     * n (pairs are drawn with replacement from all n² entries); at n = 1 000 the one pass took a third
     * of the time of the separate passes, whose exact medians collect and sort all n² distances.
     */
    static final int MIN_ROWS = 128;

    /**
     * Whether the one-pass path may run: median bandwidths (no --sigma-abs) computed exactly
     * ({@value #MIN_ROWS} ≤ n ≤ {@value MedianDistance#EXACT_LIMIT}), float64 rows, and a host backend
     * (a {@link FusedKernels} device runs its own fused statistics).
     */
    static boolean applies(Matrix x, MetricOptions o, Backend backend) {
        int n = x.rows();
        return o.sigmaAbs() == 0 && n >= MIN_ROWS && n <= MedianDistance.EXACT_LIMIT
                && x.precision() == dev.repsim.linalg.Precision.F64 && !(backend instanceof FusedKernels);
    }

    /** The smallest Taylor order whose remainder bound f(ρ, p) ≤ 2⁻⁵³, or −1 when none up to MAX_ORDER. */
    static int order(double rho) {
        if (!(rho >= 0 && rho < 0.5)) return -1;
        for (int p = 1; p <= MAX_ORDER; p++) {
            double q = p + 1;
            double f = Math.exp(-q + q * Math.log(rho * q / (1 - rho)) - logFactorial(p + 1));
            if (rho == 0 || f <= TRUNCATION) return p;
        }
        return -1;
    }

    private static double logFactorial(int k) {
        double s = 0;
        for (int i = 2; i <= k; i++) s += Math.log(i);
        return s;
    }

    /** Kernel coefficients c(m) = −1/(2s²m) over a median window: {c₀, ρ}. */
    private static double[] coefficient(double lo, double hi, double s2) {
        double cLo = -1.0 / (2 * s2 * lo), cHi = -1.0 / (2 * s2 * hi);
        double c0 = 0.5 * (cLo + cHi);
        return new double[] {c0, 0.5 * (cHi - cLo) / -c0};
    }

    /**
     * The statistics of the Gaussian kernels with σ² = s²·median for both sides, or null when this path
     * does not apply (then {@link RbfCka} runs the median passes and the statistics pass). The rows are
     * those of X − 1μxᵀ and Y − 1μyᵀ (means null: the rows as given), centred on the fly, never copied.
     */
    static KernelStats stats(Matrix x, double[] mx, Matrix y, double[] my, Backend backend, double sigma, long seed,
                             int tile) {
        int n = x.rows();
        double s2 = sigma * sigma;
        // The window only brackets the median (distances do not depend on the centring), so raw rows do.
        double[] wx = MedianDistance.window(x, seed), wy = MedianDistance.window(y, seed);
        if (!(wx[0] > 0 && wy[0] > 0)) return null;
        double[] kx = coefficient(wx[0], wx[1], s2), ky = coefficient(wy[0], wy[1], s2);
        int p = order(Math.max(kx[1], ky[1]));
        if (p < 0) return null;
        // A fixed number of parts (not one per core), merged in order: the sums do not depend on the core count.
        int parts = PARTS;
        Pass[] pass = new Pass[parts];
        // Each part's share of the pairs expected inside a window, with a quarter to spare (no regrowth).
        long expected = (long) (1.25 * MedianDistance.windowShare() * n * (n - 1.0) / 2 / parts);
        for (int t = 0; t < parts; t++) pass[t] = new Pass(n, p, kx[0], ky[0], wx, wy, Math.min(tile, n), expected);
        double[] nx, ny;
        try (DistanceTiles tx = new DistanceTiles(x, mx, backend, tile); DistanceTiles ty = new DistanceTiles(y, my, backend, tile)) {
            nx = tx.norms();
            ny = ty.norms();
            for (int i = 0; i < tx.blockCount(); i++) {
                for (int j = i; j < tx.blockCount(); j++) {
                    MemorySegment gx = tx.gram(i, j), gy = ty.gram(i, j);
                    int rows = tx.size(i), cols = tx.size(j), i0 = tx.start(i), j0 = tx.start(j);
                    boolean diagonal = i == j;
                    // Rows interleaved between the parts (balanced on diagonal tiles too); each part owns its sums.
                    IntStream.range(0, parts).parallel().forEach(t ->
                            pass[t].tile(gx, gy, nx, ny, rows, cols, i0, j0, diagonal, t, parts));
                }
            }
        }
        Pass all = pass[0];
        for (int t = 1; t < parts; t++) all.merge(pass[t]);
        // The diagonal (D = 0, K = L = 1) is counted once here; tiles skip it. lo > 0, so zeros lie below.
        all.x.below += n;
        all.y.below += n;
        double medX = all.x.median(x, mx, nx), medY = all.y.median(y, my, ny);
        if (Double.isNaN(medX) || Double.isNaN(medY)) return null;
        // c/c₀ − 1 for the exact c = −1/(2s²m).
        return all.evaluate(-1.0 / (2 * s2 * medX) / kx[0] - 1, -1.0 / (2 * s2 * medY) / ky[0] - 1);
    }

    /** Counts and collects one side's distances against its median window. */
    private static final class Window {
        /** Most pairs one part keeps (16 B each: 256 MiB). */
        static final int LIMIT = 16 << 20;
        final double lo, hi;
        long below;
        int size;
        /** More than LIMIT pairs in the window (massive ties): the caller's exact passes take over. */
        boolean overflow;
        double[] values;
        long[] pairs;
        final int n;

        /** A window expecting about {@code expected} pairs (its arrays start that large; they grow if needed). */
        Window(double[] w, int n, long expected) {
            this.lo = w[0];
            this.hi = w[1];
            this.n = n;
            int capacity = (int) Math.min(LIMIT, Math.max(1 << 12, expected));
            values = new double[capacity];
            pairs = new long[capacity];
        }

        /** Counts a distance below the window (a pair: twice) or collects it when inside. */
        void classify(double v, int i, int j) {
            if (v < lo) below += 2;
            else if (v < hi) add(v, i, j);
        }

        void merge(Window o) {
            below += o.below;
            overflow |= o.overflow;
            if (overflow || (long) size + o.size > LIMIT) {
                overflow = true;
                return;
            }
            if (size + o.size > values.length) {
                values = Arrays.copyOf(values, size + o.size);
                pairs = Arrays.copyOf(pairs, size + o.size);
            }
            System.arraycopy(o.values, 0, values, size, o.size);
            System.arraycopy(o.pairs, 0, pairs, size, o.size);
            size += o.size;
        }

        void add(double v, int i, int j) {
            if (overflow) return;
            if (size == LIMIT) {
                overflow = true;
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
                pairs = Arrays.copyOf(pairs, 2 * size);
            }
            values[size] = v;
            pairs[size++] = (long) i << 32 | j;
        }

        /**
         * The median of all n² direct-form distances, or NaN when a middle rank lies outside the window.
         * Collected pairs (i &lt; j) stand for two entries; the diagonal zeros were counted in below.
         * Expanded-form values err by at most E = 1.25(d+4)2⁻⁵³·2·max‖x‖² (the bound of
         * {@link ScreenedMedian} with the float64 unit roundoff), so the middle ranks' direct-form values
         * are among the pairs within 2E of the expanded-form ones; those are recomputed and ranked.
         */
        double median(Matrix x, double[] mean, double[] norms) {
            long total = (long) n * n, rLo = (total - 1) / 2, rHi = total / 2;
            long inside = 2L * size;
            if (rLo < below || rHi >= below + inside) return Double.NaN;
            double maxNorm = 0;
            for (double v : norms) maxNorm = Math.max(maxNorm, v);
            double e = 1.25 * (x.cols() + 4) * 0x1p-53 * 2 * maxNorm;
            double[] work = Arrays.copyOf(values, size);
            int ra = (int) ((rLo - below) / 2), rb = (int) ((rHi - below) / 2);
            double a = Selection.kth(work, ra);
            double b = a;
            if (rb > ra) { // rb = ra + 1: the smallest value after position ra (kth leaves larger ones there)
                b = Double.POSITIVE_INFINITY;
                for (int t = ra + 1; t < size; t++) b = Math.min(b, work[t]);
            }
            // Every value certainly below a − 2E precedes both ranks; candidates lie within 2E of [a, b].
            // Values outside the window were only counted, so the band must lie inside it.
            double from = a - 2 * e, to = b + 2 * e;
            if (overflow || from < lo || to >= hi) return Double.NaN;
            long before = below;
            double[] cand = new double[64];
            int m = 0;
            int d = x.cols();
            double[] rows = new double[2 * d]; // the pair's rows, centred as the Gram tiles' rows are
            double[] xs = mean == null ? x.f64() : rows;
            for (int t = 0; t < size; t++) {
                double v = values[t];
                if (v < from) {
                    before += 2;
                } else if (v <= to) {
                    if (m + 2 > cand.length) cand = Arrays.copyOf(cand, 2 * cand.length);
                    int i = (int) (pairs[t] >>> 32), j = (int) pairs[t];
                    double exact;
                    if (mean == null) {
                        exact = MedianDistance.direct(xs, i * d, j * d, d);
                    } else {
                        x.centeredRow(i, 0, d, mean, rows, 0);
                        x.centeredRow(j, 0, d, mean, rows, d);
                        exact = MedianDistance.direct(rows, 0, d, d);
                    }
                    cand[m++] = exact;
                    cand[m++] = exact;
                }
            }
            Arrays.sort(cand, 0, m);
            long ia = rLo - before, ib = rHi - before;
            if (ia < 0 || ib >= m) return Double.NaN;
            return 0.5 * (cand[(int) ia] + cand[(int) ib]);
        }
    }

    /**
     * The accumulators of one part of the pass (parts take interleaved rows, in parallel). Each row
     * segment is processed as arrays (distances, t = c₀D, then e^t·t^a for a = 0..p), so every step is a
     * plain vector loop and the moments are dot products over the segment.
     */
    private static final class Pass {
        final int n, q;
        final double cx, cy;
        final Window x, y;
        /** Σ K₀L₀ tx^a ty^b for a + b ≤ p, by a then b ({@link #crossIndex}); Σ K₀² tx^a; Σ L₀² ty^b. */
        final double[] kl, kk, ll;
        /** Row sums Σ_{j≠i} K₀ tx^a at [a·n + i] (and L). */
        final double[] rowK, rowL;
        private final double[] dX, dY, tX, tY;
        /** Scratch for {@link FixedOrderSums#laneSum}. */
        private final double[] lanes = new double[V];
        private final double[][] pX, pY;

        Pass(int n, int p, double cx, double cy, double[] wx, double[] wy, int tile, long expected) {
            this.n = n;
            this.q = p + 1;
            this.cx = cx;
            this.cy = cy;
            this.x = new Window(wx, n, expected);
            this.y = new Window(wy, n, expected);
            this.kl = new double[q * (q + 1) / 2];
            this.kk = new double[q];
            this.ll = new double[q];
            this.rowK = new double[q * n];
            this.rowL = new double[q * n];
            this.dX = new double[tile];
            this.dY = new double[tile];
            this.tX = new double[tile];
            this.tY = new double[tile];
            this.pX = new double[q][tile];
            this.pY = new double[q][tile];
        }

        void merge(Pass o) {
            x.merge(o.x);
            y.merge(o.y);
            add(kl, o.kl);
            add(kk, o.kk);
            add(ll, o.ll);
            add(rowK, o.rowK);
            add(rowL, o.rowL);
        }

        private static void add(double[] a, double[] b) {
            for (int i = 0; i < a.length; i++) a[i] += b[i];
        }

        /**
         * Rows first, first + step, … of one tile pair (rows i0.., columns j0..); a diagonal tile visits
         * its strict upper triangle, an off-diagonal tile stands for its transpose too, so every pair
         * counts twice in the Frobenius sums and adds to both its rows' sums.
         */
        void tile(MemorySegment gx, MemorySegment gy, double[] nx, double[] ny, int rows, int cols, int i0, int j0, boolean diagonal,
                  int first, int step) {
            for (int r = first; r < rows; r += step) {
                int i = i0 + r, c0 = diagonal ? r + 1 : 0, len = cols - c0, j = j0 + c0;
                if (len <= 0) continue;
                exponentials(gx, r * cols + c0, nx, j, nx[i], len, cx, x, i, tX, pX[0], dX);
                exponentials(gy, r * cols + c0, ny, j, ny[i], len, cy, y, i, tY, pY[0], dY);
                powers(tX, pX, len, rowK, i, j, kk);
                powers(tY, pY, len, rowL, i, j, ll);
                // Total degree a + b ≤ p: the truncation of exp(ηx tx + ηy ty) that the remainder bound is for.
                for (int a = 0, at = 0; a < q; at += q - a, a++) {
                    for (int b = 0; b < q - a; b += 4) dots(pX[a], pY, b, Math.min(4, q - a - b), len, kl, at + b, lanes);
                }
            }
        }

        /**
         * One loop over the row's segment: the distances d ({@link DistanceTiles#distances}), counted or
         * collected against the side's median window, t = c₀·d and e = e^t. Lanes below the window are counted
         * by mask; only the lanes inside it (about 4 % of them) are visited one by one. A scalar test of each
         * lane of every vector that straddled a window edge, a branch taken about half the time, took half
         * or more of the pass's time per pair (results/cpu-zen5-2c/extra/rbf-window/).
         */
        private static void exponentials(MemorySegment g, int go, double[] norms, int no, double a, int len, double c0,
                                         Window w, int i, double[] t, double[] e, double[] d) {
            int c = 0;
            for (int bound = S.loopBound(len); c < bound; c += V) {
                DoubleVector dv = DistanceTiles.distances(S, g, go + c, norms, no + c, a);
                VectorMask<Double> below = dv.lt(w.lo);
                w.below += 2L * below.trueCount();
                long inside = dv.lt(w.hi).andNot(below).toLong();
                if (inside != 0) {
                    dv.intoArray(d, c);
                    do {
                        int k = c + Long.numberOfTrailingZeros(inside);
                        w.add(d[k], i, no + k);
                        inside &= inside - 1;
                    } while (inside != 0);
                }
                DoubleVector tv = dv.mul(c0);
                tv.intoArray(t, c);
                PortableExp.exp(tv).intoArray(e, c);
            }
            for (; c < len; c++) {
                double dc = DistanceTiles.distance(g, go + c, norms, no + c, a);
                w.classify(dc, i, no + c);
                t[c] = c0 * dc;
                e[c] = PortableExp.exp(t[c]);
            }
        }

        /**
         * pw[a] = e^t·t^a for a = 1..p (pw[0] = e^t already), each power added to row i's sum, to its
         * columns' row sums (the mirrored pairs) and, times e^t, to sq[a] (Σ K₀² t^a over the pair and its
         * mirror: twice). Two powers per loop over the segment.
         */
        private void powers(double[] t, double[][] pw, int len, double[] rows, int i, int j, double[] sq) {
            for (int a = 0; a < q; a += 2) twoPowers(t, pw, a, a + 1 < q, len, rows, i, j, sq);
        }

        private void twoPowers(double[] t, double[][] pw, int a, boolean two, int len, double[] rows, int i, int j,
                               double[] sq) {
            double[] e = pw[0], prev = a == 0 ? e : pw[a - 1], first = pw[a], second = two ? pw[a + 1] : first;
            boolean multiply = a > 0;
            int r0 = a * n + j, r1 = r0 + n;
            DoubleVector s0 = DoubleVector.zero(S), s1 = s0, q0 = s0, q1 = s0;
            int c = 0;
            for (int bound = S.loopBound(len); c < bound; c += V) {
                DoubleVector ev = DoubleVector.fromArray(S, e, c), tv = DoubleVector.fromArray(S, t, c);
                DoubleVector v0 = ev;
                if (multiply) {
                    v0 = DoubleVector.fromArray(S, prev, c).mul(tv);
                    v0.intoArray(first, c);
                }
                s0 = s0.add(v0);
                q0 = v0.fma(ev, q0);
                DoubleVector.fromArray(S, rows, r0 + c).add(v0).intoArray(rows, r0 + c);
                if (two) {
                    DoubleVector v1 = v0.mul(tv);
                    v1.intoArray(second, c);
                    s1 = s1.add(v1);
                    q1 = v1.fma(ev, q1);
                    DoubleVector.fromArray(S, rows, r1 + c).add(v1).intoArray(rows, r1 + c);
                }
            }
            double sum0 = FixedOrderSums.laneSum(s0, lanes), sq0 = FixedOrderSums.laneSum(q0, lanes);
            double sum1 = FixedOrderSums.laneSum(s1, lanes), sq1 = FixedOrderSums.laneSum(q1, lanes);
            for (; c < len; c++) {
                double v0 = multiply ? prev[c] * t[c] : e[c];
                first[c] = v0;
                sum0 += v0;
                sq0 += v0 * e[c];
                rows[r0 + c] += v0;
                if (two) {
                    double v1 = v0 * t[c];
                    second[c] = v1;
                    sum1 += v1;
                    sq1 += v1 * e[c];
                    rows[r1 + c] += v1;
                }
            }
            rows[a * n + i] += sum0;
            sq[a] += 2 * sq0;
            if (two) {
                rows[(a + 1) * n + i] += sum1;
                sq[a + 1] += 2 * sq1;
            }
        }

        /** out[at + k] += 2·Σ x·ys[b + k] over the segment for k &lt; count ≤ 4: x is read once for all. */
        private static void dots(double[] x, double[][] ys, int b, int count, int len, double[] out, int at, double[] lanes) {
            double[] y0 = ys[b], y1 = ys[b + Math.min(1, count - 1)], y2 = ys[b + Math.min(2, count - 1)], y3 = ys[b + count - 1];
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int c = 0;
            for (int bound = S.loopBound(len); c < bound; c += V) {
                DoubleVector xv = DoubleVector.fromArray(S, x, c);
                a0 = xv.fma(DoubleVector.fromArray(S, y0, c), a0);
                if (count > 1) a1 = xv.fma(DoubleVector.fromArray(S, y1, c), a1);
                if (count > 2) a2 = xv.fma(DoubleVector.fromArray(S, y2, c), a2);
                if (count > 3) a3 = xv.fma(DoubleVector.fromArray(S, y3, c), a3);
            }
            double d0 = FixedOrderSums.laneSum(a0, lanes), d1 = FixedOrderSums.laneSum(a1, lanes);
            double d2 = FixedOrderSums.laneSum(a2, lanes), d3 = FixedOrderSums.laneSum(a3, lanes);
            for (; c < len; c++) {
                d0 += x[c] * y0[c];
                d1 += x[c] * y1[c];
                d2 += x[c] * y2[c];
                d3 += x[c] * y3[c];
            }
            out[at] += 2 * d0;
            if (count > 1) out[at + 1] += 2 * d1;
            if (count > 2) out[at + 2] += 2 * d2;
            if (count > 3) out[at + 3] += 2 * d3;
        }

        /**
         * The statistics at c = c₀(1 + η) for each side: exp(cD) = e^t Σ_a (ηt)^a/a! with t = c₀D, so
         * Σ K∘L = Σ_{a+b≤p} ηx^a ηy^b/(a! b!) Σ K₀L₀ tx^a ty^b, ΣK² = Σ_a (2ηx)^a/a! Σ K₀² tx^a, and so on.
         */
        KernelStats evaluate(double etaX, double etaY) {
            double[] fx = new double[q], fy = new double[q], f2x = new double[q], f2y = new double[q];
            double fact = 1;
            for (int a = 0; a < q; a++) {
                if (a > 0) fact *= a;
                fx[a] = Math.pow(etaX, a) / fact;
                fy[a] = Math.pow(etaY, a) / fact;
                f2x[a] = Math.pow(2 * etaX, a) / fact;
                f2y[a] = Math.pow(2 * etaY, a) / fact;
            }
            // Diagonal entries: K = L = 1 (D = 0): n each in ΣK∘L, ΣK², ΣL² and 1 in every row sum.
            double skl = 0, skk = 0, sll = 0;
            for (int a = q - 1; a >= 0; a--) {
                skk += f2x[a] * kk[a];
                sll += f2y[a] * ll[a];
                double inner = 0;
                int at = crossIndex(a);
                for (int b = q - a - 1; b >= 0; b--) inner += fy[b] * kl[at + b];
                skl += fx[a] * inner;
            }
            double[] rk = new double[n], rl = new double[n];
            for (int i = 0; i < n; i++) {
                double sk = 0, sl = 0;
                for (int a = q - 1; a >= 0; a--) {
                    sk += fx[a] * rowK[a * n + i];
                    sl += fy[a] * rowL[a * n + i];
                }
                rk[i] = 1 + sk;
                rl[i] = 1 + sl;
            }
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return new KernelStats(n, n + skl, n + skk, n + sll, rk, rl, ones, ones.clone());
        }

        /** Offset of the moments Σ K₀L₀ tx^a ty^b (b = 0 .. p − a) in {@link #kl}. */
        private int crossIndex(int a) {
            return a * q - a * (a - 1) / 2;
        }

    }
}
