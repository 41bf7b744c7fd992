package dev.repsim.io;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): a magic string, a little-endian header
 * length, a Python-literal header dict with {@code descr}, {@code fortran_order} and {@code shape}, then
 * the raw array. Reading supports float32/float64 of either byte order, C or Fortran order; whole
 * matrices or row blocks (for inputs larger than the heap). Writing produces C-order little-endian
 * files through a temporary file and an atomic rename, so a failed write leaves nothing behind.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    /** Byte order, kind and item size, e.g. {@code <f8}: anything else is no dtype this reader can name. */
    private static final Pattern DTYPE = Pattern.compile("[<>|=][a-zA-Z][0-9]{1,4}");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** What the header of an {@code .npy} file says; {@code source} names the file in errors (a path or a URI). */
    public record Header(String source, String descr, boolean fortranOrder, long[] shape, long dataOffset) {
        /** Bytes per element (from the dtype). */
        public int itemSize() { return Integer.parseInt(descr.substring(2)); }

        public ByteOrder byteOrder() {
            return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }

        public char kind() { return descr.charAt(1); }

        public long elements() {
            long e = 1;
            for (long s : shape) e = Math.multiplyExact(e, s);
            return e;
        }

        public long rows() { return shape[0]; }

        public long cols() { return shape.length > 1 ? shape[1] : 1; }

        /** The precision stored on disk, for float files. */
        public Precision precision() { return itemSize() == 4 ? Precision.F32 : Precision.F64; }
    }

    /** Reads and validates the header; checks the file is long enough for the data it announces. */
    public static Header header(Path path) {
        try (FileChannel ch = open(path)) {
            return header(path.toString(), ch);
        } catch (IOException e) {
            throw new InputException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The header of the .npy file behind {@code ch}, whatever stores it (a file on a Hadoop file system, say);
     * {@code source} names it in errors. The caller keeps the channel.
     */
    public static Header header(String source, SeekableByteChannel ch) throws IOException {
        return readHeader(source, ch);
    }

    /** Reads a 2-D float32 or float64 matrix, keeping the stored precision. */
    public static Matrix readMatrix(Path path) {
        Header h = header(path);
        requireFloat2d(h);
        if (h.rows() * h.cols() > Integer.MAX_VALUE - 16) {
            throw new InputException(path, "too large to hold in memory (" + h.rows() + "x" + h.cols()
                    + "); use a streaming metric (linear-cka, cca-*) which reads row blocks");
        }
        try (RowBlocks blocks = rowBlocks(path, (int) Math.max(1, h.rows()))) {
            Matrix m = blocks.next();
            return m == null ? emptyMatrix(h) : m;
        }
    }

    private static Matrix emptyMatrix(Header h) {
        return h.precision() == Precision.F32 ? Matrix.of(0, (int) h.cols(), new float[0])
                : Matrix.of(0, (int) h.cols(), new double[0]);
    }

    /** Rejects anything but a 2-D float32/float64 array, naming the file and what it is instead. */
    public static void requireFloat2d(Header h) {
        if (h.kind() != 'f' || (h.itemSize() != 4 && h.itemSize() != 8)) {
            throw bad(h.source(), "unsupported dtype '" + h.descr()
                    + "' (expected float32 '<f4' or float64 '<f8')");
        }
        if (h.shape().length != 2) {
            throw bad(h.source(), "expected a 2-D array (samples x features), got shape "
                    + shapeString(h.shape()));
        }
        if (h.cols() > Integer.MAX_VALUE || h.rows() > Integer.MAX_VALUE) {
            throw bad(h.source(), "shape " + shapeString(h.shape()) + " is too large");
        }
    }

    /** Streams the rows of a 2-D float matrix in blocks of at most {@code blockRows} rows. */
    public static RowBlocks rowBlocks(Path path, int blockRows) {
        return rowBlocks(path, blockRows, 0, -1);
    }

    /**
     * Streams rows {@code [from, to)} of a 2-D float matrix in blocks of at most {@code blockRows} rows
     * (a partition of a larger job reads only its own rows; {@code to = -1}: to the end).
     */
    public static RowBlocks rowBlocks(Path path, int blockRows, long from, long to) {
        return rowBlocks(path.toString(), open(path), blockRows, from, to);
    }

    /**
     * Rows {@code [from, to)} of the .npy file behind {@code ch} (any store: a Hadoop file system's stream,
     * say), named {@code source} in errors. The blocks own the channel: closing them (or a failure here) closes it.
     */
    public static RowBlocks rowBlocks(String source, SeekableByteChannel ch, int blockRows, long from, long to) {
        try {
            Header h = readHeader(source, ch);
            requireFloat2d(h);
            long end = to < 0 ? h.rows() : to;
            if (from < 0 || from > end || end > h.rows()) {
                throw bad(source, "rows [" + from + ", " + end + ") are outside its " + h.rows() + " rows");
            }
            return new RowBlocks(h, ch, blockRows, from, end);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof InputException ie) throw ie;
            throw bad(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Sequential row-block reader; each block is a fresh matrix in the stored precision. */
    public static final class RowBlocks implements AutoCloseable {
        private final Header header;
        private final SeekableByteChannel ch;
        private final int blockRows;
        private final int cols;
        private final int item;
        private final long end;
        private long nextRow;

        RowBlocks(Header header, SeekableByteChannel ch, int blockRows, long from, long end) {
            if (blockRows < 1) throw new IllegalArgumentException("blockRows < 1");
            this.header = header;
            this.ch = ch;
            this.blockRows = blockRows;
            this.cols = (int) header.cols();
            this.item = header.itemSize();
            this.nextRow = from;
            this.end = end;
        }

        public Header header() { return header; }

        /** The next block, or null at the end. */
        public Matrix next() {
            long n = header.rows();
            if (nextRow >= end) return null;
            int r = (int) Math.min(blockRows, end - nextRow);
            long values = (long) r * cols;
            if (values > Integer.MAX_VALUE - 16) throw bad(header.source(), "row block too large");
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(values * item)).order(header.byteOrder());
            try {
                if (!header.fortranOrder() || cols == 1) {
                    readFully(buf, header.dataOffset() + nextRow * cols * item);
                    buf.flip();
                } else {
                    // Fortran order: column c of rows [nextRow, nextRow + r) is contiguous on disk.
                    ByteBuffer col = ByteBuffer.allocate(r * item).order(header.byteOrder());
                    ByteBuffer rowMajor = buf;
                    for (int c = 0; c < cols; c++) {
                        col.clear();
                        readFully(col, header.dataOffset() + ((long) c * n + nextRow) * item);
                        col.flip();
                        for (int i = 0; i < r; i++) {
                            int dst = (i * cols + c) * item;
                            if (item == 4) rowMajor.putInt(dst, col.getInt(i * 4));
                            else rowMajor.putLong(dst, col.getLong(i * 8));
                        }
                    }
                    buf.position(0).limit((int) (values * item));
                }
            } catch (IOException e) {
                throw bad(header.source(), "read failed: " + e.getMessage(), e);
            }
            Matrix m;
            if (item == 4) {
                float[] f = new float[(int) values];
                buf.asFloatBuffer().get(f);
                m = Matrix.of(r, cols, f);
            } else {
                double[] d = new double[(int) values];
                buf.asDoubleBuffer().get(d);
                m = Matrix.of(r, cols, d);
            }
            long bad = m.firstNonFinite();
            if (bad >= 0) {
                long row = nextRow + bad / cols;
                throw bad(header.source(), "non-finite value (NaN or Inf) at row " + row
                        + ", column " + (bad % cols));
            }
            nextRow += r;
            return m;
        }

        private void readFully(ByteBuffer buf, long position) throws IOException {
            ch.position(position);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) throw bad(header.source(), "truncated file: data ends early");
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException e) {
                throw bad(header.source(), "close failed: " + e.getMessage(), e);
            }
        }
    }

    /** Writes a matrix as a C-order little-endian .npy in its own precision, atomically. */
    public static void write(Path path, Matrix m) {
        AtomicFiles.write(path, body(m));
    }

    /** The body of {@link #write}, for {@link AtomicFiles#writeAll}. */
    public static AtomicFiles.Writer body(Matrix m) {
        boolean f32 = m.precision() == Precision.F32;
        byte[] header = headerBytes(f32 ? "<f4" : "<f8", new long[]{m.rows(), m.cols()});
        return out -> {
            out.write(header);
            int item = f32 ? 4 : 8;
            int rowsPerChunk = Math.max(1, (1 << 20) / Math.max(1, m.cols() * item));
            ByteBuffer buf = ByteBuffer.allocate(rowsPerChunk * Math.max(1, m.cols()) * item).order(ByteOrder.LITTLE_ENDIAN);
            for (int r0 = 0; r0 < m.rows(); r0 += rowsPerChunk) {
                int r1 = Math.min(m.rows(), r0 + rowsPerChunk);
                buf.clear();
                if (f32) buf.asFloatBuffer().put(m.f32(), r0 * m.cols(), (r1 - r0) * m.cols());
                else buf.asDoubleBuffer().put(m.f64(), r0 * m.cols(), (r1 - r0) * m.cols());
                out.write(buf.array(), 0, (r1 - r0) * m.cols() * item);
            }
        };
    }

    /** The bytes of a version 1.0 header (padded so the data starts on a 64-byte boundary). */
    public static byte[] headerBytes(String descr, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        byte[] h = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return b.array();
    }

    /** Python tuple spelling of a shape: (3,) or (3, 4). */
    public static String shapeString(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(")").toString();
    }

    /** Header text fit for a one-line message: control and non-ASCII characters as '?', at most 120 characters. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().limit(120).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return text.codePointCount(0, text.length()) > 120 ? b + "..." : b.toString();
    }

    private static InputException bad(String source, String problem) {
        return new InputException(source + ": " + problem);
    }

    private static InputException bad(String source, String problem, Throwable cause) {
        return new InputException(source + ": " + problem, cause);
    }

    private static FileChannel open(Path path) {
        try {
            if (Files.isDirectory(path)) throw new InputException(path, "is a directory, not an .npy file");
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InputException(path, "no such file");
        } catch (IOException e) {
            throw new InputException(path, "cannot open: " + e.getMessage(), e);
        }
    }

    private static Header readHeader(String path, SeekableByteChannel ch) throws IOException {
        ch.position(0);
        ByteBuffer pre = ByteBuffer.allocate(MAGIC.length + 2 + 4).order(ByteOrder.LITTLE_ENDIAN);
        while (pre.hasRemaining() && ch.read(pre) >= 0) { /* fill */ }
        pre.flip();
        byte[] magic = new byte[MAGIC.length];
        if (pre.remaining() < MAGIC.length + 4) throw bad(path, "not an .npy file (too short for the header)");
        pre.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw bad(path, "not an .npy file (bad magic bytes)");
        int major = pre.get() & 0xff;
        pre.get(); // minor version
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = pre.getShort() & 0xffff;
            prefix = MAGIC.length + 4;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 4) throw bad(path, "truncated .npy header");
            headerLen = pre.getInt() & 0xffffffffL;
            prefix = MAGIC.length + 6;
        } else {
            throw bad(path, "unsupported .npy format version " + major);
        }
        if (headerLen > 1 << 20) throw bad(path, "implausible .npy header length " + headerLen);
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        ch.position(prefix);
        while (hb.hasRemaining()) {
            if (ch.read(hb) < 0) throw bad(path, "truncated .npy header");
        }
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(text);
        Matcher f = FORTRAN.matcher(text);
        Matcher s = SHAPE.matcher(text);
        if (!d.find() || !f.find() || !s.find()) throw bad(path, "malformed .npy header: " + printable(text.strip()));
        String descr = d.group(1);
        if (!DTYPE.matcher(descr).matches()) {
            throw bad(path, "unsupported dtype '" + printable(descr) + "' (expected float32 '<f4' or float64 '<f8')");
        }
        if (descr.charAt(0) == '=' || descr.charAt(0) == '|') descr = "<" + descr.substring(1);
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            try {
                dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
            } catch (NumberFormatException e) {
                dims.add(-1L);
            }
            if (dims.getLast() < 0) throw bad(path, "malformed shape in .npy header: (" + printable(s.group(1)) + ")");
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        Header h = new Header(path, descr, f.group(1).equals("True"), shape, prefix + headerLen);
        if ("fc".indexOf(h.kind()) >= 0 || "iub".indexOf(h.kind()) >= 0) {
            long need;
            try {
                need = Math.addExact(h.dataOffset(), Math.multiplyExact(h.elements(), h.itemSize()));
            } catch (ArithmeticException e) {
                throw bad(path, "shape " + shapeString(shape) + " of " + descr + " is too large for any file");
            }
            if (ch.size() < need) {
                throw bad(path, "truncated file: header announces " + shapeString(shape) + " " + descr
                        + " (" + need + " bytes) but the file has " + ch.size() + " bytes");
            }
        }
        return h;
    }
}
