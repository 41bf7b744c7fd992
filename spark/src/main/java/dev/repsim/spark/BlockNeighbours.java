package dev.repsim.spark;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.GramBlocks;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Each row's k nearest other rows by block pairs: the n rows cut into B contiguous blocks
 * ({@link NpyCovariance#range}), one task per block pair (I ≤ J) offering every pair of its two blocks
 * to both rows' candidates ({@link GramBlocks#nearest}), the candidates merged per block on the cluster
 * (the merge keeps the k smallest by (distance, index), so its order does not matter) and only the
 * lists of k indices collected. Several row sets of the same n rows (X and Y of the neighbour
 * overlaps) share the tasks. The sets are those of {@link dev.repsim.metrics.KnnShare#neighbours} for
 * float64 rows: the direct-form distances of the ranked rows, ties to the lower index.
 */
final class BlockNeighbours {
    private BlockNeighbours() {}

    /** One row set's ranked rows ({@link GramBlocks#forNeighbours}) of a block, made in the task. */
    @FunctionalInterface
    interface Rows extends Serializable {
        Matrix block(int b);
    }

    /** The block pairs (I ≤ J) of B blocks, one task each. */
    static JavaRDD<int[]> pairs(JavaSparkContext sc, int blocks) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < blocks; i++) for (int j = i; j < blocks; j++) pairs.add(new int[]{i, j});
        return sc.parallelize(pairs, pairs.size());
    }

    /**
     * sets[s][r]: row r's k nearest rows of row set s, nearest first ({@code tasks}: {@link #pairs} of
     * {@code blocks}; 1 ≤ k &lt; n).
     */
    static int[][][] sets(JavaRDD<int[]> tasks, long rows, int blocks, int k, List<Rows> sides) {
        List<Rows> each = List.copyOf(sides);
        List<Tuple2<Integer, int[][][]>> merged = tasks.flatMapToPair(t -> {
            boolean diagonal = t[0] == t[1];
            int a0 = from(rows, blocks, t[0]), b0 = from(rows, blocks, t[1]);
            GramBlocks.Nearest[] forA = new GramBlocks.Nearest[each.size()], forB = new GramBlocks.Nearest[each.size()];
            for (int s = 0; s < each.size(); s++) {
                GramBlocks.Nearest[] found = GramBlocks.nearest(each.get(s).block(t[0]), a0, diagonal ? null : each.get(s).block(t[1]), b0, k);
                forA[s] = found[0];
                forB[s] = found[1];
            }
            List<Tuple2<Integer, GramBlocks.Nearest[]>> out = new ArrayList<>();
            out.add(new Tuple2<>(t[0], forA));
            if (!diagonal) out.add(new Tuple2<>(t[1], forB));
            return out.iterator();
        }).reduceByKey(BlockNeighbours::merge, blocks).mapValues(BlockNeighbours::indices).collect();
        int n = Math.toIntExact(rows);
        int[][][] out = new int[each.size()][n][];
        for (Tuple2<Integer, int[][][]> b : merged) {
            int at = from(rows, blocks, b._1());
            for (int s = 0; s < each.size(); s++) System.arraycopy(b._2()[s], 0, out[s], at, b._2()[s].length);
        }
        for (int[][] side : out) {
            for (int r = 0; r < n; r++) {
                if (side[r] == null || side[r].length != k) throw new IllegalStateException("row " + r + ": no " + k + " neighbours merged");
            }
        }
        return out;
    }

    private static int from(long rows, int blocks, int b) {
        return (int) NpyCovariance.range(rows, blocks, b)[0];
    }

    private static GramBlocks.Nearest[] merge(GramBlocks.Nearest[] a, GramBlocks.Nearest[] b) {
        GramBlocks.Nearest[] m = new GramBlocks.Nearest[a.length];
        for (int s = 0; s < a.length; s++) m[s] = a[s].merge(b[s]);
        return m;
    }

    /** A block's merged candidates of each row set as index lists: only the indices travel to the driver. */
    private static int[][][] indices(GramBlocks.Nearest[] merged) {
        int[][][] m = new int[merged.length][][];
        for (int s = 0; s < merged.length; s++) m[s] = GramBlocks.sets(merged[s]);
        return m;
    }
}
