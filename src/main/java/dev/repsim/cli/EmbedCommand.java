package dev.repsim.cli;

import dev.repsim.embed.EmbedInput;
import dev.repsim.embed.EmbedSettings;
import dev.repsim.embed.Embedder;
import dev.repsim.embed.Embeddings;
import dev.repsim.embed.ModelConfig;
import dev.repsim.embed.OrtModel;
import dev.repsim.io.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code repsim embed}: images or variants → float32 [N, D] .npy + OUT.index.csv with ONNX Runtime. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embeds images with an ONNX model: writes OUT.npy (float32 [N,D]) and OUT.index.csv (row,image,label,variant). "
                + "Rows: --images in sorted relative-path order; --variants in variants.csv order.")
public final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path model;

    @Option(names = "--preset", paramLabel = "dinov2|mae|swav|mobilenet-v2|u2netp-encoder|NAME", description = "Preprocessing/output preset; a NAME other than the built-ins needs --config.")
    String preset;

    @Option(names = "--config", paramLabel = "model.json", description = "JSON overriding preset fields: input, output, pooling (none|cls|mean), skipTokens, resize, crop, interpolation (bicubic|bilinear), mean, std, base.")
    Path config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--images", paramLabel = "DIR", description = "Image folder tree (variant 'full').")
        Path images;

        @Option(names = "--variants", paramLabel = "DIR", description = "Output folder of `repsim variants` (reads DIR/variants.csv).")
        Path variants;
    }

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output matrix; the index goes to OUT.index.csv.")
    Path out;

    @Option(names = "--batch", defaultValue = "32", description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: number of cores).")
    Integer threads;

    @Option(names = "--decode-threads", description = "Threads decoding and preprocessing ahead of inference (default: number of cores).")
    Integer decodeThreads;

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu|cuda (cuda needs a build with -Pcuda and CUDA libraries) (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--cache", paramLabel = "DIR", description = "Embedding cache (default: .repsim-cache next to OUT).")
    Path cache;

    @Option(names = "--no-cache", description = "Compute everything and store nothing in a cache.")
    boolean noCache;

    @Option(names = "--skip-bad", description = "Skip bad images (listed in OUT.skipped.csv) instead of stopping.")
    boolean skipBad;

    @Mixin
    PixelLimitOption pixelLimit;

    @Override
    public Integer call() {
        ModelConfig cfg = ModelConfig.resolve(preset, config);
        OrtModel.Provider prov = switch (provider.toLowerCase(Locale.ROOT)) {
            case "cpu" -> OrtModel.Provider.CPU;
            case "cuda" -> OrtModel.Provider.CUDA;
            default -> throw new IllegalArgumentException("--provider must be cpu or cuda, got '" + provider + "'");
        };
        int cores = Runtime.getRuntime().availableProcessors();
        Path cacheDir = noCache ? null : cache != null ? cache : out.toAbsolutePath().resolveSibling(".repsim-cache");
        EmbedSettings s = new EmbedSettings(batch, threads != null ? threads : cores,
                decodeThreads != null ? decodeThreads : cores, prov, cacheDir, skipBad, pixelLimit.limit());
        List<EmbedInput> inputs = source.images != null ? EmbedInput.fromImages(source.images) : EmbedInput.fromVariants(source.variants);
        Embeddings e = Embedder.embed(model, cfg, inputs, s, new Progress("embed", inputs.size(), "images"));
        for (Embeddings.Skipped sk : e.skipped()) System.err.println("repsim embed: skipped " + sk.problem());
        if (skipBad) e.writeSkipped(out);
        e.write(out);
        System.err.printf(Locale.ROOT, "embed: wrote %s [%d x %d] and %s (%d computed, %d from cache%s)%n", out,
                e.matrix().rows(), e.matrix().cols(), Embeddings.indexPath(out), e.computed(), e.cached(),
                e.skipped().isEmpty() ? "" : ", " + e.skipped().size() + " skipped: see " + Embeddings.skippedPath(out));
        return 0;
    }
}
