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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code metrics --spark} with X and Y given as {@code hdfs://} URIs of a real HDFS (files that exist only
 * there): the headers are checked on the driver, the executors read their row ranges through Hadoop's
 * FileSystem, and the metrics equal the local run's; bad input is one line naming the URI, exit status 2.
 */
class HadoopPathsTest {
    @TempDir
    static Path dir;
    static MiniHdfs hdfs;
    static JsonNode local;

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(dir.resolve("hdfs"));
        Matrix x = Fixtures.x(), y = Fixtures.y(x);
        Path data = Files.createDirectories(dir.resolve("data"));
        Npy.write(data.resolve("X.npy"), x);
        Npy.write(data.resolve("Y.npy"), y);
        Path xs = Files.createDirectories(data.resolve("x-shards")), ys = Files.createDirectories(data.resolve("y-shards"));
        Fixtures.shards(x, xs, 100, 250, 250);
        Fixtures.shards(y, ys, 333, 267);
        for (String f : new String[]{"X.npy", "Y.npy", "x-shards", "y-shards"}) hdfs.put(data.resolve(f), "reps/" + f);
        local = Cli.run("metrics", data.resolve("X.npy").toString(), data.resolve("Y.npy").toString(), "--metrics", SparkMetricsTest.METRICS,
                "--json").json();
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.close();
    }

    private static Cli metrics(String x, String y, String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("metrics", x, y, "--metrics", SparkMetricsTest.METRICS,
                "--spark", "local[2]", "--json"));
        a.addAll(java.util.List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void npyFilesAndShardFoldersOnHdfsGiveTheLocalResult() throws Exception {
        JsonNode files = metrics(hdfs.uri("reps/X.npy"), hdfs.uri("reps/Y.npy"), "--partitions", "3").json();
        Cli.assertSameResult(local, files, "hdfs files");
        JsonNode shards = metrics(hdfs.uri("reps/x-shards"), hdfs.uri("reps/y-shards"), "--partitions", "4").json();
        Cli.assertSameResult(local, shards, "hdfs shard folders");
        assertEquals(4, shards.get("spark").get("partitions").asInt());
    }

    @Test
    void aMissingUriIsOneLineNamingIt() {
        String missing = hdfs.uri("reps/absent.npy");
        Cli r = metrics(missing, hdfs.uri("reps/Y.npy"));
        assertEquals(2, r.status(), r.err());
        assertEquals("repsim metrics: " + missing + ": no such file or folder", r.errLines().getLast());
    }

    @Test
    void aBadHeaderOnHdfsIsOneLineNamingTheUri() throws Exception {
        Path text = dir.resolve("not-npy.npy");
        Files.writeString(text, "not an npy file at all");
        String uri = hdfs.put(text, "reps/not-npy.npy");
        Cli r = metrics(uri, hdfs.uri("reps/Y.npy"));
        assertEquals(2, r.status(), r.err());
        assertEquals("repsim metrics: " + uri + ": not an .npy file (bad magic bytes)", r.errLines().getLast());
    }

    @Test
    void aNonFiniteValueReadOnAnExecutorNamesTheUri() throws Exception {
        Matrix x = Fixtures.x();
        x.f64()[(500 * Fixtures.DX) + 3] = Double.NaN;
        Path f = dir.resolve("X-nan.npy");
        Npy.write(f, x);
        String uri = hdfs.put(f, "reps/X-nan.npy");
        Cli r = metrics(uri, hdfs.uri("reps/Y.npy"), "--partitions", "2");
        assertEquals(2, r.status(), r.err());
        assertEquals("repsim metrics: " + uri + ": non-finite value (NaN or Inf) at row 500, column 3", r.errLines().getLast());
    }
}
