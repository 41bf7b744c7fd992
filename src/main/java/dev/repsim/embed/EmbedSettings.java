package dev.repsim.embed;

import dev.repsim.image.PixelLimit;

import java.nio.file.Path;

/**
 * Run settings of {@link Embedder}: images per inference batch, ONNX Runtime intra-op threads, threads
 * that decode and preprocess ahead of inference, the execution provider, the cache root (null: no
 * cache), whether bad images are skipped instead of stopping the run, and the most pixels an image may
 * declare.
 */
public record EmbedSettings(int batch, int threads, int decodeThreads, OrtModel.Provider provider, Path cacheDir, boolean skipBad,
                            PixelLimit pixelLimit) {
    public EmbedSettings {
        java.util.Objects.requireNonNull(pixelLimit);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (decodeThreads < 1) throw new IllegalArgumentException("--decode-threads must be >= 1, got " + decodeThreads);
    }

    /** Settings under the default pixel limit. */
    public EmbedSettings(int batch, int threads, int decodeThreads, OrtModel.Provider provider, Path cacheDir, boolean skipBad) {
        this(batch, threads, decodeThreads, provider, cacheDir, skipBad, PixelLimit.DEFAULT);
    }

    /** Batch 32, one ORT thread and one decoding thread per core, CPU, no cache, stop on bad input. */
    public static EmbedSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new EmbedSettings(32, cores, cores, OrtModel.Provider.CPU, null, false);
    }

    public EmbedSettings withCache(Path dir) {
        return new EmbedSettings(batch, threads, decodeThreads, provider, dir, skipBad, pixelLimit);
    }

    public EmbedSettings withBatch(int b) {
        return new EmbedSettings(b, threads, decodeThreads, provider, cacheDir, skipBad, pixelLimit);
    }
}
