package dev.repsim.cli;

import dev.repsim.io.InputException;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.study.NeighbourStage;
import dev.repsim.study.StudyEmbeddings;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * What the commands ask of the Spark module ({@code spark/}) when given {@code --spark MASTER}. The core
 * only knows this interface: the module is found with {@link ServiceLoader} on the class path that
 * {@code bin/repsim} extends for {@code --spark} alone, so the core, its tests and the demo never load Spark.
 */
public interface SparkMode {

    /**
     * The sufficient statistics of X and Y (each an .npy file, a folder of .npy shards or a Parquet table of
     * rows), reduced on the executors and merged with {@code treeAggregate}.
     *
     * @param conf       extra Spark settings (key → value), applied over the defaults
     * @param partitions row partitions, or 0 for the cluster's default parallelism
     * @param backend    the kernels the executors use: auto, java or blas
     */
    Reduction covariance(String master, Map<String, String> conf, String x, String y, Precision precision, String backend,
                         int partitions);

    /**
     * The Gram-space and neighbour measures of X and Y ({@link #GRAM_METRICS}; each an .npy file or a
     * folder of .npy shards) on Spark: the rows cut into contiguous blocks, one task per block pair
     * (I ≤ J) for the all-pairs ones, the partial results merged in a fixed order
     * ({@link dev.repsim.metrics.GramBlocks}). Up to {@code pairsLimit} rows the values are the local
     * run's ("exact all-pairs"); above it the RBF CKA measures are the minibatch estimate over shuffled
     * batches of {@code o.batchSize()} rows ("minibatch") and the neighbour measures are refused.
     * Debiased linear CKA (feature form) and minibatch-cka are the local run's at any n. The headers, the
     * row counts and every measure's {@link #checkSamples} rules are checked before the session starts.
     */
    GramResult gram(String master, Map<String, String> conf, String x, String y, Precision precision, String backend,
                    int partitions, java.util.List<Metric> metrics, MetricOptions o, long pairsLimit);

    /** The measures {@link #gram} computes. */
    java.util.Set<Metric> GRAM_METRICS = java.util.EnumSet.of(Metric.LINEAR_CKA_DEBIASED, Metric.RBF_CKA, Metric.RBF_CKA_DEBIASED,
            Metric.MINIBATCH_CKA, Metric.JACCARD_KNN, Metric.MUTUAL_KNN);

    /** The values (in the order asked), the route that ran ({@code exact all-pairs} or {@code minibatch}) and how the job ran. */
    record GramResult(Map<Metric, Double> values, String route, long n, int dx, int dy, String master, int blocks, int executors) {}

    /**
     * The image models of a study embedded on Spark: images partitioned across the executors, each making
     * the variants and embedding them (one ONNX Runtime session per executor JVM), the rows written as
     * Parquet under the study's output and read back as the study's matrices.
     */
    StudyEmbeddings.RemoteEmbedding studyEmbedding(String master, Map<String, String> conf, int partitions);

    /**
     * The neighbour sets of a study's neighbour analysis on Spark: per model, the pooled rows cut into
     * contiguous blocks ({@code partitions}, or the cluster's default parallelism), one task per block
     * pair (I ≤ J) keeping each row's k nearest, merged per row on the cluster
     * ({@link dev.repsim.metrics.GramBlocks}): the local run's sets, ranked in float64.
     */
    NeighbourStage.RemoteNeighbours studyNeighbours(String master, Map<String, String> conf, int partitions);

    /** The statistics and how the job ran (for the output's {@code spark} entry). */
    record Reduction(CrossCovariance stats, String master, int partitions, int executors) {}

    /** The Spark module, or an error saying how to get it. */
    static SparkMode load() {
        return ServiceLoader.load(SparkMode.class).findFirst().orElseThrow(() -> new InputException(
                "--spark: the Spark module is not on the class path (bin/repsim adds it for --spark and builds it on first use; "
                        + "or: mvn -B -q install -DskipTests && mvn -B -q -f spark/pom.xml package)"));
    }

    /** The rules {@code --spark}, {@code --spark-conf} and {@code --partitions} share on every command that has them. */
    static void checkOptions(String master, java.util.List<String> conf, int partitions) {
        if (master == null && (!conf.isEmpty() || partitions != 0)) throw new InputException("--spark-conf and --partitions need --spark");
        if (partitions < 0) throw new InputException("--partitions must be at least 1 (or 0: the cluster's default), got " + partitions);
    }

    /** A metric's sample count and shape rules for n rows of widths dx, dy, as an input error naming X. */
    static void checkSamples(String x, dev.repsim.metrics.Metric m, long n, int dx, int dy, dev.repsim.metrics.MetricOptions o) {
        if (n < m.minSamples()) throw new InputException(x + ": has n=" + n + " samples; " + m.label() + " needs at least " + m.minSamples());
        try {
            dev.repsim.metrics.Similarity.checkShape(m, n, dx, dy, o);
        } catch (IllegalArgumentException e) {
            throw new InputException(x + ": " + e.getMessage());
        }
    }

    /** {@code KEY=VALUE} settings of {@code --spark-conf}, in order. */
    static Map<String, String> parseConf(java.util.List<String> entries) {
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw new InputException("--spark-conf: expected KEY=VALUE, got '" + e + "'");
            conf.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return conf;
    }
}
