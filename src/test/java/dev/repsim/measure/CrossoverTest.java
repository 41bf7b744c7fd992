package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CrossoverTest {

    static Crossover.Point p(int n, double r, double f) {
        return new Crossover.Point(n, r, r / f, r * f);
    }

    @Test
    void interpolatesTheCrossingAndItsInterval() {
        // ratio 0.5 -> 2 over a decade: log-log midpoint sqrt(1000 * 10000); CI bounds ×/÷ 1.1 cross earlier and later
        List<Crossover.Point> pts = List.of(p(1000, 0.5, 1.1), p(10000, 2.0, 1.1));
        Crossover.Estimate e = Crossover.estimate(pts);
        assertEquals(Math.sqrt(1000.0 * 10000), e.n(), 1e-6);
        // the bounds rise by log 4 (the ratio's factor over the decade); t = the decade's share to reach 1
        assertEquals(1000 * Math.pow(10, Math.log(1 / 0.55) / Math.log(4)), e.low(), 1e-6);
        assertEquals(1000 * Math.pow(10, Math.log(1.1 / 0.5) / Math.log(4)), e.high(), 1e-6);
        assertEquals("n ≈ 3162 (95 % interval n ≈ 2699 to n ≈ 3705): B faster below, A above", Crossover.describe(pts, "A", "B"));
    }

    @Test
    void openEndedWhenABoundDoesNotCross() {
        // A faster first, then slower; the CI at the first n already reaches below 1
        List<Crossover.Point> pts = List.of(p(1000, 1.05, 1.1), p(10000, 0.5, 1.1));
        assertEquals("n ≈ 1163 (95 % interval n ≤ 1000 to n ≈ 1564): A faster below, B above", Crossover.describe(pts, "A", "B"));
    }

    @Test
    void noCrossing() {
        List<Crossover.Point> pts = List.of(p(1000, 2, 1.1), p(10000, 3, 1.1));
        assertEquals("A faster at every measured n (n=1000–10000)", Crossover.describe(pts, "A", "B"));
        List<Crossover.Point> unsure = List.of(p(1000, 2, 1.1), p(10000, 1.05, 1.1));
        assertEquals("A faster at every measured n (n=1000–10000); the 95 % CIs do not exclude B being as fast from n ≈ 8468",
                Crossover.describe(unsure, "A", "B"));
        assertEquals("B faster at every measured n (n=1000); no interval (too few samples)",
                Crossover.describe(List.of(new Crossover.Point(1000, 0.5, Double.NaN, Double.NaN)), "A", "B"));
    }
}
