package dev.repsim.spark;

import org.apache.spark.ExecutorLostFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker killed (SIGKILL, with its executor) while one of the study's embedding tasks runs on it
 * ({@link KillOwnWorker}, inside the executor, at the start of that task's first attempt): Spark reports the
 * task lost with its executor, runs it again on the other worker, the job finishes, and the study's
 * embeddings and results are those of the local run.
 */
class WorkerLossTest {
    @TempDir
    Path dir;

    @Test
    void aTaskLostWithItsWorkerRunsAgainAndChangesNoResult() throws Exception {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        TaskEnds.clear();
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            List<String> a = new ArrayList<>(List.of("study", DemoStudy.file(dir, spark).toString(), "--partitions", "4",
                    "--spark", cluster.url(), "--spark-conf", "spark.extraListeners=" + TaskEnds.class.getName(),
                    "--spark-conf", "spark.plugins=" + KillOwnWorker.class.getName(),
                    "--spark-conf", KillOwnWorker.ONCE + "=" + dir.resolve("killed")));
            a.addAll(cluster.sparkConf());
            Cli s = Cli.run(a.toArray(String[]::new));
            assertEquals(0, s.status(), s.err());
        }
        List<TaskEnds.End> ends = TaskEnds.all();
        TaskEnds.End lost = ends.stream().filter(e -> e.stage() == 0 && e.partition() == KillOwnWorker.PARTITION && e.attempt() == 0)
                .findFirst().orElseThrow(() -> new AssertionError("no end of the first attempt of the chosen task: " + ends));
        assertTrue(lost.reason() instanceof ExecutorLostFailure, "the first attempt was lost with its executor: " + lost);
        TaskEnds.End rerun = ends.stream().filter(e -> e.stage() == 0 && e.partition() == KillOwnWorker.PARTITION && e.successful())
                .findFirst().orElseThrow(() -> new AssertionError("the lost task never succeeded: " + ends));
        assertTrue(rerun.attempt() >= 1, "a later attempt succeeded: " + rerun);
        assertNotEquals(lost.executor(), rerun.executor(), "on another executor: " + ends);
        DemoStudy.assertSameOutputs(local, spark);
    }
}
