package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.KnnShare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The paper's neighbour analysis (Cadet et al. 2023, Sec. 4): per model, the embeddings of all
 * variants are pooled and each point's k nearest other points found; for each variant we report the
 * mean share of neighbours from the same variant, the mean share that are the same image in another
 * variant, and the full composition (share of neighbours from each variant). A model that ignores
 * the removed pixels puts an image's variants next to each other (high same-image share); one whose
 * representation is dominated by what was removed clusters by variant (high same-variant share).
 */
public final class NeighbourStage {
    private NeighbourStage() {}

    /**
     * @param k            neighbours per point
     * @param sameVariant  variant → mean share of neighbours from the same variant
     * @param sameImage    variant → mean share of neighbours that are the same image (in another variant)
     * @param composition  [a][b] = mean share of a variant-a point's neighbours that are from variant b (rows sum to 1)
     * @param overallSameVariant mean over all points
     * @param overallSameImage   mean over all points
     */
    public record Result(int k, Map<String, Double> sameVariant, Map<String, Double> sameImage, double[][] composition,
                         double overallSameVariant, double overallSameImage) {}

    /**
     * The neighbour sets computed away from this JVM (the Spark module): each model's rows' k nearest
     * others, as {@link KnnShare#neighbours} ranks float64 rows (the direct-form distances of the
     * {@link KnnShare#ranked} rows, ties to the lower index), so the shares are the local run's.
     */
    public interface RemoteNeighbours {
        /**
         * @param models model names, in the study's order
         * @param pooled a model's pooled rows (made when asked for, so that one model's copy is held at a time)
         * @param done   run once after each model's sets (the stage's progress)
         * @return model → int[rows][k], each row's neighbours nearest first
         */
        Map<String, int[][]> neighbours(List<String> models, Function<String, Matrix> pooled, int k, KnnShare.Distance distance,
                                        Runnable done);
    }

    /** The analysis on this machine. */
    public static Map<String, Result> run(Study s, Embeddings e, Backend backend) {
        return run(s, e, backend, null);
    }

    /** The analysis with the neighbour sets from {@code remote} (null: on this machine, through {@code backend}). */
    public static Map<String, Result> run(Study s, Embeddings e, Backend backend, RemoteNeighbours remote) {
        Map<String, Result> out = new LinkedHashMap<>();
        KnnShare.Distance distance = KnnShare.Distance.parse(s.knnMetric());
        List<String> models = s.models().stream().map(Study.Model::name).toList();
        try (Progress p = new Progress("study: neighbour analysis", models.size(), "models")) {
            if (remote == null) {
                for (String m : models) {
                    try {
                        out.put(m, analyse(e.pooled(m, s.variants()), s.variants(), e.n(), s.k(), distance, backend));
                    } catch (IllegalArgumentException ex) { // embeddings the analysis cannot rank (all rows equal, say)
                        throw new InputException(s.file(), "neighbour analysis of model '" + m + "': " + ex.getMessage(), ex);
                    }
                    p.step();
                }
            } else {
                Map<String, int[][]> sets = remote.neighbours(models, m -> e.pooled(m, s.variants()), s.k(), distance, p::step);
                for (String m : models) {
                    out.put(m, shares(Objects.requireNonNull(sets.get(m), "no neighbour sets for model " + m), s.variants(), e.n(), s.k()));
                }
            }
        }
        return out;
    }

    /** The analysis of pooled rows: variant v holds rows v·n … v·n + n − 1, row v·n + i is image i. */
    public static Result analyse(Matrix pooled, List<String> variants, int n, int k, KnnShare.Distance distance, Backend backend) {
        int rows = pooled.rows(), nv = variants.size();
        if (rows != n * nv) throw new IllegalArgumentException("pooled matrix has " + rows + " rows, expected " + n + " × " + nv);
        return shares(KnnShare.neighbours(pooled, k, distance, backend), variants, n, k);
    }

    /** The analysis from the pooled rows' neighbour lists ({@code nb[r]}: row r's k nearest, as {@link KnnShare#neighbours}). */
    static Result shares(int[][] nb, List<String> variants, int n, int k) {
        int rows = nb.length, nv = variants.size();
        if (rows != n * nv) throw new IllegalArgumentException("neighbour lists of " + rows + " rows, expected " + n + " × " + nv);
        String[] variantOf = new String[rows], imageOf = new String[rows];
        for (int r = 0; r < rows; r++) {
            if (nb[r].length != k) throw new IllegalStateException("row " + r + " has " + nb[r].length + " neighbours, expected " + k);
            variantOf[r] = variants.get(r / n);
            imageOf[r] = Integer.toString(r % n);
        }
        KnnShare.Result byVariant = KnnShare.share(nb, variantOf);
        KnnShare.Result byImage = KnnShare.share(nb, imageOf);
        Map<String, Double> sameImage = new LinkedHashMap<>();
        double[][] composition = new double[nv][nv];
        for (int v = 0; v < nv; v++) {
            double acc = 0;
            for (int i = 0; i < n; i++) {
                int r = v * n + i;
                acc += byImage.perRow()[r];
                for (int j : nb[r]) composition[v][j / n] += 1.0 / (k * (double) n);
            }
            sameImage.put(variants.get(v), acc / n);
        }
        Map<String, Double> sameVariant = new LinkedHashMap<>();
        for (String v : variants) sameVariant.put(v, byVariant.perLabel().get(v));
        return new Result(k, sameVariant, sameImage, composition, byVariant.mean(), byImage.mean());
    }
}
