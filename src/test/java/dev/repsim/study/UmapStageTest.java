package dev.repsim.study;

import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** UMAP keeps every point, is reproducible for a seed, and keeps well-separated groups apart. */
class UmapStageTest {

    /** Three tight clusters, far apart: disconnected for small k, which the stage must handle. */
    static Matrix clusters(int perCluster, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[3 * perCluster * d];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perCluster; i++) {
                for (int j = 0; j < d; j++) x[((c * perCluster) + i) * d + j] = (j == c ? 50.0 : 0.0) + r.nextGaussian(0, 1);
            }
        }
        return Matrix.of(3 * perCluster, d, x);
    }

    @Test
    void everyPointIsEmbeddedReproducibly() {
        Matrix m = clusters(30, 8, 1);
        Study.Umap settings = new Study.Umap(10, 100, 0.1, 7);
        UmapStage.Result a = UmapStage.project(m, settings);
        UmapStage.Result b = UmapStage.project(m, settings);
        assertEquals(90, a.xy().length);
        for (double[] p : a.xy()) assertNotNull(p);
        assertEquals(10, a.neighbors());
        assertEquals(3, a.components(), "three far-apart clusters, each connected");
        for (int i = 0; i < 90; i++) assertArrayEquals(a.xy()[i], b.xy()[i], 0.0, "row " + i);
    }

    /**
     * A point whose nearest neighbours are in the cluster but which is no cluster point's neighbour: Smile's
     * directed graph does not reach it from row 0, yet it is in the cluster's component, so it is placed
     * among its neighbours, not laid out beside the cluster as a component of its own.
     */
    @Test
    void aPointNobodyListsAsANeighbourStaysWithItsNeighbours() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 41, d = 8;
        double[] x = new double[n * d];
        for (int i = 0; i < 40; i++) for (int j = 0; j < d; j++) x[i * d + j] = r.nextGaussian(0, 1);
        x[40 * d] = 12; // row 40: 12 along the first axis, farther from every cluster point than its 10 nearest
        UmapStage.Result u = UmapStage.project(Matrix.of(n, d, x), new Study.Umap(10, 100, 0.1, 5));
        assertEquals(1, u.components());
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
        for (int i = 0; i < 40; i++) {
            minX = Math.min(minX, u.xy()[i][0]); maxX = Math.max(maxX, u.xy()[i][0]);
            minY = Math.min(minY, u.xy()[i][1]); maxY = Math.max(maxY, u.xy()[i][1]);
        }
        double[] p = u.xy()[40];
        assertTrue(p[0] >= minX && p[0] <= maxX && p[1] >= minY && p[1] <= maxY, "row 40 at " + p[0] + ", " + p[1]);
    }

    @Test
    void separatedClustersStaySeparated() {
        Matrix m = clusters(30, 8, 2);
        double[][] xy = UmapStage.project(m, new Study.Umap(10, 150, 0.1, 3)).xy();
        // mean distance within clusters is far below the mean distance between clusters
        double within = 0, between = 0;
        int nw = 0, nb = 0;
        for (int i = 0; i < 90; i++) {
            for (int j = i + 1; j < 90; j++) {
                double dd = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
                if (i / 30 == j / 30) { within += dd; nw++; } else { between += dd; nb++; }
            }
        }
        assertTrue(within / nw < 0.5 * between / nb, "within " + within / nw + " vs between " + between / nb);
    }
}
