package dev.repsim.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Random test images of every supported layout, written with ImageIO. */
public final class TestImages {
    private TestImages() {}

    public static Raster random(int w, int h, int channels, int bits, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Raster img = Raster.blank(w, h, channels, bits);
        short[] s = img.samples();
        for (int i = 0; i < s.length; i++) s[i] = (short) r.nextInt(1 << bits);
        return img;
    }

    public static void png(Path file, Raster r) {
        PngWriter.write(file, r);
    }

    /** A smooth RGB (or grey) JPEG of the given size. */
    public static void jpeg(Path file, int w, int h, boolean grey) throws IOException {
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) & 0xff));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "jpeg", file.toFile())) throw new IOException("no JPEG writer");
    }

    /** Cuts a file to a fraction of its length. */
    public static void truncate(Path file, double keep) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, (int) (b.length * keep)));
    }
}
