package dev.repsim.study;

import dev.repsim.onnx.BuiltinModels;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.repsim.backend.Backends;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PixelLimit;
import dev.repsim.io.InputException;
import dev.repsim.io.Location;
import dev.repsim.io.PathOrUri;
import dev.repsim.io.UriFiles;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.rsa.Rdm;
import dev.repsim.variants.Fill;
import dev.repsim.variants.MaskFolder;
import dev.repsim.variants.Variant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a study file and checks everything that can be checked before any long work: unknown keys,
 * missing files and folders, unknown names, a variant that needs masks where a dataset has none, an
 * image without its mask, and precomputed embeddings whose row count differs from the images'.
 * Every problem is one {@link InputException} line naming the study file and the key.
 */
public final class StudyLoader {
    private StudyLoader() {}

    public static final List<String> BUILTIN_MODELS = BuiltinModels.NAMES;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A key given twice is an error (YAML parsers otherwise keep the last silently). */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A study whose paths are local (a URI is refused: only {@code --spark} reads them). */
    public static Study load(Path file) {
        return load(file, null);
    }

    /**
     * A study whose input paths may also be URIs read by {@code uris} (with {@code --spark}; null: refused).
     * Model, config and embedding files named by URIs are copied to a temporary folder on this machine (they
     * are read here: the models are opened and shipped with the job); image and mask folders stay URIs,
     * listed here and read by the executors; the output is always a local folder.
     */
    public static Study load(Path file, UriFiles uris) {
        if (!Files.isRegularFile(file)) throw new InputException(file, "study file not found");
        StudyFile raw;
        try {
            raw = YAML.readValue(file.toFile(), StudyFile.class);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            throw new InputException(file, "unknown key '" + e.getPropertyName() + "'" + where(e.getLocation())
                    + " (known here: " + String.join(", ", known) + ")");
        } catch (JsonProcessingException e) {
            throw new InputException(file, "not a valid study file" + where(e.getLocation()) + ": " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage());
        }
        if (raw == null) throw new InputException(file, "empty study file");
        return new StudyLoader.Checker(file, uris).check(raw);
    }

    /**
     * The parser's message on one line: its unindented lines joined; the indented ones are positions and
     * a quoted snippet with a caret, which {@link #where} already sums up.
     */
    private static String oneLine(String message) {
        if (message == null) return "";
        return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr();
    }

    /**
     * The checks, with the file for messages, its folder for relative paths, the reader of URIs (null
     * without --spark) and the temporary folder of the copies of files named by URIs (made on first use).
     */
    private static final class Checker {
        private final Path file;
        private final Path base;
        private final UriFiles uris;
        private Path copies;
        private int copied;

        Checker(Path file, UriFiles uris) {
            this.file = file;
            this.base = file.toAbsolutePath().getParent();
            this.uris = uris;
        }

        InputException bad(String key, String problem) {
            return new InputException(file, key + ": " + problem);
        }

        /** A local path (relative to the study file; a {@code file:} URI is the path it names) or, with --spark, a URI. */
        Location location(String key, String value) {
            if (value == null || value.isBlank()) throw bad(key, "missing");
            if (!PathOrUri.isUri(value)) return Location.of(base.resolve(value).normalize());
            if (value.startsWith("file:")) return Location.of(Path.of(java.net.URI.create(value)).normalize());
            if (uris == null) {
                throw bad(key, "'" + value + "' is a URI: a study reads URIs (through Hadoop's FileSystem) only on Spark: add --spark MASTER");
            }
            return Location.ofUri(value);
        }

        /** The output folder: local (on the driver with --spark), where the report is written. */
        Path output(String value) {
            if (value != null && PathOrUri.isUri(value) && !value.startsWith("file:")) {
                throw bad("output", "'" + value + "' is a URI: the output is a local folder (the driver's with --spark), where the report is written");
            }
            return location("output", value).local();
        }

