package dev.repsim.bench;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The data every suite runs on, shared by {@link GemmBenchmark} and {@link MetricBenchmark}: one backend
 * and two n × d matrices X, Y generated once per trial from a fixed seed, so every backend and every
 * run sees the same numbers.
 *
 * <p>X has independent Gaussian columns with standard deviation (1 + j)^(-1/2), a decaying spectrum
 * like that of real embeddings (it matters for SVCCA, which keeps the directions that explain 99 % of
 * the variance). Y is a noisy, column-permuted, sign-flipped copy of X, so CKA and the canonical
 * correlations are far from 0 and 1 (a realistic pair of layers, not a degenerate one).
 */
@State(Scope.Benchmark)
public class Workload {
    /** Seed of every generated matrix. */
    public static final long SEED = 20_230_602L;
    /** Rows per generator block: each block draws from its own pre-split stream, so the data does not
     *  depend on the number of threads that fill it. */
    private static final int BLOCK_ROWS = 256;

    @Param({"java", "blas"})
    public String backend;

    @Param({"1000", "10000", "50000"})
    public int n;

    @Param({"384", "768", "1024", "2048"})
    public int d;

    @Param({"f64", "f32"})
    public String precision;

    public Matrix x;
    public Matrix y;
    public Backend engine;

    @Setup(Level.Trial)
    public void setUp() {
        Precision p = Precision.parse(precision);
        x = features(n, d, p, SEED);
        y = partner(x, SEED + 1);
        engine = Backends.open(backend, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    public Precision precisionValue() {
        return Precision.parse(precision);
    }

    /** n × d Gaussian features with column j scaled by (1 + j)^(-1/2). */
    public static Matrix features(int n, int d, Precision p, long seed) {
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) scale[j] = 1.0 / Math.sqrt(1.0 + j);
        return fill(n, d, p, seed, (rng, i, j) -> scale[j] * rng.nextGaussian());
    }

    /**
     * Y with y_ij = s_j · 0.8 · x_{i,π(j)} + 0.6 · σ_j · z_ij: a random permutation π and signs s of X's
     * columns plus Gaussian noise z scaled like the column it lands in (σ_j = std of x_{·,π(j)}).
     */
    public static Matrix partner(Matrix x, long seed) {
        int d = x.cols();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = IntStream.range(0, d).toArray();
        for (int j = d - 1; j > 0; j--) {
            int k = rng.nextInt(j + 1);
            int t = perm[j];
            perm[j] = perm[k];
            perm[k] = t;
        }
        double[] sign = new double[d];
        double[] noise = new double[d];
        for (int j = 0; j < d; j++) {
            sign[j] = rng.nextBoolean() ? 0.8 : -0.8;
            noise[j] = 0.6 / Math.sqrt(1.0 + perm[j]);
        }
        return fill(x.rows(), d, x.precision(), rng.nextLong(),
                (r, i, j) -> sign[j] * x.get(i, perm[j]) + noise[j] * r.nextGaussian());
    }

    @FunctionalInterface
    private interface Entry {
        double value(SplittableRandom rng, int row, int col);
    }

    private static Matrix fill(int n, int d, Precision p, long seed, Entry entry) {
        long size = (long) n * d;
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(n + " x " + d + " does not fit one Java array");
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[blocks];
        for (int b = 0; b < blocks; b++) streams[b] = root.split();
        double[] f64 = p == Precision.F64 ? new double[(int) size] : null;
        float[] f32 = p == Precision.F32 ? new float[(int) size] : null;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            SplittableRandom rng = streams[b];
            for (int i = b * BLOCK_ROWS, end = Math.min(n, i + BLOCK_ROWS); i < end; i++) {
                int o = i * d;
                for (int j = 0; j < d; j++) {
                    double v = entry.value(rng, i, j);
                    if (f64 != null) f64[o + j] = v;
                    else f32[o + j] = (float) v;
                }
            }
        });
        return f64 != null ? Matrix.of(n, d, f64) : Matrix.of(n, d, f32);
    }
}
