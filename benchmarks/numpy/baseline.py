#!/usr/bin/env python3
"""NumPy baseline for the repsim benchmarks: the standard NumPy formulas that the Java backends must beat.

Times, on data shaped like the JMH suites' (benchmarks/src/main/java/dev/repsim/bench/Workload.java):
  linear-cka  feature-space formula, ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F) (Kornblith et al. 2019),
              centring included: one GEMM and two symmetric products (NumPy runs A.T @ A as a syrk);
  rbf-cka     Gram formula: K_ij = exp(-||x_i - x_j||^2 / (2 s^2 m)), m the median of all n^2 squared
              distances, s = 0.5, K centred in O(n^2) from its row means, never with an n x n centring matrix;
  gemm        the products of the Backend interface: multInner X^T X, multTransA X^T Y, multTransB X[:1024] Y^T;
  cca         mean CCA, SVCCA and PWCCA by the QR + SVD route most published code takes: Q_x, Q_y from the
              reduced QR of the centred data, rho = the singular values of Q_x^T Q_y (SVCCA first projects each
              side on the top right singular vectors of its centred data that keep 99 % of the variance;
              PWCCA weighs rho_i by sum_j |<h_i, x_j>|, h = Q_x U the canonical variates of the narrower side).

Writes one JSON array shaped like JMH's JSON output (benchmark, mode, params, primaryMetric, secondaryMetrics),
so bench-report reads it with the JMH results: params.backend is "numpy", the primary score is operations per
second (mean over the timed runs, error = 99.9 % Student-t half-width like JMH), the secondary "gflop" is
GFLOP/s with the same nominal flop counts as the Java suites (dev.repsim.bench.NominalFlops).
"""

import argparse
import io
import json
import math
import os
import platform
import statistics
import sys
import time
from contextlib import redirect_stdout

# Variables that pin OpenBLAS to one core's kernels (the project's machines export OPENBLAS_CORETYPE=Haswell,
# which halves the rate on an AVX-512 CPU). OpenBLAS reads them once, when NumPy loads it, so a baseline
# started with them runs again without them before NumPy is imported: benchmarks time the native kernels.
# --allow-forced-core keeps them, for timing another CPU's kernels on purpose (run-cpu.sh --openblas-core).
OPENBLAS_PINS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if __name__ == "__main__" and any(v in os.environ for v in OPENBLAS_PINS) and "--allow-forced-core" not in sys.argv:
    print(f"baseline.py: starting again without {' and '.join(v for v in OPENBLAS_PINS if v in os.environ)} "
          "(benchmarks run OpenBLAS's native kernels)", file=sys.stderr)
    os.execve(sys.executable, [sys.executable] + sys.argv, {k: v for k, v in os.environ.items() if k not in OPENBLAS_PINS})

import ctypes
import numpy as np

SEED = 20230602
GEMM_BLOCK_ROWS = 1024  # dev.repsim.bench.GemmOp.BLOCK_ROWS

# Two-sided 99.9 % Student-t quantiles t_{0.9995, df}, as JMH uses for scoreError.
T_999 = {1: 636.619, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
         10: 4.587, 11: 4.437, 12: 4.318, 13: 4.221, 14: 4.140, 15: 4.073, 20: 3.850, 30: 3.646}


def t_quantile(df):
    best = max(k for k in T_999 if k <= df)
    return T_999[best]


# ---------------------------------------------------------------- data (same construction as Workload.java)

def features(rng, n, d, dtype):
    """n x d Gaussian features, column j scaled by (1 + j)^(-1/2)."""
    scale = 1.0 / np.sqrt(1.0 + np.arange(d))
    return (rng.standard_normal((n, d)) * scale).astype(dtype, copy=False)


def partner(rng, x):
    """Noisy, column-permuted, sign-flipped copy of x: y_ij = s_j 0.8 x_{i,p(j)} + 0.6 sigma_j z_ij."""
    n, d = x.shape
    perm = rng.permutation(d)
    sign = np.where(rng.random(d) < 0.5, 0.8, -0.8)
    noise = 0.6 / np.sqrt(1.0 + perm)
    y = x[:, perm] * sign + rng.standard_normal((n, d)) * noise
    return y.astype(x.dtype, copy=False)


def pair(n, d, dtype):
    rng = np.random.default_rng(SEED)
    x = features(rng, n, d, dtype)
    return x, partner(rng, x)


# ---------------------------------------------------------------- the formulas being timed

