package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.Csv;
import dev.repsim.io.InputException;
import dev.repsim.io.Progress;
import dev.repsim.io.AtomicFiles;
import dev.repsim.io.StagedFolder;

import dev.repsim.util.Futures;
import java.io.IOException;
import java.nio.file.Files;
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
 * variant in the requested order. Images are processed in parallel into a staging folder that is moved
 * into {@code OUT} only when every image succeeded (or was skipped with {@code skipBad}), the CSV last; a
 * run stopped by bad input leaves {@code OUT} as it was. Without masks ({@code masks} null, allowed when
 * no variant needs one) there is no {@code mask/} folder and {@code foreground_share} is empty.
 */
public final class Variants {
    public static final String CSV = "variants.csv";
    public static final String SKIPPED = "skipped.csv";
    public static final List<String> COLUMNS = List.of("image", "label", "variant", "path", "foreground_share");

    private Variants() {}

    /** An input that was skipped and why. */
    public record Skipped(Path file, String problem) {}

    public record Result(List<VariantRow> rows, List<Skipped> skipped) {}

    /**
     * @param masks where masks come from, or null when none of {@code s.variants()} needs a mask
     */
    public static Result generate(Path images, MaskSource masks, Path out, VariantSettings s, Progress progress) {
        return generate(images, ImageFiles.list(images), masks, out, s, progress);
    }

    /**
     * The variants of some images of a folder only ({@code entries}: a part of {@link ImageFiles#list}'s
     * answer, as a partition of a Spark job has), written and listed in {@code out} as for the whole folder.
     */
    public static Result generate(Path images, List<ImageFiles.Entry> entries, MaskSource masks, Path out, VariantSettings s, Progress progress) {
        if (masks == null) {
            List<String> need = s.variants().stream().filter(Variant::needsMask).map(Variant::id).toList();
            if (!need.isEmpty()) throw new InputException("variant" + (need.size() > 1 ? "s " : " ") + String.join(", ", need)
                    + " need" + (need.size() > 1 ? "" : "s") + " foreground masks: give --masks or --segmenter");
        }
        checkUniqueStems(images, entries);
        removeStale(out, s);
        StagedFolder.removeStale(out);
        try (StagedFolder staged = StagedFolder.open(out)) {
            Result r;
            try {
                r = generateStaged(images, entries, masks, staged.path(), s, progress);
            } catch (NoUsableImages e) {
                // the list of what was skipped is complete, so it is the one output worth keeping
                byte[] list = readAll(staged.path().resolve(SKIPPED));
                AtomicFiles.write(out.resolve(SKIPPED), o -> o.write(list));
                throw new InputException(images, "no usable images (all " + entries.size() + " were bad; see " + out.resolve(SKIPPED) + ")");
            }
            staged.commit(CSV);
            return r;
        }
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new InputException(p, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Every image was bad (and skipped); the skipped list is already in {@code OUT}. */
    private static final class NoUsableImages extends RuntimeException {
        NoUsableImages() {
            super(null, null, false, false);
        }
    }

    private static Result generateStaged(Path images, List<ImageFiles.Entry> entries, MaskSource masks, Path out, VariantSettings s, Progress progress) {
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
            Futures.stop(pool);
        }
        progress.close();
        if (s.skipBad()) {
            List<List<?>> lines = new ArrayList<>();
            for (Skipped sk : skipped) lines.add(List.of(sk.file().toString(), sk.problem()));
            Csv.write(out.resolve(SKIPPED), List.of("file", "problem"), lines);
        }
        if (rows.isEmpty()) throw new NoUsableImages();
        List<List<?>> lines = new ArrayList<>();
        for (VariantRow r : rows) {
            lines.add(List.of(r.image(), r.label(), r.variant(), r.path(), Double.isNaN(r.foregroundShare()) ? "" : String.format(Locale.ROOT, "%.6f", r.foregroundShare())));
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
            if (masks != null) masks.checkSize(e, size);
            img = ImageDecoder.read(e.path(), s.pixelLimit());
            mask = masks == null ? null : masks.maskFor(e, img);
        } catch (InputException bad) {
            if (!s.skipBad()) throw bad;
            return new Skipped(e.path(), bad.getMessage());
        }
        String stem = ImageFiles.stem(e.relative());
        if (mask != null) PngWriter.write(out.resolve("mask").resolve(stem + ".png"), maskImage(mask));
        double share = mask == null ? Double.NaN : mask.share();
        List<VariantRow> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            Raster r = v == Variant.FULL ? img : s.fill().apply(img, v.kept(mask, img.width(), img.height(), s.radius()), s.seed(), e.relative(), v);
            String rel = v.id() + "/" + stem + ".png";
            PngWriter.write(out.resolve(rel), r);
            rows.add(new VariantRow(e.relative(), e.label(), v.id(), rel, share));
        }
        return rows;
    }

    /** Removes what a killed run left half-written in the folders and files this one writes. */
    private static void removeStale(Path out, VariantSettings s) {
        AtomicFiles.removeStaleTree(out.resolve("mask"));
        for (Variant v : s.variants()) AtomicFiles.removeStaleTree(out.resolve(v.id()));
        AtomicFiles.removeStaleSiblings(out.resolve(CSV));
        AtomicFiles.removeStaleSiblings(out.resolve(SKIPPED));
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