        UriFiles.Kind kind(String key, String uri) {
            try {
                return uris.kind(uri);
            } catch (InputException e) {
                throw bad(key, e.getMessage());
            }
        }

        Location existingDir(String key, String value) {
            Location l = location(key, value);
            if (l.isUri() ? kind(key, l.uri()) != UriFiles.Kind.FOLDER : !Files.isDirectory(l.path())) throw bad(key, "folder not found: " + l);
            return l;
        }

        /** A file that must exist; a URI stays one (the segmenter, which the executors read). */
        Location existingFileAt(String key, String value) {
            Location l = location(key, value);
            if (l.isUri()) {
                if (kind(key, l.uri()) != UriFiles.Kind.FILE) throw bad(key, "file not found: " + l);
                return l;
            }
            Path p = l.path();
            if (!Files.isRegularFile(p)) throw bad(key, "file not found: " + p);
            if (!Files.isReadable(p)) throw bad(key, "file not readable: " + p);
            return l;
        }

        /** A file read on this machine: a URI's file is copied to the temporary folder. */
        Path existingFile(String key, String value) {
            Location l = existingFileAt(key, value);
            return l.isUri() ? copy(key, l.uri()) : l.path();
        }

        /** A copy of the file at {@code uri} in a folder of its own (two URIs may end in the same name), removed when the JVM exits. */
        Path copy(String key, String uri) {
            try {
                if (copies == null) {
                    copies = Files.createTempDirectory("repsim-study-inputs-");
                    copies.toFile().deleteOnExit();
                }
            } catch (IOException e) {
                throw bad(key, "cannot make a temporary folder for a copy of " + uri + ": " + e.getMessage());
            }
            Path dir = copies.resolve(String.valueOf(++copied)), to = dir.resolve(UriFiles.name(uri));
            dir.toFile().deleteOnExit();
            to.toFile().deleteOnExit();
            try {
                uris.copy(uri, to);
            } catch (InputException e) {
                throw bad(key, e.getMessage());
            }
            return to;
        }

        /** The image files of a dataset's folder, as '/'-separated relative paths in order. */
        List<String> imageFiles(String key, Location folder) {
            try {
                if (!folder.isUri()) return ImageFiles.list(folder.path()).stream().map(ImageFiles.Entry::relative).toList();
                List<String> all = uris.listTree(folder.uri());
                if (all.isEmpty()) throw new InputException(folder.uri() + ": no images found (the folder tree has no files)");
                return all;
            } catch (InputException e) {
                throw bad(key, e.getMessage());
            }
        }

        /** Where file {@code relative} of {@code folder} is, for messages. */
        static String at(Location folder, String relative) {
            return folder.isUri() ? UriFiles.child(folder.uri(), relative) : folder.path().resolve(relative).toString();
        }

        String name(String key, String value) {
            if (value == null || !SAFE_NAME.matcher(value).matches()) {
                throw bad(key, "needs a name of letters, digits, '.', '_' or '-' (got " + (value == null ? "nothing" : "'" + value + "'") + ")");
            }
            return value;
        }

