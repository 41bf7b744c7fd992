package dev.repsim.study;

import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import smile.manifold.UMAP;
import smile.math.MathEx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * A 2-D UMAP (McInnes, Healy and Melville 2018) of each model's pooled embeddings, to be coloured by
 * variant. Computed with Smile's implementation. Smile embeds only the largest connected component
 * of the k-nearest-neighbour graph; the other components are embedded in turn and placed beside it
 * (their number is reported), so no point disappears from a figure.
 */
public final class UmapStage {
    private UmapStage() {}

    static {
        // netlib-java: the pure-Java (F2J) ARPACK/BLAS/LAPACK directly, without probing for native
        // libraries first (the native loaders are excluded from the build; probing only logs warnings).
        System.setProperty("com.github.fommil.netlib.ARPACK", "com.github.fommil.netlib.F2jARPACK");
        System.setProperty("com.github.fommil.netlib.BLAS", "com.github.fommil.netlib.F2jBLAS");
        System.setProperty("com.github.fommil.netlib.LAPACK", "com.github.fommil.netlib.F2jLAPACK");
    }

    /** Smile's defaults for the optimisation (learning rate, spread, negative samples, repulsion). */
    private static final double LEARNING_RATE = 1.0, SPREAD = 1.0, REPULSION = 1.0;
    private static final int NEGATIVE_SAMPLES = 5;

    /**
     * @param xy         xy[r] = 2-D position of pooled row r (every row embedded)
     * @param neighbors  the neighbour count
     * @param components connected components of the k-NN graph, each embedded on its own and placed
     *                   side by side (distances between components carry no meaning)
     */
    public record Result(double[][] xy, int neighbors, int components) {}

    public static Map<String, Result> run(Study s, Embeddings e) {
        Map<String, Result> out = new LinkedHashMap<>();
        try (Progress p = new Progress("study: UMAP", s.models().size(), "models")) {
            for (Study.Model m : s.models()) {
                out.put(m.name(), project(e.pooled(m.name(), s.variants()), s.umap()));
                p.step();
            }
        }
        return out;
    }

    /**
     * Smile draws its random numbers from a per-thread generator (MathEx) and parallelises some steps
     * with parallel streams; running the call inside a one-thread pool, seeded there, makes every draw
     * come from the seeded generator. ARPACK's start-vector routine dgetv0 also keeps a saved random
     * seed between calls (Fortran SAVE, a static field in F2J's translation); setting its {@code inits}
     * flag makes it start from ARPACK's initial seed again. So a seed gives the same layout every time.
     */
    private static UMAP seeded(double[][] data, int k, Study.Umap settings) {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            return pool.submit(() -> {
                MathEx.setSeed(settings.seed());
                org.netlib.arpack.Dgetv0.inits = true;
                return UMAP.of(data, k, 2, settings.epochs(), LEARNING_RATE, settings.minDist(), SPREAD, NEGATIVE_SAMPLES, REPULSION);
            }).get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("UMAP interrupted", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("UMAP failed: " + ex.getCause(), ex.getCause());
        } finally {
            pool.shutdown();
        }
    }

    public static Result project(Matrix pooled, Study.Umap settings) {
        int rows = pooled.rows(), d = pooled.cols();
        double[][] data = new double[rows][d];
        for (int r = 0; r < rows; r++) for (int c = 0; c < d; c++) data[r][c] = pooled.get(r, c);
        // Smile embeds the largest connected component of the k-NN graph; the points it leaves out are
        // embedded the same way, component after component, as umap-learn lays out each component of a
        // disconnected graph on its own. The components are then placed side by side.
        List<double[][]> parts = new ArrayList<>();
        List<int[]> members = new ArrayList<>();
        int[] left = java.util.stream.IntStream.range(0, rows).toArray();
        while (left.length > 0) {
            int[] idx;
            double[][] xy;
            if (left.length <= 3) {
                // too few points for a neighbour graph: a small row
                idx = java.util.stream.IntStream.range(0, left.length).toArray();
                xy = new double[left.length][];
                for (int i = 0; i < left.length; i++) xy[i] = new double[] {i, 0};
            } else {
                double[][] sub = new double[left.length][];
                for (int i = 0; i < left.length; i++) sub[i] = data[left[i]];
                UMAP u = seeded(sub, Math.min(settings.neighbors(), left.length - 1), settings);
                idx = u.index;
                xy = u.coordinates;
            }
            int[] global = new int[idx.length];
            boolean[] taken = new boolean[left.length];
            for (int i = 0; i < idx.length; i++) {
                global[i] = left[idx[i]];
                taken[idx[i]] = true;
                if (!Double.isFinite(xy[i][0]) || !Double.isFinite(xy[i][1])) throw new IllegalStateException("UMAP gave a non-finite position for row " + global[i]);
            }
            parts.add(xy);
            members.add(global);
            int[] rest = new int[left.length - idx.length];
            for (int i = 0, k = 0; i < left.length; i++) if (!taken[i]) rest[k++] = left[i];
            left = rest;
        }
        return new Result(place(parts, members, rows), settings.neighbors(), parts.size());
    }

    /**
     * Lays the components out left to right, each scaled to its own box (its size reflecting its
     * share of the points); positions within a component keep UMAP's geometry.
     */
    private static double[][] place(List<double[][]> parts, List<int[]> members, int rows) {
        double[][] out = new double[rows][];
        if (parts.size() == 1) {
            for (int i = 0; i < members.get(0).length; i++) out[members.get(0)[i]] = parts.get(0)[i].clone();
            return out;
        }
        double x0 = 0, unit = 10;
        for (int c = 0; c < parts.size(); c++) {
            double[][] xy = parts.get(c);
            double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
            for (double[] q : xy) { minX = Math.min(minX, q[0]); maxX = Math.max(maxX, q[0]); minY = Math.min(minY, q[1]); maxY = Math.max(maxY, q[1]); }
            double size = unit * Math.sqrt(xy.length / (double) rows);
            double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-12);
            for (int i = 0; i < xy.length; i++) {
                out[members.get(c)[i]] = new double[] {x0 + (xy[i][0] - minX) / span * size, (xy[i][1] - minY) / span * size};
            }
            x0 += size + unit * 0.15;
        }
        return out;
    }
}
