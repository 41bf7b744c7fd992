package dev.repsim.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.linalg.Precision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code --backend auto} picks on a CPU, per metric, precision and size: the backend the committed JMH
 * measurements of this microarchitecture found faster ({@code results/auto-backend.json}, written by
 * {@code bench-report} and packaged into the jar). Rule, on the cell of the metric and precision with the
 * nearest measured width d: at or beyond the smallest or largest measured n, the result measured there;
 * between two measured n whose faster backend differs, the side of the measured crossover n. Where the
 * measured difference is not significant the faster median is taken and the reason says so; where nothing
 * applies (another CPU, a metric or precision not measured) blas is the default and the reason says that
 * instead. Every choice carries its reason, which {@code devices} and the metrics JSON print.
 */
public final class AutoChoice {
    /** The backend name ({@code java} or {@code blas}) and why. */
    public record Choice(String backend, String reason) {
        /** As the JSON of {@code devices} and {@code metrics} prints it: {@code {"backend": ..., "reason": ...}}. */
        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("backend", backend);
            m.put("reason", reason);
            return m;
        }
    }

    record Point(int n, double ratio, boolean significant) {
        String faster() { return ratio > 1 ? "java" : "blas"; }
    }

    record Cell(String metric, String precision, int d, List<Point> points, double crossoverN) {}

    record Machine(String id, String microarchitecture, int cores, List<Cell> cells) {}

    static final String RESOURCE = "/dev/repsim/backend/auto-backend.json";
    private static volatile AutoChoice packaged;

    private final List<Machine> machines;

    private AutoChoice(List<Machine> machines) {
        this.machines = machines;
    }

    /** The table packaged into the jar (empty when the build found none: every choice then says so). */
    public static AutoChoice packaged() {
        AutoChoice t = packaged;
        if (t == null) {
            try (InputStream in = AutoChoice.class.getResourceAsStream(RESOURCE)) {
                t = in == null ? new AutoChoice(List.of()) : parse(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the packaged " + RESOURCE, e);
            }
            packaged = t;
        }
        return t;
    }

    /** Parses the table {@code bench-report} writes. */
    public static AutoChoice parse(JsonNode root) {
        List<Machine> ms = new ArrayList<>();
        for (JsonNode m : root.path("machines")) {
            List<Cell> cells = new ArrayList<>();
            for (JsonNode c : m.path("cells")) {
                List<Point> pts = new ArrayList<>();
                for (JsonNode p : c.path("points")) {
                    if (p.path("ratio").isNumber()) pts.add(new Point(p.path("n").asInt(), p.path("ratio").asDouble(), p.path("significant").asBoolean()));
                }
                pts.sort(Comparator.comparingInt(Point::n));
                if (pts.isEmpty()) continue;
                JsonNode x = c.path("crossover_n");
                cells.add(new Cell(c.path("metric").asText(), c.path("precision").asText(), c.path("d").asInt(), List.copyOf(pts),
                        x.isNumber() ? x.asDouble() : Double.NaN));
            }
            ms.add(new Machine(m.path("machine").asText(), m.path("microarchitecture").asText(), m.path("cores").asInt(), List.copyOf(cells)));
        }
        return new AutoChoice(List.copyOf(ms));
    }

    /**
     * The pick for a metric of n samples and width d (the wider of X and Y) on a CPU of this
     * microarchitecture and core count.
     */
    public Choice choose(String microarchitecture, int cores, String metric, Precision precision, long n, int d) {
        Machine m = machines.stream().filter(x -> x.microarchitecture().equals(microarchitecture))
                .min(Comparator.comparingInt(x -> Math.abs(x.cores() - cores))).orElse(null);
        if (m == null) return new Choice("blas", "blas by default: no measurements for this CPU (" + microarchitecture + ")");
        String prec = precision.label();
        List<Cell> cells = m.cells().stream().filter(c -> c.metric().equals(metric) && c.precision().equals(prec)).toList();
        String note = "";
        if (cells.isEmpty()) {
            cells = m.cells().stream().filter(c -> c.metric().equals(metric) && c.precision().equals("f64")).toList();
            note = " (" + prec + " not measured: from f64)";
        }
        if (cells.isEmpty()) return new Choice("blas", "blas by default: " + metric + " not measured on " + m.id());
        Cell c = cells.stream().min(Comparator.comparingDouble(x -> Math.abs(Math.log((double) x.d() / Math.max(d, 1))))).orElseThrow();
        List<Point> p = c.points();
        String where = m.id() + ", d=" + c.d() + note;
        Point first = p.get(0), last = p.get(p.size() - 1);
        if (n <= first.n()) return from(first, where, n < first.n() ? "below" : "at");
        if (n >= last.n()) return from(last, where, n > last.n() ? "above" : "at");
        int i = 0;
        while (p.get(i + 1).n() < n) i++;
        Point lo = p.get(i), hi = p.get(i + 1);
        if (hi.n() == n) return from(hi, where, "at");
        if (lo.faster().equals(hi.faster())) {
            // both sides agree; the nearer one (in log n) says whether the difference was significant
            Point near = Math.log(n / (double) lo.n()) <= Math.log(hi.n() / (double) n) ? lo : hi;
            return from(near, where, "near");
        }
        if (Double.isFinite(c.crossoverN())) {
            Point side = n < c.crossoverN() ? lo : hi;
            return new Choice(side.faster(), String.format(Locale.ROOT, "%s: measured crossover n ≈ %d on %s (%s faster below, %s above)",
                    side.faster(), Math.round(c.crossoverN()), where, lo.faster(), hi.faster()));
        }
        Point near = Math.log(n / (double) lo.n()) <= Math.log(hi.n() / (double) n) ? lo : hi;
        return from(near, where, "near");
    }

    private static Choice from(Point p, String where, String relation) {
        double speedup = p.ratio() > 1 ? p.ratio() : 1 / p.ratio();
        String measured = String.format(Locale.ROOT, "%s n=%d on %s: %s %.2f× faster", relation, p.n(), where, p.faster(), speedup);
        return p.significant()
                ? new Choice(p.faster(), p.faster() + ": measured " + measured)
                : new Choice(p.faster(), p.faster() + ": faster median, no significant difference measured " + measured);
    }

    /** Whether the table holds any machine (false when the jar was built without results). */
    public boolean isEmpty() { return machines.isEmpty(); }
}
