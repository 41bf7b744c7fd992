package dev.repsim.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repsim study STUDY.yaml --spark local[2]} on the demo study: images partitioned (three
 * partitions, so each task thread runs more than one and shares its sessions), variants and embeddings
 * made in the partitions, written as Parquet and read back: the same embeddings and results as the local run.
 */
class SparkStudyTest {
    @TempDir
    Path dir;

    @Test
    void demoStudyOnSparkEqualsTheLocalRun() throws Exception {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        Cli s = Cli.run("study", DemoStudy.file(dir, spark).toString(), "--spark", "local[2]", "--partitions", "3");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().contains("study: embedding on Spark (local[2]): 26 images in 3 partitions, 2 model(s)"), s.err());
        assertTrue(Files.isDirectory(spark.resolve(SparkStudyEmbedding.TABLE)), "the Parquet table of embeddings");
        DemoStudy.assertSameOutputs(local, spark);
    }
}
