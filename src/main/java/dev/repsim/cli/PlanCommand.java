package dev.repsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Precision;
import dev.repsim.measure.ClusterPlanner;
import dev.repsim.measure.PlanOutput;
import dev.repsim.measure.Planner;
import dev.repsim.measure.StudyWorkload;
import dev.repsim.measure.Workload;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.Similarity;
import dev.repsim.study.Study;
import dev.repsim.study.StudyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code repsim plan}: predicted time, memory and cost of a workload on every measured machine and backend. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Predicts the time (with a 95 %% interval), memory and cost of a workload on every measured machine and backend, "
                + "from cost models fitted to the benchmark results, ranks them and flags predictions outside the measured range.")
public final class PlanCommand implements Callable<Integer> {

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "Results folder (results/<machine-id>/*.json with machine.json).")
    Path results;

    @Option(names = "--n", paramLabel = "N", description = "Rows of each matrix (images).")
    Integer n;

    @Option(names = "--d", paramLabel = "D", description = "Features of X (and of Y unless --dy).")
    Integer d;

    @Option(names = "--dy", paramLabel = "DY", description = "Features of Y (default: --d).")
    Integer dy;

    @Option(names = "--metrics", paramLabel = "LIST", completionCandidates = MetricsCommand.MetricNames.class,
            description = "Comma-separated metrics, or all (with --study: default the study's metrics).")
    String metrics;

    @Option(names = "--precision", paramLabel = "f64|f32", description = "Precision of the kernels (default: f64, or the study's).")
    String precision;

    @Option(names = "--price", paramLabel = "MACHINE=USD_PER_HOUR", description = "Hourly price of a machine (repeatable).")
    List<String> prices = List.of();

    @Option(names = "--study", paramLabel = "STUDY.yaml", description = "Take n, the model widths and the metrics from a study file: "
            + "all pairs of its variants (per model) and of its models (per variant).")
    Path study;

    @Option(names = "--spark-workers", split = ",", paramLabel = "W[,W...]",
            description = "Also predict the time on a Spark cluster of W one-core workers of each machine kind with Spark benchmark runs "
                    + "(results/<machine>/spark/*.csv): with --n/--d the co-moment reduction of metrics --spark, "
                    + "with --study the embedding stage and the total with the similarity stage on the driver.")
    List<Integer> sparkWorkers = List.of();

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Double> price = prices(prices);
        String prec = precision == null ? null : Precision.parse(precision).label();
        Workload w;
        long embeddings = 0;
        if (study != null) {
            if (n != null || d != null || dy != null) throw new IllegalArgumentException("--study takes n and the widths from the study file: give either --study or --n/--d/--dy");
            Study s = StudyLoader.load(study);
            w = StudyWorkload.of(s, study, prec);
            embeddings = StudyWorkload.embeddings(s);
            if (metrics != null) w = new Workload(Metric.parseList(metrics), w.precision(), w.pairs(), withMetrics(w.description(), metrics));
        } else {
            if (n == null || d == null) throw new IllegalArgumentException("give --n and --d (or --study)");
            if (metrics == null) throw new IllegalArgumentException("give --metrics (or --study)");
            if (n < 1 || d < 1 || (dy != null && dy < 1)) throw new IllegalArgumentException("--n, --d and --dy must be at least 1");
            w = Workload.single(n, d, dy == null ? d : dy, Metric.parseList(metrics), prec == null ? "f64" : prec);
        }
        // the cluster's inputs are checked before the results are read, so a mistake costs no fitting
        if (!sparkWorkers.isEmpty()) {
            ClusterPlanner.checkWorkers(sparkWorkers);
            if (study == null) {
                checkCoMomentRoute(w.metrics());
                ClusterPlanner.checkCoMoments(w);
            }
        }
        Planner planner = Planner.load(results);
        Planner.Plan plan = planner.plan(w, price, results);
        List<ClusterPlanner.Row> cluster = sparkWorkers.isEmpty() ? null : study != null
                ? ClusterPlanner.study(results, embeddings, plan, sparkWorkers)
                : ClusterPlanner.coMoments(results, w, sparkWorkers);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(cluster == null ? PlanOutput.json(plan) : PlanOutput.json(plan, cluster)));
        } else {
            System.out.print(cluster == null ? PlanOutput.table(plan) : PlanOutput.table(plan, cluster));
        }
        return 0;
    }

    /**
     * Only {@code metrics --spark}'s co-moment route has benchmark runs (spark/bench.sh): the block-pair
     * measures run on Spark unmeasured, the rest do not run there at all.
     */
    static void checkCoMomentRoute(List<Metric> metrics) {
        List<String> pairs = metrics.stream().filter(SparkMode.GRAM_METRICS::contains).map(Metric::label).toList();
        List<String> local = metrics.stream().filter(m -> !Similarity.isStreamable(m) && !SparkMode.GRAM_METRICS.contains(m)).map(Metric::label).toList();
        if (pairs.isEmpty() && local.isEmpty()) return;
        throw new InputException("--spark-workers: only the co-moment route (linear-cka, the CCA family, the co-moment measures of --stream) has Spark benchmark runs to plan from"
                + (pairs.isEmpty() ? "" : "; " + String.join(", ", pairs) + ": on Spark by block pairs, not benchmarked")
                + (local.isEmpty() ? "" : "; " + String.join(", ", local) + ": not run on Spark (docs/spark.md)"));
    }

    private static Map<String, Object> withMetrics(Map<String, Object> description, String metrics) {
        Map<String, Object> d = new LinkedHashMap<>(description);
        d.put("metrics", Metric.parseList(metrics).stream().map(Metric::label).toList());
        return d;
    }

    /** MACHINE=USD_PER_HOUR, each a finite non-negative price, each machine once. */
    static Map<String, Double> prices(List<String> given) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String p : given) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) throw new IllegalArgumentException("--price: expected MACHINE=USD_PER_HOUR, got '" + p + "'");
            double v;
            try {
                v = Double.parseDouble(p.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--price: '" + p.substring(eq + 1) + "' is not a number (in '" + p + "')");
            }
            if (!Double.isFinite(v) || v < 0) throw new IllegalArgumentException("--price: expected a finite price of at least 0, got '" + p + "'");
            if (out.put(p.substring(0, eq), v) != null) throw new IllegalArgumentException("--price: machine '" + p.substring(0, eq) + "' priced twice");
        }
        return out;
    }
}
