#!/usr/bin/env python3
"""Linear and RBF CKA in PyTorch on the GPU: the reference timings for the opencl backend.

Same formulas as the opencl benchmarks (benchmarks/src/main/java/dev/repsim/bench/OpenClBench.java):
  linear CKA, feature form  ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F)      (Kornblith et al. 2019)
  RBF CKA, Gram form        tr(K H L H) / sqrt(tr(K H K H) tr(L H L H)),  K = exp(-D / (2 sigma^2)),
                            sigma^2 = 0.25 * median squared distance of a seeded 1000-row sample
in float32 with TF32 off (plain FP32 GEMMs, like the OpenCL kernels). Bandwidth selection is outside the
timed region in both. Times: 'resident' = data already on the GPU; 'from_host' = including the copy of
X and Y from pinned host memory (the opencl backend's per-call total includes its uploads); 'upload' and
'upload_pageable' = the copy of X and Y alone, from pinned and from pageable memory.
Writes one JSON object to --out.
"""
import argparse
import json
import statistics
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--d", type=int, nargs="+", default=[768])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        write(a.out, {"skipped": "PyTorch is not installed: %s" % e})
        return
    if not torch.cuda.is_available():
        write(a.out, {"skipped": "PyTorch sees no CUDA device"})
        return
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    out = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "n": a.n, "results": []}
    for d in a.d:
        gen = torch.Generator(device="cpu").manual_seed(42)
        x = torch.randn(a.n, d, generator=gen)
        perm = torch.randperm(d, generator=gen)
        sign = torch.where(perm % 2 == 0, 1.0, -1.0)
        y = 0.7 * x[:, perm] * sign + 0.5 * torch.randn(a.n, d, generator=gen)
        xp, yp = x, y   # pageable, as a Java or NumPy array is
        x, y = x.pin_memory(), y.pin_memory()
        xg, yg = x.to(dev), y.to(dev)
        sx2, sy2 = sigma2(xg), sigma2(yg)
        row = {"d": d, "sigma2_x": sx2, "sigma2_y": sy2}
        row["linear_cka"] = linear_cka(xg, yg).item()
        row["linear_cka_ms_resident"] = timed(lambda: linear_cka(xg, yg), a.repeat)
        row["linear_cka_ms_from_host"] = timed(lambda: linear_cka(x.to(dev, non_blocking=True), y.to(dev, non_blocking=True)), a.repeat)
        try:
            row["rbf_cka"] = rbf_cka(xg, yg, sx2, sy2).item()
            reps = max(2, a.repeat // 2)
            row["rbf_cka_ms_resident"] = timed(lambda: rbf_cka(xg, yg, sx2, sy2), reps)
            row["rbf_cka_ms_from_host"] = timed(lambda: rbf_cka(x.to(dev, non_blocking=True), y.to(dev, non_blocking=True), sx2, sy2), reps)
        except getattr(torch.cuda, "OutOfMemoryError", RuntimeError) as e:
            row["rbf_cka_error"] = "out of GPU memory: %s" % str(e).splitlines()[0]
        row["upload_ms"] = timed(lambda: (x.to(dev, non_blocking=True), y.to(dev, non_blocking=True)), a.repeat)
        row["upload_pageable_ms"] = timed(lambda: (xp.to(dev), yp.to(dev)), a.repeat)
        row["upload_bytes"] = 2 * x.numel() * x.element_size()
        out["results"].append(row)
        del xg, yg
        torch.cuda.empty_cache()
    write(a.out, out)


def sigma2(x):
    import torch
    g = torch.Generator(device="cpu").manual_seed(7)
    idx = torch.randperm(x.shape[0], generator=g)[: min(1000, x.shape[0])].to(x.device)
    s = x[idx].double()
    d = torch.cdist(s, s).pow(2)
    iu = torch.triu_indices(s.shape[0], s.shape[0], 1, device=x.device)
    return 0.25 * d[iu[0], iu[1]].median().item()


def linear_cka(x, y):
    xc = x - x.mean(0, keepdim=True)
    yc = y - y.mean(0, keepdim=True)
    return (xc.T @ yc).pow(2).sum() / ((xc.T @ xc).pow(2).sum() * (yc.T @ yc).pow(2).sum()).sqrt()


def centred_rbf_gram(x, s2):
    """H K H for K = exp(-D/(2 s2)), built in place in one n x n buffer."""
    g = x @ x.T
    sq = g.diagonal().clone()
    g.mul_(-2).add_(sq[:, None]).add_(sq[None, :]).clamp_(min=0).mul_(-1.0 / (2 * s2)).exp_()
    g.sub_(g.mean(0, keepdim=True))
    g.sub_(g.mean(1, keepdim=True))
    return g


def rbf_cka(x, y, sx2, sy2):
    import torch
    k = centred_rbf_gram(x, sx2)
    l = centred_rbf_gram(y, sy2)
    kf, lf = k.view(-1), l.view(-1)
    # not torch.dot: its BLAS call takes a 32-bit length, and n = 50 000 gives 2.5e9 entries
    kl, kk, ll = (kf * lf).sum(dtype=torch.float64), (kf * kf).sum(dtype=torch.float64), (lf * lf).sum(dtype=torch.float64)
    r = kl / (kk * ll).sqrt()
    del k, l
    return r


def timed(fn, repeat):
    import torch
    fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    print(json.dumps(obj))


if __name__ == "__main__":
    main()
