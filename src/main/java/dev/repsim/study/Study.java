package dev.repsim.study;

import dev.repsim.image.PixelLimit;
import dev.repsim.io.Location;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated study: every path exists, every name is known, and the sizes agree. Built by
 * {@link StudyLoader}; the stages of {@link StudyRunner} read it.
 *
 * @param file       the study file it came from
 * @param name       title of the report
 * @param output     folder for every file the study writes
 * @param datasets   image folders with their masks
 * @param models     the models compared
 * @param variants   variant names, in report order (the first is the reference, usually {@code full})
 * @param fill       how removed pixels are filled
 * @param radius     centre disc radius as a share of min(h, w) / 2
 * @param seed       seed of noise fills
 * @param metrics    similarity metrics of the matrices
 * @param options    metric settings
 * @param backend    backend name (auto, java, blas, opencl)
 * @param precision  computation precision
 * @param k          neighbours of the neighbour analysis
 * @param knnMetric  euclidean or cosine
 * @param umap       UMAP settings
 * @param pixelLimit the most pixels an image may declare (key max-pixels)
 */
public record Study(Path file, String name, Path output, List<Dataset> datasets, List<Model> models,
                    List<String> variants, String fill, double radius, long seed, List<Metric> metrics,
                    MetricOptions options, String backend, Precision precision, int k, String knnMetric, Umap umap,
                    PixelLimit pixelLimit) {

    /** The same study writing into another folder. */
    public Study withOutput(Path folder) {
        return new Study(file, name, folder, datasets, models.stream().map(m -> m.source() == Source.BUILTIN
                ? new Model(m.name(), m.source(), Optional.of(folder.resolve("models").resolve(m.builtin().orElseThrow() + ".onnx")), m.preset(),
                        m.config(), m.builtin(), m.embeddings(), m.batch()) : m).toList(),
                variants, fill, radius, seed, metrics, options, backend, precision, k, knnMetric, umap, pixelLimit);
    }

    /** The same study on another backend. */
    public Study withBackend(String backendName) {
        String b = backendName.toLowerCase(java.util.Locale.ROOT);
        if (!dev.repsim.backend.Backends.NAMES.contains(b)) {
            throw new dev.repsim.io.InputException("--backend: unknown backend '" + backendName + "' (expected one of " + dev.repsim.backend.Backends.NAMES + ")");
        }
        return new Study(file, name, output, datasets, models, variants, fill, radius, seed, metrics, options, b, precision, k, knnMetric, umap, pixelLimit);
    }

    /** Images of every dataset, in the study's row order (dataset by dataset, each in sorted path order). */
    public List<ImageRef> images() {
        return datasets.stream().flatMap(d -> d.images().stream()).toList();
    }

    /** Rows of each (model, variant) embedding matrix. */
    public int n() {
        return datasets.stream().mapToInt(d -> d.images().size()).sum();
    }

    /**
     * Each of the folders and the segmenter is a local path or (with {@code --spark}) a URI that the Spark
     * module reads through Hadoop's FileSystem; {@link #folder}, {@link #masks} and {@link #segmenter} are
     * the local paths, for the code that reads only local files.
     *
     * @param name        dataset name (unique)
     * @param folderAt    image folder
     * @param masksAt     mask folder (same relative paths, .png), when given
     * @param segmenterAt salient-object ONNX model computing the masks, when given
     * @param threshold   saliency threshold of the segmenter
     * @param images      its images, sorted by relative path
     */
    public record Dataset(String name, Location folderAt, Optional<Location> masksAt, Optional<Location> segmenterAt, double threshold,
                          List<ImageRef> images) {
        /** A dataset of local files. */
        public Dataset(String name, Path folder, Optional<Path> masks, Optional<Path> segmenter, double threshold, List<ImageRef> images) {
            this(name, Location.of(folder), masks.map(Location::of), segmenter.map(Location::of), threshold, images);
        }

        public Path folder() {
            return folderAt.local();
        }

        public Optional<Path> masks() {
            return masksAt.map(Location::local);
        }

        public Optional<Path> segmenter() {
            return segmenterAt.map(Location::local);
        }
    }

    /** One image: its dataset, path relative to the dataset folder, and label (its class folder). */
    public record ImageRef(String dataset, String relativePath, String label) {
        /** A name unique within the study. */
        public String id() { return dataset + "/" + relativePath; }
    }

    /** How a model's embeddings are obtained. */
    public enum Source { ONNX, BUILTIN, EMBEDDINGS }

    /**
     * @param name        model name (unique, file-name safe)
     * @param source      where its embeddings come from
     * @param onnx        the ONNX file (ONNX) or where the built model is written (BUILTIN)
     * @param preset      preprocessing preset name (ONNX, BUILTIN)
     * @param config      optional model.json
     * @param builtin     a name of {@link dev.repsim.onnx.BuiltinModels#NAMES} (BUILTIN)
     * @param embeddings  variant → .npy (EMBEDDINGS)
     * @param batch       inference batch size
     */
    public record Model(String name, Source source, Optional<Path> onnx, Optional<String> preset, Optional<Path> config,
                        Optional<String> builtin, Map<String, Path> embeddings, int batch) {}

    /** UMAP settings: neighbours of the fuzzy graph, optimisation epochs, minimum distance, seed. */
    public record Umap(int neighbors, int epochs, double minDist, long seed) {}
}
