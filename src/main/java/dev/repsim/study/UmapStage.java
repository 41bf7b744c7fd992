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
 * variant. Computed with Smile's implementation. Smile embeds the points its directed k-nearest-neighbour
 * graph reaches from the first row. A point it leaves out whose own neighbours include embedded points is
 * in the same connected component of the (undirected) neighbour graph: it is placed at the mean position
 * of its embedded neighbours, as umap-learn starts a new point before optimising it. The points left
 * after that form other components, which are embedded in turn and placed beside it (their number is
 * reported), so no point disappears from a figure.
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
            double[][] pos = new double[left.length][];
            for (int i = 0; i < idx.length; i++) {
                pos[idx[i]] = xy[i];
                if (!Double.isFinite(xy[i][0]) || !Double.isFinite(xy[i][1])) throw new IllegalStateException("UMAP gave a non-finite position for row " + left[idx[i]]);
            }
            if (left.length > 3) attach(data, left, pos, Math.min(settings.neighbors(), left.length - 1));
            List<double[]> compXy = new ArrayList<>();
            List<Integer> comp = new ArrayList<>(), rest = new ArrayList<>();
            for (int i = 0; i < left.length; i++) {
                if (pos[i] != null) {
                    compXy.add(pos[i]);
                    comp.add(left[i]);
                } else {
                    rest.add(left[i]);
                }
            }
            parts.add(compXy.toArray(double[][]::new));
            members.add(comp.stream().mapToInt(Integer::intValue).toArray());
            left = rest.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Result(place(parts, members, rows), settings.neighbors(), parts.size());
    }

    /**
     * Places the rows of {@code left} that Smile left out ({@code pos[i] == null}) but that are joined to the
     * embedded ones by the undirected k-NN graph: Smile's set is closed under its outgoing edges, so such a
     * row reaches it only through its own k nearest neighbours (among {@code left}, Euclidean), or through
     * another left-out row's. Rounds of: every unplaced row with a placed row among its neighbours, or
     * among whose neighbours it is, goes to the mean position of those placed rows.
     */
    static void attach(double[][] data, int[] left, double[][] pos, int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < left.length; i++) if (pos[i] == null) out.add(i);
        if (out.isEmpty()) return;
        Map<Integer, int[]> knn = new LinkedHashMap<>();
        for (int i : out) knn.put(i, nearest(data, left, i, k));
        for (boolean moved = true; moved; ) {
            moved = false;
            double[][] next = pos.clone();
            for (int i : out) {
                if (pos[i] != null) continue;
                double x = 0, y = 0;
                int c = 0;
                for (int j : knn.get(i)) {
                    if (pos[j] != null) { x += pos[j][0]; y += pos[j][1]; c++; }
                }
                for (int j : out) { // left-out rows that have i among their neighbours
                    if (pos[j] != null && java.util.Arrays.stream(knn.get(j)).anyMatch(t -> t == i)) { x += pos[j][0]; y += pos[j][1]; c++; }
                }
                if (c > 0) {
                    next[i] = new double[] {x / c, y / c};
                    moved = true;
                }
            }
            System.arraycopy(next, 0, pos, 0, pos.length);
        }
    }

    /** Positions (in {@code left}) of the k nearest rows to left[i] among left, itself excluded; ties to the lower position. */
    private static int[] nearest(double[][] data, int[] left, int i, int k) {
        double[] d = new double[left.length];
        Integer[] order = new Integer[left.length];
        for (int j = 0; j < left.length; j++) {
            double s = 0;
            double[] a = data[left[i]], b = data[left[j]];
            for (int c = 0; c < a.length; c++) s += (a[c] - b[c]) * (a[c] - b[c]);
            d[j] = j == i ? Double.POSITIVE_INFINITY : s;
            order[j] = j;
        }
        java.util.Arrays.sort(order, (p, q) -> d[p] != d[q] ? Double.compare(d[p], d[q]) : Integer.compare(p, q));
        int[] out = new int[k];
        for (int t = 0; t < k; t++) out[t] = order[t];
        return out;
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
