package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.backend.RowNorms;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.subspace.EigenspaceOverlap;
import dev.repsim.metrics.subspace.Gulp;
import dev.repsim.metrics.subspace.LinearRegression;

import java.util.List;

/**
 * One metric over every pair of k representations of the same n samples (a study's variant × variant or
 * model × model matrix), with each representation's own statistics computed once and reused across its
 * k pairs. For linear CKA and the CCA family, pair by pair would form the joint co-moments of [X|Y] for
 * each of the k(k+1)/2 pairs, about k(k+1) products of width d; here each representation is centred once,
 * its self product X̄ᵀX̄ (a syrk) is formed once, and each pair adds one cross product X̄ᵀȲ: k self + k(k−1)/2
 * cross products (a 5 × 5 matrix: 5 + 10 instead of 30). The CCA metrics also whiten each side once (one
 * factorisation per representation, not two per pair), as do eigenspace-overlap and linear-regression (the
 * whitening of X̄ᵀX̄ on its rank) and GULP (each side's whitening and self term, {@link Gulp.Side}); when n
 * is below the widths, linear CKA
 * keeps each representation's n × n Gram matrix instead (while they fit in a quarter of the heap).
 * On an OpenCL device's fused kernels, linear CKA reuses each representation's self norm ‖X̄ᵀX̄‖²_F (the
 * products stay on the device); other metrics there, and every other metric, run pair by pair through
 * {@link Similarity}.
 * Values agree with {@link Similarity#compute} to rounding: the same products, blocked differently. Entry
 * [i][j] is the metric of (representation i, representation j); where the metric is not symmetric for the
 * pair's widths ({@link Similarity#isSymmetric}) both orders are computed, else j &lt; i mirrors i &lt; j.
 */
public final class SimilarityMatrix {
    private SimilarityMatrix() {}

