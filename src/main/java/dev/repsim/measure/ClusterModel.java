package dev.repsim.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * Time of one Spark job on W one-core workers as a function of its work u, fitted to benchmark runs
 * ({@code spark/bench.sh}): t = c + u·(a + b/W), a, b, c ≥ 0 (Amdahl's law per unit of work: the part a
 * does not shrink with more workers, the part b is shared among them; c is the fixed start). The fixed
 * start c is fitted only when the runs cover two sizes or more: from one size it cannot be told from
 * u·a. The fit is {@link RelativeFit}'s (relative error, leave-one-out interval), so runs repeated at one
 * size and worker count (other partition counts included) widen the interval by their spread. With a
 * second worker measured no faster than one, b comes out 0 and the model predicts no gain from more workers.
 */
public final class ClusterModel {

    /** One benchmark run: workers, work units and seconds. */
    public record Run(int workers, double work, double seconds) {}

    /**
     * Seconds with the 95 % interval (NaN bounds from a single run), the speedup t(1 worker)/t(W) at this
     * work, and whether W or the work lies outside the measured runs.
     */
    public record Prediction(double seconds, double low, double high, double speedup, boolean extrapolated) {}

    private final List<Run> runs;
    private final boolean fixedStart;
    private final double[] coefficients;
    private final double[] looLogErrors;

    private ClusterModel(List<Run> runs) {
        this.runs = List.copyOf(runs);
        this.fixedStart = runs.stream().mapToDouble(Run::work).distinct().count() > 1;
        List<double[]> terms = new ArrayList<>();
        for (Run r : runs) terms.add(terms(r.workers(), r.work()));
        double[] seconds = runs.stream().mapToDouble(Run::seconds).toArray();
        this.coefficients = RelativeFit.coefficients(terms, seconds);
        this.looLogErrors = RelativeFit.looLogErrors(terms, seconds);
    }

    /** Fits the runs; they must have positive finite values and at least two worker counts (else the scaling is unknown). */
    public static ClusterModel fit(List<Run> runs) {
        for (Run r : runs) {
            if (r.workers() < 1 || !(r.work() > 0) || !(r.seconds() > 0) || !Double.isFinite(r.work()) || !Double.isFinite(r.seconds())) {
                throw new IllegalArgumentException("run " + r + " cannot be fitted");
            }
        }
        if (runs.stream().mapToInt(Run::workers).distinct().count() < 2) {
            throw new IllegalArgumentException("runs at one worker count do not tell how the time scales with workers");
        }
        return new ClusterModel(runs);
    }

    private double[] terms(int workers, double work) {
        return fixedStart ? new double[]{1, work, work / workers} : new double[]{work, work / workers};
    }

    public Prediction predict(int workers, double work) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        double t = RelativeFit.dot(coefficients, terms(workers, work));
        double[] ci = RelativeFit.interval(t, looLogErrors);
        double one = RelativeFit.dot(coefficients, terms(1, work));
        return new Prediction(t, ci[0], ci[1], one / t, outside(workers, work));
    }

    /** True when the worker count or the work lies outside the measured runs' range. */
    public boolean outside(int workers, double work) {
        int wMin = runs.stream().mapToInt(Run::workers).min().orElseThrow(), wMax = runs.stream().mapToInt(Run::workers).max().orElseThrow();
        double uMin = runs.stream().mapToDouble(Run::work).min().orElseThrow(), uMax = runs.stream().mapToDouble(Run::work).max().orElseThrow();
        return workers < wMin || workers > wMax || work < uMin || work > uMax;
    }

    /** Coefficients of (1 when the fixed start is fitted,) u and u/W. */
    public double[] coefficients() { return coefficients.clone(); }

    public boolean fitsFixedStart() { return fixedStart; }

    public List<Run> runs() { return runs; }
}
