package dev.repsim.io;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy reading and writing, written byte by byte from the format specification. */
public class NpyTest {
    @TempDir
    Path dir;

    /** Builds a file by hand: magic, version, header length, header dict, data. */
    public static byte[] file(int major, String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) len.putShort((short) h.length);
        else len.putInt(h.length);
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double d : v) b.putDouble(d);
        return b.array();
    }

    @Test
    void roundTripsBothPrecisions() throws Exception {
        Matrix m = Matrix.of(3, 2, new double[]{1, 2, 3, 4, 5, 6.5});
        Npy.write(dir.resolve("a.npy"), m);
        Matrix r = Npy.readMatrix(dir.resolve("a.npy"));
        assertArrayEquals(m.f64(), r.f64());
        Matrix f = Matrix.of(2, 2, new float[]{1.5f, -2, 3, 4});
        Npy.write(dir.resolve("f.npy"), f);
        Matrix rf = Npy.readMatrix(dir.resolve("f.npy"));
        assertEquals(Precision.F32, rf.precision());
        assertArrayEquals(f.f32(), rf.f32());
        try (var files = java.nio.file.Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void readsFortranOrderBigEndianAndVersion2() throws Exception {
        // 2x3 matrix [[1,2,3],[4,5,6]] stored column by column, big-endian, format 2.0.
        Path p = dir.resolve("f.npy");
        Files.write(p, file(2, "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }",
                doubles(ByteOrder.BIG_ENDIAN, 1, 4, 2, 5, 3, 6)));
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, Npy.readMatrix(p).f64());
        try (Npy.RowBlocks blocks = Npy.rowBlocks(p, 1)) {
            assertArrayEquals(new double[]{1, 2, 3}, blocks.next().f64());
            assertArrayEquals(new double[]{4, 5, 6}, blocks.next().f64());
            assertEquals(null, blocks.next());
        }
    }

    @Test
    void readsARangeOfRowsInBlocks() throws Exception {
        double[] v = new double[7 * 2];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Path p = dir.resolve("r.npy");
        Npy.write(p, Matrix.of(7, 2, v));
        try (Npy.RowBlocks blocks = Npy.rowBlocks(p, 2, 2, 5)) {
            assertArrayEquals(new double[]{4, 5, 6, 7}, blocks.next().f64());
            assertArrayEquals(new double[]{8, 9}, blocks.next().f64());
            assertEquals(null, blocks.next());
        }
        try (Npy.RowBlocks blocks = Npy.rowBlocks(p, 9, 7, 7)) {
            assertEquals(null, blocks.next(), "an empty range at the end");
        }
        InputException e = assertThrows(InputException.class, () -> Npy.rowBlocks(p, 2, 3, 8));
        assertEquals(p + ": rows [3, 8) are outside its 7 rows", e.getMessage());
        // a non-finite value is reported with its row in the whole file
        v[5 * 2 + 1] = Double.NaN;
        Npy.write(p, Matrix.of(7, 2, v));
        try (Npy.RowBlocks blocks = Npy.rowBlocks(p, 10, 4, 7)) {
            e = assertThrows(InputException.class, blocks::next);
            assertEquals(p + ": non-finite value (NaN or Inf) at row 5, column 1", e.getMessage());
        }
    }

    @Test
    void badFilesNameTheFileAndTheProblem() throws Exception {
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello world, not numpy");
        assertMessage(notNpy, "not an .npy file");
        Path truncated = dir.resolve("trunc.npy");
        Files.write(truncated, file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3)));
        assertMessage(truncated, "truncated");
        Path ints = dir.resolve("int.npy");
        Files.write(ints, file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]));
        assertMessage(ints, "unsupported dtype '<i8'");
        Path complex = dir.resolve("c.npy");
        Files.write(complex, file(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }", new byte[16]));
        assertMessage(complex, "unsupported dtype");
        Path object = dir.resolve("o.npy");
        Files.write(object, file(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]));
        assertMessage(object, "unsupported dtype");
        Path threeD = dir.resolve("3d.npy");
        Files.write(threeD, file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }", new byte[8]));
        assertMessage(threeD, "expected a 2-D array");
        Path nan = dir.resolve("nan.npy");
        Files.write(nan, file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, Double.NaN, 4)));
        assertMessage(nan, "row 1, column 0");
        Path inf = dir.resolve("inf.npy");
        Files.write(inf, file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", doubles(ByteOrder.LITTLE_ENDIAN, 1, Double.NEGATIVE_INFINITY)));
        assertMessage(inf, "non-finite");
        assertMessage(dir.resolve("missing.npy"), "no such file");
    }

    static void assertMessage(Path p, String part) {
        InputException e = assertThrows(InputException.class, () -> Npy.readMatrix(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void failedWriteLeavesNoFile() {
        Path target = dir.resolve("out.npy");
        assertThrows(InputException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100]);
            throw new java.io.IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "temporary file removed");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
