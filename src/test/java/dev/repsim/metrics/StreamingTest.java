package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static dev.repsim.metrics.TestData.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Streaming (row blocks) = in-memory, and merged partial statistics = statistics of the whole. */
class StreamingTest {
    @TempDir
    Path dir;

    /** The statistics carry the largest magnitude of each side's rows through blocks and merges (Spark checks it on the driver). */
    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void blocksAndMergesKeepTheLargestMagnitudes(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.gaussian(50, 4, 71), y = TestData.gaussian(50, 3, 72);
            Matrix x2 = TestData.scaled(x, 1e10), y2 = TestData.scaled(y, 1e-10);
            CrossCovariance c = CrossCovariance.of(x, y, b).add(x2, y2, b);
            assertEquals(x2.maxAbs(), c.maxAbsX());
            assertEquals(y.maxAbs(), c.maxAbsY());
            CrossCovariance merged = new CrossCovariance(4, 3).merge(CrossCovariance.of(x2, y2, b)).merge(CrossCovariance.of(x, y, b));
            assertEquals(x2.maxAbs(), merged.maxAbsX());
            assertEquals(y.maxAbs(), merged.maxAbsY());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void streamingEqualsInMemoryForEveryStreamableMetric(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(1001, 19, 51), y = TestData.correlatedWith(x, 12, 1.5, 52);
            Path px = dir.resolve("x.npy"), py = dir.resolve("y.npy");
            Npy.write(px, x);
            Npy.write(py, y);
            for (int block : new int[]{1, 7, 256, 5000}) {
                CrossCovariance c = StreamingReducer.reduce(px, py, Precision.F64, b, block, null);
                for (Metric m : Metric.values()) {
                    if (!Similarity.isStreamable(m) || m.needsEqualWidths()) continue; // dx != dy here
                    double mem = Similarity.compute(m, x, y, b, MetricOptions.DEFAULTS);
                    double str = Similarity.fromCovariance(m, c, Precision.F64, b, MetricOptions.DEFAULTS);
                    assertRel(mem, str, 1e-11, m.label() + " block=" + block);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void partialStatisticsMergeExactly(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(600, 9, 53), y = TestData.shiftedScaled(600, 6, 54);
            CrossCovariance whole = CrossCovariance.of(x, y, b);
            CrossCovariance left = CrossCovariance.of(x.rows(0, 111), y.rows(0, 111), b);
            CrossCovariance right = CrossCovariance.of(x.rows(111, 600), y.rows(111, 600), b);
            CrossCovariance merged = left.merge(right);
            double[][] pairs = {whole.covXX(), merged.covXX(), whole.covYY(), merged.covYY(), whole.covXY(), merged.covXY()};
            for (int p = 0; p < pairs.length; p += 2) {
                for (int i = 0; i < pairs[p].length; i++) {
                    double scale = Math.max(1, Math.abs(pairs[p][i]));
                    if (Math.abs(pairs[p][i] - pairs[p + 1][i]) > 1e-12 * scale * 100) {
                        throw new AssertionError("entry " + i + ": " + pairs[p][i] + " vs " + pairs[p + 1][i]);
                    }
                }
            }
            for (int i = 0; i < 9; i++) assertRel(whole.meanX()[i], merged.meanX()[i], 1e-13, "mean");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.repsim.metrics.TestData#backends")
    void float32FilesStreamInFloat32(String backendName) {
        try (Backend b = TestData.open(backendName)) {
            Matrix x = TestData.shiftedScaled(5000, 16, 55).to(Precision.F32), y = TestData.gaussian(5000, 8, 56).to(Precision.F32);
            Path px = dir.resolve("x32.npy"), py = dir.resolve("y32.npy");
            Npy.write(px, x);
            Npy.write(py, y);
            CrossCovariance c = StreamingReducer.reduce(px, py, Precision.F32, b, 999, null);
            double ref = Similarity.compute(Metric.LINEAR_CKA, x.to(Precision.F64), y.to(Precision.F64), b, MetricOptions.DEFAULTS);
            TestData.assertAbs(ref, LinearCka.fromCovariance(c), 1e-4, "f32 stream");
        }
    }

    /** ofMoments owns copies; wrap keeps the caller's arrays (device results handed over without a copy). */
    @Test
    void ofMomentsCopiesAndWrapKeepsTheArrays() {
        double[] mx = {1, 2}, my = {3}, sxx = {4, 1, 1, 5}, syy = {6}, sxy = {7, 8};
        CrossCovariance copied = CrossCovariance.ofMoments(3, mx, my, sxx, syy, sxy);
        CrossCovariance kept = CrossCovariance.wrap(3, mx, my, sxx, syy, sxy);
        sxy[1] = 10;
        mx[0] = -1;
        assertEquals(4.0, copied.covXY()[1]);
        assertEquals(5.0, kept.covXY()[1]);
        assertEquals(1.0, copied.meanX()[0]);
        assertEquals(-1.0, kept.meanX()[0]);
        assertThrows(IllegalArgumentException.class, () -> CrossCovariance.wrap(3, mx, my, sxx, syy, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> CrossCovariance.ofMoments(3, mx, my, new double[3], syy, sxy));
    }
}
