package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.InputException;
import dev.repsim.io.OutputLock;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.Similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a loaded study stage by stage, each announced on stderr with its own progress line:
 * embeddings (every model × variant), a check of every metric's requirements, the similarity
 * matrices, the neighbour analysis, UMAP, and the outputs. Returns the report's path.
 */
public final class StudyRunner {
    private final Study study;
    private final EmbeddingStage embeddings;
    private final NeighbourStage.RemoteNeighbours neighbours;
    private final PrintStream log;
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    public StudyRunner(Study study, EmbeddingStage embeddings, PrintStream log) {
        this(study, embeddings, null, log);
    }

    /** @param neighbours where the neighbour sets are computed (the Spark module), or null: on this machine */
    public StudyRunner(Study study, EmbeddingStage embeddings, NeighbourStage.RemoteNeighbours neighbours, PrintStream log) {
        this.study = study;
        this.embeddings = embeddings;
        this.neighbours = neighbours;
        this.log = log;
    }

    /** The folders under the output that only a study writes: stale temporary files there are a killed run's. */
    static final List<String> OWNED = List.of("csv", "figures", "embeddings", "variants", "models", ".repsim-cache");

    /**
     * Runs the study holding the output folder's lock (a second run on the same folder fails at once),
     * after removing what a killed run left half-written. The checks that need no output come first,
     * so a study that fails them writes nothing, not even the lock file; one that fails later (a bad
     * image met while writing variants) removes the output folder it created if nothing else is in it.
     */
    public Path run() {
        SimilarityStage.checkWidths(study, embeddings.check(study));
        try (OutputLock lock = OutputLock.acquire(study.output())) {
            try {
                for (String sub : OWNED) AtomicFiles.removeStaleTree(study.output().resolve(sub));
                AtomicFiles.removeStaleSiblings(StudyOutputs.results(study.output()));
                AtomicFiles.removeStaleSiblings(StudyOutputs.report(study.output()));
                return stages();
            } catch (RuntimeException | Error e) {
                try {
                    lock.removeIfUnused();
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    private Path stages() {
        Study s = study;
        int stages = 6;
        stage(1, stages, "embeddings: " + s.models().size() + " model(s) × " + s.variants().size() + " variant(s) × " + s.n() + " images");
        long t = System.nanoTime();
        Embeddings e = embeddings.run(s);
        seconds.put("embeddings", (System.nanoTime() - t) / 1e9);

        try (Backend backend = Backends.open(s.backend(), null)) {
            SimilarityStage.check(s, e);
            stage(2, stages, "similarity matrices: " + s.metrics().stream().map(Metric::label).toList() + " on " + backend.name() + " (" + s.precision().name().toLowerCase(Locale.ROOT) + ")");
            t = System.nanoTime();
            SimilarityStage.Result sim = SimilarityStage.run(s, e, backend);
            seconds.put("similarity matrices", (System.nanoTime() - t) / 1e9);

            stage(3, stages, "neighbour analysis: k=" + s.k() + ", " + s.knnMetric() + ", " + s.n() * s.variants().size() + " pooled points per model");
            t = System.nanoTime();
            Map<String, NeighbourStage.Result> nb = NeighbourStage.run(s, e, backend, neighbours);
            seconds.put("neighbour analysis", (System.nanoTime() - t) / 1e9);

            stage(4, stages, "UMAP: " + s.umap().neighbors() + " neighbours, " + s.umap().epochs() + " epochs");
            t = System.nanoTime();
            Map<String, UmapStage.Result> umap = UmapStage.run(s, e);
            seconds.put("UMAP", (System.nanoTime() - t) / 1e9);

            stage(5, stages, "results: JSON, CSV and figures");
            StudyResults r = results(s, e, backend, sim, nb, umap);
            stage(6, stages, "report");
            Path report = StudyOutputs.write(r, s.output(), embeddings.examples(s));
            log.println("study: done; report: " + report);
            return report;
        }
    }

    private void stage(int i, int of, String what) {
        log.printf(Locale.ROOT, "study: [%d/%d] %s%n", i, of, what);
        log.flush();
    }

    private StudyResults results(Study s, Embeddings e, Backend backend, SimilarityStage.Result sim,
                                 Map<String, NeighbourStage.Result> nb, Map<String, UmapStage.Result> umap) {
        List<StudyResults.Image> images = s.images().stream().map(i -> new StudyResults.Image(i.dataset(), i.relativePath(), i.label())).toList();
        List<StudyResults.ModelInfo> models = new ArrayList<>();
        for (Study.Model m : s.models()) models.add(new StudyResults.ModelInfo(m.name(), m.source().name().toLowerCase(Locale.ROOT), e.width(m.name())));
        Map<String, StudyResults.Umap> u = new LinkedHashMap<>();
        umap.forEach((model, res) -> u.put(model, new StudyResults.Umap(res.neighbors(), res.components(), s.umap().epochs(), s.umap().minDist(), s.umap().seed(), res.xy())));
        return new StudyResults(s.name(), s.file().toString(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), s.n(), images,
                s.variants(), models, s.metrics().stream().map(Metric::label).toList(), backend.describe(),
                s.precision().name().toLowerCase(Locale.ROOT), s.k(), s.knnMetric(), sim.byModel(), sim.byVariant(), nb, u, seconds);
    }

    /** Reads precomputed embeddings ({@code embeddings:} models) in the study's precision. */
    static Matrix readPrecomputed(Study s, Study.Model m, String variant) {
        Path p = m.embeddings().get(variant);
        if (p == null) throw new InputException(s.file(), "model '" + m.name() + "': no embeddings for variant '" + variant + "'");
        return Similarity.read(p, s.precision());
    }
}
