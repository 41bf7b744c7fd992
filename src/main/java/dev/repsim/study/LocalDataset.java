package dev.repsim.study;

import dev.repsim.io.InputException;
import dev.repsim.io.PathOrUri;
import dev.repsim.io.UriFiles;
import dev.repsim.variants.MaskFolder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Some images of a dataset as local files, for the core's variant code: a folder or segmenter named by a
 * URI is copied (through {@link UriFiles}) into a scratch folder, the images and their masks under their
 * relative paths; a local path is used where it is. An error about a copy is turned back into one that
 * names the URI ({@link #named}).
 *
 * @param folder    the images' folder
 * @param masks     the masks' folder, or null
 * @param segmenter the segmenter, or null
 * @param uriOf     each scratch folder or file → the URI it copies
 */
public record LocalDataset(Path folder, Path masks, Path segmenter, Map<String, String> uriOf) {

    /**
     * @param folder    the image folder: a local path or a URI (as {@link dev.repsim.io.Location#toString} gives it)
     * @param masks     the mask folder, or null when there is none or no variant needs masks
     * @param segmenter the segmenter, or null likewise
     * @param images    the images' '/'-separated paths relative to {@code folder}
     * @param scratch   a local folder for the copies
     * @param files     reads the URIs (unused when every location is a local path)
     */
    public static LocalDataset of(String folder, String masks, String segmenter, List<String> images, Path scratch, UriFiles files) {
        Map<String, String> uriOf = new LinkedHashMap<>();
        Path f = local(folder, scratch.resolve("images"), uriOf);
        if (PathOrUri.isUri(folder)) for (String rel : images) files.copy(UriFiles.child(folder, rel), f.resolve(rel));
        Path m = masks == null ? null : local(masks, scratch.resolve("masks"), uriOf);
        if (masks != null && PathOrUri.isUri(masks)) {
            for (String rel : images) {
                String png = MaskFolder.maskName(rel);
                files.copy(UriFiles.child(masks, png), m.resolve(png));
            }
        }
        Path s = segmenter == null ? null : local(segmenter, scratch.resolve("segmenter").resolve(UriFiles.name(segmenter)), uriOf);
        if (segmenter != null && PathOrUri.isUri(segmenter)) files.copy(segmenter, s);
        return new LocalDataset(f, m, s, Map.copyOf(uriOf));
    }

    /** The local path of {@code location}: itself, or {@code copy} (noted in {@code uriOf}) for a URI. */
    private static Path local(String location, Path copy, Map<String, String> uriOf) {
        if (!PathOrUri.isUri(location)) return Path.of(location);
        uriOf.put(copy.toString(), location.replaceFirst("/+$", ""));
        return copy;
    }

    /** {@code e} with every scratch path in its message replaced by the URI it copies. */
    public InputException named(InputException e) {
        String msg = e.getMessage();
        for (var c : uriOf.entrySet()) msg = msg.replace(c.getKey(), c.getValue());
        return msg.equals(e.getMessage()) ? e : new InputException(msg, e);
    }
}
