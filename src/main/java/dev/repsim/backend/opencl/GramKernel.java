package dev.repsim.backend.opencl;

/**
 * The kernel of a Gram matrix: linear k(a,b) = a·b, or RBF k(a,b) = exp(−‖a−b‖²/(2σ²)) with the
 * bandwidth σ² given (the median heuristic σ² = s²·median(D) is the metric layer's choice).
 */
public record GramKernel(boolean rbf, double sigma2) {
    public GramKernel {
        if (rbf && !(sigma2 > 0 && Double.isFinite(sigma2))) throw new IllegalArgumentException("RBF bandwidth σ² must be positive and finite, got " + sigma2);
    }

    public static GramKernel linear() { return new GramKernel(false, 0); }

    public static GramKernel rbf(double sigma2) { return new GramKernel(true, sigma2); }

    /** γ = 1/(2σ²) of the kernel's exponent. */
    double gamma() { return rbf ? 1.0 / (2.0 * sigma2) : 0.0; }
}
