package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.linalg.CanonicalReference;
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

    /**
     * Sorts all other rows by the canonical direct-form squared distance (of the unit rows for cosine),
     * then by index: the definition of the exact neighbour sets.
     */
    static int[] bruteNeighbours(Matrix z, int i, int k, boolean cosine) {
        int n = z.rows(), d = z.cols();
        Matrix rows = z;
        if (cosine) {
            double[] u = new double[n * d];
            for (int r = 0; r < n; r++) {
                double f = 1.0 / Math.sqrt(CanonicalReference.squaredNorm(z, r));
                for (int c = 0; c < d; c++) u[r * d + c] = z.get(r, c) * f;
            }
            rows = Matrix.of(n, d, u);
        }
        double[] dist = new double[n];
        for (int j = 0; j < n; j++) dist[j] = CanonicalReference.squaredDistance(rows, i, j);
        return IntStream.range(0, n).filter(j -> j != i).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparing(j -> j))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void nearDuplicatesFarFromTheOriginAreRankedExactly(String backendName) {
        // Clusters of 5 rows within 1e-7 of a centre at norm ~1e4: the expanded form's rounding (~1e-8·d
        // relative to 1e8) is far larger than the distances inside a cluster, so only the direct form
        // ranks them; exact ties (a duplicated row) go to the lower index.
        java.util.Random r = new java.util.Random(5);
        int clusters = 30, per = 5, d = 24, n = clusters * per;
        double[] a = new double[n * d];
        for (int c = 0; c < clusters; c++) {
            double[] centre = new double[d];
            for (int t = 0; t < d; t++) centre[t] = 2000 * r.nextGaussian();
            for (int m = 0; m < per; m++) {
                for (int t = 0; t < d; t++) a[(c * per + m) * d + t] = centre[t] + 1e-7 * r.nextGaussian();
            }
        }
        System.arraycopy(a, 0, a, 4 * d, d); // row 4 duplicates row 0
        Matrix z = Matrix.of(n, d, a);
        try (Backend b = TestData.open(backendName)) {
            for (KnnShare.Distance dist : KnnShare.Distance.values()) {
                int[][] nb = KnnShare.neighbours(z, 4, dist, b);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(bruteNeighbours(z, i, 4, dist == KnnShare.Distance.COSINE), nb[i], dist + " row " + i);
                }
            }
        }
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
