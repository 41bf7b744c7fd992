package dev.repsim.measure;

import dev.repsim.report.bench.BenchResult;
import dev.repsim.report.bench.BenchResults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time (and heap allocation) of one kernel on one machine, backend and precision as a function of the
 * workload, fitted to the measured cells from the kernel's {@link WorkTerms} by non-negative least
 * squares in relative error (each row divided by its measured value, i.e. weights 1/t²), so a 50 ms cell
 * and a 50 s cell count alike. Its accuracy is the leave-one-out error: each cell predicted by the model
 * fitted without it. The 95 % interval of a prediction is pred·exp(±q·s), s the root mean square of the
 * LOO log-ratios ln(t/pred) and q Student's 0.975 quantile with as many degrees of freedom as cells:
 * wide when there are few cells, as it should be.
 */
public final class CostModel {

    /** What a model describes: a kernel is a metric label or a GemmBenchmark op. */
    public record Key(String machine, String backend, String kernel, String precision) {}

    /** One measured cell: n rows, d features, seconds per evaluation, heap bytes per evaluation (NaN when not measured). */
    public record Point(int n, int d, double seconds, double bytes) {}

    /**
     * A prediction: seconds with its 95 % interval (NaN bounds when fewer than two cells allow no LOO
     * error), heap bytes allocated per evaluation (NaN when not measured), and whether the workload
     * lies outside the measured n or d range.
     */
    public record Prediction(double seconds, double low, double high, double heapBytes, boolean extrapolated) {}

    private final Key key;
    private final WorkTerms terms;
    private final List<Point> points;
    private final double[] coefficients;
    private final double[] memoryCoefficients;
    private final double[] looLogErrors;

    private CostModel(Key key, WorkTerms terms, List<Point> points) {
        this.key = key;
        this.terms = terms;
        this.points = List.copyOf(points);
        this.coefficients = fitTime(terms, points);
        List<Point> withBytes = points.stream().filter(p -> Double.isFinite(p.bytes()) && p.bytes() > 0).toList();
        this.memoryCoefficients = withBytes.isEmpty() ? null : fitMemory(terms, withBytes);
        this.looLogErrors = RelativeFit.looLogErrors(timeTerms(terms, points), points.stream().mapToDouble(Point::seconds).toArray());
    }

    /** Fits one model; the points must be finite and positive. */
    public static CostModel fit(Key key, WorkTerms terms, List<Point> points) {
        if (points.isEmpty()) throw new IllegalArgumentException("no cells to fit " + key);
        for (Point p : points) {
            if (!(p.seconds() > 0) || !Double.isFinite(p.seconds()) || p.n() < 1 || p.d() < 1) {
                throw new IllegalArgumentException("cell " + p + " of " + key + " cannot be fitted");
            }
        }
        return new CostModel(key, terms, points);
    }

    /** A model per (machine, backend, kernel, precision) with cells, in machine, kernel, backend order. */
    public static List<CostModel> fitAll(List<BenchResults.Machine> machines) {
        Map<Key, List<Point>> cells = new LinkedHashMap<>();
        Map<Key, WorkTerms> family = new LinkedHashMap<>();
        for (BenchResults.Machine m : machines) {
            for (BenchResult r : m.results()) {
                String kernel = r.isMetric() ? r.param("metric") : r.isGemm() ? r.param("op") : null;
                WorkTerms t = kernel == null || !r.params().containsKey("d") ? null : WorkTerms.of(kernel);
                if (t == null) continue;
                Key k = new Key(m.id(), r.backend(), kernel, r.precision());
                family.put(k, t);
                cells.computeIfAbsent(k, x -> new ArrayList<>()).add(new Point(r.intParam("n"), r.intParam("d"), r.secondsPerOp(), r.bytesPerOp()));
            }
        }
        List<CostModel> out = new ArrayList<>();
        cells.forEach((k, pts) -> out.add(fit(k, family.get(k), pts)));
        out.sort(Comparator.comparing((CostModel c) -> c.key.machine()).thenComparing(c -> c.key.kernel())
                .thenComparing(c -> c.key.backend()).thenComparing(c -> c.key.precision()));
        return out;
    }

    static double[] fitTime(WorkTerms terms, List<Point> pts) {
        return RelativeFit.coefficients(timeTerms(terms, pts), pts.stream().mapToDouble(Point::seconds).toArray());
    }

    static double[] fitMemory(WorkTerms terms, List<Point> pts) {
        return RelativeFit.coefficients(pts.stream().map(p -> terms.memory(p.n(), p.d(), p.d())).toList(), pts.stream().mapToDouble(Point::bytes).toArray());
    }

    private static List<double[]> timeTerms(WorkTerms terms, List<Point> pts) {
        return pts.stream().map(p -> terms.time(p.n(), p.d(), p.d())).toList();
    }

    public Prediction predict(int n, int dx, int dy) {
        double t = RelativeFit.dot(coefficients, terms.time(n, dx, dy));
        double[] ci = RelativeFit.interval(t, looLogErrors);
        double heap = memoryCoefficients == null ? Double.NaN : RelativeFit.dot(memoryCoefficients, terms.memory(n, dx, dy));
        return new Prediction(t, ci[0], ci[1], heap, outside(n, dx, dy));
    }

    /** True when n or a width lies outside the measured cells' range. */
    public boolean outside(int n, int dx, int dy) {
        int nMin = points.stream().mapToInt(Point::n).min().orElseThrow(), nMax = points.stream().mapToInt(Point::n).max().orElseThrow();
        int dMin = points.stream().mapToInt(Point::d).min().orElseThrow(), dMax = points.stream().mapToInt(Point::d).max().orElseThrow();
        return n < nMin || n > nMax || Math.min(dx, dy) < dMin || Math.max(dx, dy) > dMax;
    }

    public Key key() { return key; }

    public WorkTerms terms() { return terms; }

    public List<Point> points() { return points; }

    /** Time coefficients in seconds per unit of each of {@code terms().names()}. */
    public double[] coefficients() { return coefficients.clone(); }

    /** Heap coefficients in bytes per unit of each of {@code terms().memoryNames()}, or null when no cell measured the heap. */
    public double[] memoryCoefficients() { return memoryCoefficients == null ? null : memoryCoefficients.clone(); }

    /** Leave-one-out relative errors pred/t − 1 of each cell (empty with a single cell). */
    public double[] looRelativeErrors() {
        return Arrays.stream(looLogErrors).map(e -> Math.exp(-e) - 1).toArray();
    }

    /** Median of |LOO relative error|; NaN with a single cell. */
    public double looMedianAbsError() {
        double[] a = Arrays.stream(looRelativeErrors()).map(Math::abs).sorted().toArray();
        if (a.length == 0) return Double.NaN;
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Largest |LOO relative error|; NaN with a single cell. */
    public double looMaxAbsError() {
        return Arrays.stream(looRelativeErrors()).map(Math::abs).max().orElse(Double.NaN);
    }
}
