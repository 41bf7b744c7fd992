/*
 * Column statistics and row-wise transforms of an n×d row-major matrix X.
 */

/* Column sums over a chunk of rows: partial(g, c) = Σ_{i in chunk g} X(i,c) (compensated). The host
 * adds the chunks in float64 to get the column means μ = Xᵀ1 / n. */
__kernel void column_sums(const int n, const int d, const int chunk,
                          __global const REAL* restrict X, __global ACC* restrict partial)
{
    const int c = get_global_id(0), g = get_global_id(1);
    if (c >= d) return;
    const int r0 = g * chunk, r1 = min(n, r0 + chunk);
    ACC s = 0, comp = 0;
    for (int r = r0; r < r1; r++) KAHAN_ADD(s, comp, (ACC)X[(long)r * d + c]);
    partial[(long)g * d + c] = s + comp;
}

/* Centring Y = X − 1μᵀ (Y may be X itself). */
__kernel void center_columns(const long count, const int d, __global const REAL* X,
                             __global const REAL* restrict mu, __global REAL* Y)
{
    const long e = get_global_id(0);
    if (e >= count) return;
    Y[e] = X[e] - mu[e % d];
}

/* Squared row norms out(i) = ‖x_i‖² = Σ_c X(i,c)². */
__kernel void row_sq_norms(const int n, const int d, __global const REAL* restrict X,
                           __global REAL* restrict out)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    REAL s = 0;
    for (int c = 0; c < d; c++) { const REAL v = X[(long)i * d + c]; s = fma(v, v, s); }
    out[i] = s;
}

/* Unit rows Y(i,:) = X(i,:) / ‖x_i‖, so that ‖ŷ_i − ŷ_j‖² = 2(1 − cos(x_i, x_j)) (cosine kNN). */
__kernel void normalize_rows(const long count, const int d, __global const REAL* restrict X,
                             __global const REAL* restrict norms2, __global REAL* restrict Y)
{
    const long e = get_global_id(0);
    if (e >= count) return;
    Y[e] = X[e] / sqrt(norms2[e / d]);
}
