package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.StreamingReducer;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of two .npy representations on Spark: the rows split into contiguous ranges, one per
 * partition; each executor reads its range of X and Y in blocks and reduces them to a
 * {@link CrossCovariance}; {@code treeAggregate} merges the partial results with the core's own merge.
 */
final class NpyCovariance {
    private NpyCovariance() {}

    /** Rows {@code [from, to)} of partition {@code i} of {@code parts}: as equal as integers allow. */
    static long[] range(long n, int parts, int i) {
        return new long[]{n * i / parts, n * (i + 1) / parts};
    }

    static CrossCovariance reduce(JavaSparkContext sc, NpyRows x, NpyRows y, Precision p, String backend, int partitions) {
        NpyRows.requireSameRows(x, y);
        long n = x.rows();
        int parts = partitions(sc, partitions, n);
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < parts; i++) ranges.add(range(n, parts, i));
        int dx = x.cols(), dy = y.cols();
        return sc.parallelize(ranges, parts)
                .map(r -> rangeStatistics(x, y, r[0], r[1], p, backend))
                .treeAggregate(new CrossCovariance(dx, dy), CrossCovariance::merge, CrossCovariance::merge, 2);
    }

    /** The partitions a job uses: as asked, else the cluster's default parallelism; never more than the rows. */
    static int partitions(JavaSparkContext sc, int asked, long n) {
        int parts = asked > 0 ? asked : sc.defaultParallelism();
        return (int) Math.max(1, Math.min(parts, n));
    }

    /** Runs on an executor: the statistics of rows {@code [from, to)}, read in blocks that stay within one shard of X and of Y. */
    static CrossCovariance rangeStatistics(NpyRows x, NpyRows y, long from, long to, Precision p, String backend) {
        CrossCovariance c = new CrossCovariance(x.cols(), y.cols());
        int block = StreamingReducer.blockRows(x.cols(), y.cols());
        try (Backend b = TaskBackend.open(backend)) {
            for (long at = from; at < to; ) {
                long end = Math.min(Math.min(at + block, to), Math.min(x.shardEnd(at), y.shardEnd(at)));
                Matrix xb = x.read(at, end), yb = y.read(at, end);
                c.add(xb.to(p), yb.to(p), b);
                at = end;
            }
        }
        return c;
    }
}
