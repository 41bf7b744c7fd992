package dev.repsim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real Spark standalone cluster on this machine (a master and two workers, processes started from
 * Spark's classes, bound to 127.0.0.1, one core and 640 MiB each): the metrics over .npy shards and the
 * demo study give the local run's results, with both workers' executors taking part.
 */
class StandaloneClusterTest {
    @TempDir
    static Path dir;
    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneCluster.start(dir, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    private static List<String> onCluster(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--spark", cluster.url()));
        a.addAll(cluster.sparkConf());
        return a;
    }

    @Test
    void metricsOnTwoWorkersEqualTheLocalRun() throws Exception {
        Matrix x = Fixtures.x(), y = Fixtures.y(x);
        Path xs = Files.createDirectories(dir.resolve("x-shards")), ys = Files.createDirectories(dir.resolve("y-shards"));
        Fixtures.shards(x, xs, 150, 150, 150, 150);
        Fixtures.shards(y, ys, 200, 400);
        Npy.write(dir.resolve("X.npy"), x);
        Npy.write(dir.resolve("Y.npy"), y);
        String metrics = SparkMetricsTest.METRICS;
        JsonNode local = Cli.run("metrics", dir.resolve("X.npy").toString(), dir.resolve("Y.npy").toString(), "--metrics", metrics, "--json").json();
        List<String> a = onCluster("metrics", xs.toString(), ys.toString(), "--metrics", metrics, "--partitions", "4", "--json");
        JsonNode r = Cli.run(a.toArray(String[]::new)).json();
        Cli.assertSameResult(local, r, "standalone cluster");
        assertEquals(2, r.get("spark").get("executors").asInt(), "executors of both workers: " + r);
    }

    @Test
    void demoStudyOnTwoWorkersEqualsTheLocalRun() throws Exception {
        Path local = dir.resolve("study-local"), spark = dir.resolve("study-cluster");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        Cli s = Cli.run(onCluster("study", DemoStudy.file(dir, spark).toString(), "--partitions", "4").toArray(String[]::new));
        assertEquals(0, s.status(), s.err());
        DemoStudy.assertSameOutputs(local, spark);
    }
}
