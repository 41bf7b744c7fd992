package dev.repsim.spark;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.StreamingReducer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

/**
 * The statistics of two representations stored as Parquet tables of rows: a column {@code row} (the
 * sample's index, integer) and a column {@code vector} (array of float or double). Files of a table come
 * back in no fixed order, so X and Y are paired by {@code row} (a join), not by position; each partition
 * of the join is reduced to a {@link CrossCovariance} and {@code treeAggregate} merges them.
 */
final class ParquetCovariance {
    private ParquetCovariance() {}

    static final String ROW = "row";
    static final String VECTOR = "vector";

    static CrossCovariance reduce(SparkSession spark, String xPath, String yPath, Precision p, String backend, int partitions) {
        Dataset<Row> xt = table(spark, xPath), yt = table(spark, yPath);
        long n = distinctRows(xt, xPath);
        long ny = distinctRows(yt, yPath);
        if (ny != n) throw new InputException(yPath + ": has " + ny + " rows but " + xPath + " has " + n + " (X and Y must hold the same samples)");
        int dx = width(xt, xPath), dy = width(yt, yPath);
        int parts = NpyCovariance.partitions(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()), partitions, n);
        // the join's partitions are the job's: as many as asked, not fewer by adaptive coalescing
        spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(parts));
        spark.conf().set("spark.sql.adaptive.coalescePartitions.enabled", "false");
        Dataset<Row> pairs = xt.select(col(ROW), col(VECTOR).as("x")).join(yt.select(col(ROW), col(VECTOR).as("y")), ROW);
        long paired = pairs.count();
        if (paired != n) {
            throw new InputException(yPath + ": only " + paired + " of its " + n + " values of '" + ROW + "' are also in " + xPath
                    + " (X and Y must hold the same samples)");
        }
        return pairs.javaRDD()
                .mapPartitions(rows -> List.of(partitionStatistics(rows, dx, dy, p, backend, xPath, yPath)).iterator())
                .treeAggregate(new CrossCovariance(dx, dy), CrossCovariance::merge, CrossCovariance::merge, 2);
    }

    private static Dataset<Row> table(SparkSession spark, String path) {
        Dataset<Row> t;
        try {
            t = spark.read().parquet(path);
        } catch (Exception e) {
            throw new InputException(path + ": cannot read as a Parquet table: " + InputException.firstLine(e.getMessage()));
        }
        StructType s = t.schema();
        List<String> names = List.of(s.fieldNames());
        boolean ok = names.contains(ROW) && names.contains(VECTOR);
        if (ok) {
            DataType r = s.apply(ROW).dataType(), v = s.apply(VECTOR).dataType();
            ok = (r.equals(DataTypes.LongType) || r.equals(DataTypes.IntegerType)) && v instanceof ArrayType a
                    && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
        }
        if (!ok) {
            throw new InputException(path + ": a Parquet table of rows needs the columns '" + ROW + "' (integer) and '" + VECTOR
                    + "' (array of float or double); it has " + s.simpleString());
        }
        return t;
    }

    /** The number of rows, after checking that no value of {@code row} repeats (a join would pair them twice). */
    private static long distinctRows(Dataset<Row> t, String path) {
        Row r = t.agg(count(lit(1)), countDistinct(col(ROW))).first();
        long all = r.getLong(0), distinct = r.getLong(1);
        if (all == 0) throw new InputException(path + ": the table has no rows");
        if (distinct != all) throw new InputException(path + ": column '" + ROW + "' repeats values (" + all + " rows, " + distinct + " distinct)");
        return all;
    }

    private static int width(Dataset<Row> t, String path) {
        Row first = t.select(col(VECTOR)).first();
        if (first.isNullAt(0)) throw new InputException(path + ": a row has no '" + VECTOR + "'");
        return first.getList(0).size();
    }

    /** Runs on an executor: the statistics of one partition of (row, x, y) in blocks of rows. */
    static CrossCovariance partitionStatistics(Iterator<Row> rows, int dx, int dy, Precision p, String backend, String xPath, String yPath) {
        CrossCovariance c = new CrossCovariance(dx, dy);
        int block = StreamingReducer.blockRows(dx, dy);
        double[] xb = new double[block * dx], yb = new double[block * dy];
        try (Backend b = TaskBackend.open(backend)) {
            int filled = 0;
            while (rows.hasNext()) {
                Row r = rows.next();
                long id = ((Number) r.getAs(ROW)).longValue();
                copy(r, "x", id, dx, xb, filled, xPath);
                copy(r, "y", id, dy, yb, filled, yPath);
                if (++filled == block || !rows.hasNext()) {
                    c.add(block(xb, filled, dx).to(p), block(yb, filled, dy).to(p), b);
                    filled = 0;
                }
            }
        }
        return c;
    }

    private static Matrix block(double[] values, int rows, int cols) {
        return Matrix.of(rows, cols, java.util.Arrays.copyOf(values, rows * cols));
    }

    /** Copies one row's vector into the block, rejecting a missing vector, a wrong length and NaN or Inf. */
    private static void copy(Row r, String field, long id, int width, double[] dst, int at, String path) {
        int i = r.fieldIndex(field);
        if (r.isNullAt(i)) throw new InputException(path + ": row " + id + " has no '" + VECTOR + "'");
        List<Object> v = r.getList(i);
        if (v.size() != width) throw new InputException(path + ": row " + id + " has a vector of " + v.size() + " values, expected " + width);
        for (int j = 0; j < width; j++) {
            Object o = v.get(j);
            double d = o == null ? Double.NaN : ((Number) o).doubleValue();
            if (!Double.isFinite(d)) throw new InputException(path + ": non-finite value (NaN, Inf or null) at row " + id + ", column " + j);
            dst[at * width + j] = d;
        }
    }
}