    /** The k × k matrix (symmetric; the diagonal is computed, not assumed); {@code step} runs after each pair. */
    public static double[][] of(Metric m, List<Matrix> reps, Backend backend, MetricOptions o, Runnable step) {
        int k = reps.size();
        if (k == 0) return new double[0][0];
        for (int i = 0; i < k; i++) for (int j = i; j < k; j++) Similarity.validate(m, reps.get(i), reps.get(j), o);
        Matrix first = reps.get(0);
        int widest = reps.stream().mapToInt(Matrix::cols).max().orElseThrow();
        Backend b = backend.forWork(m.label(), first.precision(), first.rows(), widest);
        Reuse r = reusable(m, reps, b) ? new Reuse(m, reps, b, o) : null;
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                out[i][j] = r != null ? r.pair(i, j) : Similarity.compute(m, reps.get(i), reps.get(j), b, o);
                boolean both = i != j && !Similarity.isSymmetric(m, reps.get(i).cols(), reps.get(j).cols());
                out[j][i] = !both ? out[i][j] : r != null ? r.pair(j, i) : Similarity.compute(m, reps.get(j), reps.get(i), b, o);
                step.run();
            }
        }
        return out;
    }

    /** Whether the metric has per-representation statistics to reuse on this backend. */
    static boolean reusable(Metric m, List<Matrix> reps, Backend b) {
        if (b instanceof FusedKernels) return m == Metric.LINEAR_CKA;   // the self norms ‖X̄ᵀX̄‖²_F
        return switch (m) {
            case LINEAR_CKA, LINEAR_CKA_DEBIASED -> true;
            case CCA_MEAN, CCA_R2, SVCCA, PWCCA, GULP, EIGENSPACE_OVERLAP, LINEAR_REGRESSION -> true;
            default -> false;
        };
    }

    /** Per-representation statistics, each computed on first use. */
    private static final class Reuse {
        private final Metric m;
        private final List<Matrix> reps;
        private final Backend b;
        private final MetricOptions o;
        private final int n, k;
        private final Precision p;
        private final double[][] mean, self, gram;
        private final Matrix[] centred;
        private final Self[] gramStats, featureStats;
        /** Each representation's whitening for this matrix's metric (CCA's of its covariance, or of X̄ᵀX̄ on its rank). */
        private final Cca.Whitening[] whitening;
        private final Gulp.Side[] gulpSide;
        private final long gramBudget = Runtime.getRuntime().maxMemory() / 4;

        Reuse(Metric m, List<Matrix> reps, Backend b, MetricOptions o) {
            this.m = m;
            this.reps = reps;
            this.b = b;
            this.o = o;
            this.k = reps.size();
            this.n = reps.get(0).rows();
            this.p = reps.get(0).precision();
            mean = new double[k][];
            self = new double[k][];
            gram = new double[k][];
            centred = new Matrix[k];
            gramStats = new Self[k];
            featureStats = new Self[k];
            whitening = new Cca.Whitening[k];
            gulpSide = new Gulp.Side[k];
        }

        double pair(int i, int j) {
            if (b instanceof FusedKernels f) return fusedPair(f, i, j);
            if (m.isCca()) return cca(i, j);
            if (m == Metric.GULP) return Gulp.distance(cross(i, j), gulpSide(i), gulpSide(j), b);
            if (m == Metric.EIGENSPACE_OVERLAP) return EigenspaceOverlap.compute(cross(i, j), rankWhitening(i), rankWhitening(j), b);
            if (m == Metric.LINEAR_REGRESSION) {
                double ty = LinearRegression.traceY(self(j), reps.get(j).cols(), "representation " + (j + 1));
                return LinearRegression.compute(cross(i, j), rankWhitening(i), ty, b);
            }
            boolean debiased = m == Metric.LINEAR_CKA_DEBIASED;
            int di = reps.get(i).cols(), dj = reps.get(j).cols();
            boolean gramForm = LinearCka.cheaperForm(n, di, dj) == LinearCka.Form.GRAM && (long) k * n * n * Double.BYTES <= gramBudget;
            if (!gramForm && !debiased) {
                // the pairwise feature form's own formula, on the reused self products (only read: no copies)
                return LinearCka.fromCovariance(CrossCovariance.wrap(n, mean(i), mean(j), self(i), self(j), cross(i, j)));
            }
            KernelStats s = gramForm ? gramPair(i, j) : featurePair(i, j);
            return (debiased ? s.unbiased() : s.biased()).cka();
        }

        /** ‖X̄ᵢᵀX̄ᵢ‖²_F on a device, computed once per representation (null: not yet). */
        private Double[] selfNorm;

        /**
         * Linear CKA on a device's fused kernels: one cross norm per pair and each self norm once, the
         * same three norms {@link LinearCka#compute} forms pair by pair. The Gram form runs pair by pair.
         */
        private double fusedPair(FusedKernels f, int i, int j) {
            Matrix x = reps.get(i), y = reps.get(j);
            if (LinearCka.cheaperForm(n, x.cols(), y.cols()) == LinearCka.Form.GRAM) return Similarity.compute(m, x, y, b, o);
            if (selfNorm == null) selfNorm = new Double[k];
            for (int r : new int[] {i, j}) if (selfNorm[r] == null) selfNorm[r] = f.centredProductNorm(reps.get(r), reps.get(r));
            double cross = i == j ? selfNorm[i] : f.centredProductNorm(x, y);
            return LinearCka.fromNorms(cross, selfNorm[i], selfNorm[j]);
        }

        private double[] mean(int i) {
            if (mean[i] == null) mean[i] = reps.get(i).columnMeans();
            return mean[i];
        }

        private Matrix centred(int i) {
            if (centred[i] == null) centred[i] = reps.get(i).centered(mean(i));
            return centred[i];
        }

        /** X̄ᵢᵀX̄ᵢ (a syrk), both triangles. */
        private double[] self(int i) {
            if (self[i] == null) self[i] = b.multInner(centred(i));
            return self[i];
        }

        /** The last cross product, kept for the reverse order of an asymmetric pair (its transpose). */
        private int crossI = -1, crossJ = -1;
        private double[] crossLast;

        private double[] cross(int i, int j) {
            if (i == j) return self(i);
            if (i == crossJ && j == crossI) return Cca.transpose(crossLast, reps.get(j).cols(), reps.get(i).cols());
            crossLast = b.multTransA(centred(i), centred(j));
            crossI = i;
            crossJ = j;
            return crossLast;
        }

        /** One representation's share of {@link KernelStats}: ⟨K,K⟩, K1 and diag K. */
        private record Self(double kk, double[] rowK, double[] diagK) {}

        /** Linear-kernel summaries from features: ⟨K,L⟩ = ‖X̄ᵢᵀX̄ⱼ‖²_F, the rest per representation (see LinearCka). */
        private KernelStats featurePair(int i, int j) {
            Self si = feature(i), sj = feature(j);
            double kl = LinearCka.frobeniusSquared(cross(i, j));
            return new KernelStats(n, kl, si.kk(), sj.kk(), si.rowK(), sj.rowK(), si.diagK(), sj.diagK());
        }

        private Self feature(int i) {
            if (featureStats[i] == null) {
                featureStats[i] = new Self(LinearCka.frobeniusSquared(self(i)), LinearCka.rowSums(reps.get(i), mean(i)),
                        RowNorms.squared(reps.get(i), mean(i)));
            }
            return featureStats[i];
        }

        /** Summaries from the representations' n × n Gram matrices, kept while the row of pairs needs them. */
        private KernelStats gramPair(int i, int j) {
            Self si = gramOf(i), sj = gramOf(j);
            double kl = i == j ? si.kk() : KernelStats.dot(gram[i], gram[j]);
            return new KernelStats(n, kl, si.kk(), sj.kk(), si.rowK(), sj.rowK(), si.diagK(), sj.diagK());
        }

        private Self gramOf(int i) {
            if (gramStats[i] == null) {
                double[] g = b.multTransB(centred(i), centred(i));
                double[] row = new double[n], diag = new double[n];
                for (int r = 0; r < n; r++) {
                    double s = 0;
                    for (int c = 0; c < n; c++) s += g[r * n + c];
                    row[r] = s;
                    diag[r] = g[r * n + r];
                }
                gram[i] = g;
                gramStats[i] = new Self(KernelStats.dot(g, g), row, diag);
            }
            return gramStats[i];
        }

        private double cca(int i, int j) {
            CrossCovariance c = CrossCovariance.ofMoments(n, mean(i), mean(j), self(i), self(j), cross(i, j));
            Similarity.checkCcaSamples(m, n, c.dx(), c.dy(), o);
            Cca.Covariances cov = Cca.Covariances.of(c);
            Cca.Whitening wi = whitening(i, cov.xx()), wj = whitening(j, cov.yy());
            if (m == Metric.PWCCA) return Cca.pwcca(cov, wi, wj, b);
            if (m == Metric.CCA_R2) return Cca.meanSquared(cov, wi, wj, b);
            return Cca.mean(Cca.correlations(cov, wi, wj, b));
        }

        /** The whitening of representation i's scatter X̄ᵀX̄ on its numerical rank (eigenspace-overlap, linear-regression). */
        private Cca.Whitening rankWhitening(int i) {
            if (whitening[i] == null) {
                whitening[i] = Cca.whiten(self(i), reps.get(i).cols(), 0, Cca.rankTolerance(p), b, "representation " + (i + 1), m.label());
            }
            return whitening[i];
        }

        /** GULP's side of representation i: its trace, whitening and self term, from its scatter X̄ᵀX̄. */
        private Gulp.Side gulpSide(int i) {
            if (gulpSide[i] == null) {
                gulpSide[i] = Gulp.side(self(i), reps.get(i).cols(), o.gulpLambda(), p, b, "representation " + (i + 1));
            }
            return gulpSide[i];
        }

        private Cca.Whitening whitening(int i, double[] cov) {
            if (whitening[i] == null) {
                int d = reps.get(i).cols();
                double tol = Cca.rankTolerance(p);
                whitening[i] = m == Metric.SVCCA ? Cca.principalWhitening(cov, d, o.svccaKeep(), o.ccaRidge(), tol, b)
                        : Cca.whiten(cov, d, o.ccaRidge(), tol, b, "representation " + (i + 1));
            }
            return whitening[i];
        }
    }
}
