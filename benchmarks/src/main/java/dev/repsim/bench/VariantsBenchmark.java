package dev.repsim.bench;

import dev.repsim.io.Progress;
import dev.repsim.io.StagedFolder;
import dev.repsim.onnx.BuiltinModels;
import dev.repsim.variants.Fill;
import dev.repsim.variants.MaskFolder;
import dev.repsim.variants.MaskSource;
import dev.repsim.variants.Segmenter;
import dev.repsim.variants.Variant;
import dev.repsim.variants.VariantSettings;
import dev.repsim.variants.Variants;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Variant generation throughput, images/s: each image decoded, masked and written as all five variants
 * (PNG, grey fill) with its mask, as {@code repsim variants} does with its default threads (one per core).
 * The masks come from mask files ({@code masks=folder}: decoding and encoding alone) or from the U²-Net-p
 * segmenter shipped in {@code models/u2netp} ({@code masks=segmenter}: one 320×320 inference per image,
 * the case of a dataset without masks). Inputs: EmbedBenchmark's synthetic 500×375 images, 16 of them;
 * run from the checkout's root, where the segmenter's file is.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.UNSAFE_ACCESS, "-Xmx4g"})
public class VariantsBenchmark {
    static final int IMAGES = 16;

    @Param({"folder", "segmenter"})
    public String masks;

    private Path dir;
    private MaskSource source;
    private VariantSettings settings;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("repsim-variants-bench");
        EmbedBenchmark.makeImages(dir.resolve("img"), dir.resolve("masks"), IMAGES);
        int cores = Runtime.getRuntime().availableProcessors();
        source = switch (masks) {
            case "folder" -> new MaskFolder(dir.resolve("masks"));
            case "segmenter" -> new Segmenter(Path.of(BuiltinModels.U2NETP), 0.5, cores);
            default -> throw new IllegalArgumentException("masks must be folder or segmenter, got " + masks);
        };
        settings = new VariantSettings(Variant.parseList("full,foreground,background,center,border"), Fill.GRAY, 0.5, 0,
                cores, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        source.close();
        StagedFolder.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public Object generate() {
        return Variants.generate(dir.resolve("img"), source, dir.resolve("out"), settings, Progress.silent()).rows();
    }
}
