package dev.repsim.spark;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.io.StagedFolder;
import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.study.StudyLoader;
import dev.repsim.variants.MaskFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A scripted benchmark of a study's embedding stage on Spark (spark/bench.sh embed runs it): the images
 * of STUDY.yaml repeated COPIES times (each copy with one pixel changed, so no copy is an embedding
 * cache hit and every copy costs the same), made into variants and embedded by the study's models on each
 * master, from a fresh output folder. One CSV line per run on stdout: master, workers started for the run
 * (standalone[N]; 0 for a master given as a URL), partitions, images, embeddings (images × variants × models), seconds (the whole stage:
 * session and executors' start, variants, inference, the Parquet table written and read back) and
 * images per second. Runs at two sizes separate the fixed start from the per-image cost.
 *
 * <p>{@code EmbedBenchmark STUDY.yaml COPIES MASTERS PARTITIONS REPEAT}, e.g.
 * {@code data/demo/study.yaml 2,6 standalone[1],standalone[2] 4 1}.
 */
public final class EmbedBenchmark {
    private EmbedBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: EmbedBenchmark STUDY.yaml COPIES MASTERS PARTITIONS REPEAT (lists comma-separated)");
            System.exit(2);
        }
        Study base = StudyLoader.load(Path.of(args[0]).toAbsolutePath());
        int parts = Integer.parseInt(args[3]), repeat = Integer.parseInt(args[4]);
        Path scratch = Files.createTempDirectory("repsim-embed-bench-");
        try {
            System.out.println("master,workers,partitions,images,embeddings,seconds,images_per_second");
            for (String c : args[1].split(",")) {
                Study s = copies(base, Integer.parseInt(c), scratch.resolve("copies-" + c));
                for (String spec : args[2].split(",")) {
                    try (BenchMaster master = BenchMaster.open(spec, "2g")) {
                        for (int r = 0; r < repeat; r++) {
                            Study run = s.withOutput(Files.createTempDirectory(scratch, "out-"));
                            long t0 = System.nanoTime();
                            new StudyEmbeddings(new SparkStudyEmbedding(master.url(), master.conf(), parts)).run(run);
                            double sec = (System.nanoTime() - t0) / 1e9;
                            long embeddings = (long) run.n() * run.variants().size() * run.models().size();
                            System.out.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f,%.2f%n", spec, master.workers(), parts, run.n(), embeddings, sec, run.n() / sec);
                            StagedFolder.deleteTree(run.output());
                        }
                    }
                }
            }
        } finally {
            StagedFolder.deleteTree(scratch);
        }
    }

    /** The study with each dataset's images written {@code copies} times as PNG (copy k has pixel k changed), masks copied beside them. */
    static Study copies(Study base, int copies, Path dir) throws Exception {
        List<Study.Dataset> datasets = new ArrayList<>();
        for (Study.Dataset d : base.datasets()) {
            Path images = dir.resolve(d.name()).resolve("images"), masks = dir.resolve(d.name()).resolve("masks");
            MaskFolder from = d.masks().map(MaskFolder::new).orElse(null);
            List<Study.ImageRef> refs = new ArrayList<>();
            for (ImageFiles.Entry e : ImageFiles.list(d.folder())) {
                Raster pixels = ImageDecoder.read(e.path(), base.pixelLimit());
                for (int k = 0; k < copies; k++) {
                    String rel = ImageFiles.stem(e.relative()) + "-copy" + k + ".png";
                    Raster r = k == 0 ? pixels : changed(pixels, k);
                    Path to = images.resolve(rel);
                    Files.createDirectories(to.getParent());
                    PngWriter.write(to, r);
                    if (from != null && Files.exists(from.maskPath(e))) {
                        Path m = masks.resolve(ImageFiles.stem(rel) + ".png");
                        Files.createDirectories(m.getParent());
                        Files.copy(from.maskPath(e), m);
                    }
                    refs.add(new Study.ImageRef(d.name(), rel, e.label()));
                }
            }
            refs.sort(java.util.Comparator.comparing(Study.ImageRef::relativePath));
            datasets.add(new Study.Dataset(d.name(), images, from == null ? Optional.empty() : Optional.of(masks), d.segmenter(), d.threshold(), refs));
        }
        return new Study(base.file(), base.name(), base.output(), datasets, base.models(), base.variants(), base.fill(), base.radius(), base.seed(),
                base.metrics(), base.options(), base.backend(), base.precision(), base.k(), base.knnMetric(), base.umap(), base.pixelLimit());
    }

    private static Raster changed(Raster r, int k) {
        short[] samples = r.samples().clone();
        Raster c = new Raster(r.width(), r.height(), r.channels(), r.bits(), samples);
        int p = k % r.pixels();
        c.setSample(p, 0, (c.sample(p, 0) + 1) % (c.maxValue() + 1));
        return c;
    }
}
