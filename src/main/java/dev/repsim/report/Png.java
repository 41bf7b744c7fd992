package dev.repsim.report;

import dev.repsim.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** PNG encoding of a figure: to bytes (for inlining as base64) or atomically to a file. */
public final class Png {
    private Png() {}

    public static byte[] bytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in this JVM");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the PNG through a temporary file and a rename; returns the bytes written. */
    public static byte[] write(Path file, BufferedImage image) {
        byte[] png = bytes(image);
        AtomicFiles.write(file, out -> out.write(png));
        return png;
    }
}
