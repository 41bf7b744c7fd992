package dev.repsim.report.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's cost-model section on cells that follow a known law exactly. */
class PlanSectionTest {

    private static String cell(String metric, String backend, int n, int d, double seconds) {
        return String.format(Locale.ROOT, "{\"benchmark\":\"dev.repsim.bench.MetricBenchmark.compute\",\"params\":{\"metric\":\"%s\",\"backend\":\"%s\","
                + "\"n\":\"%d\",\"d\":\"%d\",\"precision\":\"f64\"},\"primaryMetric\":{\"score\":%s,\"scoreUnit\":\"ops/s\"}}", metric, backend, n, d, 1 / seconds);
    }

    @Test
    void fitAccuracyAndTypicalWorkloads(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("cpu-test");
        Files.createDirectories(m);
        Files.writeString(m.resolve("machine.json"), "{\"memory_gib\": 64}");
        List<String> cells = new ArrayList<>();
        for (int n : new int[]{1000, 10000, 100000}) {
            for (int d : new int[]{512, 1024}) {
                // java: 1e-11·n·d²; blas: ten times faster, so it wins clearly (exact cells: zero-width intervals)
                cells.add(cell("linear-cka", "java", n, d, 1e-11 * n * d * d));
                cells.add(cell("linear-cka", "blas", n, d, 1e-12 * n * d * d));
            }
        }
        Files.writeString(m.resolve("grid.json"), "[" + String.join(",", cells) + "]");
        String md = PlanSection.markdown(BenchResults.load(dir));
        assertTrue(md.startsWith("## Cost model and plan"), md);
        assertTrue(md.contains("| cpu-test | java | linear-cka | f64 | 6 | 1000–100000 | 512–1024 | 1.00e-11·n·d² | 0% | 0% |"), md);
        List<String> plan = md.lines().filter(l -> l.matches("\\| [0-9,]+ \\| [0-9]+ \\| linear-cka \\|.*")).toList();
        assertEquals(3, plan.size(), md);
        assertTrue(plan.get(0).startsWith("| 10,000 | 768 | linear-cka | cpu-test blas | 5.9 ms |"), plan.get(0));
        assertTrue(plan.get(1).endsWith("|  |"), "n = 100 000, d = 1024 is on the grid's edge: " + plan.get(1));
        assertTrue(plan.get(2).contains("extrapolated"), "n = 1 000 000 is beyond the grid: " + plan.get(2));
        assertTrue(md.lines().noneMatch(l -> l.contains("rbf-cka")), "only measured metrics are planned");
    }
}
