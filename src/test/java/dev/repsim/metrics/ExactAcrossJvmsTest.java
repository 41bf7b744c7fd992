package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.backend.Decompositions;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The values repsim calls exact (canonical sums, median bandwidths on every path, neighbour sets, RSA and the
 * neighbour-set measures), and the java backend's eigendecomposition, SVD and inverse Cholesky factor, are
 * bit-identical in JVMs that differ in vector width (-XX:MaxVectorSize=16, 32, 64: 2, 4 and 8 double
 * lanes where the CPU has them), in compilation (-Xint, interpreted, against this JVM after repeated
 * calls, whose values must not change as the JIT compiles them either) and in core count
 * (-XX:ActiveProcessorCount=1 and 3, which change every thread pool's size: one thread, and an odd split
 * beside this JVM's). Each child prints its values as hexadecimal bits; all must equal this JVM's.
 */
class ExactAcrossJvmsTest {
    private static final List<List<String>> CONFIGS = List.of(
            List.of("-XX:MaxVectorSize=16"), List.of("-XX:MaxVectorSize=32"), List.of("-XX:MaxVectorSize=64"),
            List.of("-Xint"), List.of("-XX:ActiveProcessorCount=1"), List.of("-XX:ActiveProcessorCount=3"));

    /** Child entry point: prints one "key=value" line per exact value, or per {@link #jitValues} with "jit". */
    public static void main(String[] args) {
        (args.length > 0 && args[0].equals("jit") ? jitValues() : values()).forEach((k, v) -> System.out.println(k + "=" + v));
    }

    /**
     * Kernel sums that are not exact (they follow the vector width and the thread count) but must not
     * follow the JIT state: the RBF kernels' statistics on both of their paths (the one pass over the
     * Gram tiles, and the tiles for float32 rows or a given σ) and the linear kernels' row sums. They
     * once ended in {@code reduceLanes(ADD)}, whose order C2 and the interpreter choose differently, so
     * {@code repsim metrics --json} printed other last digits from run to run.
     */
    static Map<String, String> jitValues() {
        Map<String, String> out = new LinkedHashMap<>();
        // Small (the -Xint child runs the Vector API's Java fallback), but above the one pass's 128 rows.
        Matrix x = TestData.gaussian(150, 19, 7), y = TestData.correlatedWith(x, 23, 1.0, 8);
        for (String name : TestData.BACKENDS) {
            if (name.equals("opencl")) continue;
            try (Backend b = Backends.open(name, null)) {
                // The debiased estimator uses the same kernel sums (KernelStats), so the biased one stands for both.
                Metric m = Metric.RBF_CKA;
                out.put("rbf-cka.onePass." + name, hex(Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS)));
                out.put("rbf-cka.f32." + name, hex(Similarity.compute(m, x.to(dev.repsim.linalg.Precision.F32),
                        y.to(dev.repsim.linalg.Precision.F32), b, MetricOptions.DEFAULTS)));
                out.put("rbf-cka.sigmaAbs." + name, hex(Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS.withSigmaAbs(5.0))));
                out.put("linear-cka.rowSums." + name, Arrays.hashCode(LinearCka.rowSums(x, x.columnMeans())) + "");
            }
        }
        return out;
    }

    /** The exact values on fixed seeded data, on every host backend here. */
    static Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(2024);
        for (int d : new int[]{1, 7, 8, 13, 64, 100, 771}) {
            double[] v = new double[2 * d];
            for (int i = 0; i < v.length; i++) v[i] = (r.nextDouble() - 0.5) * Math.scalb(1.0, r.nextInt(-20, 20));
            out.put("norm.d" + d, hex(FixedOrderSums.squaredNorm(v, 0, d)));
            out.put("distance.d" + d, hex(FixedOrderSums.squaredDistance(v, 0, v, d, d)));
        }
        Matrix small = TestData.gaussian(300, 19, 1).centered();
        Matrix large = TestData.lowRank(1100, 30, 6, 2).centered();
        Matrix sampled = TestData.gaussian(20_001, 3, 3).centered();
        Matrix z = TestData.shiftedScaled(400, 17, 4);
        out.put("median.sampled", hex(MedianDistance.of(sampled, null, 5)));
        // The java backend's eigendecomposition (blocked tridiagonalisation at this order) has fixed
        // summation orders too: the same bits at every vector width and thread count.
        try (Backend java = Backends.open("java", null)) {
            int d = 170;
            double[] a = new double[d * d]; // built here, not by a backend product (whose blocking depends on the width)
            for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = r.nextDouble() - 0.5;
            Decompositions.Eigen e = java.eigenSymmetric(a, d);
            out.put("eigen.java", Arrays.hashCode(e.values()) + "/" + Arrays.hashCode(e.vectors()));
            // Its SVD too: a panel of the blocked bidiagonalisation and unblocked steps after it (176 × 161),
            // blocked reflectors on each side and the bidiagonal's divide and conquer (two levels of merges),
            // with both sides' vectors, with U alone, and the values alone (implicit QR).
            int m = 176, n = 161;
            double[] b = new double[m * n];
            for (int i = 0; i < b.length; i++) b[i] = r.nextDouble() - 0.5;
            Decompositions.Svd svd = java.svd(b, m, n);
            out.put("svd.java", Arrays.hashCode(svd.s()) + "/" + Arrays.hashCode(svd.u()) + "/" + Arrays.hashCode(svd.vt()));
            Decompositions.Svd left = java.leftSvd(b, m, n);
            out.put("leftSvd.java", Arrays.hashCode(left.s()) + "/" + Arrays.hashCode(left.u()));
            out.put("singularValues.java", Arrays.hashCode(java.singularValues(b, m, n)) + "");
            // The inverse Cholesky factor of CCA's whitening (several column strips at this order).
            for (int i = 0; i < d; i++) a[i * d + i] += d;
            out.put("choleskyInverse.java", Arrays.hashCode(java.inverseCholeskyFactor(a, d, 0)) + "");
        }
        for (String name : TestData.BACKENDS) {
            if (name.equals("opencl")) continue; // its own tests cover it; a device per child JVM is slow to start
            try (Backend b = Backends.open(name, null)) {
                out.put("median.allPairs." + name, hex(MedianDistance.of(small, b, 5)));
                out.put("median.screened." + name, hex(MedianDistance.of(large, b, 5)));
                for (KnnShare.Distance dist : KnnShare.Distance.values()) {
                    out.put("knn." + dist + "." + name, Arrays.deepToString(KnnShare.neighbours(z, 7, dist, b)).hashCode() + "");
                }
                // RSA's ranks and the measures on exact neighbour sets (canonical distances and cosines)
                Matrix v = z.rows(0, 150), w = TestData.correlatedWith(v, 9, 1.0, 5); // small: the -Xint child runs it too
                for (Metric m : List.of(Metric.RSA, Metric.JACCARD_KNN, Metric.MUTUAL_KNN, Metric.RANK_SIMILARITY,
                        Metric.SECOND_ORDER_COSINE, Metric.CKNNA)) {
                    out.put(m.label() + "." + name, hex(Similarity.compute(m, v, w, b, MetricOptions.DEFAULTS.withK(7))));
                }
                out.put("rsa.euclidean." + name, hex(Similarity.compute(Metric.RSA, v, w, b, MetricOptions.DEFAULTS.withRdm(dev.repsim.metrics.rsa.Rdm.EUCLIDEAN))));
            }
        }
        return out;
    }

    private static String hex(double v) {
        return Long.toHexString(Double.doubleToRawLongBits(v));
    }

    @Test
    void exactValuesAreTheSameBitsInEveryJvm() throws Exception {
        Map<String, String> here = values();
        // Again in this JVM, so that the comparison below is with code C2 has compiled by now.
        for (int warm = 0; warm < 3; warm++) assertEquals(here, values(), "the same JVM, warmer");
        for (List<String> flags : CONFIGS) assertSameInChild(here, flags);
    }

    @Test
    void kernelSumsAreTheSameBitsCompiledOrInterpreted() throws Exception {
        Map<String, String> here = jitValues();
        // Warm: the loops C2 compiles by now give the values that the -Xint child computes interpreted.
        for (int warm = 0; warm < 20; warm++) assertEquals(here, jitValues(), "the same JVM, warmer");
        List<String> flags = new ArrayList<>(List.of("-Xint"));
        // The same vector width and core count as this JVM: these sums follow both.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxVectorSize=") || arg.startsWith("-XX:ActiveProcessorCount=") || arg.startsWith("-XX:UseAVX=")) flags.add(arg);
        }
        assertSameInChild(here, flags, "jit");
    }

    /** Runs {@link #main} with {@code args} in a JVM with {@code flags} and compares what it prints with {@code here}. */
    private static void assertSameInChild(Map<String, String> here, List<String> flags, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "--add-modules",
                "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ExactAcrossJvmsTest.class.getName()));
        cmd.addAll(List.of(args));
        Map<String, String> there = run(cmd);
        assertEquals(here.keySet(), there.keySet(), "values listed under " + flags);
        for (String k : here.keySet()) assertEquals(here.get(k), there.get(k), k + " under " + flags);
    }

    private static Map<String, String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child did not finish: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "child failed: " + cmd + "\n" + text);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("[") && !line.contains(" ")) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }
}
