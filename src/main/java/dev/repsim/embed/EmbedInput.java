package dev.repsim.embed;

import dev.repsim.image.ImageFiles;
import dev.repsim.io.Csv;
import dev.repsim.io.InputException;
import dev.repsim.variants.Variants;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One image to embed: the file, and the image / label / variant it stands for in the index. Row order
 * of an embedding matrix is the order of these lists: for an image folder, files sorted by relative
 * path (variant {@code full}); for a variants folder, the rows of its {@code variants.csv} (images
 * sorted by relative path, then the variants in the order they were generated).
 */
public record EmbedInput(Path file, String image, String label, String variant) {

    /** Every file of an image folder tree, as variant "full". */
    public static List<EmbedInput> fromImages(Path dir) {
        List<EmbedInput> out = new ArrayList<>();
        for (ImageFiles.Entry e : ImageFiles.list(dir)) out.add(new EmbedInput(e.path(), e.relative(), e.label(), "full"));
        return out;
    }

    /** The rows of {@code DIR/variants.csv}, with paths resolved against DIR. */
    public static List<EmbedInput> fromVariants(Path dir) {
        Path csv = dir.resolve(Variants.CSV);
        if (!Files.isRegularFile(csv)) {
            throw new InputException(csv, Files.isDirectory(dir) ? "missing (is this the output folder of `repsim variants`?)" : "no such folder " + dir);
        }
        List<EmbedInput> out = new ArrayList<>();
        for (Map<String, String> r : Csv.read(csv, Variants.COLUMNS)) {
            out.add(new EmbedInput(variantFile(csv, dir, out.size() + 1, r.get("path")), r.get("image"), r.get("label"), r.get("variant")));
        }
        if (out.isEmpty()) throw new InputException(csv, "lists no variants");
        return out;
    }

    /** A listed path resolved against the variants folder; an empty one, or one that is no path on this system, is refused. */
    private static Path variantFile(Path csv, Path dir, int row, String path) {
        String problem = "row " + row + ": path '" + path.replaceAll("\\p{Cntrl}", "?") + "' ";
        if (path.isBlank()) throw new InputException(csv, problem + "is empty");
        try {
            return dir.resolve(path);
        } catch (InvalidPathException e) {
            throw new InputException(csv, problem + "is not a valid path");
        }
    }
}
