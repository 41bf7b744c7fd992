package dev.repsim.study;

import dev.repsim.embed.EmbedInput;
import dev.repsim.embed.EmbedSettings;
import dev.repsim.embed.Embedder;
import dev.repsim.embed.ModelConfig;
import dev.repsim.embed.OrtModel;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.io.Progress;
import dev.repsim.io.UriFiles;
import dev.repsim.image.PixelLimit;
import dev.repsim.linalg.Matrix;
import dev.repsim.onnx.BuiltinModels;
import dev.repsim.report.Png;
import dev.repsim.variants.Fill;
import dev.repsim.variants.MaskFolder;
import dev.repsim.variants.MaskSource;
import dev.repsim.variants.Segmenter;
import dev.repsim.variants.Variant;
import dev.repsim.variants.VariantSettings;
import dev.repsim.variants.Variants;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding stage of {@code repsim study}. Precomputed embeddings are read from their .npy files.
 * For ONNX and built-in models the image pipeline runs: each dataset's variants are generated once into
 * {@code OUTPUT/variants/<dataset>/} (skipped when a stamp shows the same images, masks and settings),
 * then each model embeds every variant image through ONNX Runtime with the content-hash cache in
 * {@code OUTPUT/.repsim-cache} (a re-run, or a run resumed after a kill, computes only what is missing).
 * Each (model, variant) matrix is also written to {@code OUTPUT/embeddings/<model>/<variant>.npy},
 * rows in the study's image order.
 */
public final class StudyEmbeddings implements EmbeddingStage {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Seed of the built-in models' weights: the same as {@code repsim make-model}'s default. */
    static final long BUILTIN_SEED = 0;

    /**
     * The image models' embeddings computed away from this JVM (the Spark module): model name → variant →
     * n×d float32 matrix, rows in the study's image order. The variants, the cache and the model sessions
     * are then the remote side's; this stage keeps the checks, the precomputed models and the outputs.
     */
    public interface RemoteEmbedding {
        /** @param modelFiles every ONNX and built-in model's name → its ONNX file (built-in ones written under the output) */
        Map<String, Map<String, Matrix>> embed(Study study, Map<String, Path> modelFiles);

        /** Reads the URIs a study may name with this embedding ({@link StudyLoader#load(Path, UriFiles)}). */
        UriFiles files();
    }

    private final RemoteEmbedding remote;

    /** Variants and embeddings on this machine. */
    public StudyEmbeddings() {
        this(null);
    }

    /** The image models embedded by {@code remote} (null: on this machine). */
    public StudyEmbeddings(RemoteEmbedding remote) {
        this.remote = remote;
    }

