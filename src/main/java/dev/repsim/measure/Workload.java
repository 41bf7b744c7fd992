package dev.repsim.measure;

import dev.repsim.metrics.Metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is to be computed: each metric on every pair, a pair being an n × dx and an n × dy matrix
 * evaluated {@code count} times (a study compares many pairs of the same shapes).
 *
 * @param metrics     the metrics, each computed on every pair
 * @param precision   f64 or f32
 * @param pairs       the pair shapes with their counts
 * @param description what the workload came from, for the output (keys and values shown as given)
 */
public record Workload(List<Metric> metrics, String precision, List<Pair> pairs, Map<String, Object> description) {

    public record Pair(int n, int dx, int dy, long count) {
        public Pair {
            if (n < 1 || dx < 1 || dy < 1 || count < 1) throw new IllegalArgumentException("a pair needs n, widths and count of at least 1, got " + n + ", " + dx + ", " + dy + ", " + count);
        }
    }

    public Workload {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metrics to plan");
        if (!precision.equals("f64") && !precision.equals("f32")) throw new IllegalArgumentException("--precision: expected f64 or f32, got '" + precision + "'");
        metrics = List.copyOf(metrics);
        pairs = List.copyOf(pairs);
        description = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(description));
    }

    /** One pair of an n × dx and an n × dy matrix. */
    public static Workload single(int n, int dx, int dy, List<Metric> metrics, String precision) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("n", n);
        d.put("dx", dx);
        d.put("dy", dy);
        d.put("precision", precision);
        d.put("metrics", metrics.stream().map(Metric::label).toList());
        return new Workload(metrics, precision, List.of(new Pair(n, dx, dy, 1)), d);
    }

    /** Bytes of one element at this precision. */
    public int elementBytes() {
        return precision.equals("f32") ? 4 : 8;
    }
}
