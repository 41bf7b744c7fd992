package dev.repsim.bench;

import dev.repsim.embed.EmbedInput;
import dev.repsim.embed.EmbedSettings;
import dev.repsim.embed.Embedder;
import dev.repsim.embed.ModelConfig;
import dev.repsim.embed.OrtModel;
import dev.repsim.embed.Preprocessor;
import dev.repsim.image.ImageDecoder;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.Progress;
import dev.repsim.io.StagedFolder;
import dev.repsim.onnx.TinyCnn;
import dev.repsim.onnx.TinyModel;
import dev.repsim.onnx.TinyVit;
import dev.repsim.variants.Fill;
import dev.repsim.variants.MaskFolder;
import dev.repsim.variants.Variant;
import dev.repsim.variants.VariantSettings;
import dev.repsim.variants.Variants;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Embedding throughput, images/s: the whole pipeline (read, hash, decode PNG variants, resize + crop +
 * normalise on decoder threads, batch, infer, pool) against ONNX Runtime alone on the same images as
 * ready NCHW tensors, for each model × batch size × variant. Both use the same session and thread
 * counts (ORT intra-op threads = decoder threads = cores). Inputs: 64 synthetic 500×375 photo-like
 * images made into variants (PNG, black fill) once per trial; an operation embeds all 64 (so batch 32
 * is two batches and the pipeline cannot hide the first batch's decoding: a pessimistic bound for long
 * runs). {@code vit-ti16} / {@code vit-s16} have the size and compute of ViT-Ti/16 / ViT-S/16 (random
 * weights), the realistic cases ({@code -p model=vit-s16} for the larger one; it is slow on 2 cores);
 * {@code tiny-cnn} / {@code tiny-vit} are the make-model models, where decoding dominates. The score
 * ratio pipeline/ortOnly is what issue 4 bounds (pipeline within 15 % of ORT alone).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.ADD_MODULES, ForkJvm.NATIVE_ACCESS, ForkJvm.UNSAFE_ACCESS, "-Xmx4g"})
public class EmbedBenchmark {
    static final int IMAGES = 64;

    @Param({"tiny-vit", "vit-ti16"})
    public String model;

    @Param({"8", "32"})
    public int batch;

    @Param({"full", "foreground"})
    public String variant;

    private Path dir;
    private OrtModel ort;
    private List<EmbedInput> inputs;
    private EmbedSettings settings;
    private final List<FloatBuffer> ready = new ArrayList<>();
    private final List<Integer> readyRows = new ArrayList<>();
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("repsim-embed-bench");
        makeImages(dir.resolve("img"), dir.resolve("masks"), IMAGES);
        try (MaskFolder masks = new MaskFolder(dir.resolve("masks"))) {
            Variants.generate(dir.resolve("img"), masks, dir.resolve("var"),
                    new VariantSettings(List.of(Variant.parse(variant)), Fill.BLACK, 0.5, 0, cores(), false), Progress.silent());
        }
        TinyModel m = switch (model) {
            case "tiny-cnn" -> new TinyCnn(0);
            case "tiny-vit" -> new TinyVit(0);
            case "vit-ti16" -> new TinyVit(0, TinyVit.Shape.VIT_TI16);
            case "vit-s16" -> new TinyVit(0, TinyVit.Shape.VIT_S16);
            default -> throw new IllegalArgumentException(model);
        };
        Path file = dir.resolve("model.onnx");
        byte[] bytes = m.toOnnx();
        AtomicFiles.write(file, o -> o.write(bytes));
        ModelConfig config = ModelConfig.resolve(m instanceof TinyCnn ? "swav" : "dinov2", null);
        ort = new OrtModel(file, config, cores(), OrtModel.Provider.CPU);
        inputs = EmbedInput.fromVariants(dir.resolve("var"));
        settings = new EmbedSettings(batch, cores(), cores(), OrtModel.Provider.CPU, null, false);
        Preprocessor pre = new Preprocessor(config);
        names = new String[batch];
        for (int i = 0; i < inputs.size(); i += batch) {
            int n = Math.min(batch, inputs.size() - i);
            FloatBuffer b = ByteBuffer.allocateDirect(n * pre.size() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int k = 0; k < n; k++) b.put(k * pre.size(), pre.apply(ImageDecoder.read(inputs.get(i + k).file())));
            ready.add(b);
            readyRows.add(n);
        }
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Smooth gradients, a textured disc (the "object") and sensor-like noise; masks mark the disc. */
    static void makeImages(Path img, Path masks, int count) throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        int w = 500, h = 375;
        for (int i = 0; i < count; i++) {
            BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Raster mask = Raster.blank(w, h, 1, 8);
            int cx = 150 + r.nextInt(200), cy = 120 + r.nextInt(135), rad = 60 + r.nextInt(60);
            int col = r.nextInt(0xffffff);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
                    int noise = r.nextInt(16);
                    int rgb = in ? col ^ ((x * y) & 0x1f1f1f) : ((x * 255 / w) << 16 | (y * 255 / h) << 8 | (128 + noise));
                    b.setRGB(x, y, rgb);
                    if (in) mask.setSample(y * w + x, 0, 255);
                }
            }
            Path f = img.resolve((i % 2 == 0 ? "a" : "b") + "/img" + i + ".jpg");
            Files.createDirectories(f.getParent());
            ImageIO.write(b, "jpeg", f.toFile());
            PngWriter.write(masks.resolve((i % 2 == 0 ? "a" : "b") + "/img" + i + ".png"), mask);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ort.close();
        StagedFolder.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public Object pipeline() {
        return Embedder.embed(ort, inputs, settings, Progress.silent()).matrix();
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public void ortOnly(Blackhole bh) {
        for (int i = 0; i < ready.size(); i++) bh.consume(ort.run(ready.get(i), readyRows.get(i), readyRows.get(i), names));
    }
}
