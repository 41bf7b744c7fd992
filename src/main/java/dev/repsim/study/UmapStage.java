package dev.repsim.study;

import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import smile.manifold.UMAP;
import smile.math.MathEx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * A 2-D UMAP (McInnes, Healy and Melville 2018) of each model's pooled embeddings, to be coloured by
 * variant. Computed with Smile's implementation. Smile embeds only the largest connected component
 * of the k-nearest-neighbour graph; when that leaves points out, the neighbour count is doubled until
 * every point is embedded (the count used is reported), so no point silently disappears from a figure.
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
     * @param xy        xy[r] = 2-D position of pooled row r (every row embedded)
     * @param neighbors the neighbour count finally used
     */
    public record Result(double[][] xy, int neighbors) {}

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
        int k = Math.min(settings.neighbors(), rows - 1);
        while (true) {
            UMAP u = seeded(data, k, settings);
            if (u.index.length == rows) {
                double[][] xy = new double[rows][];
                for (int i = 0; i < rows; i++) {
                    double[] p = u.coordinates[i];
                    if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) throw new IllegalStateException("UMAP gave a non-finite position for row " + u.index[i]);
                    xy[u.index[i]] = p.clone();
                }
                return new Result(xy, k);
            }
            if (k == rows - 1) {
                throw new IllegalStateException("UMAP embedded only " + u.index.length + " of " + rows + " points even with " + k + " neighbours");
            }
            k = Math.min(2 * k, rows - 1);
        }
    }
}
