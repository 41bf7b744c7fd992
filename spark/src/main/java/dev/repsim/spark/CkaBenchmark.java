package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.LinearCka;
import dev.repsim.metrics.StreamingReducer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A scripted benchmark of the distributed exact linear CKA (spark/bench.sh runs it): n × d float32 rows
 * of X and Y generated on the executors (row i from its own seeded generator, so every partitioning sees
 * the same data; uniform values of unit variance, Y = a permutation of X's columns plus noise; cheap to
 * make, so the time is the reduction's), reduced to the float64 statistics as {@code metrics --spark}
 * does, timed for each master and partition count. One CSV line per run on stdout: master, workers started for the run
 * (standalone[N]; 0 for a master given as a URL), partitions, rows, dim, seconds (the job, without the session's start), rows per second,
 * and the CKA (equal across runs to 1e-9: the check that every run did the same work).
 *
 * <p>{@code CkaBenchmark ROWS DIM MASTERS PARTITIONS REPEAT}, e.g. {@code 2000000 64 local[1],standalone[2] 2,8 3}
 * ({@code standalone[N]}: a cluster of N one-core workers started on this machine, {@link BenchMaster}).
 */
public final class CkaBenchmark {
    private CkaBenchmark() {}

    /** Unit variance for a uniform value on [−½, ½): √12. */
    private static final double UNIT = Math.sqrt(12.0) / 4294967296.0;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: CkaBenchmark ROWS DIM MASTERS PARTITIONS REPEAT (lists comma-separated)");
            System.exit(2);
        }
        long rows = Long.parseLong(args[0]);
        int dim = Integer.parseInt(args[1]);
        int repeat = Integer.parseInt(args[4]);
        System.out.println("master,workers,partitions,rows,dim,seconds,rows_per_second,linear_cka");
        for (String spec : args[2].split(",")) {
            try (BenchMaster master = BenchMaster.open(spec, "2g")) {
                SparkSession spark = Sessions.start(master.url(), master.conf());
                try {
                    JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
                    int workers = master.workers();
                    reduce(sc, Math.min(rows, 200_000), dim, 2 * Math.max(1, workers)); // warm-up: JIT and executors
                    for (String p : args[3].split(",")) {
                        int parts = Integer.parseInt(p);
                        for (int r = 0; r < repeat; r++) {
                            long t0 = System.nanoTime();
                            CrossCovariance c = reduce(sc, rows, dim, parts);
                            double s = (System.nanoTime() - t0) / 1e9;
                            System.out.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f,%.0f,%.12f%n", spec, workers, parts, rows, dim, s, rows / s,
                                    LinearCka.fromCovariance(c));
                        }
                    }
                } finally {
                    Sessions.stop(spark);
                }
            }
        }
    }

    static CrossCovariance reduce(JavaSparkContext sc, long rows, int dim, int parts) {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < parts; i++) ranges.add(NpyCovariance.range(rows, parts, i));
        return sc.parallelize(ranges, parts)
                .map(r -> generated(r[0], r[1], dim))
                .treeAggregate(new CrossCovariance(dim, dim), CrossCovariance::merge, CrossCovariance::merge, 2);
    }

    /** Runs on an executor: the statistics of generated rows [from, to), in the blocks of the streaming reducer. */
    static CrossCovariance generated(long from, long to, int dim) {
        CrossCovariance c = new CrossCovariance(dim, dim);
        int block = StreamingReducer.blockRows(dim, dim);
        int[] perm = permutation(dim);
        try (Backend b = TaskBackend.open("auto")) {
            for (long at = from; at < to; at += block) {
                int n = (int) Math.min(block, to - at);
                float[] x = new float[n * dim], y = new float[n * dim];
                for (int i = 0; i < n; i++) {
                    SplittableRandom g = new SplittableRandom(0x5DEECE66DL * (at + i + 1));
                    int o = i * dim;
                    for (int j = 0; j < dim; j++) x[o + j] = uniform(g);
                    for (int j = 0; j < dim; j++) y[o + j] = x[o + perm[j]] + 0.5f * uniform(g);
                }
                c.add(Matrix.of(n, dim, x).to(Precision.F64), Matrix.of(n, dim, y).to(Precision.F64), b);
            }
        }
        return c;
    }

    /** A uniform value of mean 0 and variance 1 from 32 random bits (a Gaussian would cost more than the reduction). */
    private static float uniform(SplittableRandom g) {
        return (float) (g.nextInt() * UNIT);
    }

    private static int[] permutation(int dim) {
        int[] p = new int[dim];
        for (int i = 0; i < dim; i++) p[i] = i;
        SplittableRandom g = new SplittableRandom(7);
        for (int i = dim - 1; i > 0; i--) {
            int j = g.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
