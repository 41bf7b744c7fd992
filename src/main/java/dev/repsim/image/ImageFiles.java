package dev.repsim.image;

import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The input files of an image folder tree: every regular, non-hidden file under it (nothing skipped by
 * extension, so a stray non-image is reported rather than silently ignored), in a stable order: by
 * relative path with '/' separators, compared as strings. The label of a file is its parent folder
 * relative to the root ("" for files at the top).
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** One input file: its absolute path, its '/'-separated path relative to the root, its label. */
    public record Entry(Path path, String relative, String label) {}

    public static List<Entry> list(Path root) {
        if (!Files.isDirectory(root)) {
            throw new InputException(root, Files.exists(root) ? "is not a folder" : "no such folder");
        }
        try (Stream<Path> s = Files.walk(root)) {
            List<Entry> entries = s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(root.relativize(p)))
                    .map(p -> entry(root, p))
                    .sorted(Comparator.comparing(Entry::relative))
                    .toList();
            if (entries.isEmpty()) throw new InputException(root, "no images found (the folder tree has no files)");
            return entries;
        } catch (NoSuchFileException e) {
            throw new InputException(root, "no such folder");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InputException(root, "cannot list: " + e.getMessage(), e);
        }
    }

    static Entry entry(Path root, Path p) {
        String rel = relative(root, p);
        return new Entry(p, rel, label(rel));
    }

    /** The label of a file at '/'-separated {@code relative}: its parent folder ("" at the top). */
    public static String label(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    /** '/'-separated relative path. */
    public static String relative(Path root, Path p) {
        Path r = root.relativize(p);
        StringBuilder b = new StringBuilder();
        for (Path part : r) b.append(b.isEmpty() ? "" : "/").append(part);
        return b.toString();
    }

    /** The relative path without its file extension. */
    public static String stem(String relative) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        return dot > slash + 1 ? relative.substring(0, dot) : relative;
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) if (part.toString().startsWith(".")) return true;
        return false;
    }
}
