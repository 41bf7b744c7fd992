package dev.repsim.measure;

import dev.repsim.io.InputException;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.Similarity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code plan --spark-workers W}: the time on a Spark cluster of W one-core workers (executors) of a
 * machine kind with Spark benchmark runs ({@link SparkBenchResults}), from a {@link ClusterModel} per
 * machine. Two workloads, as the commands distribute them:
 * <ul>
 *   <li>{@code metrics --spark} on the co-moment route (linear CKA, the CCA family, the co-moment
 *   measures): one reduction of the rows serves every metric; its work is taken as n·(dx + dy)², the
 *   multiply-adds of the co-moments of the dx + dy joined columns, as in the CKA benchmark's rows·(2·dim)².</li>
 *   <li>{@code study --spark}: the embedding stage (images × variants × models embeddings, at the
 *   benchmark's cost per embedding), then the similarity stage on the driver as a local run: the
 *   plan's fastest backend on a machine of the same kind.</li>
 * </ul>
 */
public final class ClusterPlanner {
    private ClusterPlanner() {}

    /** The stages a row predicts. */
    public static final String CO_MOMENTS = "co-moments", EMBEDDING = "embedding", TOTAL = "total";

    /**
     * One prediction: machine kind, workers, stage, the metrics it serves (none for the embedding stage),
     * the driver's backend (total rows only, else null), seconds with the 95 % interval (NaN when not
     * known), the speedup against one worker and whether it extrapolates beyond the measured runs.
     */
    public record Row(String machine, int workers, String stage, List<Metric> metrics, String driverBackend,
                      double seconds, double low, double high, double speedup, boolean extrapolated) {}

    /**
     * The co-moment reduction of a single-pair workload of co-moment metrics ({@link Similarity#isStreamable})
     * on each measured machine kind and worker count.
     */
    public static List<Row> coMoments(Path results, Workload w, List<Integer> workers) {
        checkWorkers(workers);
        checkCoMoments(w);
        Workload.Pair p = w.pairs().getFirst();
        double width = (double) p.dx() + p.dy();
        double work = p.n() * width * width;
        List<Row> rows = new ArrayList<>();
        models(results, SparkBenchResults.Kind.CKA).forEach((machine, model) -> {
            for (int k : workers) {
                ClusterModel.Prediction pr = model.predict(k, work);
                rows.add(new Row(machine, k, CO_MOMENTS, w.metrics(), null, pr.seconds(), pr.low(), pr.high(), pr.speedup(), pr.extrapolated()));
            }
        });
        return rows;
    }

    /**
     * A study on each measured machine kind and worker count: the embedding stage of {@code embeddings}
     * embeddings, and the total with the similarity stage of {@code plan} on the driver (when the plan
     * has every metric for that machine with inputs not known to exceed its heap).
     */
    public static List<Row> study(Path results, long embeddings, Planner.Plan plan, List<Integer> workers) {
        checkWorkers(workers);
        if (embeddings < 1) throw new IllegalArgumentException("a study has at least one embedding, got " + embeddings);
        List<Planner.Option> totals = Planner.totals(plan.workload(), plan.options());
        List<Row> rows = new ArrayList<>();
        models(results, SparkBenchResults.Kind.EMBED).forEach((machine, model) -> {
            Planner.Option driver = totals.stream().filter(o -> o.machine().equals(machine) && !Boolean.FALSE.equals(o.fits()))
                    .min(Comparator.comparingDouble(Planner.Option::seconds)).orElse(null);
            for (int k : workers) {
                ClusterModel.Prediction e = model.predict(k, embeddings);
                rows.add(new Row(machine, k, EMBEDDING, List.of(), null, e.seconds(), e.low(), e.high(), e.speedup(), e.extrapolated()));
                if (driver == null) continue;
                double one = model.predict(1, embeddings).seconds() + driver.seconds();
                double t = e.seconds() + driver.seconds();
                rows.add(new Row(machine, k, TOTAL, plan.workload().metrics(), driver.backend(), t, e.low() + driver.low(), e.high() + driver.high(),
                        one / t, e.extrapolated() || driver.extrapolated()));
            }
        });
        return rows;
    }

    /**
     * What the co-moment route's runs can plan: one pair of co-moment metrics ({@link Similarity#isStreamable})
     * in float64, the precision the benchmark reduced in (the caller says which other metrics run where).
     */
    public static void checkCoMoments(Workload w) {
        if (w.pairs().size() != 1) throw new IllegalArgumentException("the co-moment route plans one pair of matrices");
        for (Metric m : w.metrics()) {
            if (!Similarity.isStreamable(m)) throw new IllegalArgumentException(m.label() + " is not computed from the co-moments");
        }
        if (!w.precision().equals("f64")) {
            throw new InputException("--spark-workers: the Spark benchmark measured the float64 co-moment reduction; there are no " + w.precision() + " runs to plan from");
        }
    }

    private static Map<String, ClusterModel> models(Path results, SparkBenchResults.Kind kind) {
        Map<String, ClusterModel> out = new java.util.LinkedHashMap<>();
        SparkBenchResults.load(results, kind).forEach((machine, runs) -> {
            try {
                out.put(machine, ClusterModel.fit(runs));
            } catch (IllegalArgumentException e) {
                throw new InputException(results.resolve(machine).resolve("spark"), kind.pattern() + ": " + e.getMessage());
            }
        });
        return out;
    }

    /** At least one worker count, each at least 1. */
    public static void checkWorkers(List<Integer> workers) {
        if (workers.isEmpty()) throw new IllegalArgumentException("no worker counts to plan");
        for (int k : workers) {
            if (k < 1) throw new InputException("--spark-workers: each count must be at least 1, got " + k);
        }
    }

}
