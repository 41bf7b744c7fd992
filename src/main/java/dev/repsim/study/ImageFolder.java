package dev.repsim.study;

import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The images of a dataset folder, in sorted relative-path order, with the class folder as label; and
 * where each one's mask is (same relative path, extension {@code .png}), as the variants command
 * expects them.
 */
public final class ImageFolder {
    private ImageFolder() {}

    public static List<Study.ImageRef> list(Path folder, String dataset) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(ImageFolder::isImage)
                    .map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .map(rel -> new Study.ImageRef(dataset, rel, label(rel)))
                    .toList();
        } catch (IOException e) {
            throw new InputException(folder, "cannot list images: " + e.getMessage());
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    /** The class folder of a relative path ("" for an image at the top of the dataset). */
    static String label(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    public static Path maskFor(Path masks, String relativePath) {
        return masks.resolve(relativePath.replaceFirst("\\.[^./]+$", "") + ".png");
    }
}
