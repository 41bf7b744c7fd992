package dev.repsim.study;

import dev.repsim.io.InputException;

import java.util.Map;

/**
 * The embedding stage of {@code repsim study}: precomputed embeddings are read from their .npy files;
 * ONNX and built-in models go through the image pipeline (variants, then ONNX Runtime with its cache).
 */
public final class StudyEmbeddings implements EmbeddingStage {

    @Override
    public Embeddings run(Study s) {
        Embeddings e = new Embeddings(s.n());
        for (Study.Model m : s.models()) {
            if (m.source() != Study.Source.EMBEDDINGS) {
                throw new InputException(s.file(), "model '" + m.name() + "': embedding images needs the embedding pipeline, which this build lacks");
            }
            for (String v : s.variants()) {
                try {
                    e.put(m.name(), v, StudyRunner.readPrecomputed(s, m, v));
                } catch (IllegalArgumentException ex) {
                    throw new InputException(s.file(), ex.getMessage());
                }
            }
        }
        return e;
    }

    @Override
    public Map<String, byte[]> examples(Study s) {
        return Map.of();
    }
}