def linear_cka(x, y):
    """Feature-space linear CKA (Kornblith et al. 2019, eq. for the linear kernel)."""
    xc = x - x.mean(axis=0)
    yc = y - y.mean(axis=0)
    cross = yc.T @ xc
    return float(np.vdot(cross, cross) / (np.linalg.norm(xc.T @ xc) * np.linalg.norm(yc.T @ yc)))


def canonical(xc, yc):
    """Canonical correlations (descending) and the left singular vectors U of Q_x^T Q_y, from reduced QR."""
    qx = np.linalg.qr(xc)[0]
    qy = np.linalg.qr(yc)[0]
    u, rho, _ = np.linalg.svd(qx.T @ qy, full_matrices=False)
    return np.clip(rho, 0.0, 1.0), qx, u


def cca_mean(x, y):
    rho = canonical(x - x.mean(axis=0), y - y.mean(axis=0))[0]
    return float(rho.mean())


def svd_reduce(xc, keep=0.99):
    """Projection of centred data on its top right singular vectors keeping a share `keep` of the variance."""
    u, s, _ = np.linalg.svd(xc, full_matrices=False)
    var = s * s
    k = int(np.searchsorted(np.cumsum(var), keep * var.sum() * (1 - 1e-12))) + 1
    return u[:, :k] * s[:k]


def svcca(x, y, keep=0.99):
    rho = canonical(svd_reduce(x - x.mean(axis=0), keep), svd_reduce(y - y.mean(axis=0), keep))[0]
    return float(rho.mean())


def pwcca(x, y):
    if y.shape[1] < x.shape[1]:
        x, y = y, x
    xc = x - x.mean(axis=0)
    rho, qx, u = canonical(xc, y - y.mean(axis=0))
    alpha = np.abs(xc.T @ (qx @ u[:, :rho.size])).sum(axis=0)
    return float(alpha @ rho / alpha.sum())


CCA_METRICS = {"cca-mean": cca_mean, "svcca": svcca, "pwcca": pwcca}


def rbf_gram(x, s):
    """RBF kernel matrix with sigma^2 = s^2 * median squared distance (diagonal zeros included)."""
    k = x @ x.T
    sq = k.diagonal().copy()
    k *= -2.0
    k += sq[:, None]
    k += sq[None, :]
    np.maximum(k, 0.0, out=k)
    m = np.median(k)
    k *= -1.0 / (2.0 * s * s * m)
    np.exp(k, out=k)
    return k


def center_gram(k):
    """H K H for symmetric K in O(n^2): K - 1 m^T - m 1^T + mean(m), with m the column means."""
    m = k.mean(axis=0)
    m -= m.mean() / 2.0
    k -= m[:, None]
    k -= m[None, :]
    return k


def rbf_cka(x, y, s=0.5):
    kx = center_gram(rbf_gram(x, s))
    ky = center_gram(rbf_gram(y, s))
    return float(np.vdot(kx, ky) / math.sqrt(np.vdot(kx, kx) * np.vdot(ky, ky)))


# ---------------------------------------------------------------- nominal flops (dev.repsim.bench.NominalFlops)

def syrk_flops(n, d):
    return float(n) * d * (d + 1)


def gemm_flops(m, n, k):
    return 2.0 * m * n * k


def linear_cka_flops(n, d):
    return min(2 * syrk_flops(n, d) + gemm_flops(d, d, n), 2 * syrk_flops(d, n))


def cca_flops(n, d):
    return 2 * syrk_flops(n, d) + gemm_flops(d, d, n)


def rbf_cka_flops(n, d):
    return 2 * syrk_flops(d, n)


# ---------------------------------------------------------------- timing and JMH-shaped output

def measure(fn, warmups, repeats, label):
    value = None
    for _ in range(warmups):
        value = fn()
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
        print(f"  {label}: run {i + 1}/{repeats} {times[-1]:.3f} s", file=sys.stderr)
    return value, times


def score(samples, unit):
    mean = statistics.fmean(samples)
    if len(samples) > 1:
        err = t_quantile(len(samples) - 1) * statistics.stdev(samples) / math.sqrt(len(samples))
    else:
        err = float("nan")
    ordered = sorted(samples)

    def pct(p):
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]

    return {
        "score": mean,
        "scoreError": err if math.isfinite(err) else "NaN",
        "scoreConfidence": [mean - err, mean + err] if math.isfinite(err) else ["NaN", "NaN"],
        "scorePercentiles": {"0.0": ordered[0], "50.0": statistics.median(ordered), "90.0": pct(90),
                             "100.0": ordered[-1]},
        "scoreUnit": unit,
        "rawData": [samples],
    }


