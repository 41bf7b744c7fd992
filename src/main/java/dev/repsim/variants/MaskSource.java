package dev.repsim.variants;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.Raster;

/** Where the foreground mask of an image comes from: mask files or a segmentation model. */
public interface MaskSource extends AutoCloseable {
    Mask maskFor(ImageFiles.Entry image, Raster raster);

    /**
     * Checks, before the image is decoded, that its mask can fit {@code size} (the image header's);
     * a mismatch is an {@link dev.repsim.io.InputException}. Sources that compute masks accept any size.
     */
    default void checkSize(ImageFiles.Entry image, ImageDecoder.Size size) {}

    @Override
    default void close() {}
}
