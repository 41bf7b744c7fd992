package dev.repsim.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The measurements of one benchmark cell, grouped by fork (one group per JVM fork or process run: samples
 * inside a fork share its JIT decisions, heap layout and machine state, so forks are the independent units).
 * Values are in one unit for the whole set (e.g. operations per second).
 */
public record Samples(List<double[]> forks) {

    public Samples {
        if (forks.isEmpty()) throw new IllegalArgumentException("no forks");
        List<double[]> copy = new ArrayList<>();
        for (double[] f : forks) {
            if (f.length == 0) throw new IllegalArgumentException("a fork without samples");
            for (double v : f) if (!Double.isFinite(v)) throw new IllegalArgumentException("sample " + v + " is not finite");
            copy.add(f.clone());
        }
        forks = List.copyOf(copy);
    }

    /** Samples of one fork (or ungrouped samples). */
    public static Samples of(double... values) {
        return new Samples(List.<double[]>of(values));
    }

    /** This set and another's forks together (the same cell measured in several runs). */
    public Samples with(Samples other) {
        List<double[]> all = new ArrayList<>(forks);
        all.addAll(other.forks);
        return new Samples(all);
    }

    /** All samples of all forks, in fork order. */
    public double[] pooled() {
        double[] out = new double[count()];
        int k = 0;
        for (double[] f : forks) {
            System.arraycopy(f, 0, out, k, f.length);
            k += f.length;
        }
        return out;
    }

    public int count() {
        return forks.stream().mapToInt(f -> f.length).sum();
    }

    public int forkCount() {
        return forks.size();
    }

    /** The natural logarithm of each fork's median: the independent observations the intervals and tests use. */
    public double[] logForkMedians() {
        double[] out = new double[forks.size()];
        for (int i = 0; i < out.length; i++) out[i] = Math.log(median(forks.get(i).clone()));
        return out;
    }

    public double median() {
        return median(pooled());
    }

    /**
     * The largest fork's median over the smallest fork's (1 with one fork): how far the runs of one cell
     * moved apart, e.g. with the host's state between rounds. NaN where a fork's median is not positive.
     */
    public double forkSpread() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] f : forks) {
            double m = median(f.clone());
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        return lo > 0 ? hi / lo : Double.NaN;
    }

    /** Coefficient of variation of the pooled samples (sample standard deviation over mean); NaN below 2 samples. */
    public double cv() {
        double[] v = pooled();
        if (v.length < 2) return Double.NaN;
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return Math.sqrt(ss / (v.length - 1)) / Math.abs(mean);
    }

    /** Median of values (the array is sorted in place). */
    static double median(double[] v) {
        Arrays.sort(v);
        int k = v.length;
        return k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
    }
}
