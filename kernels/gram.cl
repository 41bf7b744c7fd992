/*
 * Reductions over row blocks of two n×n Gram matrices K (of X) and L (of Y), for HSIC and CKA without
 * ever holding an n×n matrix. The host streams row blocks I = [r0, r1) over the columns [r0, n) only
 * (K and L are symmetric): inside the diagonal block (the first r1 − r0 columns) every entry counts
 * once; right of it, each entry stands for itself and its mirror, so it counts twice and its column
 * sums supply the row sums of the mirrored rows.
 */

/*
 * One work-group per block row i (RED_WG work-items, tree reduction in local memory):
 *   P(3i+0) = Σ_j w_j K_ij L_ij   P(3i+1) = Σ_j w_j K_ij²   P(3i+2) = Σ_j w_j L_ij²
 *   (w_j = 1 for j < diagCols, else 2): the block's share of ⟨K,L⟩_F, ‖K‖²_F, ‖L‖²_F;
 *   rK(i) = Σ_j K_ij, rL(i) = Σ_j L_ij: its share of the row sums K1, L1.
 * Partials are ACC; the host adds them over rows and blocks in float64.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void gram_row_stats(const int m, const int diagCols,
                    __global const REAL* restrict K, __global const REAL* restrict L,
                    __global ACC* restrict P, __global ACC* restrict rK, __global ACC* restrict rL)
{
    __local ACC s0[RED_WG], s1[RED_WG], s2[RED_WG], s3[RED_WG], s4[RED_WG];
    const int t = get_local_id(0), i = get_group_id(0);
    const long o = (long)i * m;
    ACC kl = 0, kk = 0, ll = 0, rk = 0, rl = 0;
    for (int j = t; j < m; j += RED_WG) {
        const ACC k = K[o + j], l = L[o + j];
        const ACC w = j < diagCols ? (ACC)1 : (ACC)2;
        kl += w * k * l; kk += w * k * k; ll += w * l * l; rk += k; rl += l;
    }
    s0[t] = kl; s1[t] = kk; s2[t] = ll; s3[t] = rk; s4[t] = rl;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = RED_WG / 2; h > 0; h >>= 1) {
        if (t < h) { s0[t] += s0[t + h]; s1[t] += s1[t + h]; s2[t] += s2[t + h]; s3[t] += s3[t + h]; s4[t] += s4[t + h]; }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) { P[3 * i] = s0[0]; P[3 * i + 1] = s1[0]; P[3 * i + 2] = s2[0]; rK[i] = s3[0]; rL[i] = s4[0]; }
}

/* Column sums c(j) = Σ_{i<b} G_ij of a b×m block (compensated), for the mirrored rows' row sums. */
__kernel void gram_col_sums(const int b, const int m, __global const REAL* restrict G,
                            __global ACC* restrict c)
{
    const int j = get_global_id(0);
    if (j >= m) return;
    ACC s = 0, comp = 0;
    for (int i = 0; i < b; i++) KAHAN_ADD(s, comp, (ACC)G[(long)i * m + j]);
    c[j] = s + comp;
}
