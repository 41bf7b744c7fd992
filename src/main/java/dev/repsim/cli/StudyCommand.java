package dev.repsim.cli;

import dev.repsim.study.NeighbourStage;
import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.study.StudyLoader;
import dev.repsim.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code repsim study STUDY.yaml}: runs a study file end to end and prints where its report is. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Runs a study file: embeddings of every model and variant, similarity matrices, neighbour analysis, UMAP, "
                + "and report.html with PNG figures, JSON and CSV in the study's output folder. Resumes from the embedding cache.")
public final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file (see docs/README-study.md).")
    Path file;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Make the variants and embeddings, and the neighbour analysis's "
            + "neighbour sets, on Apache Spark (e.g. local[2], spark://host:7077, yarn): images partitioned across the executors, "
            + "neighbours by blocks of pooled rows; the rest of the study runs here. The study's input paths may then be Hadoop URIs "
            + "(hdfs://, s3a://, ...; see docs/spark.md).")
    String spark;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark setting for --spark (repeatable).")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--partitions", defaultValue = "0", description = "Image partitions, and row blocks of the neighbour analysis, with --spark "
            + "(default: the cluster's parallelism).")
    int partitions;

    @Override
    public Integer call() {
        SparkMode.checkOptions(spark, sparkConf, partitions);
        SparkMode mode = spark == null ? null : SparkMode.load();
        StudyEmbeddings.RemoteEmbedding remote = mode == null ? null
                : mode.studyEmbedding(spark, SparkMode.parseConf(sparkConf), partitions);
        // With --spark the study's inputs may be Hadoop URIs (hdfs://, s3a://, ...); without, a URI is refused.
        Study study = StudyLoader.load(file, remote == null ? null : remote.files());
        NeighbourStage.RemoteNeighbours neighbours = mode == null ? null : mode.studyNeighbours(spark, SparkMode.parseConf(sparkConf), partitions);
        Path report = new StudyRunner(study, new StudyEmbeddings(remote), neighbours, System.err).run();
        System.out.println(report.toAbsolutePath());
        return 0;
    }
}
