package dev.repsim.spark;

import dev.repsim.cli.SparkMode;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.study.NeighbourStage;
import dev.repsim.study.StudyEmbeddings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/** The Spark module's implementation of {@link SparkMode} (found by the core through ServiceLoader). */
public final class SparkEntry implements SparkMode {

    @Override
    public Reduction covariance(String master, Map<String, String> conf, String x, String y, Precision precision, String backend,
                                int partitions) {
        HadoopFiles files = HadoopFiles.of(conf);
        boolean npyX = NpyRows.isNpy(x, files), npyY = NpyRows.isNpy(y, files);
        if (npyX != npyY) {
            throw new InputException("--spark: " + (npyX ? x : y) + " is .npy but " + (npyX ? y : x)
                    + " is not; give X and Y both as .npy (files or folders of shards) or both as Parquet tables");
        }
        // Headers are checked here, before a session starts, so that bad input fails at once.
        NpyRows xs = npyX ? NpyRows.open(x, files) : null, ys = npyX ? NpyRows.open(y, files) : null;
        SparkSession spark = Sessions.start(master, conf);
        try {
            JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
            CrossCovariance c = npyX ? NpyCovariance.reduce(sc, xs, ys, precision, backend, partitions)
                    : ParquetCovariance.reduce(spark, x, y, precision, backend, partitions);
            long n = c.n();
            // The executors' statistics carry the largest magnitudes they saw: too large or too small a scale is refused here.
            Similarity.checkMagnitude(c.maxAbsX(), precision, x);
            Similarity.checkMagnitude(c.maxAbsY(), precision, y);
            return new Reduction(c, master, NpyCovariance.partitions(sc, partitions, n), Sessions.executors(spark));
        } catch (Exception e) {
            throw JobErrors.rethrow(e);
        } finally {
            Sessions.stop(spark);
        }
    }

    @Override
    public GramResult gram(String master, Map<String, String> conf, String x, String y, Precision precision, String backend,
                           int partitions, List<Metric> metrics, MetricOptions o, long pairsLimit) {
        HadoopFiles files = HadoopFiles.of(conf);
        for (String path : List.of(x, y)) {
            if (!NpyRows.isNpy(path, files)) {
                throw new InputException("--spark: " + path + " is a Parquet table; the all-pairs measures " + metrics.stream().map(Metric::label).toList()
                        + " read .npy files or folders of .npy shards (their tasks read row blocks by position)");
            }
        }
        NpyRows xs = NpyRows.open(x, files), ys = NpyRows.open(y, files);
        NpyRows.requireSameRows(xs, ys);
        long n = xs.rows();
        for (Metric m : metrics) SparkMode.checkSamples(x, m, n, xs.cols(), ys.cols(), o);
        String route = n > pairsLimit ? GramJob.MINIBATCH : GramJob.EXACT;
        if (route.equals(GramJob.MINIBATCH)) {
            List<String> pairwise = metrics.stream().filter(Metric::usesNeighbours).map(Metric::label).toList();
            if (!pairwise.isEmpty()) {
                throw new InputException("--spark: " + x + " has n=" + n + " rows, above --spark-pairs-limit " + pairsLimit + "; the neighbour measures "
                        + pairwise + " need all pairs (raise the limit; the RBF CKA measures turn to minibatch CKA above it)");
            }
        }
        SparkSession spark = Sessions.start(master, conf);
        try {
            JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
            int blocks = NpyCovariance.partitions(sc, partitions, n);
            double[] max = GramJob.maxAbs(sc, xs, ys, blocks); // scales the metrics' sums cannot carry are refused first
            Similarity.checkMagnitude(max[0], precision, x);
            Similarity.checkMagnitude(max[1], precision, y);
            Map<Metric, Double> values = GramJob.run(sc, xs, ys, precision, backend, blocks, metrics, o, route);
            return new GramResult(values, route, n, xs.cols(), ys.cols(), master, blocks, Sessions.executors(spark));
        } catch (Exception e) {
            throw JobErrors.rethrow(e);
        } finally {
            Sessions.stop(spark);
        }
    }

    @Override
    public StudyEmbeddings.RemoteEmbedding studyEmbedding(String master, Map<String, String> conf, int partitions) {
        return new SparkStudyEmbedding(master, conf, partitions);
    }

    @Override
    public NeighbourStage.RemoteNeighbours studyNeighbours(String master, Map<String, String> conf, int partitions) {
        return new SparkStudyNeighbours(master, conf, partitions);
    }
}
