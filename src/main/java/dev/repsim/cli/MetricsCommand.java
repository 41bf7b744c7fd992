package dev.repsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.backend.Backend;
import dev.repsim.backend.AutoBackend;
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
        description = "Similarity of two representations (rows = the same samples): CKA, CCA, Procrustes, subspace, RSA, distance and neighbour measures.")
public final class MetricsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "X.npy", description = "First representation, n x dx (float32/float64 .npy).")
    String xArg;

    @Parameters(index = "1", paramLabel = "Y.npy", description = "Second representation, n x dy.")
    String yArg;

    /** X and Y as paths; with --spark they may also be URIs of Parquet tables, passed on as written (a Path would fold "//"). */
    private Path x, y;

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

    @Option(names = "--gulp-lambda", defaultValue = "0.01", description = "Ridge lambda of gulp on unit-total-variance data; 0 = least squares (default: ${DEFAULT-VALUE}).")
    double gulpLambda;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per row for jaccard-knn, mutual-knn, cknna, rank-similarity and second-order-cosine (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--rdm", defaultValue = "correlation", description = "RDM of rsa: correlation (1 - Pearson r of two rows) or euclidean (default: ${DEFAULT-VALUE}).")
    String rdm;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for shuffling and sampled estimates (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", description = "Compute each metric R times after one warm-up; report the median time.")
    int repeat;

    @Option(names = "--stream", description = "Read X and Y in row blocks (only the metrics computed from covariances: linear-cka, the CCA family, procrustes, ...); automatic when they do not fit in memory.")
    boolean stream;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run on Apache Spark (e.g. local[2], spark://host:7077, yarn): "
            + "the metrics computed from co-moments (as with --stream) from statistics reduced on the executors; rbf-cka, rbf-cka-debiased, "
            + "jaccard-knn and mutual-knn by blocked all-pairs tasks; linear-cka-debiased and minibatch-cka by row blocks. X and Y may then also be folders of .npy "
            + "shards or (co-moment metrics only) Parquet tables of rows (see docs/spark.md).")
    String spark;

    @Option(names = "--spark-pairs-limit", paramLabel = "ROWS", defaultValue = "2000000", description = "With --spark: above this many rows "
            + "rbf-cka and rbf-cka-debiased are the minibatch estimate (--batch-size) instead of exact all pairs, and the neighbour measures are refused "
            + "(default: ${DEFAULT-VALUE}).")
    long sparkPairsLimit;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark setting for --spark (repeatable).")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--partitions", defaultValue = "0", description = "Row partitions with --spark (default: the cluster's parallelism).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        x = Path.of(xArg);
        y = Path.of(yArg);
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
            opts = new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, gulpLambda, k, Rdm.parse(rdm));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        SparkMode.checkOptions(spark, sparkConf, partitions);
        if (spark != null) return onSpark(list, p, opts);

        Npy.Header hx = Npy.header(x);
        Npy.Header hy = Npy.header(y);
        Npy.requireFloat2d(hx);
        Npy.requireFloat2d(hy);
        if (hx.rows() != hy.rows()) {
            throw new InputException(y, "has " + hy.rows() + " rows but " + x + " has " + hx.rows() + " (X and Y must hold the same samples)");
        }
        long n = hx.rows();
        Map<String, String> skipped = new LinkedHashMap<>();
        if (metrics.strip().equalsIgnoreCase("all") && hx.cols() != hy.cols()) {
            // 'all' means every metric defined for these shapes; the ones left out are reported, not dropped silently.
            for (Metric m : list) {
                if (m.needsEqualWidths()) skipped.put(m.label(), "needs X and Y of equal widths: dx=" + hx.cols() + ", dy=" + hy.cols());
            }
            list = list.stream().filter(m -> !m.needsEqualWidths()).toList();
        }
        for (Metric m : list) {
            if (n < m.minSamples()) throw new InputException(x, "has n=" + n + " samples; " + m.label() + " needs at least " + m.minSamples());
            try {
                Similarity.checkShape(m, n, (int) hx.cols(), (int) hy.cols(), opts);
            } catch (IllegalArgumentException e) {
                throw new InputException(x, e.getMessage());
            }
        }
        boolean allStreamable = list.stream().allMatch(Similarity::isStreamable);
        long bytes = 8 * n * (hx.cols() + hy.cols());
        boolean useStream = allStreamable && (stream || bytes > Runtime.getRuntime().maxMemory() / 3);
        if (stream && !allStreamable) {
            throw new InputException("--stream: only the metrics computed from covariances can stream; not "
                    + list.stream().filter(m -> !Similarity.isStreamable(m)).map(Metric::label).toList());
        }

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> timings = new LinkedHashMap<>();
        double[] correlations = null;
        Map<String, Object> picks = new LinkedHashMap<>();
        try (Backend b = Backends.open(backend, device)) {
            out.put("n", n);
            out.put("dx", hx.cols());
            out.put("dy", hy.cols());
            out.put("backend", b.name());
            out.put("precision", p.label());
            if (useStream) {
                // No warm-up pass here: re-reading inputs larger than memory would double the I/O.
                long t0 = System.nanoTime();
                CrossCovariance stats = reduce(hx, hy, p, b);
                timings.put("streaming-reduce", (System.nanoTime() - t0) / 1e6);
                correlations = fromStatistics(stats, list, p, b, opts, values, timings);
            } else {
                Matrix mx = Similarity.read(x, p);
                Matrix my = Similarity.read(y, p);
                for (Metric m : list) {
                    double[] v = new double[1];
                    timings.put(m.label(), timeMedian(() -> v[0] = Similarity.compute(m, mx, my, b, opts), repeat, b, timings, m.label()));
                    values.put(m.label(), v[0]);
                }
                if (list.stream().anyMatch(Metric::isCca)) correlations = Similarity.ccaCorrelations(mx, my, b, opts);
            }
            if (b instanceof AutoBackend a) {
                // auto on a CPU: which backend each metric ran on and why; "backend" names it when they agree
                java.util.Set<String> used = new java.util.TreeSet<>();
                a.picks().forEach((m, c) -> {
                    if (!values.containsKey(m)) return;
                    picks.put(m, c.toJson());
                    used.add(c.backend());
                });
                if (used.size() == 1) out.put("backend", used.iterator().next());
                out.put("backend_picks", picks);
            }
        } catch (OutOfMemoryError e) {
            throw new InputException("not enough memory for " + x + " and " + y + " (" + n + " rows, " + hx.cols() + "+" + hy.cols()
                    + " columns); raise the heap, e.g. REPSIM_JAVA_OPTS=-Xmx16g");
        } catch (ArithmeticException | IllegalArgumentException e) { // undefined for these inputs, or refused by a metric
            throw new InputException(x + ", " + y + ": " + e.getMessage());
        }
        emit(out, values, timings, correlations, list, skipped);
        return 0;
    }

    /**
     * {@code --spark}: the statistics of X and Y reduced on Spark, then every metric from them on this
     * machine as in the streaming path (only the streamable metrics: the others need all pairs of rows).
     */
    private int onSpark(List<Metric> list, Precision p, MetricOptions opts) throws Exception {
        List<Metric> other = list.stream().filter(m -> !Similarity.isStreamable(m) && !SparkMode.GRAM_METRICS.contains(m)).toList();
        if (!other.isEmpty()) {
            throw new InputException("--spark: runs the metrics computed from the co-moments (linear-cka, the CCA family and "
                    + "the co-moment measures of --stream) and " + SparkMode.GRAM_METRICS.stream().map(Metric::label).toList()
                    + "; not " + other.stream().map(Metric::label).toList());
        }
        if (stream) throw new InputException("--stream: not with --spark (Spark always reads X and Y in row partitions)");
        if (backend.equals("opencl") || device != null) {
            throw new InputException("--spark: the executors run the java or blas backend (auto, java or blas), not " + backend);
        }
        if (sparkPairsLimit < 1) throw new InputException("--spark-pairs-limit must be at least 1, got " + sparkPairsLimit);
        List<Metric> coMoments = list.stream().filter(Similarity::isStreamable).toList();
        List<Metric> pairwise = list.stream().filter(SparkMode.GRAM_METRICS::contains).toList();
        java.util.Map<String, String> conf = SparkMode.parseConf(sparkConf);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> timings = new LinkedHashMap<>();
        Map<String, Object> job = new LinkedHashMap<>();
        double[] correlations = null;
        try (Backend b = Backends.open(backend, null)) {
            out.put("backend", b.name());
            out.put("precision", p.label());
            if (!coMoments.isEmpty()) {
                long t0 = System.nanoTime();
                SparkMode.Reduction r = SparkMode.load().covariance(spark, conf, xArg, yArg, p, backend, partitions);
                timings.put("spark-reduce", (System.nanoTime() - t0) / 1e6);
                CrossCovariance c = r.stats();
                out.put("n", c.n());
                out.put("dx", c.dx());
                out.put("dy", c.dy());
                job.put("master", r.master());
                job.put("partitions", r.partitions());
                job.put("executors", r.executors());
                for (Metric m : coMoments) SparkMode.checkSamples(xArg, m, c.n(), c.dx(), c.dy(), opts);
                correlations = fromStatistics(c, coMoments, p, b, opts, values, timings);
            }
            if (!pairwise.isEmpty()) {
                long t0 = System.nanoTime();
                SparkMode.GramResult g = SparkMode.load().gram(spark, conf, xArg, yArg, p, backend, partitions, pairwise, opts, sparkPairsLimit);
                timings.put("spark-pairs", (System.nanoTime() - t0) / 1e6);
                out.put("n", g.n());
                out.put("dx", g.dx());
                out.put("dy", g.dy());
                job.put("master", g.master());
                job.put("partitions", g.blocks());
                job.put("executors", g.executors());
                job.put("route", g.route());
                job.put("pairs_limit", sparkPairsLimit);
                g.values().forEach((m, v) -> values.put(m.label(), v));
            }
        } catch (ArithmeticException e) {
            throw new InputException(x + ", " + y + ": " + e.getMessage());
        }
        out.put("spark", job);
        // the values in the order asked, whichever job computed them
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Metric m : list) ordered.put(m.label(), values.get(m.label()));
        values.clear();
        values.putAll(ordered);
        emit(out, values, timings, correlations, list, Map.of());
        return 0;
    }

    /** Every metric from the statistics (timed as {@link #timeMedian}); the canonical correlations when a CCA metric is asked. */
    private double[] fromStatistics(CrossCovariance stats, List<Metric> list, Precision p, Backend b, MetricOptions opts,
                                    Map<String, Object> values, Map<String, Object> timings) {
        for (Metric m : list) {
            double[] v = new double[1];
            timings.put(m.label(), timeMedian(() -> v[0] = Similarity.fromCovariance(m, stats, p, b, opts), repeat, b, timings, m.label()));
            values.put(m.label(), v[0]);
        }
        return list.stream().anyMatch(Metric::isCca) ? Cca.correlations(Cca.Covariances.of(stats), ccaRidge, p, b) : null;
    }

    /** Prints the result as JSON or a table; a non-finite value is a bug, never printed as a result. */
    private void emit(Map<String, Object> out, Map<String, Object> values, Map<String, Object> timings, double[] correlations,
                      List<Metric> list, Map<String, String> skipped) throws Exception {
        for (var e : values.entrySet()) {
            double v = (Double) e.getValue();
            if (!Double.isFinite(v)) throw new IllegalStateException(e.getKey() + " evaluated to " + v + " (a bug: please report the inputs)");
        }
        out.put("metrics", values);
        Map<String, String> asymmetric = asymmetric(list, ((Number) out.get("dx")).longValue(), ((Number) out.get("dy")).longValue());
        if (!asymmetric.isEmpty()) out.put("asymmetric", asymmetric);
        if (!skipped.isEmpty()) out.put("skipped", skipped);
        if (correlations != null) out.put("cca-correlations", correlations);
        out.put("timings_ms", timings);
        if (json) {
            ObjectMapper om = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(om.writeValueAsString(out));
        } else {
            printTable(out, values, timings, correlations);
            asymmetric.forEach((k, v) -> System.out.println(k + ": " + v));
            skipped.forEach((k, v) -> System.out.println(k + ": skipped, " + v));
        }
    }

    /** The metrics of the list whose value changes when X and Y are exchanged, each with what its order means. */
    static Map<String, String> asymmetric(List<Metric> list, long dx, long dy) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Metric m : list) {
            if (Similarity.isSymmetric(m, (int) dx, (int) dy)) continue;
            out.put(m.label(), switch (m) {
                case LINEAR_REGRESSION -> "asymmetric: Y predicted from X (exchange the files for the other direction)";
                case PWCCA -> "asymmetric at equal widths: weighted by X's canonical variates (exchange the files for Y's)";
                default -> "asymmetric: the value for (Y, X) can differ (exchange the files for the other order)";
            });
        }
        return out;
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
