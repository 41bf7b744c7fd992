package dev.repsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Cca;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.StreamingReducer;
import dev.repsim.metrics.rsa.Rdm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code repsim metrics X.npy Y.npy --metrics ...}: similarity of two representation matrices. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Similarity of two representations (rows = the same samples): CKA, CCA, RSA, distance and neighbour families.")
public final class MetricsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "X.npy", description = "First representation, n x dx (float32/float64 .npy).")
    Path x;

    @Parameters(index = "1", paramLabel = "Y.npy", description = "Second representation, n x dy.")
    Path y;

    @Option(names = "--metrics", required = true, paramLabel = "LIST", completionCandidates = MetricNames.class,
            description = "Comma-separated metrics, or 'all': ${COMPLETION-CANDIDATES}.")
    String metrics;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, java, blas or opencl (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--device", description = "OpenCL device name or index (with --backend opencl).")
    String device;

    @Option(names = "--precision", defaultValue = "f64", description = "Kernel precision: f64 or f32 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--sigma", defaultValue = "0.5", description = "RBF bandwidth factor s: sigma^2 = s^2 * median squared distance (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--sigma-abs", defaultValue = "0", description = "Absolute RBF bandwidth sigma (replaces the median heuristic).")
    double sigmaAbs;

    @Option(names = "--svcca-keep", defaultValue = "0.99", description = "Share of variance SVCCA keeps on each side (default: ${DEFAULT-VALUE}).")
    double svccaKeep;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Minibatch size for minibatch-cka (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--cca-ridge", defaultValue = "0", description = "Ridge lambda added to covariance diagonals (regularised CCA).")
    double ccaRidge;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per row for jaccard-knn, mutual-knn, cknna, rank-similarity and second-order-cosine (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--rdm", defaultValue = "correlation", description = "RDM of rsa: correlation (1 - Pearson r of two rows) or euclidean (default: ${DEFAULT-VALUE}).")
    String rdm;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for shuffling and sampled estimates (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", description = "Compute each metric R times after one warm-up; report the median time.")
    int repeat;

    @Option(names = "--stream", description = "Read X and Y in row blocks (linear-cka and CCA metrics only); automatic when they do not fit in memory.")
    boolean stream;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Metric> list;
        try {
            list = Metric.parseList(metrics);
        } catch (IllegalArgumentException e) {
            throw new InputException("--metrics: " + e.getMessage());
        }
        if (list.isEmpty()) throw new InputException("--metrics: no metric given");
        if (repeat < 1) throw new InputException("--repeat must be at least 1, got " + repeat);
        Precision p;
        try {
            p = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new InputException("--precision: " + e.getMessage());
        }
        MetricOptions opts;
        try {
            opts = new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, k, Rdm.parse(rdm));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }

        Npy.Header hx = Npy.header(x);
        Npy.Header hy = Npy.header(y);
        Npy.requireFloat2d(hx);
        Npy.requireFloat2d(hy);
        if (hx.rows() != hy.rows()) {
            throw new InputException(y, "has " + hy.rows() + " rows but " + x + " has " + hx.rows() + " (X and Y must hold the same samples)");
        }
        long n = hx.rows();
        for (Metric m : list) {
            if (n < m.minSamples()) throw new InputException(x, "has n=" + n + " samples; " + m.label() + " needs at least " + m.minSamples());
            try {
                Similarity.checkCcaSamples(m, n, (int) hx.cols(), (int) hy.cols(), opts);
                Similarity.checkNeighbours(m, n, opts);
            } catch (IllegalArgumentException e) {
                throw new InputException(x, e.getMessage());
            }
        }
        boolean allStreamable = list.stream().allMatch(Similarity::isStreamable);
        long bytes = 8 * n * (hx.cols() + hy.cols());
        boolean useStream = allStreamable && (stream || bytes > Runtime.getRuntime().maxMemory() / 3);
        if (stream && !allStreamable) {
            throw new InputException("--stream: only linear-cka and the CCA metrics can stream; not "
                    + list.stream().filter(m -> !Similarity.isStreamable(m)).map(Metric::label).toList());
        }

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> timings = new LinkedHashMap<>();
        double[] correlations = null;
        try (Backend b = Backends.open(backend, device)) {
            out.put("n", n);
            out.put("dx", hx.cols());
            out.put("dy", hy.cols());
            out.put("backend", b.name());
            out.put("precision", p.label());
            if (useStream) {
                CrossCovariance[] stats = new CrossCovariance[1];
                // No warm-up pass here: re-reading inputs larger than memory would double the I/O.
                long t0 = System.nanoTime();
                stats[0] = reduce(hx, hy, p, b);
                timings.put("streaming-reduce", (System.nanoTime() - t0) / 1e6);
                for (Metric m : list) {
                    double[] v = new double[1];
                    timings.put(m.label(), timeMedian(() -> v[0] = Similarity.fromCovariance(m, stats[0], p, b, opts), repeat, b, timings, m.label()));
                    values.put(m.label(), v[0]);
                }
                if (list.stream().anyMatch(Metric::isCca)) {
                    correlations = Cca.correlations(Cca.Covariances.of(stats[0]), ccaRidge, p, b);
                }
            } else {
                Matrix mx = Npy.readMatrix(x).to(p);
                Matrix my = Npy.readMatrix(y).to(p);
                for (Metric m : list) {
                    double[] v = new double[1];
                    timings.put(m.label(), timeMedian(() -> v[0] = Similarity.compute(m, mx, my, b, opts), repeat, b, timings, m.label()));
                    values.put(m.label(), v[0]);
                }
                if (list.stream().anyMatch(Metric::isCca)) correlations = Similarity.ccaCorrelations(mx, my, b, opts);
            }
        } catch (OutOfMemoryError e) {
            throw new InputException("not enough memory for " + x + " and " + y + " (" + n + " rows, " + hx.cols() + "+" + hy.cols()
                    + " columns); raise the heap, e.g. REPSIM_JAVA_OPTS=-Xmx16g");
        } catch (ArithmeticException e) {
            throw new InputException(x + ", " + y + ": " + e.getMessage());
        }
        for (var e : values.entrySet()) {
            double v = (Double) e.getValue();
            if (!Double.isFinite(v)) throw new IllegalStateException(e.getKey() + " evaluated to " + v + " (a bug: please report the inputs)");
        }
        out.put("metrics", values);
        if (correlations != null) out.put("cca-correlations", correlations);
        out.put("timings_ms", timings);
        if (json) {
            ObjectMapper om = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(om.writeValueAsString(out));
        } else {
            printTable(out, values, timings, correlations);
        }
        return 0;
    }

    private CrossCovariance reduce(Npy.Header hx, Npy.Header hy, Precision p, Backend b) {
        int blockRows = StreamingReducer.blockRows((int) hx.cols(), (int) hy.cols());
        try (Progress progress = new Progress("reading " + x.getFileName() + " + " + y.getFileName(), hx.rows(), "rows")) {
            return StreamingReducer.reduce(x, y, p, b, blockRows, progress::update);
        }
    }

    /**
     * Runs the work once as a warm-up, then {@code repeat} times; returns the median wall time in ms.
     * Backends that move data to a device add the median upload/kernels/download split under
     * {@code "<key>:upload"} etc.
     */
    static double timeMedian(Runnable work, int repeat, Backend b, Map<String, Object> timings, String key) {
        work.run();
        double[] t = new double[repeat];
        Map<String, double[]> split = new LinkedHashMap<>();
        for (int r = 0; r < repeat; r++) {
            b.resetTimings();
            long t0 = System.nanoTime();
            work.run();
            t[r] = (System.nanoTime() - t0) / 1e6;
            for (var e : b.timings().entrySet()) split.computeIfAbsent(e.getKey(), k -> new double[repeat])[r] = e.getValue();
        }
        split.forEach((k, v) -> timings.put(key + ":" + k, median(v)));
        return median(t);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }

    private static void printTable(Map<String, Object> out, Map<String, Object> values, Map<String, Object> timings, double[] rho) {
        System.out.printf(Locale.ROOT, "n=%s dx=%s dy=%s backend=%s precision=%s%n", out.get("n"), out.get("dx"), out.get("dy"),
                out.get("backend"), out.get("precision"));
        System.out.printf(Locale.ROOT, "%-22s %12s %12s%n", "metric", "value", "time (ms)");
        for (var e : values.entrySet()) {
            System.out.printf(Locale.ROOT, "%-22s %12.6f %12.2f%n", e.getKey(), (Double) e.getValue(), (Double) timings.get(e.getKey()));
        }
        if (rho != null) {
            List<String> first = new ArrayList<>();
            for (int i = 0; i < Math.min(8, rho.length); i++) first.add(String.format(Locale.ROOT, "%.4f", rho[i]));
            System.out.println("canonical correlations (" + rho.length + "): " + String.join(" ", first) + (rho.length > 8 ? " ..." : ""));
        }
    }

    /** The metric names for the help text (picocli lists them in place of COMPLETION-CANDIDATES). */
    static final class MetricNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.repsim.metrics.Metric.values()).map(dev.repsim.metrics.Metric::label).iterator();
        }
    }
}
