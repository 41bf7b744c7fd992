package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.PixelLimit;
import dev.repsim.image.Raster;
import dev.repsim.io.InputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Masks stored as files: for image {@code DIR/a/b.jpg} the mask is {@code MASKS/a/b.png}, the same size
 * as the image (compared on the headers, before either is decoded); a pixel is foreground where any colour sample is non-zero (alpha is ignored).
 */
public final class MaskFolder implements MaskSource {
    private final Path root;

    public MaskFolder(Path root) {
        if (!Files.isDirectory(root)) throw new InputException(root, "mask folder does not exist");
        this.root = root;
    }

    public Path maskPath(ImageFiles.Entry image) {
        return root.resolve(maskName(image.relative()));
    }

    /** The mask's path relative to the mask folder, for an image at {@code relative} in its folder. */
    public static String maskName(String relative) {
        return ImageFiles.stem(relative) + ".png";
    }

    @Override
    public void checkSize(ImageFiles.Entry image, ImageDecoder.Size size) {
        checkedMask(image, size);
    }

    @Override
    public Mask maskFor(ImageFiles.Entry image, Raster raster) {
        ImageDecoder.Size size = new ImageDecoder.Size(raster.width(), raster.height());
        // decoded under the image's own pixel count: a mask file swapped for a bomb since the check is still refused
        Raster m = ImageDecoder.read(checkedMask(image, size), new PixelLimit((long) size.width() * size.height()));
        if (m.width() != raster.width() || m.height() != raster.height()) {
            throw new InputException(maskPath(image), "mask is " + m.width() + "x" + m.height() + " but image " + image.path() + " is " + size);
        }
        boolean[] fg = new boolean[m.pixels()];
        int colour = m.colorChannels();
        for (int p = 0; p < fg.length; p++) {
            for (int c = 0; c < colour && !fg[p]; c++) fg[p] = m.sample(p, c) != 0;
        }
        return new Mask(m.width(), m.height(), fg);
    }

    /** The mask file of {@code image}, once its header says it has the image's size. */
    private Path checkedMask(ImageFiles.Entry image, ImageDecoder.Size size) {
        Path file = maskPath(image);
        if (!Files.isRegularFile(file)) throw new InputException(file, "mask missing for image " + image.path());
        ImageDecoder.Size m = ImageDecoder.size(file);
        if (!m.equals(size)) throw new InputException(file, "mask is " + m + " but image " + image.path() + " is " + size);
        return file;
    }
}
