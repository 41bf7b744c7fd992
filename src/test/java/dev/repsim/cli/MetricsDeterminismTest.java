package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repsim metrics} prints the same digits on every run with the same settings (cold and warm JIT,
 * whatever thread took which piece of work); with another thread count (one core, one OpenBLAS thread)
 * the products are blocked differently, and every metric stays within the float64 tolerance 1e-9
 * relative that the README documents.
 */
class MetricsDeterminismTest {
    @TempDir
    Path dir;

    private Path write(String name, Matrix m) {
        Path p = dir.resolve(name);
        Npy.write(p, m);
        return p;
    }

    private static Matrix matrix(int n, int d, long seed, Matrix base) {
        Random r = new Random(seed);
        double[] a = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double shared = base == null ? 0 : base.get(i, j % base.cols());
                a[i * d + j] = shared + r.nextGaussian() / Math.sqrt(1 + j);
            }
        }
        return Matrix.of(n, d, a);
    }

    /** The metrics and correlations of a --json run, without the timings. */
    private static JsonNode values(String json) throws Exception {
        ObjectNode j = (ObjectNode) new ObjectMapper().readTree(json);
        j.remove("timings_ms");
        return j;
    }

    @Test
    void sameSettingsGiveTheSameDigitsAndOtherThreadCountsStayWithinTolerance() throws Exception {
        Matrix mx = matrix(1500, 64, 1, null);
        Path x = write("x.npy", mx), y = write("y.npy", matrix(1500, 48, 2, mx));
        for (String backend : dev.repsim.metrics.TestData.BACKENDS) {
            if (backend.equals("opencl")) continue; // host backends: the device's own order is the device's
            List<String> args = List.of("metrics", x.toString(), y.toString(), "--metrics", "all", "--backend", backend, "--json");
            JsonNode first = null;
            for (int run = 0; run < 3; run++) {
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(0, r.status(), r.err());
                JsonNode v = values(r.out());
                if (first == null) first = v;
                else assertEquals(first.toString(), v.toString(), backend + ": run " + (run + 1) + " printed other digits");
            }
            JsonNode single = values(oneThread(args));
            JsonNode a = first.get("metrics"), b = single.get("metrics");
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                double ref = e.getValue().asDouble(), got = b.get(e.getKey()).asDouble();
                assertEquals(ref, got, 1e-9 * Math.max(1, Math.abs(ref)), backend + " " + e.getKey() + " on one thread");
            }
        }
    }

    /** The same command in a JVM that sees one core, with one OpenBLAS thread. */
    private static String oneThread(List<String> args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:ActiveProcessorCount=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
