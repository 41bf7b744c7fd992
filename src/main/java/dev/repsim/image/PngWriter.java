package dev.repsim.image;

import dev.repsim.io.AtomicFiles;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.file.Path;

/**
 * Writes a {@link Raster} as a lossless PNG of the same layout (grey, grey+alpha, RGB, RGBA) and depth
 * (8 or 16 bits), through a temporary file and a rename.
 */
public final class PngWriter {
    private PngWriter() {}

    public static void write(Path target, Raster r) {
        BufferedImage img = toBufferedImage(r);
        AtomicFiles.write(target, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            // an in-memory stream: ImageIO.write(img, fmt, OutputStream) would spool to a temporary file
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(img);
            } finally {
                writer.dispose();
            }
        });
    }

    static BufferedImage toBufferedImage(Raster r) {
        ColorSpace cs = ColorSpace.getInstance(r.colorChannels() == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int type = r.bits() == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT;
        ComponentColorModel cm = new ComponentColorModel(cs, r.hasAlpha(), false,
                r.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE, type);
        WritableRaster wr = cm.createCompatibleWritableRaster(r.width(), r.height());
        short[] s = r.samples();
        int[] px = new int[s.length];
        for (int i = 0; i < s.length; i++) px[i] = s[i] & 0xffff;
        wr.setPixels(0, 0, r.width(), r.height(), px);
        return new BufferedImage(cm, wr, false, null);
    }
}