        Study check(StudyFile f) {
            String title = f.name() == null ? file.getFileName().toString().replaceFirst("\\.ya?ml$", "") : f.name();
            Path output = output(f.output());
            if (Files.exists(output) && !Files.isDirectory(output)) throw bad("output", "exists and is not a folder: " + output);

            List<String> variants = variants(f.variants());
            String fill;
            try {
                fill = Fill.parse(f.fill() == null ? "gray" : f.fill()).id();
            } catch (IllegalArgumentException e) {
                throw bad("fill", e.getMessage());
            }
            double radius = f.radius() == null ? 0.5 : f.radius();
            if (!(radius > 0 && radius <= 1)) throw bad("radius", "must be in (0, 1], got " + radius);
            long seed = f.seed() == null ? 0L : f.seed();

            List<Study.Dataset> datasets = datasets(f.datasets(), variants);
            int n = datasets.stream().mapToInt(d -> d.images().size()).sum();

            List<Metric> metrics = metrics(f.metrics());
            MetricOptions options = MetricOptions.DEFAULTS.withSeed(seed);
            try {
                if (f.sigma() != null) options = options.withSigma(f.sigma());
                if (f.svccaKeep() != null) options = options.withSvccaKeep(f.svccaKeep());
                if (f.batchSize() != null) options = options.withBatchSize(f.batchSize());
                if (f.ccaRidge() != null) options = options.withCcaRidge(f.ccaRidge());
                if (f.gulpLambda() != null) options = options.withGulpLambda(f.gulpLambda());
            } catch (IllegalArgumentException e) {
                throw new InputException(file, e.getMessage().replaceFirst("^--", ""));
            }
            if (f.metricK() != null) {
                if (f.metricK() < 1) throw bad("metric-k", "must be at least 1, got " + f.metricK());
                options = options.withK(f.metricK());
            }
            if (f.rdm() != null) {
                try {
                    options = options.withRdm(Rdm.parse(f.rdm()));
                } catch (IllegalArgumentException e) {
                    throw bad("rdm", "expected correlation or euclidean, got '" + f.rdm() + "'");
                }
            }
            for (Metric m : metrics) {
                if (n < m.minSamples()) throw bad("metrics", m.label() + " needs at least " + m.minSamples() + " images, the datasets have " + n);
            }

            String backend = f.backend() == null ? "auto" : f.backend().toLowerCase(Locale.ROOT);
            if (!Backends.NAMES.contains(backend)) throw bad("backend", "unknown backend '" + f.backend() + "' (expected one of " + Backends.NAMES + ")");
            Precision precision;
            try {
                precision = f.precision() == null ? Precision.F64 : Precision.parse(f.precision());
            } catch (IllegalArgumentException e) {
                throw bad("precision", e.getMessage());
            }
            int k = f.k() == null ? 10 : f.k();
            int pooled = n * variants.size();
            if (k < 1 || k >= pooled) throw bad("k", "must be between 1 and " + (pooled - 1) + " (pooled points - 1), got " + k);
            String knnMetric = f.knnMetric() == null ? "euclidean" : f.knnMetric().toLowerCase(Locale.ROOT);
            if (!knnMetric.equals("euclidean") && !knnMetric.equals("cosine")) throw bad("knn-metric", "expected euclidean or cosine, got '" + f.knnMetric() + "'");

            List<Study.Model> models = models(f.models(), variants, n, output);
            Study.Umap umap = umap(f.umap(), seed, pooled);
            PixelLimit pixelLimit;
            try {
                pixelLimit = f.maxPixels() == null ? PixelLimit.DEFAULT : new PixelLimit(f.maxPixels());
            } catch (IllegalArgumentException e) {
                throw bad("max-pixels", e.getMessage().replaceFirst("^--max-pixels ", ""));
            }
            return new Study(file, title, output, datasets, models, variants, fill, radius, seed, metrics, options,
                    backend, precision, k, knnMetric, umap, pixelLimit);
        }

        List<String> variants(List<String> given) {
            if (given == null || given.isEmpty()) throw bad("variants", "missing (choose from full, foreground, background, center, border)");
            List<String> out = new ArrayList<>();
            for (String v : given) {
                String t;
                try {
                    t = Variant.parse(v == null ? "" : v.toLowerCase(Locale.ROOT)).id();
                } catch (IllegalArgumentException e) {
                    throw bad("variants", e.getMessage());
                }
                if (out.contains(t)) throw bad("variants", "variant '" + t + "' listed twice");
                out.add(t);
            }
            return List.copyOf(out);
        }

        List<Metric> metrics(List<String> given) {
            if (given == null || given.isEmpty()) throw bad("metrics", "missing (known: " + Metric.labels() + ")");
            try {
                return Metric.parseList(String.join(",", given));
            } catch (IllegalArgumentException e) {
                throw bad("metrics", e.getMessage());
            }
        }

