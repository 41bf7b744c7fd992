package dev.repsim.spark;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.KnnShare;
import dev.repsim.study.NeighbourStage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The neighbour sets of a study's neighbour analysis on Spark (the driver's side): per model, the pooled
 * rows made ranked rows here ({@link KnnShare#ranked}: the local run's rows, and its errors with their
 * global row numbers), cut into contiguous blocks each shipped once as a broadcast variable, then
 * {@link BlockNeighbours} on the block pairs. One session serves every model.
 */
final class SparkStudyNeighbours implements NeighbourStage.RemoteNeighbours {
    private final String master;
    private final Map<String, String> conf;
    private final int partitions;

    SparkStudyNeighbours(String master, Map<String, String> conf, int partitions) {
        this.master = master;
        this.conf = conf;
        this.partitions = partitions;
    }

    @Override
    public Map<String, int[][]> neighbours(List<String> models, Function<String, Matrix> pooled, int k, KnnShare.Distance distance,
                                           Runnable done) {
        SparkSession spark = Sessions.start(master, conf);
        try {
            JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
            Map<String, int[][]> out = new LinkedHashMap<>();
            for (String m : models) {
                Matrix ranked = KnnShare.ranked(pooled.apply(m), distance);
                KnnShare.requireK(ranked.rows(), k);
                int blocks = NpyCovariance.partitions(sc, partitions, ranked.rows());
                if (out.isEmpty()) {
                    System.err.printf(Locale.ROOT, "study: neighbour sets on Spark (%s): %d pooled rows per model in %d blocks, %d block pairs%n",
                            master, ranked.rows(), blocks, blocks * (blocks + 1) / 2);
                }
                out.put(m, sets(sc, ranked, blocks, k));
                done.run();
            }
            return out;
        } catch (Exception e) {
            throw JobErrors.rethrow(e);
        } finally {
            Sessions.stop(spark);
        }
    }

    /** The sets of one model's ranked rows in the given number of blocks. */
    static int[][] sets(JavaSparkContext sc, Matrix ranked, int blocks, int k) {
        int n = ranked.rows(), d = ranked.cols();
        // Each block once from the driver; an executor fetches only the blocks its tasks read.
        List<Broadcast<double[]>> parts = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            long[] r = NpyCovariance.range(n, blocks, b);
            parts.add(sc.broadcast(ranked.rows((int) r[0], (int) r[1]).f64()));
        }
        try {
            JavaRDD<int[]> tasks = BlockNeighbours.pairs(sc, blocks);
            return BlockNeighbours.sets(tasks, n, blocks, k, List.of(b -> {
                double[] rows = parts.get(b).value();
                return Matrix.of(rows.length / d, d, rows);
            }))[0];
        } finally {
            for (Broadcast<double[]> p : parts) p.destroy();
        }
    }
}
