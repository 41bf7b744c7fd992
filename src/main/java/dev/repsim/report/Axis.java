package dev.repsim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a chart: the data range mapped onto a pixel range, linear or base-10 logarithmic, with
 * "nice" tick values (1, 2, 5 × 10^k steps for linear axes, powers of ten for log axes).
 */
final class Axis {
    final double lo, hi;
    final boolean log;
    private final double p0, p1;

    private Axis(double lo, double hi, boolean log, double p0, double p1) {
        this.lo = lo;
        this.hi = hi;
        this.log = log;
        this.p0 = p0;
        this.p1 = p1;
    }

    /** An axis covering [min, max] of the data, padded a little, onto pixels p0 → p1. */
    static Axis covering(double min, double max, boolean log, boolean fromZero, double p0, double p1) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) throw new IllegalArgumentException("axis over non-finite data [" + min + ", " + max + "]");
        if (log) {
            if (!(min > 0)) throw new IllegalArgumentException("log axis over non-positive data " + min);
            double a = Math.floor(Math.log10(min)), b = Math.ceil(Math.log10(max));
            if (b == a) b = a + 1;
            return new Axis(Math.pow(10, a), Math.pow(10, b), true, p0, p1);
        }
        double a = fromZero ? Math.min(0, min) : min, b = max;
        if (b == a) { a -= 0.5; b += 0.5; }
        double pad = (b - a) * 0.06;
        return new Axis(fromZero && a == 0 ? 0 : a - pad, b + pad, false, p0, p1);
    }

    double pixel(double v) {
        double t = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return p0 + t * (p1 - p0);
    }

    List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        if (log) {
            for (double v = lo; v <= hi * 1.0001; v *= 10) t.add(v);
            return t;
        }
        double raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        return t;
    }

    static String label(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1e6 || a < 1e-3) return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1) return trim(String.format(Locale.ROOT, "%.2f", v));
        return trim(String.format(Locale.ROOT, "%.3f", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
