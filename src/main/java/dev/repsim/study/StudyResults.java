package dev.repsim.study;

import java.util.List;
import java.util.Map;

/**
 * Every number a study produced, as written to {@code results.json}: the set-up, the similarity
 * matrices, the neighbour analysis and the UMAP positions. Matrices are [row][column] in the order of
 * {@link #variants} or {@link #models}.
 *
 * @param name               study title
 * @param studyFile          the study file
 * @param generated          ISO-8601 time the results were written
 * @param n                  images (rows of every embedding matrix)
 * @param images             the images in row order
 * @param variants           variant order of the matrices and of the pooled rows
 * @param models             models with their embedding width
 * @param metrics            metric labels
 * @param backend            backend that computed the metrics (its description)
 * @param precision          f64 or f32
 * @param k                  neighbours of the neighbour analysis
 * @param knnMetric          distance of the neighbour analysis
 * @param variantSimilarity  model → metric → variant × variant
 * @param modelSimilarity    variant → metric → model × model (empty with one model)
 * @param neighbours         model → neighbour analysis
 * @param umap               model → UMAP of the pooled embeddings
 * @param stageSeconds       wall time of each stage
 */
public record StudyResults(String name, String studyFile, String generated, int n, List<Image> images, List<String> variants,
                           List<ModelInfo> models, List<String> metrics, String backend, String precision, int k, String knnMetric,
                           Map<String, Map<String, double[][]>> variantSimilarity,
                           Map<String, Map<String, double[][]>> modelSimilarity,
                           Map<String, NeighbourStage.Result> neighbours,
                           Map<String, Umap> umap,
                           Map<String, Double> stageSeconds) {

    /**
     * The neighbour shares by chance, which the report states beside the measured ones: among the N − 1 other
     * points of the N = n·V pooled ones, n − 1 are of a point's own variant and V − 1 are its image in the
     * other variants.
     */
    @com.fasterxml.jackson.annotation.JsonProperty("neighbourChance")
    public Map<String, Double> neighbourChance() {
        double others = n * (double) variants.size() - 1;
        Map<String, Double> m = new java.util.LinkedHashMap<>(); // a fixed key order: results.json is the same every run
        m.put("sameVariant", (n - 1) / others);
        m.put("sameImage", (variants.size() - 1) / others);
        return m;
    }

    public record Image(String dataset, String path, String label) {}

    public record ModelInfo(String name, String source, int width) {}

    /**
     * @param neighbors  neighbour count UMAP used
     * @param components connected components of the k-NN graph (embedded separately, placed side by side)
     * @param epochs    optimisation epochs
     * @param minDist   minimum distance
     * @param seed      seed
     * @param xy        2-D position of every pooled row (variant-major, as in {@link #variants})
     */
    public record Umap(int neighbors, int components, int epochs, double minDist, long seed, double[][] xy) {}
}
