package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The median of all n² entries of the squared-distance matrix, diagonal zeros included (as NumPy's
 * {@code np.median} over the full matrix in Kornblith et al.'s code; for even n² it is the mean of the
 * two middle values). Used for the RBF bandwidth σ² = s²·median.
 *
 * <p>Exact for n ≤ {@value #EXACT_LIMIT}, without storing the n² distances: the values are the float64
 * direct-form distances Σ_k (x_ik − x_jk)² (for float32 rows, of their float64 values) summed in the
 * canonical order of {@link FixedOrderSums}, so the median has the same bits on every machine. A seeded
 * sample of pairs brackets the median in a narrow window; one float32-screened pass over Gram tiles
 * ({@link ScreenedMedian}) counts the entries below the window and keeps those inside it with a
 * rigorous error bound, computing only the undecided few in float64; if the two middle ranks fall
 * inside, the answer is exact. (If the sample was unlucky, float64 passes narrow a value-range
 * histogram until the bucket holding each rank is small enough to collect, then a screened pass around
 * it makes the value exact: just slower.) Up to {@value #SMALL} entries every pair's direct-form distance
 * is computed and sorted. Above the limit the median of
 * {@value #SAMPLE_PAIRS} seeded uniform pairs (i, j) is returned: its relative standard error is about
 * 1/(2 f(m) m √pairs), about 2·10⁻³ for smooth distance distributions.
 */
final class MedianDistance {
    static final int EXACT_LIMIT = 20_000;
    static final int SAMPLE_PAIRS = 1 << 20;
    /**
     * Sample size for the bracketing window of the exact path. Each sampled pair reads two random rows
     * (memory-bound: 2¹⁶ pairs of 768-wide rows took about as long as the screened Gram pass); 2¹⁴ pairs
     * give a window of ±2 % of the ranks, whose extra kept pairs cost far less to classify.
     */
    static final int WINDOW_SAMPLE = 1 << 14;
    /** Half-width of the window in standard errors of the sample quantile. */
    private static final double WINDOW_SIGMAS = 5.0;
    /** Most values one collecting pass keeps (128 MiB). */
    private static final long COLLECT_LIMIT = 16L << 20;
    private static final int HISTOGRAM_BUCKETS = 1 << 16;
    /** Up to this many entries (n ≤ 1024) every pair is computed directly: cheaper than sampling a window. */
    private static final long SMALL = 1L << 20;

    private MedianDistance() {}

    static double of(Matrix xc, Backend backend, long seed) {
        int n = xc.rows();
        if (n > EXACT_LIMIT) return sampledMedian(xc, SAMPLE_PAIRS, seed);
        // The median of the float64 direct-form distances, whatever the input precision.
        Matrix x = xc.to(Precision.F64);
        if ((long) n * n <= SMALL) return allPairs(x);
        ScreenedMedian screen = ScreenedMedian.prepare(x);
        // null: no columns or all values zero (every distance is 0), or d too wide for the float32 bound.
        if (screen == null) return x.cols() == 0 || allZero(x) ? 0.0 : allPairs(x);
        double[] w = window(x, seed);
        return screened(screen, x, backend, w[0], w[1]);
    }

    /**
     * The exact median by one float32-screened pass over window [lo, hi) ({@link ScreenedMedian}). If
     * a middle rank falls outside the window or the window holds too many pairs, the float64 histogram
     * {@link #select} locates each rank's value on the expanded-form distances; a second screened pass
     * over a window that covers those values plus the expansion's rounding error (relative ~d·2⁻⁵²
     * to the largest row norm) then gives the exact direct-form values. Only if that window misses too
     * (it cannot unless the bound on the backend's float64 expansion fails, or ties overflow the
     * collect limit) are the expanded-form values returned, as before this screening existed.
     */
    static double screened(ScreenedMedian screen, Matrix x, Backend backend, double lo, double hi) {
        long total = (long) x.rows() * x.rows();
        long rLo = (total - 1) / 2, rHi = total / 2;
        double[] v = screen.ranks(backend, lo, hi, rLo, rHi);
        if (v != null) return 0.5 * (v[0] + v[1]);
        DistanceTiles tiles = new DistanceTiles(x, backend, DistanceTiles.TILE);
        double a = select(tiles, rLo), b = rHi == rLo ? a : select(tiles, rHi);
        if (!Double.isFinite(a) || !Double.isFinite(b)) return 0.5 * (a + b);
        double slack = 16.0 * (x.cols() + 4) * 0x1p-52 * screen.maxNorm();
        v = screen.ranks(backend, Math.max(0, a - slack), Math.nextUp(b + slack), rLo, rHi);
        return v != null ? 0.5 * (v[0] + v[1]) : 0.5 * (a + b);
    }

    /**
     * Brackets the median with sample quantiles 0.5 ± 5σ, σ = √(0.25/m) of m sampled pairs: the
     * median falls outside with odds ~1e-6 (and then the exact fallbacks run).
     */
    static double[] window(Matrix xc, long seed) {
        return window(samplePairs(xc, WINDOW_SAMPLE, seed), 1);
    }

    /**
     * The window of a sample of pair distances (sorted here, in place), {@code widen} times the usual
     * half-width: the whole range [0, ∞) once that reaches the extreme quantiles.
     */
    static double[] window(double[] sample, double widen) {
        Arrays.sort(sample);
        double halfWidth = widen * WINDOW_SIGMAS * Math.sqrt(0.25 / sample.length);
        if (halfWidth >= 0.5) return new double[]{0.0, Double.POSITIVE_INFINITY};
        return new double[]{quantile(sample, 0.5 - halfWidth), Math.nextUp(quantile(sample, 0.5 + halfWidth))};
    }

    /** The expected share of all pairs that fall inside a {@link #window} (twice its quantile half-width). */
    static double windowShare() {
        return 2 * WINDOW_SIGMAS * Math.sqrt(0.25 / WINDOW_SAMPLE);
    }

    private static boolean allZero(Matrix x) {
        for (double v : x.f64()) if (v != 0) return false;
        return true;
    }

    /**
     * The median by computing every pair's direct-form distance: n zeros on the diagonal and each pair
     * i &lt; j twice. Rows are split among the cores, each row writing its own slots, so the values do
     * not depend on the thread count.
     */
    static double allPairs(Matrix x64) {
        int n = x64.rows(), d = x64.cols();
        double[] x = x64.f64();
        double[] pair = new double[n * (n - 1) / 2];
        IntStream.range(0, n).parallel().forEach(i -> {
            int o = i * (2 * n - i - 1) / 2 - i - 1; // slot of (i, j) is o + j
            for (int j = i + 1; j < n; j++) pair[o + j] = direct(x, i * d, j * d, d);
        });
        Arrays.sort(pair);
        long total = (long) n * n;
        return 0.5 * (entry(pair, n, (total - 1) / 2) + entry(pair, n, total / 2));
    }

    /** The value of 0-based rank r among all n² entries: n zeros, then each sorted pair value twice. */
    private static double entry(double[] sortedPairs, int n, long r) {
        return r < n ? 0.0 : sortedPairs[(int) ((r - n) / 2)];
    }

    /**
     * The value of the given 0-based rank among all n² entries, by narrowing a value range with
     * histogram passes until the bucket holding the rank is small enough to collect.
     */
    private static double select(DistanceTiles tiles, long rank) {
        double lo = 0, hi = Double.POSITIVE_INFINITY;
        long below = 0;
        while (true) {
            Window all = countWindow(tiles, lo, hi, false);
            if (all.inside <= COLLECT_LIMIT) {
                Window c = countWindow(tiles, lo, hi, true);
                return c.values[(int) (rank - below)];
            }
            double[] edges = all.max > all.min ? linearEdges(all.min, Math.nextUp(all.max)) : null;
            if (edges == null) return all.min; // every entry in range is the same value
            long[] counts = histogram(tiles, edges);
            long acc = below;
            int k = 0;
            while (acc + counts[k] <= rank) acc += counts[k++];
            lo = edges[k];
            hi = edges[k + 1];
            below = acc;
        }
    }

    private record Window(long below, long inside, double[] values, double min, double max) {
        /** Whether the collected window holds the value of this rank. */
        boolean holds(long rank) {
            return values != null && below <= rank && rank < below + inside;
        }
    }

    /** One pass: entries below lo, entries in [lo, hi) (and their sorted values if asked and few enough). */
    private static Window countWindow(DistanceTiles tiles, double lo, double hi, boolean collect) {
        long below = 0, inside = 0;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        double[] buf = collect ? new double[1024] : null;
        int used = 0;
        boolean overflow = false;
        for (int i = 0; i < tiles.blockCount(); i++) {
            for (int j = i; j < tiles.blockCount(); j++) {
                double[] d = tiles.tile(i, j);
                int mult = i == j ? 1 : 2;
                for (double v : d) {
                    if (v < lo) {
                        below += mult;
                    } else if (v < hi) {
                        inside += mult;
                        if (v < min) min = v;
                        if (v > max) max = v;
                        if (collect && !overflow) {
                            if (used + 2 > buf.length) {
                                if (buf.length >= COLLECT_LIMIT) {
                                    overflow = true;
                                    continue;
                                }
                                buf = Arrays.copyOf(buf, (int) Math.min(COLLECT_LIMIT, 2L * buf.length));
                                if (used + 2 > buf.length) {
                                    overflow = true;
                                    continue;
                                }
                            }
                            buf[used++] = v;
                            if (mult == 2) buf[used++] = v;
                        }
                    }
                }
            }
        }
        double[] values = null;
        if (collect && !overflow) {
            values = Arrays.copyOf(buf, used);
            Arrays.sort(values);
        }
        return new Window(below, inside, values, min, max);
    }

    private static double[] linearEdges(double lo, double hi) {
        double[] e = new double[HISTOGRAM_BUCKETS + 1];
        for (int k = 0; k <= HISTOGRAM_BUCKETS; k++) e[k] = lo + (hi - lo) * k / HISTOGRAM_BUCKETS;
        e[HISTOGRAM_BUCKETS] = hi;
        return e;
    }

    private static long[] histogram(DistanceTiles tiles, double[] edges) {
        long[] counts = new long[edges.length - 1];
        double lo = edges[0], hi = edges[edges.length - 1];
        double scale = (edges.length - 1) / (hi - lo);
        for (int i = 0; i < tiles.blockCount(); i++) {
            for (int j = i; j < tiles.blockCount(); j++) {
                int mult = i == j ? 1 : 2;
                for (double v : tiles.tile(i, j)) {
                    if (v < lo || v >= hi) continue;
                    int k = (int) Math.min(edges.length - 2, (v - lo) * scale);
                    while (k > 0 && v < edges[k]) k--;
                    while (k < edges.length - 2 && v >= edges[k + 1]) k++;
                    counts[k] += mult;
                }
            }
        }
        return counts;
    }

    /** Median of the squared distances of {@code pairs} seeded uniform (i, j) pairs, i = j allowed. */
    static double sampledMedian(Matrix xc, int pairs, long seed) {
        return medianOfSample(samplePairs(xc, pairs, seed));
    }

    /** The median of sampled distances (sorted here, in place). */
    static double medianOfSample(double[] s) {
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    private static double[] samplePairs(Matrix xc, int pairs, long seed) {
        int n = xc.rows(), d = xc.cols();
        long[] packed = pairIndices(n, pairs, seed);
        int[] ii = new int[pairs], jj = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            ii[p] = (int) (packed[p] >>> 32);
            jj[p] = (int) packed[p];
        }
        double[] out = new double[pairs];
        double[] x = xc.to(Precision.F64).f64();
        IntStream.range(0, pairs).parallel().forEach(p -> out[p] = direct(x, ii[p] * d, jj[p] * d, d));
        return out;
    }

    /**
     * The seeded uniform pairs (i, j) of a sample, packed as i·2³² + j and sorted: pairs visited in order
     * of their first row (random rows are memory-bound, so this halves the scatter).
     */
    static long[] pairIndices(int n, int pairs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EEDD15L);
        long[] packed = new long[pairs];
        for (int p = 0; p < pairs; p++) packed[p] = (long) rnd.nextInt(n) << 32 | rnd.nextInt(n);
        Arrays.sort(packed);
        return packed;
    }

    /**
     * Σ_c (x[a + c] − x[b + c])², the direct-form float64 squared distance of two rows, in the canonical
     * order of {@link FixedOrderSums}: the same bits on every machine, so the median built on it is exact.
     */
    static double direct(double[] x, int a, int b, int d) {
        return FixedOrderSums.squaredDistance(x, a, x, b, d);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = Math.max(0, Math.min(1, q)) * (sorted.length - 1);
        return sorted[(int) Math.round(pos)];
    }
}
