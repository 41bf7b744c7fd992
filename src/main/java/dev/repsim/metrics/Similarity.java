package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.shape.AlignedCosine;
import dev.repsim.metrics.shape.PermutationProcrustes;
import dev.repsim.metrics.shape.Procrustes;
import dev.repsim.metrics.stats.Centroid;
import dev.repsim.metrics.subspace.CorrelationMatch;
import dev.repsim.metrics.subspace.EigenspaceOverlap;
import dev.repsim.metrics.subspace.Gulp;
import dev.repsim.metrics.subspace.LinearRegression;
import dev.repsim.metrics.neighbours.Cknna;
import dev.repsim.metrics.neighbours.NeighbourOverlap;
import dev.repsim.metrics.neighbours.NeighbourSets;
import dev.repsim.metrics.neighbours.RankSimilarity;
import dev.repsim.metrics.neighbours.SecondOrderCosine;
import dev.repsim.metrics.rsa.DistanceCorrelation;
import dev.repsim.metrics.rsa.Rsa;
import dev.repsim.metrics.rsa.RsmNormDifference;
import dev.repsim.metrics.stats.Uniformity;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One entry point for every metric of the study. X (n×dx) and Y (n×dy) hold the same n samples in
 * rows; both must have the precision the caller wants the heavy kernels to run in.
 */
public final class Similarity {
    private Similarity() {}

    /** The metric's value for X and Y. */
    public static double compute(Metric metric, Matrix x, Matrix y, Backend backend, MetricOptions o) {
        validate(metric, x, y, o);
        backend = backend.forWork(metric.label(), x.precision(), x.rows(), Math.max(x.cols(), y.cols()));
        return switch (metric) {
            case LINEAR_CKA -> LinearCka.compute(x, y, backend, false, LinearCka.Form.AUTO);
            case LINEAR_CKA_DEBIASED -> LinearCka.compute(x, y, backend, true, LinearCka.Form.AUTO);
            case RBF_CKA -> RbfCka.compute(x, y, backend, o, false);
            case RBF_CKA_DEBIASED -> RbfCka.compute(x, y, backend, o, true);
            case MINIBATCH_CKA -> MinibatchCka.compute(x, y, backend, o);
            case CCA_MEAN, CCA_R2, SVCCA, PWCCA ->
                    fromCovariance(metric, CrossCovariance.of(x, y, backend), x.precision(), backend, o);
            // Issue 14, part A: shape, subspace and centroid measures.
            case PROCRUSTES, PROCRUSTES_SIZE_SHAPE, ANGULAR_SHAPE, EIGENSPACE_OVERLAP, LINEAR_REGRESSION, GULP,
                 HARD_CORRELATION_MATCH, SOFT_CORRELATION_MATCH ->
                    fromCovariance(metric, CrossCovariance.of(x, y, backend), x.precision(), backend, o);
            case PERMUTATION_PROCRUSTES -> PermutationProcrustes.distance(x, y, backend);
            case ALIGNED_COSINE -> AlignedCosine.compute(x, y, backend);
            case MAGNITUDE_DIFFERENCE -> Centroid.magnitudeDifference(x.columnMeans(), y.columnMeans());
            case CONCENTRICITY_DIFFERENCE -> Centroid.concentricityDifference(x, y);
            case RSA -> Rsa.compute(x, y, o.rdm(), backend);
            case RSM_NORM_DIFFERENCE -> RsmNormDifference.compute(x, y, backend);
            case DISTANCE_CORRELATION -> DistanceCorrelation.compute(x, y, backend);
            case SECOND_ORDER_COSINE -> SecondOrderCosine.compute(NeighbourSets.of(x, y, o.k(), backend));
            case RANK_SIMILARITY -> RankSimilarity.compute(NeighbourSets.of(x, y, o.k(), backend));
            case JACCARD_KNN -> NeighbourOverlap.jaccard(NeighbourSets.of(x, y, o.k(), backend));
            case MUTUAL_KNN -> NeighbourOverlap.mutual(NeighbourSets.of(x, y, o.k(), backend));
            case CKNNA -> Cknna.compute(NeighbourSets.of(x, y, o.k(), backend));
            case UNIFORMITY_DIFFERENCE -> Uniformity.difference(x, y, backend);
        };
    }

