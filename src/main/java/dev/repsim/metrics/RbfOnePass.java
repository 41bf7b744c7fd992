package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 * exact medians are known, the statistics at the exact c are polynomials in η. The Taylor remainder of an entry with weight
 * e^{−u}, u = |c₀|D, is at most e^{−u(1−ρ)}(ρu)^{p+1}/(p+1)!, whose maximum over u is
 * f(ρ, p) = e^{−(p+1)}(ρ(p+1)/(1−ρ))^{p+1}/(p+1)!; the order p is the smallest with f ≤ 2⁻⁵⁶ (below the
 * rounding of one float64 entry; the same bound covers K∘L with u = |c₀x|Dx + |c₀y|Dy and K² with
 * u = 2|c₀|D). A window too wide for p ≤ {@value #MAX_ORDER}, or a median that falls outside its window
 * (odds about 10⁻⁶), makes {@link #stats} return null and the caller runs the separate passes.
 *
 * <p>The medians here are of the expanded-form distances ‖a‖² + ‖b‖² − 2a·b, refined to the direct form
 * Σ(a_k − b_k)² for the few pairs within the expansion's rounding bound of the middle ranks, so they
 * equal {@link MedianDistance}'s.
 */
final class RbfOnePass {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    static final int MAX_ORDER = 8;
    /** Per-entry truncation target (relative to an entry of size 1). */
    private static final double TRUNCATION = 0x1p-56;

    private RbfOnePass() {}

    /**
     * Whether the one-pass path may run: median bandwidths (no --sigma-abs) computed exactly
     * (n ≤ {@value MedianDistance#EXACT_LIMIT}) by sampling a window (more than 1024 rows), float64 rows,
     * and a host backend (a {@link FusedKernels} device runs its own fused statistics).
     */
    static boolean applies(Matrix xc, MetricOptions o, Backend backend) {
        int n = xc.rows();
        return o.sigmaAbs() == 0 && n > 1024 && n <= MedianDistance.EXACT_LIMIT
                && xc.precision() == dev.repsim.linalg.Precision.F64 && !(backend instanceof FusedKernels);
    }

    /** The smallest Taylor order whose remainder bound f(ρ, p) ≤ 2⁻⁵⁶, or −1 when none up to MAX_ORDER. */
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
     * does not apply (then {@link RbfCka} runs the median passes and the statistics pass).
     */
    static KernelStats stats(Matrix xc, Matrix yc, Backend backend, double sigma, long seed, int tile) {
        int n = xc.rows();
        double s2 = sigma * sigma;
        double[] wx = MedianDistance.window(xc, seed), wy = MedianDistance.window(yc, seed);
        if (!(wx[0] > 0 && wy[0] > 0)) return null;
        double[] kx = coefficient(wx[0], wx[1], s2), ky = coefficient(wy[0], wy[1], s2);
        int p = order(Math.max(kx[1], ky[1]));
        if (p < 0) return null;
        int parts = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        Pass[] pass = new Pass[parts];
        for (int t = 0; t < parts; t++) pass[t] = new Pass(n, p, kx[0], ky[0], wx, wy);
        DistanceTiles tx = new DistanceTiles(xc, backend, tile), ty = new DistanceTiles(yc, backend, tile);
        for (int i = 0; i < tx.blockCount(); i++) {
            for (int j = i; j < tx.blockCount(); j++) {
                double[] gx = tx.gram(i, j), gy = ty.gram(i, j);
                int rows = tx.size(i), cols = tx.size(j), i0 = tx.start(i), j0 = tx.start(j);
                boolean diagonal = i == j;
                // Rows interleaved between the parts (balanced on diagonal tiles too); each part owns its sums.
                IntStream.range(0, parts).parallel().forEach(t ->
                        pass[t].tile(gx, gy, tx.norms(), ty.norms(), rows, cols, i0, j0, diagonal, t, parts));
            }
        }
        Pass all = pass[0];
        for (int t = 1; t < parts; t++) all.merge(pass[t]);
        // The diagonal (D = 0, K = L = 1) is counted once here; tiles skip it. lo > 0, so zeros lie below.
        all.x.below += n;
        all.y.below += n;
        double mx = all.x.median(xc, tx.norms()), my = all.y.median(yc, ty.norms());
        if (Double.isNaN(mx) || Double.isNaN(my)) return null;
        // c/c₀ − 1 for the exact c = −1/(2s²m).
        return all.evaluate(-1.0 / (2 * s2 * mx) / kx[0] - 1, -1.0 / (2 * s2 * my) / ky[0] - 1);
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
        double[] values = new double[1 << 12];
        long[] pairs = new long[1 << 12];
        final int n;

        Window(double[] w, int n) {
            this.lo = w[0];
            this.hi = w[1];
            this.n = n;
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
        double median(Matrix x, double[] norms) {
            long total = (long) n * n, rLo = (total - 1) / 2, rHi = total / 2;
            long inside = 2L * size;
            if (rLo < below || rHi >= below + inside) return Double.NaN;
            double maxNorm = 0;
            for (double v : norms) maxNorm = Math.max(maxNorm, v);
            double e = 1.25 * (x.cols() + 4) * 0x1p-53 * 2 * maxNorm;
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            double a = sorted[(int) ((rLo - below) / 2)], b = sorted[(int) ((rHi - below) / 2)];
            // Every value certainly below a − 2E precedes both ranks; candidates lie within 2E of [a, b].
            // Values outside the window were only counted, so the band must lie inside it.
            double from = a - 2 * e, to = b + 2 * e;
            if (overflow || from < lo || to >= hi) return Double.NaN;
            long before = below;
            double[] cand = new double[64];
            int m = 0;
            double[] xs = x.f64();
            int d = x.cols();
            for (int t = 0; t < size; t++) {
                double v = values[t];
                if (v < from) {
                    before += 2;
                } else if (v <= to) {
                    if (m + 2 > cand.length) cand = Arrays.copyOf(cand, 2 * cand.length);
                    int i = (int) (pairs[t] >>> 32), j = (int) pairs[t];
                    double exact = MedianDistance.direct(xs, i * d, j * d, d);
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

    /** The accumulators of one pass. */
    private static final class Pass {
        final int n, p, q;
        final double cx, cy;
        final Window x, y;
        /** Σ K₀L₀ tx^a ty^b (a + b ≤ p) by a, then b, V lanes each; Σ K₀² tx^a and Σ L₀² ty^b at [a·V + lane] (t = c₀D). */
        final double[] kl, kk, ll;
        /** Row sums Σ_{j≠i} K₀ tx^a at [a·n + i] (and L). */
        final double[] rowK, rowL;
        private final double[] powX, powY;
        /** Row i's sums over the current row, lane-wise, reduced once per row. */
        private final double[] rowAccX, rowAccY;

        Pass(int n, int p, double cx, double cy, double[] wx, double[] wy) {
            this.n = n;
            this.p = p;
            this.q = p + 1;
            this.cx = cx;
            this.cy = cy;
            this.x = new Window(wx, n);
            this.y = new Window(wy, n);
            this.kl = new double[q * (q + 1) / 2 * V];
            this.kk = new double[q * V];
            this.ll = new double[q * V];
            this.rowK = new double[q * n];
            this.rowL = new double[q * n];
            this.powX = new double[q * V];
            this.powY = new double[q * V];
            this.rowAccX = new double[q * V];
            this.rowAccY = new double[q * V];
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
         * One tile pair: rows i0.., columns j0..; a diagonal tile visits its strict upper triangle
         * (weight 2) and the diagonal separately; an off-diagonal tile stands for its transpose too.
         */
        void tile(double[] gx, double[] gy, double[] nx, double[] ny, int rows, int cols, int i0, int j0, boolean diagonal,
                  int first, int step) {
            for (int r = first; r < rows; r += step) {
                int i = i0 + r, o = r * cols;
                Arrays.fill(rowAccX, 0.0);
                Arrays.fill(rowAccY, 0.0);
                int c = diagonal ? r + 1 : 0;
                double ax = nx[i], ay = ny[i];
                for (; c + V <= cols; c += V) {
                    DoubleVector dx = DoubleVector.fromArray(S, nx, j0 + c).add(ax)
                            .sub(DoubleVector.fromArray(S, gx, o + c).mul(2.0)).max(0.0);
                    DoubleVector dy = DoubleVector.fromArray(S, ny, j0 + c).add(ay)
                            .sub(DoubleVector.fromArray(S, gy, o + c).mul(2.0)).max(0.0);
                    classify(x, dx, i, j0 + c);
                    classify(y, dy, i, j0 + c);
                    accumulate(dx, dy, i, j0 + c);
                }
                for (; c < cols; c++) {
                    double dx = Math.max(0.0, ax + nx[j0 + c] - 2.0 * gx[o + c]);
                    double dy = Math.max(0.0, ay + ny[j0 + c] - 2.0 * gy[o + c]);
                    classify(x, dx, i, j0 + c);
                    classify(y, dy, i, j0 + c);
                    accumulate(DoubleVector.zero(S).withLane(0, dx), DoubleVector.zero(S).withLane(0, dy), i, j0 + c,
                            VectorMask.fromLong(S, 1L));
                }
                for (int a = 0; a < q; a++) {
                    rowK[a * n + i] += lanes(rowAccX, a * V);
                    rowL[a * n + i] += lanes(rowAccY, a * V);
                }
            }
        }

        private static void classify(Window w, DoubleVector d, int i, int j) {
            VectorMask<Double> lt = d.lt(w.lo);
            w.below += 2L * lt.trueCount();
            VectorMask<Double> in = lt.not().and(d.lt(w.hi));
            if (in.anyTrue()) {
                for (int t = 0; t < V; t++) if (in.laneIsSet(t)) w.add(d.lane(t), i, j + t);
            }
        }

        private static void classify(Window w, double d, int i, int j) {
            if (d < w.lo) w.below += 2;
            else if (d < w.hi) w.add(d, i, j);
        }

        private void accumulate(DoubleVector dx, DoubleVector dy, int i, int j) {
            accumulate(dx, dy, i, j, null);
        }

        /**
         * Adds one vector of pairs (i, j..j+V) and their mirrors (j.., i): the moments and both row sums,
         * in the dimensionless t = c₀D ≤ 0 (so K₀·t^a = e^t t^a stays below (a/e)^a: no overflow).
         * {@code lanes}, when given, limits the update to the valid lanes (row tails).
         */
        private void accumulate(DoubleVector dx, DoubleVector dy, int i, int j, VectorMask<Double> lanes) {
            DoubleVector tx = dx.mul(cx), ty = dy.mul(cy);
            DoubleVector k0 = tx.lanewise(VectorOperators.EXP);
            DoubleVector l0 = ty.lanewise(VectorOperators.EXP);
            if (lanes != null) {
                k0 = k0.blend(0.0, lanes.not());
                l0 = l0.blend(0.0, lanes.not());
            }
            DoubleVector px = k0, py = l0, kk0 = k0.mul(k0).mul(2.0), ll0 = l0.mul(l0).mul(2.0);
            for (int a = 0; a < q; a++) {
                px.intoArray(powX, a * V);
                py.intoArray(powY, a * V);
                // Off-diagonal pairs count twice (the pair and its mirror) in every Frobenius sum.
                DoubleVector.fromArray(S, kk, a * V).add(kk0).intoArray(kk, a * V);
                DoubleVector.fromArray(S, ll, a * V).add(ll0).intoArray(ll, a * V);
                DoubleVector.fromArray(S, rowAccX, a * V).add(px).intoArray(rowAccX, a * V);
                DoubleVector.fromArray(S, rowAccY, a * V).add(py).intoArray(rowAccY, a * V);
                int base = a * n + j;
                if (lanes == null) {
                    DoubleVector.fromArray(S, rowK, base).add(px).intoArray(rowK, base);
                    DoubleVector.fromArray(S, rowL, base).add(py).intoArray(rowL, base);
                } else {
                    rowK[base] += px.lane(0);
                    rowL[base] += py.lane(0);
                }
                px = px.mul(tx);
                py = py.mul(ty);
                kk0 = kk0.mul(tx);
                ll0 = ll0.mul(ty);
            }
            // Total degree a + b ≤ p: the truncation of exp(ηx tx + ηy ty) that the remainder bound is for.
            for (int a = 0, at = 0; a < q; a++) {
                DoubleVector ka = DoubleVector.fromArray(S, powX, a * V).mul(2.0);
                for (int b = 0; b < q - a; b++, at += V) {
                    ka.fma(DoubleVector.fromArray(S, powY, b * V), DoubleVector.fromArray(S, kl, at)).intoArray(kl, at);
                }
            }
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
                skk += f2x[a] * lanes(kk, a * V);
                sll += f2y[a] * lanes(ll, a * V);
                double inner = 0;
                int at = crossIndex(a);
                for (int b = q - a - 1; b >= 0; b--) inner += fy[b] * lanes(kl, at + b * V);
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
            return (a * q - a * (a - 1) / 2) * V;
        }

        private static double lanes(double[] a, int at) {
            double s = 0;
            for (int t = 0; t < V; t++) s += a[at + t];
            return s;
        }
    }
}
