/*
 * k nearest neighbours per row from a block of distances D (b×m, columns = all n rows of the data):
 * for block row i (global row rowBase + i) the k smallest D_ij with j ≠ rowBase + i, ascending, ties
 * broken by the smaller j — the neighbour lists of the kNN share (share of the k nearest other rows
 * that carry the same label). One work-group per row (power-of-two size): each work-item keeps a
 * sorted list of its own k best over the columns j ≡ t (mod size) in local memory, then k rounds of a
 * tree arg-min over the lists' heads merge them.
 */
#define KNN_LESS(v1, j1, v2, j2) ((v1) < (v2) || ((v1) == (v2) && (j1) < (j2)))

__kernel void topk_rows(const int m, const int k, const int rowBase, __global const REAL* restrict D,
                        __global int* restrict outIdx, __global REAL* restrict outDist,
                        __local REAL* lv, __local int* li, __local REAL* rv, __local int* ri, __local int* rt)
{
    const int t = get_local_id(0), wg = get_local_size(0), row = get_group_id(0);
    const int self = rowBase + row;
    const long o = (long)row * m;
    __local REAL* myv = lv + t * k;
    __local int* myi = li + t * k;
    int cnt = 0;
    for (int j = t; j < m; j += wg) {
        if (j == self) continue;
        const REAL v = D[o + j];
        if (cnt == k && !KNN_LESS(v, j, myv[k - 1], myi[k - 1])) continue;
        int p = cnt < k ? cnt++ : k - 1;
        while (p > 0 && KNN_LESS(v, j, myv[p - 1], myi[p - 1])) { myv[p] = myv[p - 1]; myi[p] = myi[p - 1]; p--; }
        myv[p] = v; myi[p] = j;
    }
    int head = 0;
    for (int r = 0; r < k; r++) {
        rv[t] = head < cnt ? myv[head] : (REAL)INFINITY;
        ri[t] = head < cnt ? myi[head] : INT_MAX;
        rt[t] = t;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int h = wg / 2; h > 0; h >>= 1) {
            if (t < h && KNN_LESS(rv[t + h], ri[t + h], rv[t], ri[t])) { rv[t] = rv[t + h]; ri[t] = ri[t + h]; rt[t] = rt[t + h]; }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (t == 0) { outIdx[(long)row * k + r] = ri[0]; outDist[(long)row * k + r] = rv[0]; }
        if (rt[0] == t) head++;
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}
