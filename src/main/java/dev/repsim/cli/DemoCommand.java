package dev.repsim.cli;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code repsim demo}: the main job on built-in data. Until the image study lands, it compares a seeded
 * representation of n "images" with four degraded versions of it (mimicking variants that keep less of
 * the image) on every metric, and prints the table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the built-in demonstration.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--backend", defaultValue = "auto", description = "auto, java, blas or opencl.")
    String backend;

    @Override
    public Integer call() {
        int n = 2000, latent = 24, d = 128;
        SplittableRandom rnd = new SplittableRandom(2306_01398L);
        double[] z = gaussian(rnd, n * latent);
        double[] proj = gaussian(rnd, latent * d);
        Matrix full = project(z, n, latent, proj, d, rnd, 0.1, latent);
        String[] names = {"foreground (keeps 18 of 24 factors)", "center (keeps 12)", "border (keeps 6)", "background (keeps 2)"};
        int[] kept = {18, 12, 6, 2};
        try (Backend b = Backends.open(backend, null)) {
            System.out.printf(Locale.ROOT, "repsim demo: synthetic representations, n=%d, d=%d, backend=%s%n", n, d, b.name());
            System.out.printf(Locale.ROOT, "%-36s", "full vs");
            for (Metric m : Metric.values()) System.out.printf(Locale.ROOT, " %11s", m.label().replace("-debiased", "-deb"));
            System.out.println();
            for (int v = 0; v < names.length; v++) {
                Matrix variant = project(z, n, latent, proj, d, rnd, 0.3, kept[v]);
                System.out.printf(Locale.ROOT, "%-36s", names[v]);
                for (Metric m : Metric.values()) {
                    System.out.printf(Locale.ROOT, " %11.4f", Similarity.compute(m, full, variant, b, MetricOptions.DEFAULTS));
                }
                System.out.println();
            }
        }
        return 0;
    }

    private static double[] gaussian(SplittableRandom rnd, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            double u = rnd.nextDouble(), w = rnd.nextDouble();
            a[i] = Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w);
        }
        return a;
    }

    /** Rows z_i (first {@code keep} latent factors) projected to d features, plus noise. */
    private static Matrix project(double[] z, int n, int latent, double[] proj, int d, SplittableRandom rnd, double noise, int keep) {
        double[] out = new double[n * d];
        double[] e = gaussian(rnd, n * d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < keep; k++) s += z[i * latent + k] * proj[k * d + j];
                out[i * d + j] = s + noise * e[i * d + j];
            }
        }
        return Matrix.of(n, d, out);
    }
}
