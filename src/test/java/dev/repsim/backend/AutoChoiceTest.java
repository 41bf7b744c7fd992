package dev.repsim.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The rules by which --backend auto picks java or blas from a measured table (a synthetic one here). */
class AutoChoiceTest {

    /** zen5: java faster at n=1000 (significant), blas at n=10000 (significant), crossover 3800; a flat metric not significant. */
    static final String TABLE = """
            {"machines": [
              {"machine": "cpu-zen5-2c", "microarchitecture": "zen5", "cores": 2, "cells": [
                {"metric": "rbf-cka", "precision": "f64", "d": 768, "crossover_n": 3800, "points": [
                  {"n": 1000, "ratio": 2.5, "ci95": [2.2, 2.8], "significant": true},
                  {"n": 10000, "ratio": 0.8, "ci95": [0.75, 0.86], "significant": true}]},
                {"metric": "rbf-cka", "precision": "f64", "d": 2048, "crossover_n": null, "points": [
                  {"n": 1000, "ratio": 0.5, "ci95": [0.4, 0.6], "significant": true},
                  {"n": 10000, "ratio": 0.4, "ci95": [0.3, 0.5], "significant": true}]},
                {"metric": "linear-cka", "precision": "f64", "d": 768, "crossover_n": null, "points": [
                  {"n": 1000, "ratio": 1.9, "ci95": [1.5, 2.4], "significant": true},
                  {"n": 10000, "ratio": 1.03, "ci95": [0.9, 1.2], "significant": false}]},
                {"metric": "linear-cka", "precision": "f32", "d": 768, "crossover_n": null, "points": [
                  {"n": 1000, "ratio": null, "ci95": [null, null], "significant": false}]}
              ]},
              {"machine": "cpu-zen3-8c", "microarchitecture": "zen3", "cores": 8, "cells": [
                {"metric": "rbf-cka", "precision": "f64", "d": 768, "crossover_n": null, "points": [
                  {"n": 1000, "ratio": 0.5, "ci95": [0.4, 0.6], "significant": true}]}]},
              {"machine": "cpu-zen3-2c", "microarchitecture": "zen3", "cores": 2, "cells": [
                {"metric": "rbf-cka", "precision": "f64", "d": 768, "crossover_n": null, "points": [
                  {"n": 1000, "ratio": 3.0, "ci95": [2.6, 3.4], "significant": true}]}]}
            ]}""";

    static AutoChoice table() throws Exception {
        return AutoChoice.parse(new ObjectMapper().readTree(TABLE));
    }

    static AutoChoice.Choice zen5(String metric, Precision p, long n, int d) throws Exception {
        return table().choose("zen5", 2, metric, p, n, d);
    }

    @Test
    void eachSideOfTheMeasuredCrossoverGetsItsFasterBackend() throws Exception {
        assertEquals("java", zen5("rbf-cka", Precision.F64, 500, 768).backend());
        assertEquals("java", zen5("rbf-cka", Precision.F64, 1000, 768).backend());
        assertEquals("java", zen5("rbf-cka", Precision.F64, 3000, 768).backend());
        AutoChoice.Choice above = zen5("rbf-cka", Precision.F64, 5000, 768);
        assertEquals("blas", above.backend());
        assertTrue(above.reason().contains("crossover n ≈ 3800"), above.reason());
        assertEquals("blas", zen5("rbf-cka", Precision.F64, 200_000, 768).backend());
    }

    @Test
    void theNearestMeasuredWidthDecides() throws Exception {
        assertEquals("blas", zen5("rbf-cka", Precision.F64, 1000, 2048).backend());
        assertEquals("blas", zen5("rbf-cka", Precision.F64, 1000, 1600).backend());
        assertEquals("java", zen5("rbf-cka", Precision.F64, 1000, 1000).backend());
    }

    @Test
    void aDifferenceThatIsNotSignificantIsSaid() throws Exception {
        AutoChoice.Choice c = zen5("linear-cka", Precision.F64, 20_000, 768);
        assertEquals("java", c.backend());
        assertTrue(c.reason().contains("no significant difference"), c.reason());
        AutoChoice.Choice small = zen5("linear-cka", Precision.F64, 1000, 768);
        assertFalse(small.reason().contains("no significant difference"), small.reason());
    }

    @Test
    void whatWasNotMeasuredFallsToBlasAndSaysWhy() throws Exception {
        AutoChoice.Choice cpu = table().choose("zen4", 2, "rbf-cka", Precision.F64, 1000, 768);
        assertEquals("blas", cpu.backend());
        assertTrue(cpu.reason().contains("no measurements for this CPU (zen4)"), cpu.reason());
        AutoChoice.Choice metric = zen5("pwcca", Precision.F64, 1000, 768);
        assertEquals("blas", metric.backend());
        assertTrue(metric.reason().contains("pwcca not measured on cpu-zen5-2c"), metric.reason());
    }

    @Test
    void anUnmeasuredPrecisionUsesFloat64AndSaysSo() throws Exception {
        AutoChoice.Choice c = zen5("rbf-cka", Precision.F32, 1000, 768);
        assertEquals("java", c.backend());
        assertTrue(c.reason().contains("f32 not measured: from f64"), c.reason());
        // a cell whose only point has no ratio (too few samples) counts as not measured
        AutoChoice.Choice lin = zen5("linear-cka", Precision.F32, 1000, 768);
        assertEquals("java", lin.backend());
        assertTrue(lin.reason().contains("from f64"), lin.reason());
    }

    @Test
    void theResultSetWithTheSameCoreCountIsPreferred() throws Exception {
        assertEquals("java", table().choose("zen3", 2, "rbf-cka", Precision.F64, 1000, 768).backend());
        assertEquals("blas", table().choose("zen3", 8, "rbf-cka", Precision.F64, 1000, 768).backend());
    }

    @Test
    void autoOnACpuRecordsEachPickAndNeverNamesBlasWhereItDoesNotLoad() throws Exception {
        AutoBackend noBlas = new AutoBackend(table(), "zen5", 2, false);
        AutoChoice.Choice c = noBlas.choose("rbf-cka", Precision.F64, 50_000, 768);
        assertEquals("java", c.backend());
        assertTrue(c.reason().contains("OpenBLAS does not load"), c.reason());
        try (AutoBackend a = new AutoBackend(table(), "zen5", 2, false)) {
            Backend picked = a.forWork("rbf-cka", Precision.F64, 500, 768);
            assertEquals("java", picked.name());
            assertEquals("java", a.picks().get("rbf-cka").backend());
        }
    }
}