    /** All canonical correlations of X and Y, descending. */
    public static double[] ccaCorrelations(Matrix x, Matrix y, Backend backend, MetricOptions o) {
        validate(Metric.CCA_MEAN, x, y, o);
        backend = backend.forWork(Metric.CCA_MEAN.label(), x.precision(), x.rows(), Math.max(x.cols(), y.cols()));
        return Cca.correlations(Cca.Covariances.of(CrossCovariance.of(x, y, backend)), o.ccaRidge(), x.precision(), backend);
    }

    /**
     * Whether metric(X, Y) = metric(Y, X) for inputs of widths dx and dy: never for an asymmetric measure
     * ({@link Metric#isSymmetric()}); PWCCA weights by the side with fewer features, so it is symmetric only
     * when the widths differ (on a tie the weights are X's).
     */
    public static boolean isSymmetric(Metric m, int dx, int dy) {
        return m.isSymmetric() && (m != Metric.PWCCA || dx != dy);
    }

    /** Whether the metric is a function of {@link CrossCovariance} alone (so it can stream row blocks). */
    public static boolean isStreamable(Metric m) {
        return m == Metric.LINEAR_CKA || m.isCca() || COVARIANCE_MEASURES.contains(m);
    }

    /** The measures of issue 14 (part A) that are functions of {@link CrossCovariance} alone. */
    private static final java.util.Set<Metric> COVARIANCE_MEASURES = java.util.EnumSet.of(Metric.PROCRUSTES,
            Metric.PROCRUSTES_SIZE_SHAPE, Metric.ANGULAR_SHAPE, Metric.EIGENSPACE_OVERLAP, Metric.LINEAR_REGRESSION,
            Metric.GULP, Metric.HARD_CORRELATION_MATCH, Metric.SOFT_CORRELATION_MATCH, Metric.MAGNITUDE_DIFFERENCE);

    /** A streamable metric from accumulated statistics (see {@link StreamingReducer}). */
    public static double fromCovariance(Metric metric, CrossCovariance c, dev.repsim.linalg.Precision p,
                                        Backend backend, MetricOptions o) {
        checkShape(metric, c.n(), c.dx(), c.dy(), o);
        backend = backend.forWork(metric.label(), p, c.n(), Math.max(c.dx(), c.dy()));
        Cca.Covariances cov = metric.isCca() ? Cca.Covariances.of(c) : null;
        return switch (metric) {
            case LINEAR_CKA -> LinearCka.fromCovariance(c);
            case CCA_MEAN -> Cca.mean(Cca.correlations(cov, o.ccaRidge(), p, backend));
            case CCA_R2 -> Cca.meanSquared(cov, o.ccaRidge(), p, backend);
            case SVCCA -> Cca.svcca(cov, o.svccaKeep(), o.ccaRidge(), p, backend);
            case PWCCA -> Cca.pwcca(cov, o.ccaRidge(), p, backend);
            case PROCRUSTES -> Procrustes.distance(c, backend);
            case PROCRUSTES_SIZE_SHAPE -> Procrustes.sizeShape(c, backend);
            case ANGULAR_SHAPE -> Procrustes.angular(c, backend);
            case EIGENSPACE_OVERLAP -> EigenspaceOverlap.compute(c, p, backend);
            case LINEAR_REGRESSION -> LinearRegression.compute(c, p, backend);
            case GULP -> Gulp.distance(c, o.gulpLambda(), p, backend);
            case HARD_CORRELATION_MATCH -> CorrelationMatch.hard(c);
            case SOFT_CORRELATION_MATCH -> CorrelationMatch.soft(c);
            case MAGNITUDE_DIFFERENCE -> Centroid.magnitudeDifference(c.meanX(), c.meanY());
            default -> throw new IllegalArgumentException(metric.label() + " cannot be computed from covariances");
        };
    }

