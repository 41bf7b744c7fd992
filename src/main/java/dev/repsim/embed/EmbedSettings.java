package dev.repsim.embed;

import java.nio.file.Path;

/**
 * Run settings of {@link Embedder}: images per inference batch, ONNX Runtime intra-op threads, threads
 * that decode and preprocess ahead of inference, the execution provider, the cache root (null: no
 * cache) and whether bad images are skipped instead of stopping the run.
 */
public record EmbedSettings(int batch, int threads, int decodeThreads, OrtModel.Provider provider, Path cacheDir, boolean skipBad) {
    public EmbedSettings {
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (decodeThreads < 1) throw new IllegalArgumentException("--decode-threads must be >= 1, got " + decodeThreads);
    }

    /** Batch 32, one ORT thread and one decoding thread per core, CPU, no cache, stop on bad input. */
    public static EmbedSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new EmbedSettings(32, cores, cores, OrtModel.Provider.CPU, null, false);
    }

    public EmbedSettings withCache(Path dir) {
        return new EmbedSettings(batch, threads, decodeThreads, provider, dir, skipBad);
    }

    public EmbedSettings withBatch(int b) {
        return new EmbedSettings(b, threads, decodeThreads, provider, cacheDir, skipBad);
    }
}
