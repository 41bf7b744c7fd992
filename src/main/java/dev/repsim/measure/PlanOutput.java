package dev.repsim.measure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plan as one JSON object ({@code repsim plan --json}) or as a ranked text table. */
public final class PlanOutput {
    private PlanOutput() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plan with {@code cluster}: the rows of {@code --spark-workers}, in the options' style. */
    public static ObjectNode json(Planner.Plan plan, List<ClusterPlanner.Row> cluster) {
        ObjectNode root = json(plan);
        ArrayNode rows = root.putArray("cluster");
        for (ClusterPlanner.Row r : cluster) {
            ObjectNode n = rows.addObject();
            n.put("machine", r.machine());
            n.put("backend", "spark");
            n.put("workers", r.workers());
            n.put("stage", r.stage());
            n.set("metrics", JSON.valueToTree(r.metrics().stream().map(m -> m.label()).toList()));
            if (r.driverBackend() == null) n.putNull("driver_backend"); else n.put("driver_backend", r.driverBackend());
            n.put("predicted_s", r.seconds());
            if (Double.isNaN(r.low()) || Double.isNaN(r.high())) {
                n.putNull("ci95_s");
            } else {
                n.putArray("ci95_s").add(r.low()).add(r.high());
            }
            number(n, "speedup", r.speedup());
            n.put("extrapolated", r.extrapolated());
        }
        return root;
    }

    public static ObjectNode json(Planner.Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.set("workload", JSON.valueToTree(plan.workload().description()));
        ArrayNode opts = root.putArray("options");
        for (Planner.Option o : plan.options()) opts.add(option(o));
        if (plan.best() == null) {
            root.putNull("best");
        } else {
            ObjectNode b = option(plan.best().total());
            b.remove("metric");
            b.remove("rank");
            b.set("metrics", JSON.valueToTree(plan.workload().metrics().stream().map(m -> m.label()).toList()));
            Planner.Option r = plan.best().runnerUp();
            if (r == null) {
                b.putNull("runner_up");
            } else {
                ObjectNode ru = option(r);
                ru.remove("metric");
                ru.remove("rank");
                b.set("runner_up", ru);
            }
            b.put("clearly_faster", plan.best().clearlyFaster());
            root.set("best", b);
        }
        return root;
    }

    private static ObjectNode option(Planner.Option o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("machine", o.machine());
        n.put("backend", o.backend());
        if (o.metric() == null) n.putNull("metric"); else n.put("metric", o.metric().label());
        n.put("predicted_s", o.seconds());
        if (Double.isNaN(o.low()) || Double.isNaN(o.high())) {
            n.putNull("ci95_s");
        } else {
            n.putArray("ci95_s").add(o.low()).add(o.high());
        }
        if (Double.isNaN(o.memoryBytes())) n.putNull("memory_bytes"); else n.put("memory_bytes", Math.round(o.memoryBytes()));
        if (o.fits() == null) n.putNull("fits"); else n.put("fits", o.fits());
        n.put("extrapolated", o.extrapolated());
        number(n, "cost_usd", o.costUsd());
        n.put("rank", o.rank());
        return n;
    }

    /** NaN means "not known" here (not measured, no price): JSON null, never a fake number. */
    private static void number(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) n.putNull(key); else n.put(key, v);
    }

    public static String table(Planner.Plan plan) {
        StringBuilder b = new StringBuilder("workload:");
        for (Map.Entry<String, Object> e : plan.workload().description().entrySet()) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        b.append("\n\n");
        int mw = Math.max("machine".length(), plan.options().stream().mapToInt(o -> o.machine().length()).max().orElse(0));
        String fmt = "%-4s  %-19s  %-" + mw + "s  %-7s  %10s  %-27s  %9s  %-4s  %9s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "rank", "metric", "machine", "backend", "predicted", "95 % interval", "memory", "fits", "cost", "").stripTrailing()).append('\n');
        for (Planner.Option o : plan.options()) {
            b.append(String.format(Locale.ROOT, fmt, o.rank(), o.metric().label(), o.machine(), o.backend(), seconds(o.seconds()),
                    Double.isNaN(o.low()) ? "– (one cell: no LOO error)" : seconds(o.low()) + " – " + seconds(o.high()),
                    mib(o.memoryBytes()), o.fits() == null ? "?" : o.fits() ? "yes" : "NO",
                    Double.isNaN(o.costUsd()) ? "–" : String.format(Locale.ROOT, "$%.3g", o.costUsd()),
                    o.extrapolated() ? "extrapolated" : "").stripTrailing()).append('\n');
        }
        b.append('\n');
        Planner.Best best = plan.best();
        if (best == null) {
            b.append("best: none (no machine and backend has results for every metric with inputs that fit its heap)\n");
        } else {
            Planner.Option t = best.total();
            b.append("best: ").append(t.machine()).append(' ').append(t.backend()).append(", ").append(seconds(t.seconds())).append(" for ")
                    .append(List.copyOf(plan.workload().metrics()).stream().map(m -> m.label()).toList());
            if (best.runnerUp() != null) {
                b.append(best.clearlyFaster() ? "; clearly faster than " : "; not told apart from ")
                        .append(best.runnerUp().machine()).append(' ').append(best.runnerUp().backend()).append(" (95 % intervals ")
                        .append(best.clearlyFaster() ? "disjoint)" : "overlap or unknown)");
            }
            if (t.extrapolated()) b.append("; extrapolated beyond the measured cells");
            b.append('\n');
        }
        return b.toString();
    }

    /** The plan's table, then the rows of {@code --spark-workers} in the same style. */
    public static String table(Planner.Plan plan, List<ClusterPlanner.Row> cluster) {
        StringBuilder b = new StringBuilder(table(plan));
        b.append("\nspark cluster: W one-core workers of a machine kind with results/<machine>/spark runs");
        b.append(cluster.stream().anyMatch(r -> r.stage().equals(ClusterPlanner.TOTAL)) ? " (total: embedding, then the similarity stage on the driver)\n" : "\n");
        int mw = Math.max("machine".length(), cluster.stream().mapToInt(r -> r.machine().length()).max().orElse(0));
        String fmt = "%-7s  %-10s  %-" + mw + "s  %-7s  %10s  %-27s  %7s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "workers", "stage", "machine", "driver", "predicted", "95 % interval", "speedup", "").stripTrailing()).append('\n');
        for (ClusterPlanner.Row r : cluster) {
            b.append(String.format(Locale.ROOT, fmt, r.workers(), r.stage(), r.machine(), r.driverBackend() == null ? "–" : r.driverBackend(), seconds(r.seconds()),
                    Double.isNaN(r.low()) ? "– (one run: no LOO error)" : seconds(r.low()) + " – " + seconds(r.high()),
                    String.format(Locale.ROOT, "%.2f×", r.speedup()), r.extrapolated() ? "extrapolated" : "").stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** A duration in the unit that reads best (ms, s, min, h). */
    public static String seconds(double s) {
        if (s >= 3600) return String.format(Locale.ROOT, "%.2f h", s / 3600);
        if (s >= 60) return String.format(Locale.ROOT, "%.1f min", s / 60);
        if (s >= 1) return String.format(Locale.ROOT, "%.2f s", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
        return String.format(Locale.ROOT, "%.2g µs", s * 1e6);
    }

    static String mib(double bytes) {
        if (Double.isNaN(bytes)) return "?";
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30)) : String.format(Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
    }
}
