package dev.repsim.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.cli.CliRun;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.rsa.Rdm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study keys of the kNN metrics and RSA (metric-k, rdm): checked before any work, named in errors. */
class StudyMetricOptionsTest {

    static Path study(Path dir, String extra) throws Exception {
        StudyPipelineTest.images(dir, 6);
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images}]
                models: [{name: cnn, builtin: tiny-cnn}]
                variants: [full, center]
                metrics: [mutual-knn, rsa]
                backend: java
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """ + extra);
        return study;
    }

    @Test
    void tooManyNeighboursForTheImagesFailsBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("study", study(dir, "").toString()); // metric-k defaults to 10, 6 images
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("metrics: mutual-knn needs metric-k between 1 and n-1 = 5, got 10 (the study has 6 images)"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void badValuesNameTheirKey(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("study", study(dir, "metric-k: 0\n").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("metric-k: must be at least 1, got 0"), r.err());
        Files.writeString(dir.resolve("study.yaml"), Files.readString(dir.resolve("study.yaml")).replace("metric-k: 0", "rdm: cosine"));
        r = CliRun.of("study", dir.resolve("study.yaml").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("rdm: expected correlation or euclidean, got 'cosine'"), r.err());
    }

    @Test
    void theKeysReachTheMetrics(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("study", study(dir, "metric-k: 3\nrdm: euclidean\n").toString());
        assertEquals(0, r.status(), r.err());
        JsonNode cells = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).get("variantSimilarity").get("cnn");
        Matrix full = Npy.readMatrix(dir.resolve("out/embeddings/cnn/full.npy")).to(Precision.F64);
        Matrix center = Npy.readMatrix(dir.resolve("out/embeddings/cnn/center.npy")).to(Precision.F64);
        MetricOptions o = MetricOptions.DEFAULTS.withK(3).withRdm(Rdm.EUCLIDEAN);
        try (Backend b = Backends.open("java", null)) {
            for (Metric m : new Metric[] {Metric.MUTUAL_KNN, Metric.RSA}) {
                double want = Similarity.compute(m, full, center, b, o);
                assertEquals(want, cells.get(m.label()).get(0).get(1).asDouble(), 1e-12, m.label());
                assertNotEquals(want, Similarity.compute(m, full, center, b, MetricOptions.DEFAULTS.withK(2)), m.label() + " must differ with other settings");
            }
        }
    }
}
