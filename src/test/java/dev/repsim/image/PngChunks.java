package dev.repsim.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files built chunk by chunk (signature, chunks with their CRC-32), for images no encoder would
 * write: decompression bombs and hand-mutated headers.
 */
public final class PngChunks {
    public static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngChunks() {}

    /** One chunk: length, type, data, CRC-32 of type and data. */
    public static byte[] chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue()).array();
    }

    /** The IHDR data: width, height, bit depth, colour type, compression 0, filter 0, interlace. */
    public static byte[] ihdr(int width, int height, int bitDepth, int colourType, int interlace) {
        return ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) interlace).array();
    }

    /** Signature, then the given chunks in order. */
    public static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        for (byte[] c : chunks) out.writeBytes(c);
        return out.toByteArray();
    }

    /**
     * A zlib stream of {@code n} zero bytes at about 1000:1, made in milliseconds even for gigabytes: one
     * sync-flushed deflate segment of a megabyte of zeros after zeros is repeated (it is byte-aligned and
     * refers back only to zeros, so any number of copies decode to zeros), and the Adler-32 of n zeros is
     * (n mod 65521) · 2¹⁶ + 1.
     */
    public static byte[] zlibZeros(long n) {
        int seg = 1 << 20;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78);
        out.write(0xda); // zlib header: deflate, 32 KiB window, best compression
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            if (n < 2L * seg) {
                out.writeBytes(deflate(d, (int) n, true));
            } else {
                out.writeBytes(deflate(d, seg, false));
                byte[] again = deflate(d, seg, false);
                for (long k = 1; k < n / seg; k++) out.writeBytes(again);
                out.writeBytes(deflate(d, (int) (n % seg), true));
            }
        } finally {
            d.end();
        }
        int adler = (int) ((n % 65521) << 16 | 1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(adler).array());
        return out.toByteArray();
    }

    /** Raw deflate output for {@code len} more zeros, sync-flushed (or finished, for the last part). */
    private static byte[] deflate(Deflater d, int len, boolean last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        d.setInput(new byte[len]);
        if (last) {
            d.finish();
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        } else {
            int got;
            do {
                got = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, got);
            } while (got == buf.length || !d.needsInput());
        }
        return out.toByteArray();
    }

    /**
     * A valid 8-bit grey PNG of {@code width} × {@code height} black pixels: every scan line (filter
     * byte 0, then zeros) is in the small IDAT, so a decoder would really allocate the whole image.
     */
    public static byte[] bomb(int width, int height) {
        return png(chunk("IHDR", ihdr(width, height, 8, 0, 0)),
                chunk("IDAT", zlibZeros((long) height * (width + 1L))),
                chunk("IEND", new byte[0]));
    }
}
