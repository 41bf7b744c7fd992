package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NnlsTest {

    @Test
    void aNegativeUnconstrainedCoefficientIsPinnedAtZero() {
        // unconstrained least squares gives (2, −1); with x ≥ 0: x₂ = 0, x₁ minimises (x₁−2)² + 1 + (x₁−1)², so 1.5
        double[][] a = {{1, 0}, {0, 1}, {1, 1}};
        assertArrayEquals(new double[]{1.5, 0}, Nnls.solve(a, new double[]{2, -1, 1}), 1e-12);
    }

    @Test
    void theUnconstrainedSolutionIsKeptWhenItIsNonNegative() {
        double[][] a = {{1, 1}, {1, 2}, {1, 3}, {1, 4}};
        assertArrayEquals(new double[]{0.5, 2}, Nnls.solve(a, new double[]{2.5, 4.5, 6.5, 8.5}), 1e-12);
    }

    @Test
    void dependentColumnsStillGiveAnExactFit() {
        double[][] a = {{1, 1}, {2, 2}};
        double[] x = Nnls.solve(a, new double[]{1, 2});
        assertTrue(x[0] >= 0 && x[1] >= 0);
        assertEquals(0, Nnls.residual(a, new double[]{1, 2}, x), 1e-20);
    }

    @Test
    void tooManyTermsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Nnls.solve(new double[][]{{1, 1, 1, 1, 1, 1, 1}}, new double[]{1}));
    }
}