    /**
     * Opens every ONNX and built-in model with its preset once, so a corrupt model or a preset that does
     * not fit fails now (naming the study file and the model's key), and reads every model's output width
     * from the output shape (ONNX) or the .npy header (precomputed). Writes nothing: a built-in model is
     * opened from a temporary copy.
     */
    @Override
    public Map<String, Long> check(Study s) {
        Map<String, Long> widths = new LinkedHashMap<>();
        for (int i = 0; i < s.models().size(); i++) {
            Study.Model m = s.models().get(i);
            String key = "models[" + i + "]";
            if (m.source() == Study.Source.EMBEDDINGS) {
                widths.put(m.name(), (long) Npy.header(m.embeddings().get(s.variants().get(0))).cols());
                continue;
            }
            String fileKey = key + (m.source() == Study.Source.BUILTIN ? ".builtin" : ".onnx");
            ModelConfig cfg;
            try {
                cfg = ModelConfig.resolve(m.preset().orElse(null), m.config().orElse(null));
            } catch (IllegalArgumentException | InputException e) {
                throw new InputException(s.file(), key + (m.config().isPresent() ? ".config" : ".preset") + ": model '" + m.name() + "': " + e.getMessage());
            }
            Path tmp = null;
            try {
                Path file = m.onnx().orElseThrow();
                if (m.source() == Study.Source.BUILTIN) {
                    tmp = Files.createTempFile("repsim-" + m.builtin().orElseThrow(), ".onnx");
                    Files.write(tmp, BuiltinModels.onnx(m.builtin().orElseThrow(), BUILTIN_SEED));
                    file = tmp;
                }
                try (OrtModel om = new OrtModel(file, cfg, 1, OrtModel.Provider.CPU)) {
                    widths.put(m.name(), om.outputWidth());
                }
            } catch (InputException | IllegalArgumentException e) {
                throw new InputException(s.file(), fileKey + ": model '" + m.name() + "' (" + describe(m) + "): "
                        + studyAdvice(e.getMessage(), m.onnx().orElseThrow(), tmp, key));
            } catch (IOException e) {
                throw new InputException(s.file(), fileKey + ": cannot write a temporary copy of the built-in model: " + e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a stray temporary file is harmless; the check's own result matters
                    }
                }
            }
        }
        return widths;
    }

    private static String describe(Study.Model m) {
        return (m.source() == Study.Source.BUILTIN ? "builtin " + m.builtin().orElseThrow() : m.onnx().orElseThrow().toString())
                + ", preset " + m.preset().orElse("none") + m.config().map(c -> ", config " + c).orElse("");
    }

    /** A model error as the study's user needs it: without the file prefix (already named) and with study keys instead of CLI options. */
    static String studyAdvice(String message, Path file, Path tmp, String key) {
        String msg = message;
        for (Path p : tmp == null ? List.of(file) : List.of(file, tmp)) {
            if (msg.startsWith(p + ": ")) msg = msg.substring(p.toString().length() + 2);
        }
        return msg.replace("in --config", "in the JSON file of " + key + ".config").replace("--preset", key + ".preset");
    }

    @Override
    public Embeddings run(Study s) {
        Embeddings e = new Embeddings(s.n());
        boolean images = s.models().stream().anyMatch(m -> m.source() != Study.Source.EMBEDDINGS);
        Map<String, Map<String, Matrix>> remoteRows = Map.of();
        if (images && remote != null) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (Study.Model m : s.models()) if (m.source() != Study.Source.EMBEDDINGS) files.put(m.name(), modelFile(m));
            remoteRows = remote.embed(s, files);
        } else if (images) {
            for (Study.Dataset d : s.datasets()) variants(s, d);
        }
        for (Study.Model m : s.models()) {
            if (m.source() == Study.Source.EMBEDDINGS) {
                for (String v : s.variants()) put(s, e, m, v, StudyRunner.readPrecomputed(s, m, v));
            } else {
                store(s, e, m, remote != null ? remoteRows.get(m.name()) : embed(s, m));
            }
        }
        return e;
    }

    /** Writes a model's matrices to {@code OUTPUT/embeddings/<model>/<variant>.npy} and keeps them in the study's precision. */
    private static void store(Study s, Embeddings e, Study.Model m, Map<String, Matrix> byVariant) {
        for (String v : s.variants()) {
            Matrix x = byVariant.get(v);
            if (x == null) throw new IllegalStateException("no embeddings of model '" + m.name() + "', variant '" + v + "'");
            Npy.write(s.output().resolve("embeddings").resolve(m.name()).resolve(v + ".npy"), x);
            put(s, e, m, v, x.to(s.precision()));
        }
    }

    private static void put(Study s, Embeddings e, Study.Model m, String variant, Matrix x) {
        try {
            e.put(m.name(), variant, x);
        } catch (IllegalArgumentException ex) {
            throw new InputException(s.file(), ex.getMessage());
        }
    }

    static Path variantsDir(Study s, Study.Dataset d) {
        return s.output().resolve("variants").resolve(d.name());
    }

    /** Generates a dataset's variant images unless the stamp of an earlier run matches. */
    private static void variants(Study s, Study.Dataset d) {
        Path dir = variantsDir(s, d);
        Path stampFile = dir.resolve(".study-stamp");
        String stamp = stamp(s, d);
        try {
            if (Files.isRegularFile(dir.resolve(Variants.CSV)) && Files.isRegularFile(stampFile)
                    && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)) {
                System.err.println("study: variants of '" + d.name() + "' are up to date in " + dir);
                return;
            }
        } catch (IOException ex) {
            throw new InputException(stampFile, "cannot read: " + ex.getMessage());
        }
        VariantSettings vs = variantSettings(s.variants(), s.fill(), s.radius(), s.seed(), s.pixelLimit(), CORES);
        try (MaskSource masks = masks(vs, d)) {
            Variants.generate(d.folder(), masks, dir, vs, new Progress("study: variants of " + d.name(), d.images().size(), "images"));
        }
        AtomicFiles.writeString(stampFile, stamp);
    }

    /** A study's variant settings (bad images stop the study), for {@code threads} threads. */
    public static VariantSettings variantSettings(List<String> variants, String fill, double radius, long seed, PixelLimit limit, int threads) {
        return new VariantSettings(variants.stream().map(Variant::parse).toList(), Fill.parse(fill), radius, seed, threads, false, limit);
    }

    /** The dataset's masks, or null when no variant needs them (the loader checked that a dataset has them when one does). */
    private static MaskSource masks(VariantSettings vs, Study.Dataset d) {
        return masks(vs, d.masks().orElse(null), d.segmenter().orElse(null), d.threshold(), CORES);
    }

    /** Masks from a folder, else from the segmenter; null when no variant needs them. */
    public static MaskSource masks(VariantSettings vs, Path maskFolder, Path segmenter, double threshold, int threads) {
        if (vs.variants().stream().noneMatch(Variant::needsMask)) return null;
        return maskFolder != null ? new MaskFolder(maskFolder) : new Segmenter(segmenter, threshold, threads);
    }

    /** What the variants depend on: settings, and every image and mask file's size and time. */
    private static String stamp(Study s, Study.Dataset d) {
        StringBuilder b = new StringBuilder();
        b.append("variants=").append(s.variants()).append(" fill=").append(s.fill()).append(" radius=").append(s.radius())
                .append(" seed=").append(s.seed()).append(" masks=").append(d.masks().map(Path::toString).orElse(""))
                .append(" segmenter=").append(d.segmenter().map(Path::toString).orElse("")).append(" threshold=").append(d.threshold()).append('\n');
        try {
            for (Study.ImageRef r : d.images()) {
                Path img = d.folder().resolve(r.relativePath());
                b.append(r.relativePath()).append(' ').append(Files.size(img)).append(' ').append(Files.getLastModifiedTime(img).toMillis());
                if (d.masks().isPresent()) {
                    Path m = new MaskFolder(d.masks().get()).maskPath(new dev.repsim.image.ImageFiles.Entry(img, r.relativePath(), r.label()));
                    if (Files.exists(m)) b.append(' ').append(Files.size(m)).append(' ').append(Files.getLastModifiedTime(m).toMillis());
                }
                b.append('\n');
            }
            if (d.segmenter().isPresent()) b.append(Files.size(d.segmenter().get())).append(' ').append(Files.getLastModifiedTime(d.segmenter().get()).toMillis());
        } catch (IOException ex) {
            throw new InputException(d.folder(), "cannot stat: " + ex.getMessage());
        }
        return b.toString();
    }

    /** The model file: the given ONNX, or a built-in model written (when missing or different) under the output folder. */
    private static Path modelFile(Study.Model m) {
        Path onnx = m.onnx().orElseThrow();
        if (m.source() == Study.Source.BUILTIN) {
            byte[] bytes = BuiltinModels.onnx(m.builtin().orElseThrow(), BUILTIN_SEED);
            try {
                if (!Files.isRegularFile(onnx) || !Arrays.equals(Files.readAllBytes(onnx), bytes)) AtomicFiles.write(onnx, o -> o.write(bytes));
            } catch (IOException ex) {
                throw new InputException(onnx, "cannot read: " + ex.getMessage());
            }
        }
        return onnx;
    }

    private static Map<String, Matrix> embed(Study s, Study.Model m) {
        Path onnx = modelFile(m);
        ModelConfig cfg = ModelConfig.resolve(m.preset().orElse(null), m.config().orElse(null));
        EmbedSettings settings = new EmbedSettings(m.batch(), CORES, CORES, OrtModel.Provider.CPU, s.output().resolve(".repsim-cache"), false,
                s.pixelLimit());
        Map<String, float[]> byVariant = new LinkedHashMap<>();
        int d = -1, offset = 0;
        for (Study.Dataset ds : s.datasets()) {
            List<EmbedInput> inputs = EmbedInput.fromVariants(variantsDir(s, ds));
            dev.repsim.embed.Embeddings r = Embedder.embed(onnx, cfg, inputs, settings,
                    new Progress("study: embed " + m.name() + " / " + ds.name(), inputs.size(), "images"));
            System.err.printf(java.util.Locale.ROOT, "study: embedded %s / %s: %d images (%d computed, %d from the cache)%n",
                    m.name(), ds.name(), inputs.size(), r.computed(), r.cached());
            Matrix x = r.matrix();
            d = x.cols();
            Map<String, Integer> row = new HashMap<>();
            for (int i = 0; i < ds.images().size(); i++) row.put(ds.images().get(i).relativePath(), i);
            int[] filled = new int[s.variants().size()];
            for (dev.repsim.embed.Embeddings.IndexRow ir : r.index()) {
                Integer i = row.get(ir.image());
                int v = s.variants().indexOf(ir.variant());
                if (i == null || v < 0) throw new IllegalStateException("embedding row " + ir.row() + " (" + ir.image() + ", " + ir.variant() + ") is not in the study");
                float[] dst = byVariant.computeIfAbsent(ir.variant(), k -> new float[s.n() * x.cols()]);
                System.arraycopy(x.f32(), ir.row() * x.cols(), dst, (offset + i) * x.cols(), x.cols());
                filled[v]++;
            }
            for (int v = 0; v < filled.length; v++) {
                if (filled[v] != ds.images().size()) {
                    throw new InputException(variantsDir(s, ds), "variant '" + s.variants().get(v) + "' has " + filled[v] + " embedded images, expected " + ds.images().size());
                }
            }
            offset += ds.images().size();
        }
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (String v : s.variants()) out.put(v, Matrix.of(s.n(), d, byVariant.get(v)));
        return out;
    }

    @Override
    public Map<String, byte[]> examples(Study s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (s.models().stream().allMatch(m -> m.source() == Study.Source.EMBEDDINGS)) return out;
        Study.Dataset d = s.datasets().get(0);
        String first = d.images().get(0).relativePath();
        if (remote == null) return thumbnails(EmbedInput.fromVariants(variantsDir(s, d)), first, out);
        // The variants were made on the executors: the first image's again, here, in a temporary folder
        // (with its mask and the segmenter copied there first where they are URIs).
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("repsim-examples");
            Study.ImageRef r = d.images().get(0);
            VariantSettings vs = variantSettings(s.variants(), s.fill(), s.radius(), s.seed(), s.pixelLimit(), 1);
            boolean masked = vs.variants().stream().anyMatch(Variant::needsMask);
            LocalDataset local = LocalDataset.of(d.folderAt().toString(), masked ? d.masksAt().map(Object::toString).orElse(null) : null,
                    masked ? d.segmenterAt().map(Object::toString).orElse(null) : null, List.of(first), tmp.resolve("inputs"), remote.files());
            try (MaskSource masks = masks(vs, local.masks(), local.segmenter(), d.threshold(), CORES)) {
                Variants.generate(local.folder(), List.of(new dev.repsim.image.ImageFiles.Entry(local.folder().resolve(first), first, r.label())),
                        masks, tmp.resolve("variants"), vs, Progress.silent());
            } catch (InputException e) {
                throw local.named(e);
            }
            return thumbnails(EmbedInput.fromVariants(tmp.resolve("variants")), first, out);
        } catch (IOException ex) {
            throw new InputException(s.output(), "cannot make a temporary folder for the example variants: " + ex.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    dev.repsim.io.StagedFolder.deleteTree(tmp);
                } catch (IOException ignored) {
                    // a stray temporary folder is harmless; the report matters
                }
            }
        }
    }

    /** PNG thumbnails of {@code first}'s variants among {@code rows}, added to {@code out}. */
    private static Map<String, byte[]> thumbnails(List<EmbedInput> rows, String first, Map<String, byte[]> out) {
        for (EmbedInput r : rows) {
            if (!r.image().equals(first)) continue;
            try {
                BufferedImage img = ImageIO.read(r.file().toFile());
                if (img == null) throw new InputException(r.file(), "not a readable image");
                out.put(r.variant(), Png.bytes(thumbnail(img, 220)));
            } catch (IOException ex) {
                throw new InputException(r.file(), "cannot read: " + ex.getMessage());
            }
        }
        return out;
    }

    private static BufferedImage thumbnail(BufferedImage img, int max) {
        double f = Math.min(1.0, max / (double) Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * f)), h = Math.max(1, (int) Math.round(img.getHeight() * f));
        BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return t;
    }
}
