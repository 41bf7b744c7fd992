package dev.repsim.spark;

import dev.repsim.embed.Hashing;
import dev.repsim.embed.ModelConfig;
import dev.repsim.study.Study;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an executor needs to make a study's variants and embeddings, in serializable form (locations as
 * strings: a local path must be readable at the same place on every executor, a URI is read through
 * Hadoop's FileSystem; the models travel with the job as broadcast variables).
 */
record EmbedPlan(List<DatasetPlan> datasets, List<String> variants, String fill, double radius, long seed, long pixelLimit,
                 List<ModelPlan> models, String cacheRoot) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A dataset: its name, image folder, and mask folder or segmenter (null when absent), each a local path or a URI. */
    record DatasetPlan(String name, String folder, String masks, String segmenter, double threshold) implements Serializable {}

    /**
     * A model: its name, its file's content hash (the embedding cache's key), its preprocessing and batch size.
     */
    record ModelPlan(String name, String hash, ModelConfig config, int batch) implements Serializable {
        /** Identifies one ONNX Runtime session: the same file under the same preprocessing. */
        String sessionKey() {
            return hash + "|" + java.util.Arrays.deepToString(new Object[]{config.name(), config.input(), config.output(), config.pooling(),
                    config.skipTokens(), config.resize(), config.crop(), config.interpolation(), config.mean(), config.std()});
        }
    }

    /** One image of the study: its dataset (index into {@link #datasets}), path relative to the dataset's folder, label. */
    record ImageTask(int dataset, String image, String label) implements Serializable {}

    /**
     * The plan of a study whose image models are the keys of {@code modelFiles}.
     */
    static EmbedPlan of(Study s, Map<String, Path> modelFiles) {
        List<DatasetPlan> ds = new ArrayList<>();
        for (Study.Dataset d : s.datasets()) {
            ds.add(new DatasetPlan(d.name(), d.folderAt().toString(), d.masksAt().map(Object::toString).orElse(null),
                    d.segmenterAt().map(Object::toString).orElse(null), d.threshold()));
        }
        List<ModelPlan> ms = new ArrayList<>();
        for (Study.Model m : s.models()) {
            Path file = modelFiles.get(m.name());
            if (file == null) continue;
            ModelConfig cfg = ModelConfig.resolve(m.preset().orElse(null), m.config().orElse(null));
            ms.add(new ModelPlan(m.name(), Hashing.file(file), cfg, m.batch()));
        }
        return new EmbedPlan(List.copyOf(ds), List.copyOf(s.variants()), s.fill(), s.radius(), s.seed(), s.pixelLimit().max(),
                List.copyOf(ms), s.output().resolve(".repsim-cache").resolve("spark").toString());
    }

    /** Every image of the study, in the study's row order. */
    static List<ImageTask> tasks(Study s) {
        List<ImageTask> out = new ArrayList<>();
        for (int d = 0; d < s.datasets().size(); d++) {
            for (Study.ImageRef r : s.datasets().get(d).images()) out.add(new ImageTask(d, r.relativePath(), r.label()));
        }
        return out;
    }
}
