package dev.repsim.spark;

import dev.repsim.backend.JavaBackend;
import dev.repsim.linalg.FixedOrderSums;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.KnnShare;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study's neighbour sets on Spark ({@code local[2]}) are {@link KnnShare#neighbours}' sets row for
 * row, for euclidean and cosine: rows of small integers (many repeated rows and equal distances, so the
 * tie rule decides), Gaussian float64 rows, in five blocks (every row's candidates merged from five
 * block pairs) and in two blocks of 1150 rows (more than one 1024-row tile inside a block).
 */
class SparkStudyNeighboursTest {

    private static final Map<String, Matrix> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("tied", Fixtures.tied(300, 4, 11));
        ROWS.put("gaussian", Fixtures.x());
        ROWS.put("tiles", Fixtures.tied(2300, 3, 12));
    }

    @Test
    void euclideanSetsInFiveBlocksAreTheLocalSets() {
        assertLocalSets(List.of("tied", "gaussian"), 7, KnnShare.Distance.EUCLIDEAN, 5);
    }

    @Test
    void cosineSetsInTwoBlocksOfSeveralTilesAreTheLocalSets() {
        assertLocalSets(List.of("tiles", "tied"), 5, KnnShare.Distance.COSINE, 2);
    }

    private static void assertLocalSets(List<String> models, int k, KnnShare.Distance distance, int blocks) {
        AtomicInteger done = new AtomicInteger();
        Map<String, int[][]> sets = new SparkStudyNeighbours("local[2]", Map.of(), blocks).neighbours(models, ROWS::get, k, distance,
                done::incrementAndGet);
        assertEquals(models, List.copyOf(sets.keySet()));
        assertEquals(models.size(), done.get(), "one progress step per model");
        for (String m : models) {
            int[][] expected = KnnShare.neighbours(ROWS.get(m), k, distance, new JavaBackend(1)), actual = sets.get(m);
            assertEquals(expected.length, actual.length, m);
            for (int r = 0; r < expected.length; r++) assertArrayEquals(expected[r], actual[r], m + ", row " + r);
            if (!m.equals("gaussian")) {
                int decided = tiesAtTheBoundary(KnnShare.ranked(ROWS.get(m), distance), actual);
                assertTrue(decided > expected.length / 2, m + ": only " + decided + " rows have a tie the lower index decides");
            }
        }
    }

    /** Rows whose k-th neighbour is as far as a row left out: the tie rule, not the distances, chose the set. */
    private static int tiesAtTheBoundary(Matrix ranked, int[][] sets) {
        int n = ranked.rows(), d = ranked.cols(), count = 0;
        double[] x = ranked.f64();
        for (int r = 0; r < n; r++) {
            int[] set = sets[r];
            double last = FixedOrderSums.squaredDistance(x, r * d, x, set[set.length - 1] * d, d);
            Set<Integer> in = new HashSet<>();
            for (int j : set) in.add(j);
            for (int j = 0; j < n; j++) {
                if (j != r && !in.contains(j) && FixedOrderSums.squaredDistance(x, r * d, x, j * d, d) == last) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    @Test
    void aZeroRowUnderCosineIsNamedByItsPooledRow() {
        double[] z = new double[200 * 3];
        for (int i = 0; i < z.length; i++) z[i] = 1 + i % 7;
        for (int c = 0; c < 3; c++) z[157 * 3 + c] = 0;
        Matrix rows = Matrix.of(200, 3, z);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkStudyNeighbours("local[2]", Map.of(), 3)
                .neighbours(List.of("m"), m -> rows, 5, KnnShare.Distance.COSINE, () -> {}));
        assertTrue(e.getMessage().contains("row 157"), e.getMessage());
    }
}
