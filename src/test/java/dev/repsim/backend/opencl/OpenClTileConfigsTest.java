package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.FusedKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tile shapes the backend picks on GPUs (16×16 work-items, 8×8 float / 4×4 double register
 * blocks, reductions over 256 work-items) compiled and checked on whatever device CI has, so that the
 * kernels a GPU will run are exercised even where the CPU picks other shapes. Outputs are poisoned.
 */
class OpenClTileConfigsTest {

    @ParameterizedTest(name = "tiles {0}")
    @ValueSource(strings = {"128,128,16,8,8,256", "64,64,8,4,4,256", "32,64,16,2,8,128"})
    void kernelsAgreeWithTheReference(String tiles) {
        String old = System.getProperty("repsim.opencl.tiles");
        System.setProperty("repsim.opencl.tiles", tiles);
        try (OpenClBackend cl = OpenClBackend.open(null)) {
            String[] v = tiles.split(",");
            assertEquals(Integer.parseInt(v[0]), cl.tiles(Precision.F32).tsm(), "the forced configuration was not used");
            cl.setPoisonOutputs(true);
            for (boolean f32 : new boolean[] {true, false}) {
                double tol = f32 ? 2e-5 : 1e-11;
                Matrix a = Reference.random(301, 131, 40, f32), b = Reference.random(301, 67, 41, f32);
                OpenClBackendTest.assertClose(Reference.transA(a, b), Reference.transAAbs(a, b), cl.multTransA(a, b), tol, "AᵀB " + tiles);
                OpenClBackendTest.assertClose(Reference.transA(a, a), Reference.transAAbs(a, a), cl.multInner(a), tol, "AᵀA " + tiles);
                Matrix c = Reference.random(133, 131, 42, f32);
                OpenClBackendTest.assertClose(Reference.transB(a, c), OpenClBackendTest.absTransB(a, c), cl.multTransB(a, c), tol, "ABᵀ " + tiles);
                OpenClBackendTest.assertClose(Reference.sqDist(a, c), OpenClBackendTest.distScale(a, c), cl.squaredDistances(a, c), 4 * tol, "distances " + tiles);
                Matrix x = Reference.random(203, 9, 43, f32), y = Reference.random(203, 5, 44, f32);
                FusedKernels.Kernel kx = FusedKernels.Kernel.gaussian(4.0), ky = FusedKernels.Kernel.gaussian(3.0);
                cl.setBlockBytes(4096);
                double want = Reference.cka(Reference.gram(x, kx), Reference.gram(y, ky), 203, true);
                assertEquals(want, cl.kernelStats(x, kx, y, ky).unbiased().cka(), f32 ? 1e-4 : 1e-9, "debiased RBF CKA " + tiles);
                Matrix z = Reference.random(150, 7, 45, false).to(f32 ? Precision.F32 : Precision.F64);
                if (!f32) assertArrayEquals(Reference.knn(z, 6, false), cl.neighbourLists(z, 6, false).index(), "kNN " + tiles);
                cl.setBlockBytes(256L << 20);
            }
        } finally {
            if (old == null) System.clearProperty("repsim.opencl.tiles");
            else System.setProperty("repsim.opencl.tiles", old);
        }
    }
}
