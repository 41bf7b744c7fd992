package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.io.Csv;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;

import dev.repsim.util.Futures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates image variants: for each image (sorted by relative path) its mask, then each requested
 * variant as a lossless PNG {@code OUT/<variant>/<relative stem>.png} (kept pixels bit-exact, same size
 * and depth as the source), the binary mask as {@code OUT/mask/<relative stem>.png}, and last
 * {@code OUT/variants.csv} (image, label, variant, path, foreground_share) with rows by image then by
 * variant in the requested order. Images are processed in parallel; the CSV is written only when every
 * image succeeded (or was skipped with {@code skipBad}).
 */
public final class Variants {
    public static final String CSV = "variants.csv";
    public static final String SKIPPED = "skipped.csv";
    public static final List<String> COLUMNS = List.of("image", "label", "variant", "path", "foreground_share");

    private Variants() {}

    /** An input that was skipped and why. */
    public record Skipped(Path file, String problem) {}

    public record Result(List<VariantRow> rows, List<Skipped> skipped) {}

    public static Result generate(Path images, MaskSource masks, Path out, VariantSettings s, Progress progress) {
        List<ImageFiles.Entry> entries = ImageFiles.list(images);
        checkUniqueStems(images, entries);
        ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
            Thread t = new Thread(r, "repsim-variants");
            t.setDaemon(true);
            return t;
        });
        List<VariantRow> rows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (ImageFiles.Entry e : entries) futures.add(pool.submit(() -> process(e, masks, out, s)));
            for (Future<Object> f : futures) {
                Object r = Futures.await(f);
                if (r instanceof Skipped sk) {
                    skipped.add(sk);
                    progress.advance(1);
                } else {
                    @SuppressWarnings("unchecked") List<VariantRow> vr = (List<VariantRow>) r;
                    rows.addAll(vr);
                    progress.advance(1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        progress.close();
        if (s.skipBad()) {
            List<List<?>> lines = new ArrayList<>();
            for (Skipped sk : skipped) lines.add(List.of(sk.file().toString(), sk.problem()));
            Csv.write(out.resolve(SKIPPED), List.of("file", "problem"), lines);
        }
        if (rows.isEmpty()) throw new InputException(images, "no usable images (all " + entries.size() + " were bad; see " + out.resolve(SKIPPED) + ")");
        List<List<?>> lines = new ArrayList<>();
        for (VariantRow r : rows) {
            lines.add(List.of(r.image(), r.label(), r.variant(), r.path(), String.format(Locale.ROOT, "%.6f", r.foregroundShare())));
        }
        Csv.write(out.resolve(CSV), COLUMNS, lines);
        return new Result(rows, skipped);
    }

    /** Decodes and masks one image (bad input here is skippable), then writes its variants. */
    private static Object process(ImageFiles.Entry e, MaskSource masks, Path out, VariantSettings s) {
        Raster img;
        Mask mask;
        try {
            // header first: a decompression bomb or a mask of the wrong size is refused before any decoding
            ImageDecoder.Size size = ImageDecoder.size(e.path());
            s.pixelLimit().check(e.path(), size.width(), size.height());
            masks.checkSize(e, size);
            img = ImageDecoder.read(e.path(), s.pixelLimit());
            mask = masks.maskFor(e, img);
        } catch (InputException bad) {
            if (!s.skipBad()) throw bad;
            return new Skipped(e.path(), bad.getMessage());
        }
        String stem = ImageFiles.stem(e.relative());
        PngWriter.write(out.resolve("mask").resolve(stem + ".png"), maskImage(mask));
        double share = mask.share();
        List<VariantRow> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            Raster r = v == Variant.FULL ? img : s.fill().apply(img, v.kept(mask, s.radius()), s.seed(), e.relative(), v);
            String rel = v.id() + "/" + stem + ".png";
            PngWriter.write(out.resolve(rel), r);
            rows.add(new VariantRow(e.relative(), e.label(), v.id(), rel, share));
        }
        return rows;
    }

    static Raster maskImage(Mask m) {
        Raster r = Raster.blank(m.width(), m.height(), 1, 8);
        boolean[] fg = m.foreground();
        for (int p = 0; p < fg.length; p++) if (fg[p]) r.setSample(p, 0, 255);
        return r;
    }

    private static void checkUniqueStems(Path images, List<ImageFiles.Entry> entries) {
        Map<String, String> seen = new HashMap<>();
        for (ImageFiles.Entry e : entries) {
            String prev = seen.putIfAbsent(ImageFiles.stem(e.relative()), e.relative());
            if (prev != null) {
                throw new InputException(images, "'" + prev + "' and '" + e.relative()
                        + "' would write the same variant file (same name without extension)");
            }
        }
    }
}