        List<Study.Dataset> datasets(List<StudyFile.DatasetEntry> given, List<String> variants) {
            if (given == null || given.isEmpty()) throw bad("datasets", "missing: at least one image folder is needed");
            List<Study.Dataset> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            List<String> masked = variants.stream().filter(v -> Variant.parse(v).needsMask()).toList();
            for (int i = 0; i < given.size(); i++) {
                StudyFile.DatasetEntry d = given.get(i);
                String key = "datasets[" + i + "]";
                if (d == null) throw bad(key, "empty entry");
                String name = name(key + ".name", d.name());
                if (!names.add(name)) throw bad(key + ".name", "dataset '" + name + "' named twice");
                Location images = existingDir(key + ".images", d.images());
                if (d.masks() != null && d.segmenter() != null) throw bad(key, "give masks or segmenter, not both");
                Optional<Location> masks = d.masks() == null ? Optional.empty() : Optional.of(existingDir(key + ".masks", d.masks()));
                Optional<Location> segmenter = d.segmenter() == null ? Optional.empty() : Optional.of(existingFileAt(key + ".segmenter", d.segmenter()));
                if (!masked.isEmpty() && masks.isEmpty() && segmenter.isEmpty()) {
                    throw bad(key, "variant" + (masked.size() > 1 ? "s " : " ") + String.join(", ", masked)
                            + " need" + (masked.size() > 1 ? "" : "s") + " foreground masks, but dataset '" + name + "' has neither masks nor segmenter");
                }
                double threshold = d.maskThreshold() == null ? 0.5 : d.maskThreshold();
                if (!(threshold > 0 && threshold < 1)) throw bad(key + ".mask-threshold", "must be in (0, 1), got " + threshold);
                List<String> files = imageFiles(key + ".images", images);
                for (String rel : files) {
                    String lower = rel.toLowerCase(Locale.ROOT);
                    if (!lower.endsWith(".png") && !lower.endsWith(".jpg") && !lower.endsWith(".jpeg")) {
                        throw bad(key + ".images", "not a JPEG or PNG image: " + at(images, rel));
                    }
                }
                List<Study.ImageRef> list = files.stream().map(rel -> new Study.ImageRef(name, rel, ImageFiles.label(rel))).toList();
                if (masks.isPresent() && !masked.isEmpty()) checkMasks(key + ".masks", masks.get(), files);
                out.add(new Study.Dataset(name, images, masks, segmenter, threshold, list));
            }
            return List.copyOf(out);
        }

        /** Every image has its mask: {@link MaskFolder}'s path locally, the same relative path in the folder's listing for a URI. */
        void checkMasks(String key, Location masks, List<String> images) {
            if (masks.isUri()) {
                Set<String> present;
                try {
                    present = new HashSet<>(uris.listTree(masks.uri()));
                } catch (InputException e) {
                    throw bad(key, e.getMessage());
                }
                for (String rel : images) {
                    String m = MaskFolder.maskName(rel);
                    if (!present.contains(m)) throw bad(key, "no mask for image " + rel + " (expected " + UriFiles.child(masks.uri(), m) + ")");
                }
                return;
            }
            MaskFolder folder = new MaskFolder(masks.path());
            for (String rel : images) {
                Path m = folder.maskPath(new ImageFiles.Entry(null, rel, ImageFiles.label(rel)));
                if (!Files.isRegularFile(m)) throw bad(key, "no mask for image " + rel + " (expected " + m + ")");
            }
        }

