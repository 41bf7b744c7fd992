package dev.repsim.spark;

import dev.repsim.embed.EmbedInput;
import dev.repsim.embed.EmbedSettings;
import dev.repsim.embed.Embedder;
import dev.repsim.embed.Embeddings;
import dev.repsim.embed.OrtModel;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PixelLimit;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.io.UriFiles;
import dev.repsim.io.StagedFolder;
import dev.repsim.study.LocalDataset;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.variants.MaskSource;
import dev.repsim.variants.Variant;
import dev.repsim.variants.VariantSettings;
import dev.repsim.variants.Variants;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs on an executor: one partition of a study's images. Their variants are made with the core's
 * {@link Variants} into a scratch folder on the executor's disk (the same pixels as a local run: the fill
 * is seeded by image path; images, masks and segmenter named by URIs are first copied there through
 * Hadoop's FileSystem, {@link LocalDataset}), embedded by every model through ONNX Runtime with the content-hash cache
 * of the partition, and returned as rows (dataset, image, label, variant, model, vector).
 */
final class PartitionEmbedder {
    private PartitionEmbedder() {}

    /**
     * One ONNX Runtime session per model and executor JVM, shared by every partition (and task thread) it
     * runs, with the task's cores as its threads (TaskBackend.cpus: the executor runs one task per core).
     */
    private static final Map<String, OrtModel> SESSIONS = new ConcurrentHashMap<>();

    /** @param models each model's name → its ONNX file's bytes */
    static Iterator<Row> run(EmbedPlan plan, UriFiles files, Map<String, Broadcast<byte[]>> models, int partition, Iterator<EmbedPlan.ImageTask> images) {
        Map<Integer, List<EmbedPlan.ImageTask>> byDataset = new LinkedHashMap<>();
        images.forEachRemaining(t -> byDataset.computeIfAbsent(t.dataset(), k -> new ArrayList<>()).add(t));
        if (byDataset.isEmpty()) return List.<Row>of().iterator();
        int threads = TaskBackend.cpus();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("repsim-partition-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a scratch folder on this executor: " + e.getMessage(), e);
        }
        try {
            List<Row> out = new ArrayList<>();
            for (var e : byDataset.entrySet()) {
                embedDataset(plan, files, models, partition, threads, plan.datasets().get(e.getKey()), e.getValue(), scratch.resolve("d" + e.getKey()), out);
            }
            return out.iterator();
        } finally {
            try {
                StagedFolder.deleteTree(scratch);
            } catch (IOException ignored) {
                // a stray scratch folder in the executor's temporary folder is harmless
            }
        }
    }

    private static void embedDataset(EmbedPlan plan, UriFiles files, Map<String, Broadcast<byte[]>> models, int partition, int threads,
                                     EmbedPlan.DatasetPlan d, List<EmbedPlan.ImageTask> tasks, Path dir, List<Row> out) {
        PixelLimit limit = new PixelLimit(plan.pixelLimit());
        VariantSettings vs = StudyEmbeddings.variantSettings(plan.variants(), plan.fill(), plan.radius(), plan.seed(), limit, threads);
        boolean masked = vs.variants().stream().anyMatch(Variant::needsMask);
        LocalDataset local = LocalDataset.of(d.folder(), masked ? d.masks() : null, masked ? d.segmenter() : null,
                tasks.stream().map(EmbedPlan.ImageTask::image).toList(), dir.resolve("inputs"), files);
        Path folder = local.folder();
        List<ImageFiles.Entry> entries = tasks.stream().map(t -> new ImageFiles.Entry(folder.resolve(t.image()), t.image(), t.label())).toList();
        Path variants = dir.resolve("variants");
        try (MaskSource masks = StudyEmbeddings.masks(vs, local.masks(), local.segmenter(), d.threshold(), threads)) {
            Variants.generate(folder, entries, masks, variants, vs, Progress.silent());
        } catch (InputException e) {
            throw local.named(e);
        }
        List<EmbedInput> inputs = EmbedInput.fromVariants(variants);
        Path cache = Path.of(plan.cacheRoot()).resolve("part-" + partition);
        for (EmbedPlan.ModelPlan m : plan.models()) {
            EmbedSettings es = new EmbedSettings(m.batch(), threads, threads, OrtModel.Provider.CPU, cache, false, limit);
            Embeddings r = Embedder.embed(session(m, models.get(m.name()), threads), m.hash(), inputs, es, Progress.silent());
            int cols = r.matrix().cols();
            float[] all = r.matrix().f32();
            for (Embeddings.IndexRow ir : r.index()) {
                float[] v = java.util.Arrays.copyOfRange(all, ir.row() * cols, (ir.row() + 1) * cols);
                out.add(RowFactory.create(d.name(), ir.image(), ir.label(), ir.variant(), m.name(), v));
            }
        }
    }

    /** The JVM's session of a model, opened from its broadcast bytes (written once to a temporary file) the first time. */
    private static OrtModel session(EmbedPlan.ModelPlan m, Broadcast<byte[]> bytes, int threads) {
        return SESSIONS.computeIfAbsent(m.sessionKey(), k -> {
            try {
                Path file = Files.createTempFile("repsim-" + m.name() + "-", ".onnx");
                file.toFile().deleteOnExit();
                Files.write(file, bytes.value());
                return new OrtModel(file, m.config(), threads, OrtModel.Provider.CPU);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write model " + m.name() + " to this executor's temporary folder: " + e.getMessage(), e);
            }
        });
    }
}
