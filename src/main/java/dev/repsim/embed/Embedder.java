package dev.repsim.embed;

import dev.repsim.image.ImageDecoder;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.linalg.Matrix;

import dev.repsim.util.Futures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Images → embeddings with ONNX Runtime. Decoder threads read, hash, decode and preprocess inputs ahead
 * of the inference thread (a bounded window of 2·batch + threads inputs, so decoding overlaps
 * inference without holding the whole set in memory); the inference thread takes results in input
 * order, answers cache hits directly, batches the rest, runs them and appends them to the cache. Rows
 * of the result are in input order; a bad input stops the run with an error naming it (or is skipped
 * with {@code skipBad}); nothing is written here (see {@link Embeddings#write}).
 */
public final class Embedder {
    private Embedder() {}

    private sealed interface Prepared permits Hit, Ready, Bad {}

    private record Hit(float[] vector) implements Prepared {}

    private record Ready(EmbedCache.Key key, float[] tensor) implements Prepared {}

    private record Bad(InputException problem) implements Prepared {}

    /**
     * Embeds {@code inputs} with the model file under {@code config}; with a cache folder in the
     * settings, rows already computed for this model file, config and input content are reused and new
     * ones stored.
     */
    public static Embeddings embed(Path model, ModelConfig config, List<EmbedInput> inputs, EmbedSettings s, Progress progress) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("nothing to embed");
        String modelHash = Hashing.file(model);
        try (OrtModel m = new OrtModel(model, config, s.threads(), s.provider())) {
            return embed(m, modelHash, inputs, s, progress);
        }
    }

    /**
     * Embeds with an already open model whose file has the content hash {@code modelHash} (a Spark executor
     * keeps one session for every partition it runs), with the settings' cache as {@link #embed(Path,
     * ModelConfig, List, EmbedSettings, Progress)} has it.
     */
    public static Embeddings embed(OrtModel model, String modelHash, List<EmbedInput> inputs, EmbedSettings s, Progress progress) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("nothing to embed");
        EmbedCache cache = s.cacheDir() != null ? EmbedCache.open(s.cacheDir(), modelHash, model.config()) : null;
        try {
            return run(model, inputs, s, cache, progress);
        } finally {
            if (cache != null) cache.close();
        }
    }

    /** Embeds with an already open model, without a cache (repeated runs in one process, benchmarks). */
    public static Embeddings embed(OrtModel model, List<EmbedInput> inputs, EmbedSettings s, Progress progress) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("nothing to embed");
        return run(model, inputs, s, null, progress);
    }

    private static Embeddings run(OrtModel m, List<EmbedInput> inputs, EmbedSettings s, EmbedCache cache, Progress progress) {
        ExecutorService pool = Executors.newFixedThreadPool(s.decodeThreads(), r -> {
            Thread t = new Thread(r, "repsim-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Run(m, m.config(), inputs, s, cache, pool, progress).execute();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The state of one run. */
    private static final class Run {
        private final OrtModel model;
        private final List<EmbedInput> inputs;
        private final EmbedSettings s;
        private final EmbedCache cache;
        private final ExecutorService pool;
        private final Progress progress;
        private final Preprocessor pre;
        private final int batch;
        private final boolean padded;
        private final FloatBuffer buffer;
        private final float[][] results;
        private final EmbedCache.Key[] keys;
        private final int[] slots;
        private final String[] names;
        private final List<Embeddings.Skipped> skipped = new ArrayList<>();
        private int pending;
        private int computed;
        private int cached;

        Run(OrtModel model, ModelConfig config, List<EmbedInput> inputs, EmbedSettings s, EmbedCache cache,
            ExecutorService pool, Progress progress) {
            this.model = model;
            this.inputs = inputs;
            this.s = s;
            this.cache = cache;
            this.pool = pool;
            this.progress = progress;
            this.pre = new Preprocessor(config);
            this.padded = model.fixedBatch() > 0;
            this.batch = padded ? (int) model.fixedBatch() : s.batch();
            this.buffer = ByteBuffer.allocateDirect(Math.multiplyExact(batch, pre.size() * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            this.results = new float[inputs.size()][];
            this.keys = new EmbedCache.Key[batch];
            this.slots = new int[batch];
            this.names = new String[batch];
        }

        Embeddings execute() {
            int window = 2 * batch + s.decodeThreads();
            ArrayDeque<Future<Prepared>> ahead = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < inputs.size(); i++) {
                while (next < inputs.size() && ahead.size() < window) {
                    EmbedInput in = inputs.get(next++);
                    ahead.add(pool.submit(() -> prepare(in)));
                }
                switch (Futures.await(ahead.poll())) {
                    case Hit h -> {
                        results[i] = h.vector();
                        cached++;
                        progress.advance(1);
                    }
                    case Bad b -> {
                        if (!s.skipBad()) {
                            flush(); // keep what is done in the cache, so a re-run resumes here
                            throw b.problem();
                        }
                        skipped.add(new Embeddings.Skipped(inputs.get(i).file(), b.problem().getMessage()));
                        progress.advance(1);
                    }
                    case Ready r -> {
                        buffer.put(pending * pre.size(), r.tensor());
                        keys[pending] = r.key();
                        slots[pending] = i;
                        names[pending] = inputs.get(i).file().toString();
                        if (++pending == batch) flush();
                    }
                }
            }
            flush();
            progress.close();
            return assemble();
        }

        private Prepared prepare(EmbedInput in) {
            try {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(in.file());
                } catch (NoSuchFileException e) {
                    throw new InputException(in.file(), "no such file");
                } catch (IOException e) {
                    throw new InputException(in.file(), "cannot read: " + e.getMessage(), e);
                }
                EmbedCache.Key key = EmbedCache.Key.of(Hashing.of(bytes));
                float[] hit = cache != null ? cache.get(key) : null;
                if (hit != null) return new Hit(hit);
                try {
                    return new Ready(key, pre.apply(ImageDecoder.decode(bytes, in.file(), s.pixelLimit())));
                } catch (IllegalArgumentException e) {
                    throw new InputException(in.file(), e.getMessage(), e);
                }
            } catch (InputException e) {
                return new Bad(e);
            }
        }

        private void flush() {
            if (pending == 0) return;
            int rows = padded ? batch : pending;
            for (int k = pending; k < rows; k++) buffer.put(k * pre.size(), new float[pre.size()]);
            FloatBuffer view = buffer.slice(0, rows * pre.size());
            float[][] out = model.run(view, rows, pending, names);
            for (int k = 0; k < pending; k++) results[slots[k]] = out[k];
            if (cache != null) cache.put(keys, out, pending);
            computed += pending;
            progress.advance(pending);
            pending = 0;
        }

        private Embeddings assemble() {
            int n = inputs.size() - skipped.size();
            if (n == 0) {
                throw new InputException(inputs.getFirst().file().getParent(), "no usable images: all " + inputs.size() + " inputs were bad");
            }
            int d = -1;
            for (float[] r : results) if (r != null) { d = r.length; break; }
            float[] data = new float[Math.multiplyExact(n, d)];
            List<Embeddings.IndexRow> index = new ArrayList<>(n);
            int row = 0;
            for (int i = 0; i < inputs.size(); i++) {
                if (results[i] == null) continue;
                if (results[i].length != d) throw new IllegalStateException("embedding width changed within a run");
                System.arraycopy(results[i], 0, data, row * d, d);
                EmbedInput in = inputs.get(i);
                index.add(new Embeddings.IndexRow(row, in.image(), in.label(), in.variant()));
                row++;
            }
            return new Embeddings(Matrix.of(n, d, data), index, skipped, computed, cached);
        }

    }
}
