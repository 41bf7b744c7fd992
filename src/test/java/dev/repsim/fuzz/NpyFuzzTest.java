package dev.repsim.fuzz;

import dev.repsim.io.NpyTest;
import dev.repsim.io.InputException;
import dev.repsim.io.Labels;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Mutated .npy files through every reader of them: headers, whole matrices, row blocks and label vectors. */
class NpyFuzzTest {
    @TempDir
    Path dir;
    final List<byte[]> seeds = new ArrayList<>();


    private static byte[] data(int bytes, long seed) {
        byte[] b = new byte[bytes];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < b.length; i += 8) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(i, r.nextDouble());
        return b;
    }

    @BeforeEach
    void seeds() throws Exception {
        Npy.write(dir.resolve("a.npy"), Matrix.of(4, 3, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        Npy.write(dir.resolve("b.npy"), Matrix.of(3, 2, new double[] {1, -2, 3.5, 4, 5, 6}));
        seeds.add(Files.readAllBytes(dir.resolve("a.npy")));
        seeds.add(Files.readAllBytes(dir.resolve("b.npy")));
        seeds.add(NpyTest.file(2, "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 4), }", data(96, 1)));
        seeds.add(NpyTest.file(3, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[16]));
        seeds.add(NpyTest.file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }", data(40, 2)));
        seeds.add(NpyTest.file(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (6, 1), }", new byte[] {1, 2, 3, 4, 5, 6}));
    }

    private byte[] mutant(SplittableRandom r) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        return r.nextBoolean() ? Mutations.text(seed, r) : Mutations.bytes(seed, r);
    }

    @Test
    void zeroSizedItemsWithAHugeShapeAreRefused() throws Exception {
        Path f = Files.write(dir.resolve("z.npy"), NpyTest.file(1, "{'descr': '<i0', 'fortran_order': False, 'shape': (2000000000,), }", new byte[0]));
        InputException e = assertThrows(InputException.class, () -> Labels.read(f, "label"));
        assertEquals(f + ": unsupported integer size 0", e.getMessage());
        Path g = Files.write(dir.resolve("g.npy"), NpyTest.file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", new byte[0]));
        e = assertThrows(InputException.class, () -> Npy.header(g));
        assertTrue(e.getMessage().startsWith(g + ": shape (4294967296, 4294967296) of <f8 is too large"), e.getMessage());
    }

    @Test
    void headers() {
        Fuzz.run(dir.resolve("m.npy"), 21, 400, Duration.ofSeconds(20), this::mutant, Npy::header);
    }

    @Test
    void matrices() {
        Fuzz.run(dir.resolve("m.npy"), 22, 400, Duration.ofSeconds(20), this::mutant, Npy::readMatrix);
    }

    @Test
    void rowBlocks() {
        Fuzz.run(dir.resolve("m.npy"), 23, 400, Duration.ofSeconds(20), this::mutant, f -> {
            int rows = 0;
            try (Npy.RowBlocks b = Npy.rowBlocks(f, 2)) {
                for (Matrix m = b.next(); m != null; m = b.next()) rows += m.rows();
            }
            return rows;
        });
    }

    @Test
    void labelVectors() {
        Fuzz.run(dir.resolve("m.npy"), 24, 400, Duration.ofSeconds(20), this::mutant, f -> Labels.read(f, "label"));
    }
}
