/*
 * Tiled matrix products C(i,j) = Σ_k A(i,k)·B(j,k), the core of every metric:
 *   gemm_tn:  C = AᵀB  with A (K×M) and B (K×N) row-major: the sums run over samples (rows),
 *             giving the cross-products XᵀY, XᵀX, YᵀY of linear CKA and CCA;
 *   gemm_nt:  C = ABᵀ  with A (M×K) and B (N×K) row-major: Gram blocks XXᵀ, optionally turned into
 *             squared distances D_ij = ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j or RBF values exp(−γ D_ij).
 * A work-group computes a TSM×TSN tile of C from TSK-deep slices of A and B staged in local memory;
 * each work-item keeps a WPTM×WPTN register block whose rows/columns are spaced WGM/WGN apart, so
 * neighbouring work-items read neighbouring local-memory words. The host picks TSM, TSN, TSK, WPTM,
 * WPTN per device from its local memory size, work-group limit and preferred vector width.
 */
#define WGM (TSM / WPTM)
#define WGN (TSN / WPTN)
#define WGSIZE (WGM * WGN)

/*
 * Split-K AᵀB: work-group z of dimension 2 sums k over [z·splitLen, (z+1)·splitLen) and writes its own
 * partial product to C + z·M·N; reduce_splits adds the partials (in ACC precision). With upperOnly,
 * tiles strictly below the diagonal are skipped (AᵀA is symmetric: the host mirrors them).
 */
