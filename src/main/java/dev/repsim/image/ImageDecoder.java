package dev.repsim.image;

import dev.repsim.io.InputException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes JPEG and PNG files with javax.imageio into a {@link Raster}, keeping grey/RGB/alpha layout and
 * 8- or 16-bit depth. Component images (grey, grey+alpha, RGB, RGBA at 8 or 16 bits) are copied sample
 * for sample; palette and packed low-bit images are expanded to 8-bit RGB(A) through their colour model
 * (the same colours, exactly). A reader warning (e.g. a truncated JPEG, which ImageIO would otherwise
 * return half grey) is an error, as is any other format. The header's size is checked against a
 * {@link PixelLimit} before any pixel is decoded.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** The width and height an image's header declares. */
    public record Size(int width, int height) {
        @Override
        public String toString() { return width + "x" + height; }
    }

    /** Decodes {@code file} under the default {@link PixelLimit}. */
    public static Raster read(Path file) {
        return read(file, PixelLimit.DEFAULT);
    }

    /** Decodes {@code file}, refusing (before decoding) an image that declares more than {@code limit} pixels. */
    public static Raster read(Path file, PixelLimit limit) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "no such file");
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file, limit);
    }

    /**
     * The size {@code file}'s header declares, read without decoding the pixels (a few bytes for PNG,
     * up to the frame header for JPEG).
     */
    public static Size size(Path file) {
        if (!Files.isRegularFile(file)) throw new InputException(file, Files.exists(file) ? "not a regular file" : "no such file");
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return withReader(in, file, r -> new Size(r.getWidth(0), r.getHeight(0)));
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Decodes {@code bytes} under the default {@link PixelLimit}, naming {@code file} in errors. */
    public static Raster decode(byte[] bytes, Path file) {
        return decode(bytes, file, PixelLimit.DEFAULT);
    }

    /** Decodes {@code bytes}, naming {@code file} in errors; the header's size is checked against {@code limit} first. */
    public static Raster decode(byte[] bytes, Path file, PixelLimit limit) {
        if (bytes.length == 0) throw new InputException(file, "empty file, not a JPEG or PNG image");
        // an in-memory stream: ImageIO.createImageInputStream would spool to a temporary file by default
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            BufferedImage img = withReader(in, file, r -> {
                limit.check(file, r.getWidth(0), r.getHeight(0));
                ImageReadParam param = r.getDefaultReadParam();
                ImageTypeSpecifier inOrder = inOrderType(r);
                if (inOrder != null) param.setDestinationType(inOrder);
                return r.read(0, param);
            });
            return fromBufferedImage(img, file);
        } catch (IOException e) {
            throw new InputException(file, "cannot read: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // one failed large allocation (within the pixel limit, beyond this heap): nothing was half-made
            throw new InputException(file, "image does not fit in memory (maximum heap "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); lower --max-pixels or raise -Xmx");
        }
    }

    /**
     * The reader's destination type with the same colours as its default one (colour space, components,
     * alpha, sample type) but its samples already in repsim's order (one bank, pixel stride = bands, band
     * c at offset c); null where the default is in that order or no such type is offered. The readers'
     * default for 8-bit RGB is BGR (TYPE_3BYTE_BGR) and for RGBA it is ABGR, and writing each decoded row
     * into those reorders the samples one by one; into the in-order type the reader's row copies and
     * {@link #copyInterleaved} are plain array copies. The samples are the same either way.
     */
    private static ImageTypeSpecifier inOrderType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (!types.hasNext()) return null;
        ImageTypeSpecifier first = types.next();
        if (inOrder(first)) return null;
        ColorModel want = first.getColorModel();
        while (types.hasNext()) {
            ImageTypeSpecifier t = types.next();
            ColorModel cm = t.getColorModel();
            if (inOrder(t) && cm.getColorSpace().equals(want.getColorSpace()) && cm.getNumComponents() == want.getNumComponents()
                    && cm.hasAlpha() == want.hasAlpha() && cm.isAlphaPremultiplied() == want.isAlphaPremultiplied()
                    && cm.getTransferType() == want.getTransferType()) {
                return t;
            }
        }
        return null;
    }

    /** 8- or 16-bit component samples in one bank, in repsim's order. */
    private static boolean inOrder(ImageTypeSpecifier t) {
        if (!(t.getColorModel() instanceof ComponentColorModel) || !(t.getSampleModel() instanceof ComponentSampleModel sm)) return false;
        for (int b : sm.getBankIndices()) if (b != 0) return false;
        return (sm.getDataType() == DataBuffer.TYPE_BYTE || sm.getDataType() == DataBuffer.TYPE_USHORT) && inOrder(sm);
    }

    /** Pixel stride = bands and band c at offset c: each row's samples in repsim's order. */
    private static boolean inOrder(ComponentSampleModel sm) {
        int[] off = sm.getBandOffsets();
        if (sm.getPixelStride() != off.length) return false;
        for (int c = 0; c < off.length; c++) if (off[c] != c) return false;
        return true;
    }

    /** What to do with an open JPEG or PNG reader. */
    @FunctionalInterface
    private interface ReaderTask<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /**
     * Runs {@code task} with the JPEG or PNG reader of {@code in}; anything else, a reader warning (e.g. a
     * truncated JPEG, which ImageIO would otherwise return half grey) or a reader failure is an
     * {@link InputException} naming {@code file}.
     */
    private static <T> T withReader(ImageInputStream in, Path file, ReaderTask<T> task) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) throw new InputException(file, "not a JPEG or PNG image (unrecognised content)");
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        String format;
        T result;
        try {
            format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (!format.equals("jpeg") && !format.equals("png")) {
                throw new InputException(file, "unsupported image format '" + format + "' (expected JPEG or PNG)");
            }
            reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
            reader.setInput(in, true, true);
            result = task.apply(reader);
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? InputException.firstLine(e.getMessage()) : e.getClass().getSimpleName();
            throw new InputException(file, "corrupt or truncated image (or a JPEG/PNG kind ImageIO cannot decode, e.g. CMYK): " + why, e);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            throw new InputException(file, "corrupt or truncated " + format.toUpperCase(Locale.ROOT) + " image: " + warnings.getFirst());
        }
        return result;
    }

    static Raster fromBufferedImage(BufferedImage img, Path file) {
        int w = img.getWidth(), h = img.getHeight();
        if (w < 1 || h < 1) throw new InputException(file, "image has no pixels (" + w + "x" + h + ")");
        WritableRaster wr = img.getRaster();
        int bands = wr.getNumBands();
        int type = wr.getDataBuffer().getDataType();
        if (img.getColorModel() instanceof ComponentColorModel cm && bands >= 1 && bands <= 4
                && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT)
                && cm.getNumComponents() == bands && uniformSize(cm, type == DataBuffer.TYPE_BYTE ? 8 : 16)) {
            int bits = type == DataBuffer.TYPE_BYTE ? 8 : 16;
            short[] s = new short[w * h * bands];
            if (wr.getSampleModel() instanceof ComponentSampleModel sm && wr.getDataBuffer().getNumBanks() == 1
                    && wr.getSampleModelTranslateX() == 0 && wr.getSampleModelTranslateY() == 0) {
                copyInterleaved(wr.getDataBuffer(), sm, w, h, bands, s);
            } else {
                int[] px = wr.getPixels(0, 0, w, h, (int[]) null);
                for (int i = 0; i < px.length; i++) s[i] = (short) px[i];
            }
            return new Raster(w, h, bands, bits, s);
        }
        // palette / packed sub-byte images: expand through the colour model to 8-bit RGB(A)
        boolean alpha = img.getColorModel().hasAlpha();
        int channels = alpha ? 4 : 3;
        Raster out = Raster.blank(w, h, channels, 8);
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < argb.length; p++) {
            int c = argb[p];
            out.setSample(p, 0, (c >>> 16) & 0xff);
            out.setSample(p, 1, (c >>> 8) & 0xff);
            out.setSample(p, 2, c & 0xff);
            if (alpha) out.setSample(p, 3, c >>> 24);
        }
        return out;
    }

    /**
     * Direct copy from a single-bank interleaved buffer (what the JDK's JPEG and PNG readers produce). Where
     * a row's samples are already in repsim's order (pixel stride = bands, band c at offset c: PNG, read
     * into {@link #inOrderType}), each row is one plain loop, which the JIT vectorises. The JPEG reader
     * offers no such type for colour: its RGB comes as BGR, which takes a loop with the three offsets in
     * locals rather than looked up per sample.
     */
    private static void copyInterleaved(DataBuffer db, ComponentSampleModel sm, int w, int h, int bands, short[] out) {
        int ps = sm.getPixelStride(), ss = sm.getScanlineStride(), rowLength = w * bands;
        int[] off = sm.getBandOffsets();
        int base = db.getOffset();
        boolean inOrder = inOrder(sm);
        if (db instanceof DataBufferByte bytes) {
            byte[] d = bytes.getData();
            for (int y = 0; y < h; y++) {
                int row = base + y * ss, o = y * rowLength;
                if (inOrder) {
                    for (int i = 0; i < rowLength; i++) out[o + i] = (short) (d[row + i] & 0xff);
                    continue;
                }
                if (bands == 3) {
                    int b0 = off[0], b1 = off[1], b2 = off[2];
                    for (int x = 0; x < w; x++, row += ps, o += 3) {
                        out[o] = (short) (d[row + b0] & 0xff);
                        out[o + 1] = (short) (d[row + b1] & 0xff);
                        out[o + 2] = (short) (d[row + b2] & 0xff);
                    }
                } else {
                    for (int x = 0; x < w; x++, row += ps) {
                        for (int c = 0; c < bands; c++) out[o++] = (short) (d[row + off[c]] & 0xff);
                    }
                }
            }
        } else {
            short[] d = ((DataBufferUShort) db).getData();
            for (int y = 0; y < h; y++) {
                int row = base + y * ss, o = y * rowLength;
                if (inOrder) {
                    System.arraycopy(d, row, out, o, rowLength);
                    continue;
                }
                for (int x = 0; x < w; x++, row += ps) {
                    for (int c = 0; c < bands; c++) out[o++] = d[row + off[c]];
                }
            }
        }
    }

    private static boolean uniformSize(ComponentColorModel cm, int bits) {
        for (int i = 0; i < cm.getNumComponents(); i++) if (cm.getComponentSize(i) != bits) return false;
        return true;
    }
}
