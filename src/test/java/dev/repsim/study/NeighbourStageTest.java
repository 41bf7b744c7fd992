package dev.repsim.study;

import dev.repsim.backend.JavaBackend;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.KnnShare;
import dev.repsim.metrics.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The neighbour analysis: its shares on a case worked by hand, and the route whose sets come from elsewhere (the Spark module's hook). */
class NeighbourStageTest {

    /** Two images far apart, each variant a small shift: every point's nearest is the same image in the other variant. */
    @Test
    void sharesOfAHandWorkedCase() {
        Matrix pooled = Matrix.of(4, 1, new double[]{0, 10, 0.1, 10.1}); // a/img0, a/img1, b/img0, b/img1
        NeighbourStage.Result r = NeighbourStage.analyse(pooled, List.of("a", "b"), 2, 1, KnnShare.Distance.EUCLIDEAN, new JavaBackend(1));
        assertEquals(0.0, r.overallSameVariant());
        assertEquals(1.0, r.overallSameImage());
        assertEquals(Map.of("a", 0.0, "b", 0.0), r.sameVariant());
        assertEquals(Map.of("a", 1.0, "b", 1.0), r.sameImage());
        assertArrayEquals(new double[]{0, 1}, r.composition()[0]);
        assertArrayEquals(new double[]{1, 0}, r.composition()[1]);
    }

    /** The shares come from the remote's lists: a remote that hands each model the other's sets swaps the results. */
    @Test
    void remoteSetsAreTheOnesAnalysed() {
        Study s = SimilarityStageTest.study(List.of(Metric.LINEAR_CKA), List.of("m1", "m2"));
        Embeddings e = new Embeddings(SimilarityStageTest.N);
        // m1: unrelated variants; m2: each image's variants nearly equal (a high same-image share)
        Matrix base = SimilarityStageTest.gaussian(4, 7);
        long seed = 8;
        for (String v : s.variants()) {
            e.put("m1", v, SimilarityStageTest.gaussian(4, seed++));
            double[] near = SimilarityStageTest.gaussian(4, seed++).f64().clone();
            for (int i = 0; i < near.length; i++) near[i] = base.f64()[i] + 1e-3 * near[i];
            e.put("m2", v, Matrix.of(SimilarityStageTest.N, 4, near));
        }
        JavaBackend backend = new JavaBackend(1);
        List<String> asked = new ArrayList<>();
        NeighbourStage.RemoteNeighbours swapped = (models, pooled, k, distance, done) -> {
            Map<String, int[][]> out = new LinkedHashMap<>();
            for (String m : models) {
                asked.add(m);
                out.put(m, KnnShare.neighbours(pooled.apply(m.equals("m1") ? "m2" : "m1"), k, distance, backend));
                done.run();
            }
            return out;
        };
        Map<String, NeighbourStage.Result> local = NeighbourStage.run(s, e, backend), remote = NeighbourStage.run(s, e, backend, swapped);
        assertEquals(List.of("m1", "m2"), asked, "every model asked for, in the study's order");
        assertEquals(List.of("m1", "m2"), List.copyOf(remote.keySet()));
        assertSame(local.get("m2"), remote.get("m1"));
        assertSame(local.get("m1"), remote.get("m2"));
        assertTrue(local.get("m2").overallSameImage() > local.get("m1").overallSameImage() + 0.3, "the two models differ (m2: 2 of 5 neighbours the same image)");
    }

    private static void assertSame(NeighbourStage.Result a, NeighbourStage.Result b) {
        assertEquals(a.k(), b.k());
        assertEquals(a.sameVariant(), b.sameVariant());
        assertEquals(a.sameImage(), b.sameImage());
        assertEquals(a.overallSameVariant(), b.overallSameVariant());
        assertEquals(a.overallSameImage(), b.overallSameImage());
        for (int v = 0; v < a.composition().length; v++) assertArrayEquals(a.composition()[v], b.composition()[v]);
    }
}
