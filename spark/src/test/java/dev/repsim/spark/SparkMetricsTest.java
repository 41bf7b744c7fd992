package dev.repsim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repsim metrics --spark local[2]} on a real Spark engine: for any number of partitions, for .npy
 * files, folders of shards cut differently in X and Y, and Parquet tables written in shuffled order, the
 * metrics equal those of the local run (float64 statistics, 1e-9 relative); bad input found on an
 * executor is still one line naming the file.
 */
class SparkMetricsTest {
    static final String METRICS = "linear-cka,cca-mean,cca-r2,svcca,pwcca";

    @TempDir
    static Path dir;
    static Matrix x, y;
    static JsonNode local;

    @BeforeAll
    static void data() throws Exception {
        x = Fixtures.x();
        y = Fixtures.y(x);
        Npy.write(dir.resolve("X.npy"), x);
        Npy.write(dir.resolve("Y.npy"), y);
        local = Cli.run("metrics", dir.resolve("X.npy").toString(), dir.resolve("Y.npy").toString(), "--metrics", METRICS, "--json").json();
        assertTrue(local.get("metrics").get("linear-cka").asDouble() > 0.3, "the fixture's X and Y are related: " + local);
    }

    private static Cli spark(Path xs, Path ys, String... more) {
        List<String> a = new ArrayList<>(List.of("metrics", xs.toString(), ys.toString(), "--metrics", METRICS, "--spark", "local[2]", "--json"));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void everyPartitioningGivesTheLocalResult() throws Exception {
        for (int parts : new int[]{1, 2, 3, 7}) {
            JsonNode r = spark(dir.resolve("X.npy"), dir.resolve("Y.npy"), "--partitions", Integer.toString(parts)).json();
            Cli.assertSameResult(local, r, parts + " partitions");
            assertEquals(parts, r.get("spark").get("partitions").asInt());
            assertEquals("local[2]", r.get("spark").get("master").asText());
        }
    }

    @Test
    void shardFoldersCutDifferentlyGiveTheLocalResult() throws Exception {
        Path xs = Files.createDirectories(dir.resolve("x-shards")), ys = Files.createDirectories(dir.resolve("y-shards"));
        Fixtures.shards(x, xs, 250, 100, 1, 249);
        Fixtures.shards(y, ys, 300, 300);
        Cli.assertSameResult(local, spark(xs, ys, "--partitions", "3").json(), "shards");
        // one side a file, the other shards
        Cli.assertSameResult(local, spark(dir.resolve("X.npy"), ys, "--partitions", "5").json(), "file and shards");
    }

    @Test
    void parquetTablesInShuffledOrderGiveTheLocalResult() throws Exception {
        Path xt = dir.resolve("x.parquet"), yt = dir.resolve("y-table");
        SparkSession s = SparkSession.builder().master("local[1]").appName("fixture").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            writeTable(s, x, xt, DataTypes.DoubleType, 3, 1);
            writeTable(s, y, yt, DataTypes.FloatType, 2, 2);
        } finally {
            s.stop();
        }
        Cli.assertSameResult(local, spark(xt, yt, "--partitions", "4").json(), "parquet");
    }

    /** The rows of m as (row, vector) in a shuffled order, in {@code files} files. */
    static void writeTable(SparkSession s, Matrix m, Path path, org.apache.spark.sql.types.DataType element, int files, long seed) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < m.rows(); i++) {
            List<Object> v = new ArrayList<>();
            for (int j = 0; j < m.cols(); j++) v.add(element == DataTypes.FloatType ? (Object) (float) m.get(i, j) : (Object) m.get(i, j));
            rows.add(RowFactory.create((long) i, v));
        }
        Collections.shuffle(rows, new Random(seed));
        StructType schema = new StructType().add("row", DataTypes.LongType).add("vector", DataTypes.createArrayType(element));
        s.createDataFrame(rows, schema).coalesce(1).repartition(files).write().parquet(path.toString());
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad-shards"));
        Fixtures.shards(x, bad, 300, 300);
        Matrix second = Npy.readMatrix(bad.resolve("part-00001.npy"));
        double[] v = second.f64().clone();
        v[7 * Fixtures.DX + 3] = Double.NaN;
        Npy.write(bad.resolve("part-00001.npy"), Matrix.of(second.rows(), second.cols(), v));
        Cli r = spark(bad, dir.resolve("Y.npy"), "--partitions", "2");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.errLines().stream().filter(l -> l.startsWith("repsim metrics:")).count(), r.err());
        assertTrue(r.err().contains(bad.resolve("part-00001.npy") + ": non-finite value (NaN or Inf) at row 7, column 3"), r.err());

        // Finite, but beyond what the metrics' float64 sums carry: refused on the driver from the executors' maxima.
        Path huge = dir.resolve("huge.npy");
        double[] h = x.f64().clone();
        for (int i = 0; i < h.length; i++) h[i] *= 1e80;
        Npy.write(huge, Matrix.of(x.rows(), x.cols(), h));
        r = spark(huge, dir.resolve("Y.npy"), "--partitions", "2");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(huge + " has values up to"), r.err());

        Path shortY = dir.resolve("short.npy");
        Npy.write(shortY, Fixtures.rows(y, 0, 599));
        r = spark(dir.resolve("X.npy"), shortY);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(shortY + ": has 599 rows but"), r.err());

        Path table = dir.resolve("no-vector.parquet");
        SparkSession s = SparkSession.builder().master("local[1]").appName("fixture").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            s.createDataFrame(List.of(RowFactory.create(0L, 1.0)), new StructType().add("row", DataTypes.LongType).add("value", DataTypes.DoubleType))
                    .write().parquet(table.toString());
        } finally {
            s.stop();
        }
        r = spark(table, table);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(table + ": a Parquet table of rows needs the columns 'row' (integer) and 'vector'"), r.err());
    }
}
