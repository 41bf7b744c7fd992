package dev.repsim.spark;

import dev.repsim.io.InputException;
import dev.repsim.io.StagedFolder;
import dev.repsim.io.UriFiles;
import dev.repsim.linalg.Matrix;
import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A study's image models embedded on Spark (the driver's side): the images partitioned across the
 * executors ({@link PartitionEmbedder}), the models shipped with the job (broadcast), the rows written as the
 * Parquet table {@code OUTPUT/embeddings.parquet} (dataset, image, label, variant, model, vector) and
 * read back into the study's matrices, rows in the study's image order.
 */
final class SparkStudyEmbedding implements StudyEmbeddings.RemoteEmbedding {
    static final String TABLE = "embeddings.parquet";
    static final StructType SCHEMA = new StructType()
            .add("dataset", DataTypes.StringType, false).add("image", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, false).add("variant", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false).add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private final String master;
    private final Map<String, String> conf;
    private final int partitions;
    private final HadoopFiles files;

    SparkStudyEmbedding(String master, Map<String, String> conf, int partitions) {
        this.master = master;
        this.conf = conf;
        this.partitions = partitions;
        this.files = HadoopFiles.of(conf);
    }

    /** The study's URIs, read on the driver (listing, model files) and on the executors (images, masks, segmenter) alike. */
    @Override
    public UriFiles files() {
        return files;
    }

    @Override
    public Map<String, Map<String, Matrix>> embed(Study s, Map<String, Path> modelFiles) {
        EmbedPlan plan = EmbedPlan.of(s, modelFiles);
        List<EmbedPlan.ImageTask> tasks = EmbedPlan.tasks(s);
        SparkSession spark = Sessions.start(master, conf);
        try {
            JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
            // The models travel with the job as broadcast variables: each executor JVM fetches a model's
            // bytes once, through the same block transfer as the tasks' results.
            Map<String, Broadcast<byte[]>> models = new HashMap<>();
            for (EmbedPlan.ModelPlan m : plan.models()) models.put(m.name(), sc.broadcast(Files.readAllBytes(modelFiles.get(m.name()))));
            int parts = NpyCovariance.partitions(sc, partitions, tasks.size());
            System.err.printf(Locale.ROOT, "study: embedding on Spark (%s): %d images in %d partitions, %d model(s)%n",
                    master, tasks.size(), parts, plan.models().size());
            HadoopFiles hadoop = files; // a local: the task closure must not capture this object
            JavaRDD<Row> rows = sc.parallelize(tasks, parts)
                    .mapPartitionsWithIndex((i, it) -> PartitionEmbedder.run(plan, hadoop, models, i, it), false);
            Path table = write(spark, rows, s.output());
            List<Row> back = spark.read().parquet(table.toString()).collectAsList();
            return matrices(s, plan, back, table);
        } catch (Exception e) {
            throw JobErrors.rethrow(e);
        } finally {
            Sessions.stop(spark);
        }
    }

    /** Writes the rows as Parquet beside the table, then puts the new table in place of an earlier one. */
    private static Path write(SparkSession spark, JavaRDD<Row> rows, Path output) throws IOException {
        Path table = output.resolve(TABLE);
        Path tmp = output.resolve("." + TABLE + ".tmp-" + UUID.randomUUID());
        try {
            spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        } catch (Exception e) { // Spark's own exceptions are checked ones, thrown undeclared
            // a failed job (bad input on an executor) leaves no half-written table behind
            try {
                StagedFolder.deleteTree(tmp);
            } catch (IOException notRemoved) {
                e.addSuppressed(notRemoved);
            }
            throw e;
        }
        Path old = output.resolve("." + TABLE + ".old-" + UUID.randomUUID());
        if (Files.exists(table)) Files.move(table, old);
        Files.move(tmp, table);
        StagedFolder.deleteTree(old);
        return table;
    }

    /** The rows in the study's order: every (model, variant, image) exactly once. */
    static Map<String, Map<String, Matrix>> matrices(Study s, EmbedPlan plan, List<Row> rows, Path table) {
        Map<String, Integer> index = new HashMap<>();
        List<Study.ImageRef> images = s.images();
        for (int i = 0; i < images.size(); i++) index.put(images.get(i).dataset() + "\u0000" + images.get(i).relativePath(), i);
        Map<String, float[]> data = new HashMap<>();
        Map<String, Integer> widths = new HashMap<>();
        Map<String, int[]> seen = new HashMap<>();
        for (Row r : rows) {
            String model = r.getString(4), variant = r.getString(3);
            Integer i = index.get(r.getString(0) + "\u0000" + r.getString(1));
            if (i == null || !s.variants().contains(variant)) {
                throw new InputException(table, "row (" + r.getString(0) + ", " + r.getString(1) + ", " + variant + ", " + model + ") is not in the study");
            }
            List<Object> v = r.getList(5);
            int d = widths.computeIfAbsent(model, k -> v.size());
            if (v.size() != d) throw new InputException(table, "model '" + model + "' has vectors of " + d + " and " + v.size() + " values");
            String key = model + "\u0000" + variant;
            float[] m = data.computeIfAbsent(key, k -> new float[s.n() * d]);
            for (int j = 0; j < d; j++) m[i * d + j] = ((Number) v.get(j)).floatValue();
            seen.computeIfAbsent(key, k -> new int[s.n()])[i]++;
        }
        Map<String, Map<String, Matrix>> out = new LinkedHashMap<>();
        for (EmbedPlan.ModelPlan m : plan.models()) {
            Map<String, Matrix> byVariant = new LinkedHashMap<>();
            for (String v : s.variants()) {
                String key = m.name() + "\u0000" + v;
                int[] count = seen.get(key);
                for (int i = 0; i < s.n(); i++) {
                    int c = count == null ? 0 : count[i];
                    if (c != 1) {
                        throw new InputException(table, "image " + images.get(i).id() + ", variant " + v + ", model " + m.name() + " has " + c
                                + " embeddings, expected 1");
                    }
                }
                byVariant.put(v, Matrix.of(s.n(), widths.get(m.name()), data.get(key)));
            }
            out.put(m.name(), byVariant);
        }
        return out;
    }
}
