package dev.repsim.measure;

import java.util.List;

/**
 * The workload size n at which one backend (or machine) overtakes another, from the speed ratio A/B measured
 * at several n and its 95 % CI. Between the two measured sizes where the ratio passes 1, log ratio is
 * interpolated linearly in log n; the interval is where the CI's bound curves pass 1 the same way, so it
 * widens when the ratios are uncertain and is open-ended when a bound never passes 1 inside the measured range.
 */
public final class Crossover {
    private Crossover() {}

    /** Speed ratio of A over B at n (above 1: A faster), with its 95 % CI (NaN when unknown). */
    public record Point(int n, double ratio, double low, double high) {}

    /** The crossover n (NaN when the ratio never passes 1), its interval ends (±infinity: outside the measured range). */
    public record Estimate(double n, double low, double high) {}

    /** The first crossing in the direction the ratio starts from (A slower first: A overtakes B, else B overtakes A). */
    public static Estimate estimate(List<Point> points) {
        List<Point> pts = points.stream().filter(p -> Double.isFinite(p.ratio()) && p.ratio() > 0).toList();
        if (pts.isEmpty()) return new Estimate(Double.NaN, Double.NaN, Double.NaN);
        boolean up = pts.get(0).ratio() < 1;
        int k = pts.size();
        double[] n = new double[k], mid = new double[k], upper = new double[k], lower = new double[k];
        for (int i = 0; i < k; i++) {
            Point p = pts.get(i);
            n[i] = p.n();
            // work on a curve that rises through 1: the ratio itself, or its reciprocal
            mid[i] = up ? p.ratio() : 1 / p.ratio();
            upper[i] = up ? p.high() : 1 / p.low();
            lower[i] = up ? p.low() : 1 / p.high();
        }
        double at = rise(n, mid);
        double lo = rise(n, upper), hi = rise(n, lower);
        return new Estimate(Double.isInfinite(at) ? Double.NaN : at, Math.min(lo, hi), Math.max(lo, hi));
    }

    /** "n ≈ X (95 %: L–H): B faster below, A above", or which is faster at every measured n. */
    public static String describe(List<Point> points, String a, String b) {
        List<Point> pts = points.stream().filter(p -> Double.isFinite(p.ratio()) && p.ratio() > 0).toList();
        if (pts.isEmpty()) return "not measured";
        int first = pts.get(0).n(), last = pts.get(pts.size() - 1).n();
        boolean up = pts.get(0).ratio() < 1;
        String early = up ? b : a, late = up ? a : b;
        Estimate e = estimate(pts);
        boolean known = pts.stream().allMatch(p -> Double.isFinite(p.low()) && Double.isFinite(p.high()));
        if (Double.isNaN(e.n())) {
            String text = early + " faster at every measured n (" + range(first, last) + ")";
            if (!known) return text + "; no interval (too few samples)";
            if (e.low() != Double.POSITIVE_INFINITY) text += "; the 95 % CIs do not exclude " + late + " being as fast from " + bound(e.low(), first, last);
            return text;
        }
        String interval = !known || Double.isNaN(e.low()) ? "no interval (too few samples)"
                : "95 % interval " + bound(e.low(), first, last) + " to " + bound(e.high(), first, last);
        return "n ≈ " + Math.round(e.n()) + " (" + interval + "): " + early + " faster below, " + late + " above";
    }

    private static String range(int first, int last) {
        return first == last ? "n=" + first : "n=" + first + "–" + last;
    }

    private static String bound(double v, int first, int last) {
        if (v == Double.NEGATIVE_INFINITY) return "n ≤ " + first;
        if (v == Double.POSITIVE_INFINITY) return "n > " + last;
        if (Double.isNaN(v)) return "unknown";
        return "n ≈ " + Math.round(v);
    }

    /**
     * The first n where curve v passes from below 1 to 1 or above, log-log interpolated; -infinity when it is
     * at or above 1 at the first n, +infinity when it never gets there, NaN when a needed value is unknown.
     */
    static double rise(double[] n, double[] v) {
        if (Double.isNaN(v[0])) return Double.NaN;
        if (v[0] >= 1) return Double.NEGATIVE_INFINITY;
        for (int i = 1; i < n.length; i++) {
            if (Double.isNaN(v[i])) return Double.NaN;
            if (v[i] >= 1) {
                double l0 = Math.log(v[i - 1]), l1 = Math.log(v[i]);
                double t = -l0 / (l1 - l0);
                return Math.exp(Math.log(n[i - 1]) + t * (Math.log(n[i]) - Math.log(n[i - 1])));
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
