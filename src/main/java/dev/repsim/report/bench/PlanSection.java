package dev.repsim.report.bench;

import dev.repsim.measure.CostModel;
import dev.repsim.measure.PlanOutput;
import dev.repsim.measure.Planner;
import dev.repsim.measure.WorkTerms;
import dev.repsim.measure.Workload;
import dev.repsim.metrics.Metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost-model part of the benchmark report: how well each fitted model predicts the cells it was
 * not fitted to (leave-one-out), and what {@code repsim plan} predicts for a few typical workloads.
 */
public final class PlanSection {
    private PlanSection() {}

    /** Typical workloads (n, d): feature-space metrics scale to millions of rows, Gram metrics hold n × n. */
    static final List<int[]> FEATURE_WORKLOADS = List.of(new int[]{10_000, 768}, new int[]{100_000, 1024}, new int[]{1_000_000, 768});
    static final List<int[]> GRAM_WORKLOADS = List.of(new int[]{10_000, 768}, new int[]{50_000, 768});

    public static String markdown(List<BenchResults.Machine> machines) {
        List<CostModel> models = CostModel.fitAll(machines);
        StringBuilder md = new StringBuilder("## Cost model and plan\n\n");
        if (models.isEmpty()) return md.append("No metric or GEMM cells to fit.\n\n").toString();
        fitAccuracy(md, models);
        plan(md, new Planner(machines, models));
        return md.toString();
    }

    private static void fitAccuracy(StringBuilder md, List<CostModel> models) {
        md.append("### Fit accuracy\n\n")
                .append("Each (machine, backend, kernel, precision) is fitted to its cells from the kernel's work terms by non-negative least squares ")
                .append("in relative error (`dev.repsim.measure.CostModel`). LOO: each cell predicted by the model fitted without it; ")
                .append("the median and largest |predicted/measured − 1|. With fewer cells than terms the model is not determined by the cells, ")
                .append("and the LOO error says so.\n\n")
                .append("| machine | backend | kernel | precision | cells | n | d | fitted time (s) | LOO median | LOO max |\n")
                .append("|---|---|---|---|---:|---|---|---|---:|---:|\n");
        for (CostModel c : models) {
            CostModel.Key k = c.key();
            md.append("| ").append(k.machine()).append(" | ").append(k.backend()).append(" | ").append(k.kernel()).append(" | ").append(k.precision())
                    .append(" | ").append(c.points().size()).append(" | ").append(range(c.points().stream().mapToInt(CostModel.Point::n).toArray()))
                    .append(" | ").append(range(c.points().stream().mapToInt(CostModel.Point::d).toArray())).append(" | ").append(formula(c))
                    .append(" | ").append(percent(c.looMedianAbsError())).append(" | ").append(percent(c.looMaxAbsError())).append(" |\n");
        }
        md.append('\n');
    }

    private static void plan(StringBuilder md, Planner planner) {
        md.append("### Plan for typical workloads\n\n")
                .append("`bin/repsim plan` for one X, Y pair of n × d (f64) per metric with results on a repsim backend: the predicted time with its 95 % ")
                .append("interval (from the LOO errors), the heap it may need (inputs plus what one evaluation allocates, garbage included: an upper bound) ")
                .append("and whether it fits the machine's default heap, a quarter of its memory (yes: the bound fits; no: the inputs alone do not; ?: in between). A winner is named only when its interval lies wholly below the runner-up's; ")
                .append("\"extrapolated\": the workload lies outside the measured n or d, so read the figure as a rough guide.\n\n")
                .append("| n | d | metric | fastest | predicted | 95 % interval | heap | fits | note |\n|---:|---:|---|---|---:|---|---:|---|---|\n");
        int rows = 0;
        for (Metric metric : Metric.values()) {
            if (!planner.covers(metric, "f64")) continue;
            List<int[]> sizes = WorkTerms.of(metric.label()) == WorkTerms.GRAM ? GRAM_WORKLOADS : FEATURE_WORKLOADS;
            for (int[] nd : sizes) {
                Planner.Plan p = planner.plan(Workload.single(nd[0], nd[1], nd[1], List.of(metric), "f64"), Map.of(), null);
                md.append("| ").append(String.format(Locale.ROOT, "%,d", nd[0])).append(" | ").append(nd[1]).append(" | ").append(metric.label()).append(" | ");
                Planner.Best b = p.best();
                if (b == null) {
                    md.append("none: the inputs alone exceed every default heap | – | – | – | – | |\n");
                    rows++;
                    continue;
                }
                Planner.Option t = b.total();
                md.append(t.machine()).append(' ').append(t.backend());
                if (b.runnerUp() != null && !b.clearlyFaster()) md.append(" (not told apart from ").append(b.runnerUp().machine()).append(' ').append(b.runnerUp().backend()).append(')');
                md.append(" | ").append(PlanOutput.seconds(t.seconds())).append(" | ")
                        .append(Double.isNaN(t.low()) ? "– (one cell)" : PlanOutput.seconds(t.low()) + " – " + PlanOutput.seconds(t.high())).append(" | ")
                        .append(Double.isNaN(t.memoryBytes()) ? "–" : String.format(Locale.ROOT, "%.2f GiB", t.memoryBytes() / (1L << 30))).append(" | ")
                        .append(t.fits() == null ? "?" : t.fits() ? "yes" : "no").append(" | ").append(t.extrapolated() ? "extrapolated" : "").append(" |\n");
                rows++;
            }
        }
        if (rows == 0) md.append("| | | no f64 metric results on a repsim backend | | | | | | |\n");
        md.append('\n');
    }

    /** The fitted time law with its non-zero terms, e.g. {@code 2.1e-03 + 1.3e-11·n·d²}. */
    static String formula(CostModel c) {
        List<String> parts = new ArrayList<>();
        double[] k = c.coefficients();
        List<String> names = c.terms().names();
        for (int j = 0; j < k.length; j++) {
            if (k[j] == 0) continue;
            String v = String.format(Locale.ROOT, "%.2e", k[j]);
            parts.add(names.get(j).equals("1") ? v : v + "·" + names.get(j));
        }
        return parts.isEmpty() ? "0" : String.join(" + ", parts);
    }

    private static String range(int[] v) {
        int lo = java.util.Arrays.stream(v).min().orElseThrow(), hi = java.util.Arrays.stream(v).max().orElseThrow();
        return lo == hi ? Integer.toString(lo) : lo + "–" + hi;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "– (one cell)" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
