package dev.repsim.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fitting plan's models share (CostModel, ClusterModel): measured times as a non-negative
 * combination of work terms, by NNLS in relative error (each row divided by its measured value, so a
 * 50 ms and a 50 s measurement count alike); the leave-one-out log errors ln(t/pred), each measurement
 * predicted by the fit without it; and the 95 % interval pred·exp(±q·s) they give, s their root mean
 * square and q Student's 0.975 quantile with as many degrees of freedom as measurements.
 */
final class RelativeFit {
    private RelativeFit() {}

    /** The non-negative coefficients of the terms (one row per measurement) that fit the measured values best in relative error. */
    static double[] coefficients(List<double[]> terms, double[] measured) {
        double[][] a = new double[terms.size()][];
        double[] b = new double[terms.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = terms.get(i).clone();
            for (int j = 0; j < a[i].length; j++) a[i][j] /= measured[i];
            b[i] = 1;
        }
        return Nnls.solve(a, b);
    }

    /** ln(measured/pred) of each measurement left out of the fit in turn; empty with fewer than two. */
    static double[] looLogErrors(List<double[]> terms, double[] measured) {
        if (terms.size() < 2) return new double[0];
        double[] out = new double[terms.size()];
        for (int i = 0; i < out.length; i++) {
            List<double[]> rest = new ArrayList<>(terms);
            rest.remove(i);
            double[] restMeasured = new double[measured.length - 1];
            for (int j = 0, k = 0; j < measured.length; j++) if (j != i) restMeasured[k++] = measured[j];
            out[i] = Math.log(measured[i] / dot(coefficients(rest, restMeasured), terms.get(i)));
        }
        return out;
    }

    static double dot(double[] c, double[] t) {
        double s = 0;
        for (int j = 0; j < c.length; j++) s += c[j] * t[j];
        return s;
    }

    /** Root mean square of the LOO log errors (NaN when there are none). */
    static double rms(double[] looLogErrors) {
        return Math.sqrt(Arrays.stream(looLogErrors).map(e -> e * e).average().orElse(Double.NaN));
    }

    /** {low, high} of the 95 % interval around {@code predicted}; NaN bounds without LOO errors. */
    static double[] interval(double predicted, double[] looLogErrors) {
        if (looLogErrors.length == 0) return new double[]{Double.NaN, Double.NaN};
        double spread = StudentT.quantile975(looLogErrors.length) * rms(looLogErrors);
        return new double[]{predicted * Math.exp(-spread), predicted * Math.exp(spread)};
    }
}