def entry(benchmark, params, times, flops, warmups, value, blas):
    thrpt = [1.0 / t for t in times]
    gflops = [flops * 1e-9 / t for t in times]
    return {
        "jmhVersion": "none (benchmarks/numpy/baseline.py)",
        "benchmark": benchmark,
        "mode": "thrpt",
        "threads": 1,
        "forks": 1,
        "jvm": sys.executable,
        "jdkVersion": "python " + platform.python_version(),
        "vmName": "numpy " + np.__version__,
        "vmVersion": blas.get("summary", ""),
        "warmupIterations": warmups,
        "warmupTime": "1 op",
        "measurementIterations": len(times),
        "measurementTime": "1 op",
        "params": params,
        "primaryMetric": score(thrpt, "ops/s"),
        "secondaryMetrics": {
            "gflop": score(gflops, "ops/s"),
            "seconds": score(times, "s/op"),
        },
        "value": value,
        "blas": blas,
    }


def openblas_core():
    """The core NumPy's OpenBLAS selected at load time (e.g. "Haswell", "SkylakeX"), or None where NumPy
    loaded no OpenBLAS. Asks the library NumPy loaded, found in /proc/self/maps: NumPy 2.x wheels bundle
    scipy-openblas, whose symbols carry a prefix and suffix; other builds export the plain name."""
    with open("/proc/self/maps") as f:
        libs = sorted({l.split()[5] for l in f if len(l.split()) >= 6 and "openblas" in os.path.basename(l.split()[5]).lower()})
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                     "openblas_get_corename"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode().strip()
    return None


def blas_info():
    """What NumPy links: show_config's BLAS entry, and threadpoolctl's view of the loaded library if present."""
    info = {}
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["name"] = blas.get("name")
        info["version"] = blas.get("version")
        info["configuration"] = " ".join(str(blas.get("openblas configuration", "")).split())
    except TypeError:  # NumPy < 1.26: show_config only prints
        buf = io.StringIO()
        with redirect_stdout(buf):
            np.show_config()
        info["show_config"] = buf.getvalue()
    try:
        from threadpoolctl import threadpool_info
        info["threadpools"] = threadpool_info()
    except ImportError:
        info["threadpools"] = "threadpoolctl not installed"
    info["openblas_core"] = openblas_core()
    info["env"] = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS") + OPENBLAS_PINS
                   if k in os.environ}
    loaded = [t for t in info["threadpools"] if isinstance(t, dict) and t.get("user_api") == "blas"] \
        if isinstance(info["threadpools"], list) else []
    if loaded:  # what is really loaded beats the build record
        t = loaded[0]
        info["summary"] = (f"{t.get('internal_api')} {t.get('version')} ({t.get('architecture')}, "
                           f"{t.get('threading_layer')}, {t.get('num_threads')} threads)")
    else:
        info["summary"] = f"{info.get('name') or 'BLAS'} {info.get('version') or ''}".strip()
    if info["openblas_core"]:
        info["summary"] += f", {info['openblas_core']} core"
    return info


