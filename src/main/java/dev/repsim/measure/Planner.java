package dev.repsim.measure;

import dev.repsim.backend.Backends;
import dev.repsim.io.InputException;
import dev.repsim.metrics.Metric;
import dev.repsim.report.bench.BenchResults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts a workload on every measured (machine, backend): per metric, the sum over the workload's
 * pairs of count × the cost model's prediction, with the interval bounds summed too (the pairs share
 * one model, so their errors move together), the most memory one evaluation needs, whether that fits
 * the machine's Java heap, and the cost at the given hourly prices. Only repsim's own backends are
 * planned (the NumPy baseline is a reference, not something repsim runs).
 */
public final class Planner {

    /**
     * One (machine, backend, metric) prediction; NaN bounds, memory or cost when not known. memoryBytes:
     * the inputs plus the heap one evaluation allocates (an upper bound of the live heap); fits: see {@link #fits}.
     */
    public record Option(String machine, String backend, Metric metric, double seconds, double low, double high,
                         double memoryBytes, Boolean fits, boolean extrapolated, double costUsd, int rank) {}

    /**
     * The fastest (machine, backend) over all the workload's metrics among those not known to run out
     * of heap (its metric is null: it is the sum over the metrics), the runner-up, and whether the
     * best one's interval lies wholly below the runner-up's (else the two are not told apart).
     */
    public record Best(Option total, Option runnerUp, boolean clearlyFaster) {}

    public record Plan(Workload workload, List<Option> options, Best best) {}

    private final List<CostModel> models;
    private final Map<String, BenchResults.Machine> machines = new LinkedHashMap<>();

    public Planner(List<BenchResults.Machine> machines, List<CostModel> models) {
        for (BenchResults.Machine m : machines) this.machines.put(m.id(), m);
        this.models = List.copyOf(models);
    }

    /** Fits the models of every result set under {@code results}. */
    public static Planner load(Path results) {
        List<BenchResults.Machine> ms = BenchResults.load(results);
        if (ms.isEmpty()) throw new InputException(results, "no result sets (expected results/<machine-id>/*.json with a machine.json)");
        return new Planner(ms, CostModel.fitAll(ms));
    }

    public List<CostModel> models() { return models; }

    /** The machine ids with results. */
    public List<String> machineIds() { return List.copyOf(machines.keySet()); }

    /** True when some machine has {@code precision} results for the metric on a repsim backend. */
    public boolean covers(Metric metric, String precision) {
        return models.stream().anyMatch(c -> c.key().kernel().equals(metric.label()) && c.key().precision().equals(precision) && isRepsimBackend(c.key().backend()));
    }

    public Plan plan(Workload w, Map<String, Double> pricePerHour, Path results) {
        for (String m : pricePerHour.keySet()) {
            if (!machines.containsKey(m)) throw new InputException(results, "--price: no results for machine '" + m + "' (machines: " + String.join(", ", machines.keySet()) + ")");
        }
        List<Option> options = new ArrayList<>();
        for (Metric metric : w.metrics()) {
            List<Option> perMetric = new ArrayList<>();
            for (CostModel c : models) {
                CostModel.Key k = c.key();
                if (!k.kernel().equals(metric.label()) || !k.precision().equals(w.precision()) || !isRepsimBackend(k.backend())) continue;
                perMetric.add(predict(c, w, pricePerHour.get(k.machine())));
            }
            if (!covers(metric, w.precision())) {
                throw new InputException(results, "no " + w.precision() + " results for metric " + metric.label() + " on any repsim backend (" + String.join(", ", repsimBackends()) + ")");
            }
            perMetric.sort(Comparator.comparingDouble(Option::seconds));
            for (int i = 0; i < perMetric.size(); i++) {
                Option o = perMetric.get(i);
                options.add(new Option(o.machine(), o.backend(), o.metric(), o.seconds(), o.low(), o.high(), o.memoryBytes(), o.fits(), o.extrapolated(), o.costUsd(), i + 1));
            }
        }
        return new Plan(w, options, best(w, options));
    }

