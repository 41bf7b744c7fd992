package dev.repsim.study;

import dev.repsim.backend.Backend;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.KnnShare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public static Map<String, Result> run(Study s, Embeddings e, Backend backend) {
        Map<String, Result> out = new LinkedHashMap<>();
        try (Progress p = new Progress("study: neighbour analysis", s.models().size(), "models")) {
            for (Study.Model m : s.models()) {
                out.put(m.name(), analyse(e.pooled(m.name(), s.variants()), s.variants(), e.n(), s.k(),
                        KnnShare.Distance.parse(s.knnMetric()), backend));
                p.step();
            }
        }
        return out;
    }

    /** The analysis of pooled rows: variant v holds rows v·n … v·n + n − 1, row v·n + i is image i. */
    public static Result analyse(Matrix pooled, List<String> variants, int n, int k, KnnShare.Distance distance, Backend backend) {
        int rows = pooled.rows(), nv = variants.size();
        if (rows != n * nv) throw new IllegalArgumentException("pooled matrix has " + rows + " rows, expected " + n + " × " + nv);
        String[] variantOf = new String[rows], imageOf = new String[rows];
        for (int r = 0; r < rows; r++) {
            variantOf[r] = variants.get(r / n);
            imageOf[r] = Integer.toString(r % n);
        }
        int[][] nb = KnnShare.neighbours(pooled, k, distance, backend);
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