def check(label, value):
    if not math.isfinite(value):
        sys.exit(f"baseline.py: {label} returned {value}: refusing to report a time for a non-finite result")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="JSON file to write (JMH-shaped array)")
    ap.add_argument("--cases", default="linear-cka,rbf-cka,gemm,cca", help="comma list of linear-cka, rbf-cka, gemm, cca")
    ap.add_argument("--linear-n", type=int, default=20000)
    ap.add_argument("--linear-d", type=int, default=768)
    ap.add_argument("--linear-precisions", default="f64,f32")
    ap.add_argument("--cca-n", type=int, default=10000)
    ap.add_argument("--cca-d", type=int, default=768)
    ap.add_argument("--rbf-n", type=int, default=4000)
    ap.add_argument("--rbf-d", type=int, default=768)
    ap.add_argument("--gemm-n", type=int, default=10000)
    ap.add_argument("--gemm-d", type=int, default=768)
    ap.add_argument("--gemm-precisions", default="f64,f32")
    ap.add_argument("--warmups", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--backend-name", default="numpy",
                    help="params.backend of every entry (e.g. numpy-debian for a second NumPy build)")
    ap.add_argument("--tag", default="", help="free text stored in every entry's params.run (e.g. before/after)")
    ap.add_argument("--allow-forced-core", action="store_true",
                    help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (time the pinned kernels; vmVersion names the core)")
    a = ap.parse_args()

    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in ("linear-cka", "rbf-cka", "gemm", "cca")]
    if unknown:
        sys.exit(f"baseline.py: --cases: unknown case(s) {unknown} (known: linear-cka, rbf-cka, gemm, cca)")
    for option, value in (("--linear-precisions", a.linear_precisions), ("--gemm-precisions", a.gemm_precisions)):
        bad = [q for q in value.split(",") if q.strip() not in ("f64", "f32")]
        if bad:
            sys.exit(f"baseline.py: {option}: unknown precision(s) {bad} (f64 or f32)")
    if a.repeats < 1 or a.warmups < 0:
        sys.exit("baseline.py: --repeats must be >= 1 and --warmups >= 0")

    blas = blas_info()
    print(f"numpy {np.__version__}, {blas['summary']}", file=sys.stderr)
    results = []

    def params(**kw):
        p = {k: str(v) for k, v in kw.items()}
        p["backend"] = a.backend_name
        if a.tag:
            p["run"] = a.tag
        return p

    if "linear-cka" in cases:
        n, d = a.linear_n, a.linear_d
        for prec in [q.strip() for q in a.linear_precisions.split(",") if q.strip()]:
            # float32 data stay float32 throughout (NumPy keeps the dtype in every product)
            x, y = pair(n, d, np.float64 if prec == "f64" else np.float32)
            label = f"linear-cka n={n} d={d} {prec}"
            value, times = measure(lambda: linear_cka(x, y), a.warmups, a.repeats, label)
            check(label, value)
            results.append(entry("numpy.MetricBaseline.compute",
                                 params(metric="linear-cka", n=n, d=d, precision=prec),
                                 times, linear_cka_flops(n, d), a.warmups, value, blas))
            del x, y

    if "rbf-cka" in cases:
        n, d = a.rbf_n, a.rbf_d
        x, y = pair(n, d, np.float64)
        label = f"rbf-cka n={n} d={d} f64"
        value, times = measure(lambda: rbf_cka(x, y), a.warmups, a.repeats, label)
        check(label, value)
        results.append(entry("numpy.MetricBaseline.compute",
                             params(metric="rbf-cka", n=n, d=d, precision="f64"),
                             times, rbf_cka_flops(n, d), a.warmups, value, blas))
        del x, y

    if "cca" in cases:
        n, d = a.cca_n, a.cca_d
        x, y = pair(n, d, np.float64)
        for metric, fn in CCA_METRICS.items():
            label = f"{metric} n={n} d={d} f64"
            value, times = measure(lambda: fn(x, y), a.warmups, a.repeats, label)
            check(label, value)
            results.append(entry("numpy.MetricBaseline.compute",
                                 params(metric=metric, n=n, d=d, precision="f64"),
                                 times, cca_flops(n, d), a.warmups, value, blas))
        del x, y

    if "gemm" in cases:
        n, d = a.gemm_n, a.gemm_d
        b = min(n, GEMM_BLOCK_ROWS)
        for prec in [p.strip() for p in a.gemm_precisions.split(",") if p.strip()]:
            x, y = pair(n, d, np.float64 if prec == "f64" else np.float32)
            xb = np.ascontiguousarray(x[:b])
            ops = {
                "multInner": (lambda: x.T @ x, syrk_flops(n, d)),
                "multTransA": (lambda: x.T @ y, gemm_flops(d, d, n)),
                "multTransB": (lambda: xb @ y.T, gemm_flops(b, n, d)),
            }
            for op, (fn, flops) in ops.items():
                label = f"gemm {op} n={n} d={d} {prec}"
                out, times = measure(fn, a.warmups, a.repeats, label)
                total = float(out.sum(dtype=np.float64))
                check(label, total)
                results.append(entry("numpy.GemmBaseline.product",
                                     params(op=op, n=n, d=d, precision=prec),
                                     times, flops, a.warmups, None, blas))
            del x, y, xb

    for r in results:
        print(f"{r['benchmark']} {r['params']}: {r['secondaryMetrics']['seconds']['score']:.4f} s/op, "
              f"{r['secondaryMetrics']['gflop']['score']:.1f} GFLOP/s", file=sys.stderr)

    out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = f"{out}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"wrote {len(results)} results to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
