package dev.repsim.backend.opencl;

/**
 * Column means and the cross-products of the centred data, Xᶜ = X − 1μₓᵀ, Yᶜ = Y − 1μᵧᵀ:
 * sxy = XᶜᵀYᶜ (dx×dy), sxx = XᶜᵀXᶜ, syy = YᶜᵀYᶜ, row-major float64: the sufficient statistics of
 * feature-space linear CKA (‖XᶜᵀYᶜ‖²_F / (‖XᶜᵀXᶜ‖_F ‖YᶜᵀYᶜ‖_F)) and of CCA, SVCCA and PWCCA.
 */
public record CenteredProducts(int n, int dx, int dy, double[] meanX, double[] meanY, double[] sxy, double[] sxx, double[] syy) {}