    private Option predict(CostModel c, Workload w, Double price) {
        double s = 0, lo = 0, hi = 0, mem = 0, inputs = 0;
        boolean extrapolated = false;
        for (Workload.Pair p : w.pairs()) {
            CostModel.Prediction pr = c.predict(p.n(), p.dx(), p.dy());
            s += p.count() * pr.seconds();
            lo += p.count() * pr.low();
            hi += p.count() * pr.high();
            // the inputs are held on the heap besides what the evaluation allocates
            double in = (double) p.n() * (p.dx() + p.dy()) * w.elementBytes();
            inputs = Math.max(inputs, in);
            mem = Math.max(mem, pr.heapBytes() + in);
            extrapolated |= pr.extrapolated();
        }
        return new Option(c.key().machine(), c.key().backend(), Metric.parse(c.key().kernel()), s, lo, hi, mem,
                fits(inputs, mem, heapBytes(machines.get(c.key().machine()))), extrapolated, price == null ? Double.NaN : s / 3600 * price, 0);
    }

    /**
     * JMH's allocation per evaluation counts garbage too, so inputs + allocation is an upper bound of the
     * live heap: under the heap it fits; inputs alone over the heap cannot fit; in between (or with the
     * allocation or the heap unknown) it is not known (null).
     */
    static Boolean fits(double inputs, double upperBound, double heap) {
        if (Double.isNaN(heap)) return null;
        if (inputs > heap) return false;
        return upperBound <= heap ? Boolean.TRUE : null;
    }

    /** The Java heap limit: machine.json's heap_gib when recorded, else the JVM default of a quarter of memory_gib; NaN when neither is there. */
    static double heapBytes(BenchResults.Machine m) {
        double gib = 1L << 30;
        if (m.info().hasNonNull("heap_gib")) return m.info().get("heap_gib").asDouble() * gib;
        if (m.info().hasNonNull("memory_gib")) return m.info().get("memory_gib").asDouble() * gib / 4;
        return Double.NaN;
    }

    /** Sums each (machine, backend)'s options over the metrics; only those with every metric compete. */
    private static Best best(Workload w, List<Option> options) {
        List<Option> totals = totals(w, options);
        // a target known not to fit is no recommendation, however fast
        totals.removeIf(o -> Boolean.FALSE.equals(o.fits()));
        if (totals.isEmpty()) return null;
        totals.sort(Comparator.comparingDouble(Option::seconds));
        Option first = totals.getFirst();
        Option second = totals.size() > 1 ? totals.get(1) : null;
        boolean clear = second != null && first.high() < second.low();
        return new Best(first, second, clear);
    }

    /**
     * Each (machine, backend) with an option for every metric of the workload, summed over the metrics
     * (metric null; the interval bounds summed, the most memory, fits false if any is false, else null if
     * any is unknown); in the options' order.
     */
    public static List<Option> totals(Workload w, List<Option> options) {
        Map<List<String>, List<Option>> byTarget = new LinkedHashMap<>();
        for (Option o : options) byTarget.computeIfAbsent(List.of(o.machine(), o.backend()), k -> new ArrayList<>()).add(o);
        List<Option> totals = new ArrayList<>();
        byTarget.forEach((t, os) -> {
            if (os.size() != w.metrics().size()) return;
            double s = 0, lo = 0, hi = 0, mem = 0, cost = 0;
            boolean extra = false;
            Boolean fits = true;
            for (Option o : os) {
                s += o.seconds();
                lo += o.low();
                hi += o.high();
                mem = Math.max(mem, o.memoryBytes());
                cost += o.costUsd();
                extra |= o.extrapolated();
                fits = Boolean.FALSE.equals(fits) || Boolean.FALSE.equals(o.fits()) ? Boolean.FALSE : fits == null || o.fits() == null ? null : Boolean.TRUE;
            }
            totals.add(new Option(t.get(0), t.get(1), null, s, lo, hi, mem, fits, extra, cost, 0));
        });
        return totals;
    }

    private static boolean isRepsimBackend(String b) {
        return repsimBackends().contains(b);
    }

    private static List<String> repsimBackends() {
        return Backends.NAMES.stream().filter(b -> !b.equals("auto")).toList();
    }
}
