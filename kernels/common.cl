/*
 * Shared definitions for every repsim kernel. The host builds this program once per precision with
 *   -DREAL=float|double   element type of the data and of the kernels' arithmetic
 *   -DACC=float|double    accumulator type for host-bound partial sums (double when the device has
 *                         cl_khr_fp64, so float32 partials over bounded ranges are combined in float64)
 *   -DHAS_FP64=0|1, and the tile sizes of gemm.cl (TSM, TSN, TSK, WPTM, WPTN) and RED_WG (reductions).
 * No -cl-fast-relaxed-math: exp() and the compensated sums below must keep their IEEE semantics.
 */
#if HAS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

/* Kahan–Babuška step: s + x with the rounding error carried in c (Neumaier's variant). */
#define KAHAN_ADD(s, c, x) do { const ACC _x = (x); const ACC _t = (s) + _x; \
    (c) += (fabs(s) >= fabs(_x)) ? (((s) - _t) + _x) : ((_x - _t) + (s)); (s) = _t; } while (0)
