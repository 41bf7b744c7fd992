package dev.repsim.study;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The study file as written (YAML), before validation: every key the format knows, with its spelling.
 * Unknown keys are rejected when the file is read; {@link StudyLoader} checks values and paths.
 * Paths are relative to the study file's folder.
 */
public record StudyFile(
        String name,
        String output,
        List<DatasetEntry> datasets,
        List<ModelEntry> models,
        List<String> variants,
        String fill,
        Double radius,
        Long seed,
        List<String> metrics,
        String backend,
        String precision,
        Integer k,
        @JsonProperty("knn-metric") String knnMetric,
        Double sigma,
        @JsonProperty("svcca-keep") Double svccaKeep,
        @JsonProperty("batch-size") Integer batchSize,
        @JsonProperty("cca-ridge") Double ccaRidge,
        @JsonProperty("gulp-lambda") Double gulpLambda,
        @JsonProperty("metric-k") Integer metricK,
        String rdm,
        UmapEntry umap,
        @JsonProperty("max-pixels") Long maxPixels) {

    /** A folder of images with masks (a folder or a segmenter model). */
    public record DatasetEntry(
            String name,
            String images,
            String masks,
            String segmenter,
            @JsonProperty("mask-threshold") Double maskThreshold) {}

    /**
     * A model: an ONNX file with a preset, a model the project builds ({@code builtin: tiny-cnn}), or
     * embeddings computed elsewhere ({@code embeddings: {variant: file.npy}}).
     */
    public record ModelEntry(
            String name,
            String onnx,
            String preset,
            String config,
            String builtin,
            Map<String, String> embeddings,
            Integer batch) {}

    /** UMAP settings (McInnes et al. 2018; Smile's implementation). */
    public record UmapEntry(
            Integer neighbors,
            Integer epochs,
            @JsonProperty("min-dist") Double minDist,
            Long seed) {}
}
