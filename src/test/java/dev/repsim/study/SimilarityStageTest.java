package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.metrics.MetricOptions;
import dev.repsim.metrics.Similarity;
import dev.repsim.metrics.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The similarity matrices: every cell of an asymmetric measure, mirrored cells of a symmetric one. */
class SimilarityStageTest {
    static final int N = 40;

    static Study study(List<Metric> metrics, List<String> models) {
        List<Study.ImageRef> images = new ArrayList<>();
        for (int i = 0; i < N; i++) images.add(new Study.ImageRef("d", "img" + i + ".png", "a"));
        List<Study.Model> ms = models.stream().map(m -> new Study.Model(m, Study.Source.EMBEDDINGS, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 1)).toList();
        return new Study(Path.of("study.yaml"), "t", Path.of("out"),
                List.of(new Study.Dataset("d", Path.of("images"), Optional.empty(), Optional.empty(), 0.5, images)), ms,
                List.of("full", "center", "border"), "gray", 0.5, 0, metrics, MetricOptions.DEFAULTS, "java", Precision.F64, 5,
                "euclidean", null, null);
    }

    static Matrix gaussian(int d, long seed) {
        return TestData.gaussian(N, d, seed);
    }

    @Test
    void asymmetricMeasuresGetEveryCell() {
        Study s = study(List.of(Metric.LINEAR_REGRESSION, Metric.PROCRUSTES), List.of("a", "b"));
        Embeddings e = new Embeddings(N);
        long seed = 1;
        for (String model : List.of("a", "b")) {
            for (String v : s.variants()) e.put(model, v, gaussian(model.equals("a") ? 3 : 6, seed++));
        }
        try (Backend b = Backends.open("java", null)) {
            SimilarityStage.Result r = SimilarityStage.run(s, e, b);
            double[][] lr = r.byVariant().get("full").get("linear-regression");
            // Cell [i][j] is model i as X predicting model j as Y: two directions, two values.
            assertEquals(Similarity.compute(Metric.LINEAR_REGRESSION, e.get("a", "full"), e.get("b", "full"), b, s.options()), lr[0][1]);
            assertEquals(Similarity.compute(Metric.LINEAR_REGRESSION, e.get("b", "full"), e.get("a", "full"), b, s.options()), lr[1][0]);
            assertNotEquals(lr[0][1], lr[1][0]);
            double[][] byModel = r.byModel().get("a").get("linear-regression");
            assertEquals(Similarity.compute(Metric.LINEAR_REGRESSION, e.get("a", "border"), e.get("a", "full"), b, s.options()), byModel[2][0]);
            double[][] p = r.byVariant().get("center").get("procrustes");
            assertEquals(p[0][1], p[1][0]);
        }
    }

    /** A model whose embeddings of one variant are constant: CKA is undefined there, and the error says where. */
    @Test
    void anUndefinedMetricIsBadInputNamingTheStudyAndTheMatrix() {
        Study s = study(List.of(Metric.LINEAR_CKA), List.of("a", "b"));
        Embeddings e = new Embeddings(N);
        long seed = 1;
        for (String model : List.of("a", "b")) {
            for (String v : s.variants()) {
                e.put(model, v, model.equals("b") && v.equals("center") ? Matrix.of(N, 4, new double[N * 4]) : gaussian(4, seed++));
            }
        }
        try (Backend b = Backends.open("java", null)) {
            InputException ex = assertThrows(InputException.class, () -> SimilarityStage.run(s, e, b));
            assertTrue(ex.getMessage().startsWith("study.yaml: linear-cka of model b, between full, center, border: ")
                    && ex.getMessage().contains("no variance"), ex.getMessage());
        }
    }

    @Test
    void equalWidthMeasuresNameTheModelsWhoseWidthsDiffer() {
        Study s = study(List.of(Metric.HARD_CORRELATION_MATCH), List.of("a", "b"));
        InputException ex = assertThrows(InputException.class, () -> SimilarityStage.checkWidths(s, Map.of("a", 3L, "b", 6L)));
        assertTrue(ex.getMessage().contains("hard-correlation-match needs X and Y of equal widths") && ex.getMessage().contains("models 'a' and 'b'"),
                ex.getMessage());
    }
}
