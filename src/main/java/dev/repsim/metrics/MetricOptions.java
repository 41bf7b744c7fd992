package dev.repsim.metrics;

import dev.repsim.metrics.rsa.Rdm;

/**
 * Settings of the metrics, with the command line's defaults.
 *
 * @param sigma       RBF bandwidth factor s: σ² = s² · median of squared distances (Kornblith et al. 2019)
 * @param sigmaAbs    absolute RBF bandwidth σ; when set (&gt; 0) it replaces the median heuristic
 * @param svccaKeep   share of variance the SVCCA pre-reduction keeps on each side
 * @param batchSize   minibatch size for minibatch CKA
 * @param ccaRidge    ridge λ added to the covariance diagonals (regularised CCA); 0 = plain CCA
 * @param seed        seed for shuffling (minibatch CKA) and sampled median estimates
 * @param gulpLambda  ridge λ of GULP (Boix-Adsera et al. 2022) on unit-total-variance data; 0 = plain least squares
 * @param k           neighbours per row of the kNN measures (jaccard-knn, mutual-knn, cknna, rank-similarity,
 *                    second-order-cosine)
 * @param rdm         the row dissimilarity of the RDMs that rsa compares
 */
public record MetricOptions(double sigma, double sigmaAbs, double svccaKeep, int batchSize, double ccaRidge, long seed,
                            double gulpLambda, int k, Rdm rdm) {

    /** GULP's ridge unless --gulp-lambda says otherwise. */
    public static final double DEFAULT_GULP_LAMBDA = 0.01;
    /** Neighbours per row of the kNN measures unless --k says otherwise (ReSi's and platonic-rep's default). */
    public static final int DEFAULT_K = 10;
    public static final MetricOptions DEFAULTS = new MetricOptions(0.5, 0.0, 0.99, 1024, 0.0, 0L);

    /** The options before the GULP, kNN and RSA settings, which take their defaults. */
    public MetricOptions(double sigma, double sigmaAbs, double svccaKeep, int batchSize, double ccaRidge, long seed) {
        this(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, DEFAULT_GULP_LAMBDA, DEFAULT_K, Rdm.CORRELATION);
    }

    public MetricOptions {
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw new IllegalArgumentException("--sigma must be a positive number, got " + sigma);
        if (!(sigmaAbs >= 0) || !Double.isFinite(sigmaAbs)) throw new IllegalArgumentException("--sigma-abs must be positive, got " + sigmaAbs);
        if (!(svccaKeep > 0 && svccaKeep <= 1)) throw new IllegalArgumentException("--svcca-keep must be in (0, 1], got " + svccaKeep);
        if (batchSize < 4) throw new IllegalArgumentException("--batch-size must be at least 4, got " + batchSize);
        if (!(ccaRidge >= 0) || !Double.isFinite(ccaRidge)) throw new IllegalArgumentException("--cca-ridge must be >= 0, got " + ccaRidge);
        if (!(gulpLambda >= 0) || !Double.isFinite(gulpLambda)) throw new IllegalArgumentException("--gulp-lambda must be >= 0, got " + gulpLambda);
        if (k < 1) throw new IllegalArgumentException("--k must be at least 1, got " + k);
        if (rdm == null) throw new IllegalArgumentException("--rdm must be given");
    }

    public MetricOptions withSigma(double s) { return new MetricOptions(s, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, gulpLambda, k, rdm); }
    public MetricOptions withSigmaAbs(double s) { return new MetricOptions(sigma, s, svccaKeep, batchSize, ccaRidge, seed, gulpLambda, k, rdm); }
    public MetricOptions withSvccaKeep(double keep) { return new MetricOptions(sigma, sigmaAbs, keep, batchSize, ccaRidge, seed, gulpLambda, k, rdm); }
    public MetricOptions withBatchSize(int b) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, b, ccaRidge, seed, gulpLambda, k, rdm); }
    public MetricOptions withCcaRidge(double r) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, r, seed, gulpLambda, k, rdm); }
    public MetricOptions withSeed(long s) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, s, gulpLambda, k, rdm); }
    public MetricOptions withGulpLambda(double l) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, l, k, rdm); }
    public MetricOptions withK(int n) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, gulpLambda, n, rdm); }
    public MetricOptions withRdm(Rdm r) { return new MetricOptions(sigma, sigmaAbs, svccaKeep, batchSize, ccaRidge, seed, gulpLambda, k, r); }
}
