package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BlasBackend writes the operands of new matrices into released native buffers instead of allocating
 * new ones (a fresh buffer page-faults on every page: see NativeBuffers). Each call here gets matrices it
 * has not seen, as a study's reused statistics get new centred copies each time; the products must stay
 * right while the buffers are reused.
 */
class BlasOperandReuseTest {
    private static final int N = 200, D = 30;

    @ParameterizedTest(name = "f32={0}, cache of {1} operands")
    @CsvSource({
        "false, 2.5", // both operands cached; each call evicts the previous call's pair
        "true, 2.5",
        "false, 1.0", // each operand larger than half the cache: copied for the call and released after it
        "true, 1.0",
    })
    void newMatricesReuseReleasedBuffers(boolean f32, double operandsInCache) {
        long operandBytes = (long) N * D * (f32 ? Float.BYTES : Double.BYTES);
        try (BlasBackend blas = BlasBackend.open((long) (operandsInCache * operandBytes))) {
            for (int call = 0; call < 6; call++) {
                Matrix a = ProductReference.random(N, D, f32, 100 + 2 * call), b = ProductReference.random(N, D, f32, 101 + 2 * call);
                assertMatches(ProductReference.transA(a, b, false), ProductReference.transA(a, b, true), blas.multTransA(a, b), f32, call);
                assertEquals(2, blas.operandAllocations(), "native operand buffers allocated after call " + call);
            }
        }
    }

    private static void assertMatches(double[] want, double[] scale, double[] got, boolean f32, int call) {
        double tol = f32 ? N * 0x1p-24 + 1e-12 : 1e-12; // BackendContractTest's bounds, relative to Σ|a||b|
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(got[i] - want[i]) <= tol * scale[i], "call " + call + " element " + i + ": " + got[i] + " vs " + want[i]);
        }
    }
}
