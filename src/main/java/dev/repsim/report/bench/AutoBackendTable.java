package dev.repsim.report.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.measure.Comparison;
import dev.repsim.measure.Crossover;
import dev.repsim.measure.Microarchitecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The table {@code --backend auto} reads ({@code results/auto-backend.json}, packaged into the jar by the
 * build): per CPU result set whose kernels were the machine's own (no forced OpenBLAS core, no fork run with a
 * narrowed vector width or instruction set: {@link BenchResults.Machine#ownCodePaths}), per metric, precision and width d, the
 * java/blas speed ratio at every measured n, whether it is significant (see {@link Comparison}), and the
 * crossover n between them (see {@link Crossover}). GPU result sets are left out: with an OpenCL GPU present,
 * auto uses it (see {@code Backends}). So are CPU result sets whose microarchitecture is unknown: auto finds a
 * set by the running CPU's microarchitecture, and "unknown" would hand one such CPU's crossovers to any other.
 */
public final class AutoBackendTable {
    private AutoBackendTable() {}

    public static final String FILE = "auto-backend.json";

    /** The table as the indented JSON text written to {@link #FILE}. */
    public static String toJson(List<BenchResults.Machine> machines) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(build(machines)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode build(List<BenchResults.Machine> machines) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("about", "Written by bin/repsim bench-report from results/; read by --backend auto. ratio = java throughput / blas throughput "
                + "(above 1: java faster), median over pooled samples, 95 % CI and p from Welch's t test on the log fork medians; significant: p < 0.01 and the CI excludes 1.");
        ArrayNode out = root.putArray("machines");
        for (BenchResults.Machine m : machines) {
            if (!"cpu".equals(m.text("kind")) || !m.ownCodePaths()
                    || Microarchitecture.UNKNOWN.equals(m.text("microarchitecture"))) continue;
            BenchAnalysis a = new BenchAnalysis(m);
            ArrayNode cells = om.createArrayNode();
            TreeSet<BenchAnalysis.Slice> slices = new TreeSet<>((x, y) -> x.d() != y.d() ? Integer.compare(x.d(), y.d()) : x.precision().compareTo(y.precision()));
            for (BenchResult r : a.metrics()) slices.add(new BenchAnalysis.Slice(r.intParam("d"), r.precision()));
            for (BenchAnalysis.Slice s : slices) {
                Map<String, TreeMap<Integer, Map<String, BenchResult>>> table = new TreeMap<>(a.table(s));
                table.forEach((metric, byN) -> {
                    ArrayNode points = om.createArrayNode();
                    List<Crossover.Point> crossing = new ArrayList<>();
                    byN.forEach((n, cell) -> {
                        if (!cell.containsKey("java") || !cell.containsKey("blas")) return;
                        Comparison c = BenchAnalysis.compare(cell.get("java"), cell.get("blas"));
                        ObjectNode p = points.addObject();
                        p.put("n", n);
                        put(p, "ratio", c.ratio());
                        ArrayNode ci = p.putArray("ci95");
                        for (double v : new double[] {c.ratioLow(), c.ratioHigh()}) {
                            if (Double.isFinite(v)) ci.add(round(v)); else ci.addNull();
                        }
                        p.put("significant", c.significant());
                        crossing.add(BenchAnalysis.point(n, c));
                    });
                    if (points.isEmpty()) return;
                    ObjectNode cell = cells.addObject();
                    cell.put("metric", metric);
                    cell.put("precision", s.precision());
                    cell.put("d", s.d());
                    cell.set("points", points);
                    double x = Crossover.estimate(crossing).n();
                    if (Double.isFinite(x)) cell.put("crossover_n", Math.round(x));
                    else cell.putNull("crossover_n");
                });
            }
            if (cells.isEmpty()) continue;
            ObjectNode mo = out.addObject();
            mo.put("machine", m.id());
            mo.put("microarchitecture", m.text("microarchitecture"));
            mo.put("cores", m.info().path("cores").asInt(0));
            mo.set("cells", cells);
        }
        return root;
    }

    /** Three decimals are what the choice needs; non-finite values (too few samples) as null, JSON has no NaN. */
    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, round(v)); else o.putNull(key);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
