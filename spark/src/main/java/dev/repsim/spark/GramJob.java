package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.GramBlocks;
import dev.repsim.backend.RowNorms;
import dev.repsim.metrics.KernelStats;
import dev.repsim.metrics.KnnShare;
import dev.repsim.metrics.LinearCka;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.MinibatchCka;
import dev.repsim.metrics.neighbours.NeighbourOverlap;
import dev.repsim.metrics.neighbours.NeighbourSets;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The all-pairs measures on Spark: the rows cut into B contiguous blocks (as {@link NpyCovariance#range}),
 * one task per block pair (I ≤ J) reading its two blocks of X and Y, each producing a
 * {@link GramBlocks} part; the parts are merged in block-pair order on the driver (row sums grouped by
 * block and added in partner order), so the result does not depend on the scheduling. Every formula is
 * the core's; this class only partitions, runs the tasks and merges.
 */
final class GramJob {
    private GramJob() {}

    static final String EXACT = "exact all-pairs";
    static final String MINIBATCH = "minibatch";

    private final static class Plan implements java.io.Serializable {
        final NpyRows x, y;
        final Precision p;
        final String backend;
        final long n;
        final int blocks;

        Plan(NpyRows x, NpyRows y, Precision p, String backend, int blocks) {
            this.x = x;
            this.y = y;
            this.p = p;
            this.backend = backend;
            this.n = x.rows();
            this.blocks = blocks;
        }

        long from(int b) { return NpyCovariance.range(n, blocks, b)[0]; }

        long to(int b) { return NpyCovariance.range(n, blocks, b)[1]; }

        Matrix x(int b) { return x.range(from(b), to(b), p); }

        Matrix y(int b) { return y.range(from(b), to(b), p); }

        int blockOf(long row) {
            int b = (int) Math.min(blocks - 1, row * blocks / n);
            while (row < from(b)) b--;
            while (row >= to(b)) b++;
            return b;
        }
    }

    static Map<Metric, Double> run(JavaSparkContext sc, NpyRows x, NpyRows y, Precision p, String backend, int blocks,
                                   List<Metric> list, MetricOptions o, String route) {
        NpyRows.requireSameRows(x, y);
        Plan plan = new Plan(x, y, p, backend, blocks);
        JavaRDD<int[]> tasks = BlockNeighbours.pairs(sc, blocks);
        Map<Metric, Double> values = new LinkedHashMap<>();
        boolean rbf = list.stream().anyMatch(m -> m == Metric.RBF_CKA || m == Metric.RBF_CKA_DEBIASED);
        boolean centred = rbf || list.contains(Metric.LINEAR_CKA_DEBIASED);
        double[] mx = centred ? means(sc, plan, true) : null, my = centred ? means(sc, plan, false) : null;
        if (rbf) {
            double[] sigma2 = bandwidths(sc, plan, tasks, mx, my, o, route.equals(EXACT));
            if (route.equals(EXACT)) {
                KernelStats s = rbfStats(sc, plan, tasks, mx, my, sigma2);
                for (Metric m : list) {
                    if (m == Metric.RBF_CKA) values.put(m, s.biased().cka());
                    if (m == Metric.RBF_CKA_DEBIASED) values.put(m, s.unbiased().cka());
                }
            } else {
                double v = minibatch(sc, plan, o, sigma2);
                for (Metric m : list) if (m == Metric.RBF_CKA || m == Metric.RBF_CKA_DEBIASED) values.put(m, v);
            }
        }
        if (list.contains(Metric.LINEAR_CKA_DEBIASED)) {
            values.put(Metric.LINEAR_CKA_DEBIASED, linearDebiased(sc, plan, mx, my));
        }
        if (list.contains(Metric.MINIBATCH_CKA)) values.put(Metric.MINIBATCH_CKA, minibatch(sc, plan, o, null));
        if (list.stream().anyMatch(Metric::usesNeighbours)) {
            NeighbourSets s = neighbours(plan, tasks, o.k());
            for (Metric m : list) {
                if (m == Metric.JACCARD_KNN) values.put(m, NeighbourOverlap.jaccard(s));
                if (m == Metric.MUTUAL_KNN) values.put(m, NeighbourOverlap.mutual(s));
            }
        }
        Map<Metric, Double> ordered = new LinkedHashMap<>();
        for (Metric m : list) ordered.put(m, values.get(m));
        return ordered;
    }

    /**
     * The largest magnitude of X's rows and of Y's ({@link Matrix#maxAbs}), in one pass over the row blocks,
     * read in float64 (widening float32 is exact), for the check of {@code Similarity.checkMagnitude}.
     */
    static double[] maxAbs(JavaSparkContext sc, NpyRows x, NpyRows y, int blocks) {
        Plan plan = new Plan(x, y, Precision.F64, "java", blocks);
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < blocks; b++) ids.add(b);
        return sc.parallelize(ids, blocks).map(b -> new double[]{plan.x(b).maxAbs(), plan.y(b).maxAbs()})
                .reduce((a, c) -> new double[]{Math.max(a[0], c[0]), Math.max(a[1], c[1])});
    }

    /** The column means of the local run, bit for bit: sums of its fixed row blocks, added in block order. */
    private static double[] means(JavaSparkContext sc, Plan plan, boolean ofX) {
        int count = (int) Math.max(1, Math.ceilDiv(plan.n, Matrix.MEAN_BLOCK_ROWS));
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < count; b++) ids.add(b);
        List<double[]> sums = sc.parallelize(ids, Math.min(count, plan.blocks)).map(b -> {
            long from = (long) b * Matrix.MEAN_BLOCK_ROWS, to = Math.min(plan.n, from + Matrix.MEAN_BLOCK_ROWS);
            Matrix rows = (ofX ? plan.x : plan.y).range(from, to, plan.p);
            return rows.columnSums(0, rows.rows());
        }).collect(); // collect keeps the order of the list
        return Matrix.meansOfBlockSums(sums.toArray(double[][]::new), plan.n);
    }

    /** σ² of X and Y: from --sigma-abs, or the median of the centred rows' squared distances as locally. */
    private static double[] bandwidths(JavaSparkContext sc, Plan plan, JavaRDD<int[]> tasks, double[] mx, double[] my,
                                       MetricOptions o, boolean exactRoute) {
        if (o.sigmaAbs() > 0) return new double[]{GramBlocks.bandwidth(0, o, "X"), GramBlocks.bandwidth(0, o, "Y")};
        int n = Math.toIntExact(plan.n);
        boolean exact = exactRoute && GramBlocks.exactMedian(n);
        double[][] d = sampleDistances(sc, plan, tasks, mx, my, GramBlocks.samplePairs(n, exact, o.seed()));
        double medX, medY;
        if (!exact) {
            medX = GramBlocks.sampledMedian(d[0]);
            medY = GramBlocks.sampledMedian(d[1]);
        } else {
            medX = Double.NaN;
            medY = Double.NaN;
            for (int attempt = 0; Double.isNaN(medX) || Double.isNaN(medY); attempt++) {
                double[] wx = GramBlocks.window(d[0], attempt), wy = GramBlocks.window(d[1], attempt);
                List<GramBlocks.WindowPart[]> parts = tasks.map(t -> {
                    try (Backend b = TaskBackend.open(plan.backend)) {
                        Matrix xa = GramBlocks.forMedian(plan.x(t[0]), mx), ya = GramBlocks.forMedian(plan.y(t[0]), my);
                        Matrix xb = t[0] == t[1] ? null : GramBlocks.forMedian(plan.x(t[1]), mx);
                        Matrix yb = t[0] == t[1] ? null : GramBlocks.forMedian(plan.y(t[1]), my);
                        return new GramBlocks.WindowPart[]{GramBlocks.window(xa, xb, wx[0], wx[1], b), GramBlocks.window(ya, yb, wy[0], wy[1], b)};
                    }
                }).collect();
                if (Double.isNaN(medX)) medX = GramBlocks.WindowPart.merge(parts.stream().map(w -> w[0]).toList()).median(n);
                if (Double.isNaN(medY)) medY = GramBlocks.WindowPart.merge(parts.stream().map(w -> w[1]).toList()).median(n);
            }
        }
        return new double[]{GramBlocks.bandwidth(medX, o, "X"), GramBlocks.bandwidth(medY, o, "Y")};
    }

    /** The direct-form distances of the sampled pairs, each computed by the task of the block pair that holds both rows. */
    private static double[][] sampleDistances(JavaSparkContext sc, Plan plan, JavaRDD<int[]> tasks, double[] mx, double[] my,
                                              long[] sample) {
        Broadcast<long[]> pairs = sc.broadcast(sample);
        List<double[]> found = tasks.flatMap(t -> {
            long[] all = pairs.value();
            Matrix xa = GramBlocks.forMedian(plan.x(t[0]), mx), ya = GramBlocks.forMedian(plan.y(t[0]), my);
            Matrix xb = t[0] == t[1] ? xa : GramBlocks.forMedian(plan.x(t[1]), mx);
            Matrix yb = t[0] == t[1] ? ya : GramBlocks.forMedian(plan.y(t[1]), my);
            long a0 = plan.from(t[0]), b0 = plan.from(t[1]);
            List<double[]> out = new ArrayList<>();
            for (int s = 0; s < all.length; s++) {
                long i = all[s] >>> 32, j = all[s] & 0xffffffffL;
                int bi = plan.blockOf(i), bj = plan.blockOf(j);
                if (bi == t[0] && bj == t[1]) {
                    out.add(new double[]{s, GramBlocks.distance(xa, (int) (i - a0), xb, (int) (j - b0)),
                            GramBlocks.distance(ya, (int) (i - a0), yb, (int) (j - b0))});
                } else if (bi == t[1] && bj == t[0] && bi != bj) {
                    out.add(new double[]{s, GramBlocks.distance(xb, (int) (i - b0), xa, (int) (j - a0)),
                            GramBlocks.distance(yb, (int) (i - b0), ya, (int) (j - a0))});
                }
            }
            return out.iterator();
        }).collect();
        pairs.destroy();
        double[][] d = new double[2][sample.length];
        for (double[] f : found) {
            d[0][(int) f[0]] = f[1];
            d[1][(int) f[0]] = f[2];
        }
        if (found.size() != sample.length) throw new IllegalStateException(found.size() + " of " + sample.length + " sampled pairs computed");
        return d;
    }

    /** The kernel statistics of all pairs: each block's row sums added in partner order, scalars in block-pair order. */
    private static KernelStats rbfStats(JavaSparkContext sc, Plan plan, JavaRDD<int[]> tasks, double[] mx, double[] my, double[] s2) {
        JavaPairRDD<Integer, Piece> pieces = tasks.flatMapToPair(t -> {
            GramBlocks.RbfPart part;
            try (Backend b = TaskBackend.open(plan.backend)) {
                Matrix xa = plan.x(t[0]).centered(mx), ya = plan.y(t[0]).centered(my);
                Matrix xb = t[0] == t[1] ? null : plan.x(t[1]).centered(mx), yb = t[0] == t[1] ? null : plan.y(t[1]).centered(my);
                part = GramBlocks.rbf(xa, xb, ya, yb, s2[0], s2[1], b);
            }
            int m = xaRows(plan, t[0]);
            List<Tuple2<Integer, Piece>> out = new ArrayList<>();
            out.add(new Tuple2<>(t[0], new Piece(t[1], part.kl(), part.kk(), part.ll(),
                    java.util.Arrays.copyOf(part.rowK(), m), java.util.Arrays.copyOf(part.rowL(), m))));
            if (t[0] != t[1]) {
                int w = part.rowK().length;
                out.add(new Tuple2<>(t[1], new Piece(t[0], 0, 0, 0, java.util.Arrays.copyOfRange(part.rowK(), m, w),
                        java.util.Arrays.copyOfRange(part.rowL(), m, w))));
            }
            return out.iterator();
        });
        List<Tuple2<Integer, Piece>> perBlock = pieces.groupByKey(plan.blocks).mapValues(ps -> {
            List<Piece> sorted = new ArrayList<>();
            ps.forEach(sorted::add);
            sorted.sort(Comparator.comparingInt(Piece::partner));
            Piece acc = sorted.getFirst();
            for (Piece q : sorted.subList(1, sorted.size())) acc = acc.plus(q);
            return acc;
        }).collect();
        List<Tuple2<Integer, Piece>> byBlock = new ArrayList<>(perBlock);
        byBlock.sort(Comparator.comparingInt(Tuple2::_1));
        int n = Math.toIntExact(plan.n);
        double kl = 0, kk = 0, ll = 0;
        double[] rowK = new double[n], rowL = new double[n];
        for (Tuple2<Integer, Piece> b : byBlock) {
            Piece q = b._2();
            kl += q.kl;
            kk += q.kk;
            ll += q.ll;
            int at = (int) plan.from(b._1());
            System.arraycopy(q.rowK, 0, rowK, at, q.rowK.length);
            System.arraycopy(q.rowL, 0, rowL, at, q.rowL.length);
        }
        return GramBlocks.rbfStats(n, kl, kk, ll, rowK, rowL);
    }

    private static int xaRows(Plan plan, int block) {
        return (int) (plan.to(block) - plan.from(block));
    }

    /** One block's share of one block pair: the pair's scalar sums (on the pair's first block only) and its row sums. */
    record Piece(int partner, double kl, double kk, double ll, double[] rowK, double[] rowL) implements java.io.Serializable {
        Piece plus(Piece o) {
            double[] k = rowK.clone(), l = rowL.clone();
            for (int r = 0; r < k.length; r++) {
                k[r] += o.rowK[r];
                l[r] += o.rowL[r];
            }
            return new Piece(partner, kl + o.kl, kk + o.kk, ll + o.ll, k, l);
        }
    }

    /**
     * Minibatch CKA: the core's seeded batches of {@code --batch-size} rows (a shuffle sends every row to
     * its batch, kept in the batch's order), each batch's unbiased HSIC, summed in batch order. Linear
     * kernels ({@code s2} null: minibatch-cka itself), or Gaussian ones with the global σ² (the RBF
     * measures above the pairs limit).
     */
    private static double minibatch(JavaSparkContext sc, Plan plan, MetricOptions o, double[] s2) {
        int n = Math.toIntExact(plan.n);
        int[][] batches = MinibatchCka.batches(n, o.batchSize(), o.seed());
        int[] batchOf = new int[n], position = new int[n];
        for (int t = 0; t < batches.length; t++) {
            for (int r = 0; r < batches[t].length; r++) {
                batchOf[batches[t][r]] = t;
                position[batches[t][r]] = r;
            }
        }
        Broadcast<int[]> where = sc.broadcast(batchOf), at = sc.broadcast(position);
        List<Integer> blocks = new ArrayList<>();
        for (int b = 0; b < plan.blocks; b++) blocks.add(b);
        int[] sizes = java.util.Arrays.stream(batches).mapToInt(b -> b.length).toArray();
        List<Tuple2<Integer, double[]>> hsic = sc.parallelize(blocks, plan.blocks).flatMapToPair(b -> {
            Matrix xb = plan.x(b).to(Precision.F64), yb = plan.y(b).to(Precision.F64);
            int dx = xb.cols(), dy = yb.cols();
            List<Tuple2<Integer, double[]>> out = new ArrayList<>();
            for (int r = 0; r < xb.rows(); r++) {
                int row = (int) plan.from(b) + r;
                double[] v = new double[1 + dx + dy];
                v[0] = at.value()[row];
                System.arraycopy(xb.f64(), r * dx, v, 1, dx);
                System.arraycopy(yb.f64(), r * dy, v, 1 + dx, dy);
                out.add(new Tuple2<>(where.value()[row], v));
            }
            return out.iterator();
        }).groupByKey(plan.blocks).mapToPair(e -> {
            int size = sizes[e._1()];
            double[][] rows = new double[size][];
            for (double[] v : e._2()) rows[(int) v[0]] = v;
            int dx = plan.x.cols(), dy = plan.y.cols();
            Matrix xb = gather(rows, 1, dx, plan.p), yb = gather(rows, 1 + dx, dy, plan.p);
            try (Backend b = TaskBackend.open(plan.backend)) {
                KernelStats.Hsic h = s2 == null ? MinibatchCka.linearBatch(xb, yb, b) : MinibatchCka.rbfBatch(xb, yb, s2[0], s2[1], b);
                return new Tuple2<>(e._1(), new double[]{h.kl(), h.kk(), h.ll()});
            }
        }).collect();
        where.destroy();
        at.destroy();
        List<Tuple2<Integer, double[]>> sorted = new ArrayList<>(hsic);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        return MinibatchCka.cka(sorted.stream().map(t -> new KernelStats.Hsic(t._2()[0], t._2()[1], t._2()[2])).toList());
    }

    /**
     * Debiased linear CKA in the feature form ({@link LinearCka#featureStats}): per row block the
     * centred co-moments, X̄ᵀ1 and the squared norms (merged in block order), then per block K1 = X̄(X̄ᵀ1).
     * Exact for any n: O(n·d²) work, four float64 values per row on the driver.
     */
    private static double linearDebiased(JavaSparkContext sc, Plan plan, double[] mx, double[] my) {
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < plan.blocks; b++) ids.add(b);
        JavaRDD<Integer> blocks = sc.parallelize(ids, plan.blocks);
        List<double[][]> parts = blocks.map(b -> {
            Matrix xb = plan.x(b), yb = plan.y(b);
            try (Backend be = TaskBackend.open(plan.backend)) {
                Backend.CoMoments m = be.centeredCoMoments(xb, mx, yb, my);
                return new double[][]{m.aa(), m.bb(), m.ab(), LinearCka.centredSum(xb, mx), LinearCka.centredSum(yb, my),
                        RowNorms.squared(xb, mx), RowNorms.squared(yb, my)};
            }
        }).collect();
        double[][] sum = new double[5][];
        for (int k = 0; k < 5; k++) {
            sum[k] = parts.getFirst()[k].clone();
            for (double[][] p : parts.subList(1, parts.size())) for (int c = 0; c < sum[k].length; c++) sum[k][c] += p[k][c];
        }
        double[] sx = sum[3], sy = sum[4];
        List<double[][]> rows = blocks.map(b -> new double[][]{LinearCka.rowSums(plan.x(b), mx, sx), LinearCka.rowSums(plan.y(b), my, sy)}).collect();
        int n = Math.toIntExact(plan.n);
        double[] rowK = new double[n], rowL = new double[n], diagK = new double[n], diagL = new double[n];
        for (int b = 0; b < plan.blocks; b++) {
            int at = (int) plan.from(b);
            System.arraycopy(rows.get(b)[0], 0, rowK, at, rows.get(b)[0].length);
            System.arraycopy(rows.get(b)[1], 0, rowL, at, rows.get(b)[1].length);
            System.arraycopy(parts.get(b)[5], 0, diagK, at, parts.get(b)[5].length);
            System.arraycopy(parts.get(b)[6], 0, diagL, at, parts.get(b)[6].length);
        }
        Backend.CoMoments m = new Backend.CoMoments(sum[0], sum[1], sum[2]);
        return LinearCka.featureStats(n, m, rowK, rowL, diagK, diagL).unbiased().cka();
    }

    /** Columns [from, from+width) of the gathered rows as a matrix in precision p (values stored as float64 exactly). */
    private static Matrix gather(double[][] rows, int from, int width, Precision p) {
        double[] d = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], from, d, r * width, width);
        return Matrix.of(rows.length, width, d).to(p);
    }

    /** Each row's k nearest in X and in Y (cosine, as the neighbour overlaps rank them), from the same block-pair tasks. */
    private static NeighbourSets neighbours(Plan plan, JavaRDD<int[]> tasks, int k) {
        int[][][] sets = BlockNeighbours.sets(tasks, plan.n, plan.blocks, k,
                List.of(b -> GramBlocks.forNeighbours(plan.x(b), KnnShare.Distance.COSINE), b -> GramBlocks.forNeighbours(plan.y(b), KnnShare.Distance.COSINE)));
        return new NeighbourSets(k, sets[0], sets[1], null, null);
    }
}
