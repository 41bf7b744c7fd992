package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Neighbour lists and shares against sorting all distances of every row. */
class KnnShareTest {

    static int[] bruteNeighbours(Matrix z, int i, int k, boolean cosine) {
        int n = z.rows(), d = z.cols();
        double[] dist = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0, ni = 0, nj = 0, dot = 0;
            for (int c = 0; c < d; c++) {
                s += Math.pow(z.get(i, c) - z.get(j, c), 2);
                dot += z.get(i, c) * z.get(j, c);
                ni += z.get(i, c) * z.get(i, c);
                nj += z.get(j, c) * z.get(j, c);
            }
            dist[j] = cosine ? 1 - dot / Math.sqrt(ni * nj) : s;
        }
        return IntStream.range(0, n).filter(j -> j != i).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparing(j -> j))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void neighboursMatchBruteForce(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix z = TestData.gaussian(157, 6, 71);
            for (KnnShare.Distance dist : KnnShare.Distance.values()) {
                int[][] nb = KnnShare.neighbours(z, 5, dist, b);
                for (int i = 0; i < z.rows(); i++) {
                    assertArrayEquals(bruteNeighbours(z, i, 5, dist == KnnShare.Distance.COSINE), nb[i], dist + " row " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void sharesOfSeparatedClustersAndOfDuplicates(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            // Two far-apart clusters of 40 points: every neighbour carries the same label.
            Matrix g = TestData.gaussian(80, 4, 72);
            double[] a = g.f64().clone();
            for (int i = 40; i < 80; i++) a[i * 4] += 100;
            String[] labels = new String[80];
            for (int i = 0; i < 80; i++) labels[i] = i < 40 ? "full" : "foreground";
            KnnShare.Result r = KnnShare.compute(Matrix.of(80, 4, a), labels, 10, KnnShare.Distance.EUCLIDEAN, b);
            assertEquals(1.0, r.mean());
            assertEquals(1.0, r.perLabel().get("full"));
            // Alternating labels on the same clusters: half of each cluster shares the label.
            String[] alt = new String[80];
            for (int i = 0; i < 80; i++) alt[i] = i % 2 == 0 ? "a" : "b";
            KnnShare.Result r2 = KnnShare.compute(Matrix.of(80, 4, a), alt, 39, KnnShare.Distance.EUCLIDEAN, b);
            assertEquals(19.0 / 39, r2.mean(), 1e-12);
            assertEquals(Arrays.asList("a", "b"), r2.perLabel().keySet().stream().toList());
        }
    }
}
