package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.Decompositions;
import dev.repsim.backend.GramTiles;
import dev.repsim.linalg.Matrix;

import java.util.Map;

/** A backend that passes every call to another, for tests that count or inspect calls. */
class ForwardingBackend implements Backend {
    private final Backend to;

    ForwardingBackend(Backend to) { this.to = to; }

    @Override public String name() { return to.name(); }
    @Override public String describe() { return to.describe(); }
    @Override public double[] multTransA(Matrix a, Matrix b) { return to.multTransA(a, b); }
    @Override public double[] multInner(Matrix a) { return to.multInner(a); }
    @Override public double[] multTransB(Matrix a, Matrix b) { return to.multTransB(a, b); }
    @Override public double[] multOuterUpper(Matrix a) { return to.multOuterUpper(a); }
    @Override public GramTiles gramTiles(Matrix x, double[] mean, int tile) { return to.gramTiles(x, mean, tile); }
    @Override public CoMoments centeredCoMoments(Matrix a, double[] ma, Matrix b, double[] mb) { return to.centeredCoMoments(a, ma, b, mb); }
    @Override public CoMomentNorms centeredCoMomentNorms(Matrix a, double[] ma, Matrix b, double[] mb) { return to.centeredCoMomentNorms(a, ma, b, mb); }
    @Override public double[] squaredDistances(Matrix a, Matrix b) { return to.squaredDistances(a, b); }
    @Override public Decompositions.Eigen eigenSymmetric(double[] a, int d) { return to.eigenSymmetric(a, d); }
    @Override public double[] inverseCholeskyFactor(double[] a, int d, double minPivot) { return to.inverseCholeskyFactor(a, d, minPivot); }
    @Override public Decompositions.Svd svd(double[] a, int m, int n) { return to.svd(a, m, n); }
    @Override public double[] singularValues(double[] a, int m, int n) { return to.singularValues(a, m, n); }
    @Override public Decompositions.Svd leftSvd(double[] a, int m, int n) { return to.leftSvd(a, m, n); }
    @Override public Map<String, Double> timings() { return to.timings(); }
    @Override public void resetTimings() { to.resetTimings(); }
    @Override public void close() { to.close(); }
}