        List<Study.Model> models(List<StudyFile.ModelEntry> given, List<String> variants, int n, Path output) {
            if (given == null || given.isEmpty()) throw bad("models", "missing: at least one model is needed");
            List<Study.Model> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            String firstWithN = null;
            for (int i = 0; i < given.size(); i++) {
                StudyFile.ModelEntry m = given.get(i);
                String key = "models[" + i + "]";
                if (m == null) throw bad(key, "empty entry");
                String name = name(key + ".name", m.name());
                if (!names.add(name)) throw bad(key + ".name", "model '" + name + "' named twice");
                int sources = (m.onnx() != null ? 1 : 0) + (m.builtin() != null ? 1 : 0) + (m.embeddings() != null ? 1 : 0);
                if (sources != 1) throw bad(key, "give exactly one of onnx, builtin or embeddings");
                int batch = m.batch() == null ? 32 : m.batch();
                if (batch < 1) throw bad(key + ".batch", "must be at least 1, got " + batch);
                Optional<Path> config = m.config() == null ? Optional.empty() : Optional.of(existingFile(key + ".config", m.config()));
                if (m.onnx() != null) {
                    Path onnx = existingFile(key + ".onnx", m.onnx());
                    out.add(new Study.Model(name, Study.Source.ONNX, Optional.of(onnx), Optional.ofNullable(m.preset()), config,
                            Optional.empty(), Map.of(), batch));
                } else if (m.builtin() != null) {
                    if (!BUILTIN_MODELS.contains(m.builtin())) throw bad(key + ".builtin", "unknown model '" + m.builtin() + "' (expected one of " + BUILTIN_MODELS + ")");
                    Path onnx = output.resolve("models").resolve(m.builtin() + ".onnx");
                    String preset = m.preset() != null ? m.preset() : BuiltinModels.preset(m.builtin());
                    out.add(new Study.Model(name, Study.Source.BUILTIN, Optional.of(onnx), Optional.of(preset),
                            config, Optional.of(m.builtin()), Map.of(), batch));
                } else {
                    if (m.preset() != null) throw bad(key + ".preset", "a preset belongs to an onnx model, not to precomputed embeddings");
                    Map<String, Path> emb = new LinkedHashMap<>();
                    for (String key2 : m.embeddings().keySet()) {
                        if (!variants.contains(key2)) throw bad(key + ".embeddings", "variant '" + key2 + "' is not one of the study's variants " + variants);
                    }
                    for (String v : variants) {
                        String k2 = key + ".embeddings." + v;
                        if (!m.embeddings().containsKey(v)) throw bad(key + ".embeddings", "no embeddings for variant '" + v + "'");
                        Path npy = existingFile(k2, m.embeddings().get(v));
                        Npy.Header h;
                        try {
                            h = Npy.header(npy);
                            Npy.requireFloat2d(h);
                        } catch (InputException e) {
                            throw bad(k2, e.getMessage());
                        }
                        if (h.rows() != n) {
                            throw bad(k2, "model '" + name + "' has " + h.rows() + " rows in " + npy.getFileName() + " but the datasets have " + n + " images"
                                    + (firstWithN != null ? " (as " + firstWithN + "'s embeddings do)" : ""));
                        }
                        emb.put(v, npy);
                    }
                    firstWithN = firstWithN == null ? name : firstWithN;
                    out.add(new Study.Model(name, Study.Source.EMBEDDINGS, Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty(), Map.copyOf(emb), batch));
                }
            }
            return List.copyOf(out);
        }

        Study.Umap umap(StudyFile.UmapEntry u, long seed, int pooled) {
            int neighbors = u == null || u.neighbors() == null ? 15 : u.neighbors();
            int epochs = u == null || u.epochs() == null ? 200 : u.epochs();
            double minDist = u == null || u.minDist() == null ? 0.1 : u.minDist();
            long s = u == null || u.seed() == null ? seed : u.seed();
            if (neighbors < 2 || neighbors >= pooled) throw bad("umap.neighbors", "must be between 2 and " + (pooled - 1) + ", got " + neighbors);
            if (epochs < 10) throw bad("umap.epochs", "must be at least 10, got " + epochs);
            if (!(minDist > 0 && minDist < 1)) throw bad("umap.min-dist", "must be in (0, 1), got " + minDist);
            return new Study.Umap(neighbors, epochs, minDist, s);
        }
    }
}