__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1)))
void gemm_tn(const int M, const int N, const int K, const int splitLen, const int upperOnly,
             __global const REAL* restrict A, const long offA, const int lda,
             __global const REAL* restrict B, const long offB, const int ldb,
             __global REAL* restrict C)
{
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * WGN + tx;
    const int i0 = get_group_id(1) * TSM, j0 = get_group_id(0) * TSN;
    if (upperOnly && i0 >= j0 + TSN) return;           /* whole tile below the diagonal */
    const int k0 = get_group_id(2) * splitLen;
    const int k1 = min(K, k0 + splitLen);
    __global REAL* Cz = C + (long)get_group_id(2) * M * N;

    __local REAL As[TSK][TSM + 1];
    __local REAL Bs[TSK][TSN + 1];
    REAL acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0;

    for (int kt = k0; kt < k1; kt += TSK) {
        for (int e = tid; e < TSK * TSM; e += WGSIZE) {       /* rows of A are contiguous in i */
            const int kk = e / TSM, ii = e % TSM, k = kt + kk, i = i0 + ii;
            As[kk][ii] = (k < k1 && i < M) ? A[offA + (long)k * lda + i] : (REAL)0;
        }
        for (int e = tid; e < TSK * TSN; e += WGSIZE) {
            const int kk = e / TSN, jj = e % TSN, k = kt + kk, j = j0 + jj;
            Bs[kk][jj] = (k < k1 && j < N) ? B[offB + (long)k * ldb + j] : (REAL)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TSK; kk++) {
            REAL a[WPTM], b[WPTN];
            for (int wm = 0; wm < WPTM; wm++) a[wm] = As[kk][ty + wm * WGM];
            for (int wn = 0; wn < WPTN; wn++) b[wn] = Bs[kk][tx + wn * WGN];
            for (int wm = 0; wm < WPTM; wm++)
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(a[wm], b[wn], acc[wm][wn]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WPTM; wm++) {
        const int i = i0 + ty + wm * WGM;
        if (i >= M) continue;
        for (int wn = 0; wn < WPTN; wn++) {
            const int j = j0 + tx + wn * WGN;
            if (j < N) Cz[(long)i * N + j] = acc[wm][wn];
        }
    }
}

/*
 * out(e) = Σ_z P(z, e), z < splits: the split-K partials combined with compensated ACC sums; with
 * accumulate, added to what out holds (a product whose splits did not fit one pass).
 */
__kernel void reduce_splits(const int count, const int splits, const int accumulate,
                            __global const REAL* restrict P, __global ACC* restrict out)
{
    const int e = get_global_id(0);
    if (e >= count) return;
    ACC s = accumulate ? out[e] : 0, c = 0;
    for (int z = 0; z < splits; z++) KAHAN_ADD(s, c, (ACC)P[(long)z * count + e]);
    out[e] = s + c;
}

/*
 * ‖C‖²_F of a reduced M×N product in per-work-group partial sums (the host adds them in float64), so
 * linear CKA's feature form ‖XᵀY‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F) needs no d×d product on the host. With
 * upperOnly, C is symmetric and only its upper triangle valid: entries above the diagonal count twice,
 * those below are not read.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void sum_squares(const int M, const int N, const int upperOnly,
                 __global const ACC* restrict C, __global ACC* restrict partials)
{
    __local ACC s0[RED_WG];
    const int t = get_local_id(0);
    const long count = (long)M * N;
    ACC s = 0, c = 0;
    for (long e = get_global_id(0); e < count; e += get_global_size(0)) {
        const int i = (int)(e / N), j = (int)(e % N);
        if (upperOnly && i > j) continue;
        const ACC v = C[e];
        KAHAN_ADD(s, c, (upperOnly && i < j ? (ACC)2 : (ACC)1) * v * v);
    }
    s0[t] = s + c;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = RED_WG / 2; h > 0; h >>= 1) {
        if (t < h) s0[t] += s0[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) partials[get_group_id(0)] = s0[0];
}

/*
 * Gram-type block C = ABᵀ (M×N, row stride ldc) with an epilogue chosen by mode:
 *   0: C_ij = a_i·b_j
 *   1: C_ij = max(0, ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j)            (squared Euclidean distance)
 *   2: C_ij = exp(−γ · max(0, ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j))  (RBF kernel, γ = 1/(2σ²))
 * na/nb hold the squared row norms (from naOff/nbOff). With same != 0, A and B are the same matrix and
 * rowBase/colBase are the blocks' first global rows: the diagonal distance is then exactly 0.
 */
__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1)))
void gemm_nt(const int M, const int N, const int K,
             __global const REAL* restrict A, const long offA, const int lda,
             __global const REAL* restrict B, const long offB, const int ldb,
             __global REAL* restrict C, const int ldc,
             const int mode, __global const REAL* restrict na, const int naOff,
             __global const REAL* restrict nb, const int nbOff,
             const int same, const int rowBase, const int colBase, const REAL gamma)
{
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * WGN + tx;
    const int i0 = get_group_id(1) * TSM, j0 = get_group_id(0) * TSN;

    __local REAL As[TSK][TSM + 1];
    __local REAL Bs[TSK][TSN + 1];
    REAL acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0;

    for (int kt = 0; kt < K; kt += TSK) {
        for (int e = tid; e < TSK * TSM; e += WGSIZE) {       /* rows of A are contiguous in k */
            const int ii = e / TSK, kk = e % TSK, k = kt + kk, i = i0 + ii;
            As[kk][ii] = (k < K && i < M) ? A[offA + (long)i * lda + k] : (REAL)0;
        }
        for (int e = tid; e < TSK * TSN; e += WGSIZE) {
            const int jj = e / TSK, kk = e % TSK, k = kt + kk, j = j0 + jj;
            Bs[kk][jj] = (k < K && j < N) ? B[offB + (long)j * ldb + k] : (REAL)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TSK; kk++) {
            REAL a[WPTM], b[WPTN];
            for (int wm = 0; wm < WPTM; wm++) a[wm] = As[kk][ty + wm * WGM];
            for (int wn = 0; wn < WPTN; wn++) b[wn] = Bs[kk][tx + wn * WGN];
            for (int wm = 0; wm < WPTM; wm++)
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(a[wm], b[wn], acc[wm][wn]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WPTM; wm++) {
        const int i = i0 + ty + wm * WGM;
        if (i >= M) continue;
        for (int wn = 0; wn < WPTN; wn++) {
            const int j = j0 + tx + wn * WGN;
            if (j >= N) continue;
            REAL v = acc[wm][wn];
            if (mode != 0) {
                /* clamp rounding below 0 without fmax, which would turn a NaN into 0 */
                const REAL e = na[naOff + i] + nb[nbOff + j] - (REAL)2 * v;
                v = (same && rowBase + i == colBase + j) ? (REAL)0 : (e < (REAL)0 ? (REAL)0 : e);
                if (mode == 2) v = exp(-gamma * v);
            }
            C[(long)i * ldc + j] = v;
        }
    }
}
