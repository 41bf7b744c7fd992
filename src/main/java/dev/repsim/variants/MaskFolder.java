package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.Raster;
import dev.repsim.io.InputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Masks stored as files: for image {@code DIR/a/b.jpg} the mask is {@code MASKS/a/b.png}, the same size
 * as the image; a pixel is foreground where any colour sample is non-zero (alpha is ignored).
 */
public final class MaskFolder implements MaskSource {
    private final Path root;

    public MaskFolder(Path root) {
        if (!Files.isDirectory(root)) throw new InputException(root, "mask folder does not exist");
        this.root = root;
    }

    public Path maskPath(ImageFiles.Entry image) {
        return root.resolve(ImageFiles.stem(image.relative()) + ".png");
    }

    @Override
    public Mask maskFor(ImageFiles.Entry image, Raster raster) {
        Path file = maskPath(image);
        if (!Files.isRegularFile(file)) throw new InputException(file, "mask missing for image " + image.path());
        Raster m = ImageDecoder.read(file);
        if (m.width() != raster.width() || m.height() != raster.height()) {
            throw new InputException(file, "mask is " + m.width() + "x" + m.height() + " but image " + image.path()
                    + " is " + raster.width() + "x" + raster.height());
        }
        boolean[] fg = new boolean[m.pixels()];
        int colour = m.colorChannels();
        for (int p = 0; p < fg.length; p++) {
            for (int c = 0; c < colour && !fg[p]; c++) fg[p] = m.sample(p, c) != 0;
        }
        return new Mask(m.width(), m.height(), fg);
    }
}
