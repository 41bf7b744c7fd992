package dev.repsim.variants;

import dev.repsim.image.ImageFiles;
import dev.repsim.image.Raster;

/** Where the foreground mask of an image comes from: mask files or a segmentation model. */
public interface MaskSource extends AutoCloseable {
    Mask maskFor(ImageFiles.Entry image, Raster raster);

    @Override
    default void close() {}
}
