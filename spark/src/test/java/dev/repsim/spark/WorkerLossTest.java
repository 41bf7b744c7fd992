package dev.repsim.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker killed (SIGKILL, with its executor) while it runs the first task of a study's embedding job:
 * Spark re-runs the lost tasks on the other worker, and the study's embeddings and results are those
 * of the local run.
 */
class WorkerLossTest {
    @TempDir
    Path dir;

    @Test
    void aWorkerKilledMidJobChangesNoResult() throws Exception {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            KillWorkerOnFirstTask.arm(cluster);
            List<String> a = new ArrayList<>(List.of("study", DemoStudy.file(dir, spark).toString(), "--partitions", "4",
                    "--spark", cluster.url(), "--spark-conf", "spark.extraListeners=" + KillWorkerOnFirstTask.class.getName()));
            a.addAll(cluster.sparkConf());
            Cli s = Cli.run(a.toArray(String[]::new));
            KillWorkerOnFirstTask.arm(null);
            assertEquals(0, s.status(), s.err());
            assertTrue(KillWorkerOnFirstTask.killed(), "a worker was killed");
            assertTrue(KillWorkerOnFirstTask.failedTasks() >= 1, "the killed worker's task failed and was run again");
        }
        DemoStudy.assertSameOutputs(local, spark);
    }
}