    /** Checks shapes, sample counts and finiteness; messages say which input is wrong. */
    public static void validate(Metric metric, Matrix x, Matrix y, MetricOptions o) {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("X and Y must have the same number of rows (samples): " + x.rows() + " vs " + y.rows());
        }
        if (x.precision() != y.precision()) throw new IllegalArgumentException("X and Y have different precisions");
        if (x.rows() < metric.minSamples()) {
            throw new IllegalArgumentException(metric.label() + " needs at least " + metric.minSamples() + " samples, got " + x.rows());
        }
        if (x.cols() < 1 || y.cols() < 1) throw new IllegalArgumentException("X and Y need at least one feature column");
        checkFinite(x, "X");
        checkFinite(y, "Y");
        checkMagnitude(x.maxAbs(), x.precision(), "X");
        checkMagnitude(y.maxAbs(), y.precision(), "Y");
        checkShape(metric, x.rows(), x.cols(), y.cols(), o);
    }

    /**
     * A representation file (.npy, rows = samples) for metrics computed in {@code p}: at least one feature
     * column, finite (the reader checks), magnitudes within {@link #checkMagnitude}'s range for {@code p}
     * (checked before a float64 file becomes float32, where a large value would turn into Inf); errors name the file.
     */
    public static Matrix read(Path file, Precision p) {
        Matrix m = Npy.readMatrix(file);
        if (m.cols() < 1) throw new InputException(file, "has no feature columns");
        try {
            checkMagnitude(m.maxAbs(), p, file.toString());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        return m.to(p);
    }

    /**
     * Refuses a representation whose largest magnitude the metrics' sums cannot carry in the precision they
     * compute in: float64 within 2^±200 (CKA sums fourth powers, ‖XᵀX‖²_F ≤ (n·d)²·max⁴, so 2^200 leaves
     * room for n·d up to 2^111 below 2^1023, and 2^-200 keeps max⁴ far above 2^-1022); float32 within 2^±50
     * (its products d·max² stay below 2^128 for d up to 2^27, and max² far above 2^-126). Outside, a sum
     * overflows to Inf or underflows to 0, and a ratio built on it reads 0, 1 or √2 with no sign of the
     * fault. A matrix of zeros passes here; the metrics say it has no variance.
     *
     * @param maxAbs   the representation's largest magnitude ({@link Matrix#maxAbs()})
     * @param computed the precision the metrics compute in
     * @param name     how messages name the representation (X, or its file)
     */
    public static void checkMagnitude(double maxAbs, Precision computed, String name) {
        int e = computed == Precision.F64 ? 200 : 50;
        String sums = computed == Precision.F64 ? "float64 sums (fourth powers for CKA)" : "float32 products";
        if (maxAbs > Math.scalb(1.0, e)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has values up to %.3g in magnitude: above 2^%d ≈ %.2g the metrics' %s "
                    + "overflow; divide it by a constant (CKA, CCA, RSA and the neighbour measures do not change)", name, maxAbs, e, Math.scalb(1.0, e), sums));
        }
        if (maxAbs > 0 && maxAbs < Math.scalb(1.0, -e)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has no value larger than %.3g in magnitude: below 2^-%d ≈ %.2g the "
                    + "metrics' %s underflow; multiply it by a constant (CKA, CCA, RSA and the neighbour measures do not change)", name, maxAbs, e,
                    Math.scalb(1.0, -e), sums));
        }
    }

    /** Checks what the shapes alone decide: CCA's n &gt; max(dx, dy), equal widths where columns are matched, 1 ≤ k &lt; n for the kNN measures. */
    public static void checkShape(Metric metric, long n, int dx, int dy, MetricOptions o) {
        checkCcaSamples(metric, n, dx, dy, o);
        checkNeighbours(metric, n, o);
        if (metric.needsEqualWidths() && dx != dy) {
            throw new IllegalArgumentException(metric.label() + " needs X and Y of equal widths (it matches columns one to one): dx="
                    + dx + ", dy=" + dy);
        }
    }

    /** The kNN measures need 1 ≤ k &lt; n (CKNNA k ≥ 2, as platonic-rep requires). */
    public static void checkNeighbours(Metric metric, long n, MetricOptions o) {
        if (!metric.usesNeighbours()) return;
        int least = metric == Metric.CKNNA ? 2 : 1;
        if (o.k() < least || o.k() >= n) {
            throw new IllegalArgumentException(metric.label() + " needs --k between " + least + " and n-1 = " + (n - 1) + ", got " + o.k());
        }
    }

    /** CCA needs n > max(dx, dy) unless a ridge is given. */
    public static void checkCcaSamples(Metric metric, long n, int dx, int dy, MetricOptions o) {
        if (metric.isCca() && n <= Math.max(dx, dy) && !(o.ccaRidge() > 0)) {
            throw new IllegalArgumentException(metric.label() + " needs more samples than features: n=" + n
                    + " <= max(dx, dy)=" + Math.max(dx, dy) + "; give --cca-ridge for regularised CCA");
        }
    }

    private static void checkFinite(Matrix m, String name) {
        long bad = m.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(name + " has a non-finite value (NaN or Inf) at row " + bad / m.cols()
                    + ", column " + bad % m.cols());
        }
    }
}
