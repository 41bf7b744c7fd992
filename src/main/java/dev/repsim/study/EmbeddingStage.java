package dev.repsim.study;

import java.util.Map;

/**
 * Produces every (model, variant) embedding matrix of a study, in the study's image order, reusing
 * whatever earlier runs cached; and a few variant images of one example for the report.
 */
public interface EmbeddingStage {
    /**
     * Checks what can fail before the long work (models open, presets fit); throws InputException.
     * Returns each model's embedding width as far as it is known without embedding (−1 when not), so
     * that the metrics' requirements (CCA's n &gt; d) are checked before the long work too.
     */
    Map<String, Long> check(Study study);

    Embeddings run(Study study);

    /** Variant name → PNG of one example image in that variant (empty when there are no variant images). */
    Map<String, byte[]> examples(Study study);
}
