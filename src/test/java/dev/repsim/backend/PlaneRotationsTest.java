package dev.repsim.backend;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link PlaneRotations} against the rotations applied one at a time in plain Java, bit for bit: the
 * chain kernels carry the shared row in registers but must do the same two products and one sum per
 * element, on every strip, batch split and vector width (the surefire runs at 128 and 256 bits repeat it).
 */
class PlaneRotationsTest {
    @Test
    void batchesEqualRotationsOneAtATime() {
        int rows = 90, width = 203; // strips of 64 and a partial one; 203 is no multiple of any vector length
        SplittableRandom random = new SplittableRandom(16);
        double[] start = new double[rows * width];
        for (int i = 0; i < start.length; i++) start[i] = random.nextDouble() - 0.5;
        // Descending chains (QL), ascending chains (bidiagonal QR), fan-outs from one row (deflation) and
        // lone rotations, in random order and lengths.
        int count = 30_000;
        int[] first = new int[count], second = new int[count];
        double[] cos = new double[count], sin = new double[count];
        for (int k = 0; k < count; ) {
            int kind = random.nextInt(4), len = 1 + random.nextInt(40), row = random.nextInt(rows - 1);
            for (int step = 0; step < len && k < count; step++, k++) {
                double angle = random.nextDouble() * 2 * Math.PI;
                cos[k] = Math.cos(angle);
                sin[k] = Math.sin(angle);
                switch (kind) {
                    case 0 -> { // (i, i+1), (i−1, i), …
                        int i = Math.max(0, row - step);
                        first[k] = i;
                        second[k] = i + 1;
                    }
                    case 1 -> { // (i, i+1), (i+1, i+2), …
                        int i = Math.min(rows - 2, row + step);
                        first[k] = i;
                        second[k] = i + 1;
                    }
                    case 2 -> { // (z, z+1), (z, z+2), …
                        first[k] = row;
                        second[k] = row + 1 + step % (rows - 1 - row);
                    }
                    default -> {
                        first[k] = random.nextInt(rows);
                        second[k] = (first[k] + 1 + random.nextInt(rows - 1)) % rows;
                    }
                }
            }
        }
        double[] expected = start.clone();
        for (int k = 0; k < count; k++) {
            int x = first[k] * width, y = second[k] * width;
            for (int j = 0; j < width; j++) {
                double a = expected[x + j], b = expected[y + j];
                expected[x + j] = a * cos[k] - b * sin[k];
                expected[y + j] = a * sin[k] + b * cos[k];
            }
        }
        for (int batch : new int[] {count, 977}) { // one batch; batches that cut chains
            double[] target = start.clone();
            PlaneRotations rotations = new PlaneRotations(target, width, batch);
            for (int k = 0; k < count; k++) rotations.add(first[k], second[k], cos[k], sin[k]);
            rotations.flush();
            assertArrayEquals(expected, target, "batches of " + batch);
        }
    }
}
