package dev.repsim.cli;

import dev.repsim.image.ImageFiles;
import dev.repsim.io.Progress;
import dev.repsim.variants.Fill;
import dev.repsim.variants.MaskFolder;
import dev.repsim.variants.MaskSource;
import dev.repsim.variants.Segmenter;
import dev.repsim.variants.Variant;
import dev.repsim.variants.VariantSettings;
import dev.repsim.variants.Variants;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim variants}: images + foreground masks → full/foreground/background/center/border PNGs + variants.csv. */
@Command(name = "variants", mixinStandardHelpOptions = true,
        description = "Writes image variants (lossless PNG, kept pixels exact) and OUT/variants.csv (image,label,variant,path,foreground_share).")
public final class VariantsCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Image folder tree (JPEG/PNG); class sub-folders become labels.")
    Path images;

    /** Optional: full, center and border need no mask; foreground and background do (checked in Variants). */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    MaskOption mask;

    static final class MaskOption {
        @Option(names = "--masks", paramLabel = "DIR", description = "Mask per image at the same relative path with extension .png (non-zero = foreground).")
        Path masks;

        @Option(names = "--segmenter", paramLabel = "MODEL.onnx", description = "Salient-object ONNX model (e.g. models/u2netp/u2netp.onnx): input [1,3,320,320], saliency output.")
        Path segmenter;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--variants", defaultValue = "full,foreground,background,center,border", description = "Comma-separated variants (default: ${DEFAULT-VALUE}).")
    String variants;

    @Option(names = "--fill", defaultValue = "gray", description = "Fill for removed pixels: black|mean|gray|noise (default: ${DEFAULT-VALUE}, as in a study).")
    String fill;

    @Option(names = "--radius", defaultValue = "0.5", description = "Centre disc radius as a fraction of min(h,w)/2, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double radius;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise fill (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mask-threshold", defaultValue = "0.5", description = "Saliency threshold of --segmenter, in [0,1] (default: ${DEFAULT-VALUE}).")
    double maskThreshold;

    @Option(names = "--threads", description = "Worker threads (default: number of cores).")
    Integer threads;

    @Option(names = "--skip-bad", description = "Skip bad images (listed in OUT/skipped.csv) instead of stopping.")
    boolean skipBad;

    @Mixin
    PixelLimitOption pixelLimit;

    @Override
    public Integer call() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        VariantSettings s = new VariantSettings(Variant.parseList(variants), Fill.parse(fill), radius, seed, t, skipBad,
                pixelLimit.limit());
        try (MaskSource source = mask == null ? null : mask.masks != null ? new MaskFolder(mask.masks) : new Segmenter(mask.segmenter, maskThreshold, t)) {
            Variants.Result r = Variants.generate(images, source, out, s, new Progress("variants", ImageFiles.list(images).size(), "images"));
            for (Variants.Skipped sk : r.skipped()) System.err.println("repsim variants: skipped " + sk.problem());
            System.err.println("variants: wrote " + r.rows().size() + " variant images to " + out
                    + (r.skipped().isEmpty() ? "" : "; skipped " + r.skipped().size() + " bad images (see " + out.resolve(Variants.SKIPPED) + ")"));
        }
        return 0;
    }
}
