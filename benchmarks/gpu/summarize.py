#!/usr/bin/env python3
"""Summarises a GPU run: the JMH results of OpenClBench (per-call upload/kernel/download from the
secondary results) and the ratios to PyTorch on the same card at the target sizes. Usage:
summarize.py OUT_DIR  (reads OUT_DIR/jmh-*.json, OUT_DIR/torch.json; writes OUT_DIR/summary.md)."""
import glob
import json
import os
import sys


def main():
    out = sys.argv[1]
    rows = []
    for f in sorted(glob.glob(os.path.join(out, "jmh-*.json"))):
        try:
            data = json.load(open(f))
        except (OSError, ValueError):
            continue
        for b in data:
            p = b.get("params", {})
            pm = b["primaryMetric"]
            sec = b.get("secondaryMetrics", {})
            calls = sec.get("calls", {}).get("score", 0) or 0

            def per_call(k):
                v = sec.get(k, {}).get("score")
                return v / calls if v is not None and calls else float("nan")

            rows.append({"bench": b["benchmark"].split(".")[-1], "n": int(p.get("n", 0)), "d": int(p.get("d", 0)),
                         "staging": p.get("staging", "array"), "threads": p.get("copyThreads", "1"),
                         "tiles": p.get("tiles", "default"), "file": os.path.basename(f),
                         "jvm": "ForkJvm" if os.path.basename(f).startswith("jmh-forkjvm") else "default",
                         "precision": p.get("precision"), "ms": pm["score"], "err": pm.get("scoreError"),
                         "upload": per_call("uploadMs"), "copy": per_call("uploadCopyMs"),
                         "kernels": per_call("kernelMs"), "download": per_call("downloadMs")})
    torch = {}
    tpath = os.path.join(out, "torch.json")
    if os.path.exists(tpath):
        torch = json.load(open(tpath))
    lines = ["# OpenCL backend on %s" % device_name(out), ""]
    lines.append("| benchmark | n | d | prec | staging | copy threads | tiles | fork JVM | ms/op | upload ms | of it host copy ms | kernels ms | download ms | host ms | GFLOP/s (kernels) | upload GB/s |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: (r["bench"], r["n"], r["d"], r["staging"], r["threads"], r["tiles"], r["jvm"])):
        lines.append("| %s | %d | %d | %s | %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %s |" % (
            r["bench"], r["n"], r["d"], r["precision"], r["staging"], r["threads"], r["tiles"], r["jvm"], r["ms"], r["upload"], r["copy"],
            r["kernels"], r["download"], host_ms(r), gflops(r), upload_rate(r)))
    lines.append("")
    lines.append("host ms = ms/op minus upload, kernels and download: the call's time on the host outside the transfers.")
    same = lambda r, q: (r["bench"], r["n"], r["d"], r["staging"], r["threads"], r["tiles"]) == (q["bench"], q["n"], q["d"], q["staging"], q["threads"], q["tiles"])
    counted = [r for r in rows if r["threads"] != "default" and r["staging"] == "pinned" and r["jvm"] == "default" and r["tiles"] == "default"]
    one = {(r["bench"], r["n"], r["d"]): r for r in counted if r["threads"] == "1"}
    if len(counted) > len(one):
        lines.append("")
        lines.append("Copy threads (each upload chunk's copy out of the Java array split over this many threads), "
                     "pinned staging, same run; ratio = ms/op / ms/op with 1 thread.")
        lines.append("")
        lines.append("| benchmark | n | d | copy threads | ms/op | upload ms | of it host copy ms | upload GB/s | ratio |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for r in sorted(counted, key=lambda r: (r["bench"], r["n"], r["d"], int(r["threads"]))):
            base = one.get((r["bench"], r["n"], r["d"]))
            lines.append("| %s | %d | %d | %s | %.2f | %.2f | %.2f | %s | %s |" % (
                r["bench"], r["n"], r["d"], r["threads"], r["ms"], r["upload"], r["copy"], upload_rate(r),
                "%.2f" % (r["ms"] / base["ms"]) if base else ""))
    jvm_pairs = [(r, q) for r in rows for q in rows if r["jvm"] == "ForkJvm" and q["jvm"] == "default" and same(r, q)]
    if jvm_pairs:
        lines.append("")
        lines.append("Fork JVM settings: ForkJvm's (ParallelGC, -Xmn2g, huge pages, pre-touched heap) against the default, "
                     "ms/op ratio (< 1: ForkJvm's faster); the host time is ms/op minus upload, kernels and download.")
        lines.append("")
        lines.append("| benchmark | n | d | ForkJvm ms | default ms | ratio | host ms ForkJvm | host ms default |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for r, q in sorted(jvm_pairs, key=lambda t: (t[0]["bench"], t[0]["n"], t[0]["d"])):
            lines.append("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |" % (r["bench"], r["n"], r["d"], r["ms"], q["ms"],
                         r["ms"] / q["ms"], host_ms(r), host_ms(q)))
    tiled = [r for r in rows if r["tiles"] != "default"]
    if tiled:
        # the default configuration measured in the same JMH run (file) as the others
        files = {r["file"] for r in tiled}
        base = {(r["bench"], r["n"], r["d"]): r for r in rows if r["tiles"] == "default" and r["file"] in files}
        lines.append("")
        lines.append("Tile configurations (tsm x tsn x tsk x wptm x wptn), same run; ratio = kernel ms / kernel ms "
                     "of the default configuration (< 1: faster kernels).")
        lines.append("")
        lines.append("| benchmark | n | d | tiles | ms/op | kernels ms | GFLOP/s (kernels) | kernel ratio |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for r in sorted(tiled + list(base.values()), key=lambda r: (r["bench"], r["n"], r["d"], r["tiles"])):
            b = base.get((r["bench"], r["n"], r["d"]))
            if not b or not any(t["bench"] == r["bench"] and (t["n"], t["d"]) == (r["n"], r["d"]) for t in tiled):
                continue
            lines.append("| %s | %d | %d | %s | %.2f | %.3f | %s | %.2f |" % (r["bench"], r["n"], r["d"], r["tiles"], r["ms"],
                         r["kernels"], gflops(r), r["kernels"] / b["kernels"] if b["kernels"] else float("nan")))
    pairs = [(r, q) for r in rows for q in rows if r["staging"] == "pinned" and q["staging"] == "pageable"
             and r["jvm"] == q["jvm"] == "default" and (r["bench"], r["n"], r["d"], r["threads"], r["tiles"]) == (q["bench"], q["n"], q["d"], q["threads"], q["tiles"])]
    if pairs:
        lines.append("")
        lines.append("Pinned against pageable host staging, same run: ms/op ratio pinned / pageable (< 1: pinned is faster).")
        lines.append("")
        lines.append("| benchmark | n | d | pinned ms | pageable ms | ratio | upload ratio |")
        lines.append("|---|---|---|---|---|---|---|")
        for r, q in sorted(pairs, key=lambda t: (t[0]["bench"], t[0]["n"], t[0]["d"])):
            lines.append("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f |" % (r["bench"], r["n"], r["d"], r["ms"], q["ms"],
                         r["ms"] / q["ms"], r["upload"] / q["upload"] if q["upload"] else float("nan")))
    lines.append("")
    if torch.get("skipped"):
        lines.append("PyTorch comparison skipped: " + torch["skipped"])
    elif torch:
        lines.append("## PyTorch %s on %s (same card, same run), n = %d" % (torch["torch"], torch["device"], torch["n"]))
        lines.append("")
        lines.append("| metric | d | torch resident ms | torch from host ms | opencl total ms | opencl kernels ms | total ratio | kernel ratio |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for t in torch["results"]:
            for metric, bench in (("linear_cka", "linearCka"), ("rbf_cka", "rbfCka")):
                if metric + "_ms_resident" not in t:
                    continue
                o = [r for r in rows if r["bench"] == bench and r["n"] == torch["n"] and r["d"] == t["d"]
                     and r["staging"] in ("pinned", "array") and r["jvm"] == "default" and r["threads"] in ("default", "1")
                     and r["tiles"] == "default"]
                if not o:
                    continue
                o = o[0]
                lines.append("| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
                    metric, t["d"], t[metric + "_ms_resident"], t[metric + "_ms_from_host"], o["ms"], o["kernels"],
                    o["ms"] / t[metric + "_ms_from_host"], o["kernels"] / t[metric + "_ms_resident"]))
        for t in torch["results"]:
            if "upload_pageable_ms" in t and t.get("upload_bytes"):
                gb = t["upload_bytes"] / 1e9
                lines.append("")
                lines.append("PyTorch copy of X and Y to the GPU (d = %d, %.0f MB): %.1f ms from pinned memory (%.1f GB/s), "
                             "%.1f ms from pageable memory (%.1f GB/s)." % (t["d"], gb * 1e3, t["upload_ms"], gb / (t["upload_ms"] / 1e3),
                                                                          t["upload_pageable_ms"], gb / (t["upload_pageable_ms"] / 1e3)))
        lines.append("")
        lines.append("total ratio = opencl ms/op (uploads included) / torch including the host-to-GPU copy; "
                     "kernel ratio = opencl device kernel time / torch with data resident. Target: <= 1.5.")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text)
    print(text)


def host_ms(r):
    return r["ms"] - r["upload"] - r["kernels"] - r["download"]


def gflops(r):
    n, d, k = r["n"], r["d"], r["kernels"]
    if not k or k != k:
        return ""
    # XᵀY is 2nd² flop; linear CKA adds the two symmetric products (upper triangles: about nd² each)
    flop = {"gemmTransA": 2.0 * n * d * d, "linearCka": 4.0 * n * d * d, "rbfCka": None}.get(r["bench"])
    return "%.0f" % (flop / (k * 1e6)) if flop else ""


def upload_rate(r):
    # X and Y (n x d each, float32) go up once per call; gemmTransA, linearCka and rbfCka all upload both
    if not r["upload"] or r["upload"] != r["upload"] or r["precision"] != "f32":
        return ""
    return "%.1f" % (2.0 * r["n"] * r["d"] * 4 / (r["upload"] * 1e6))


def device_name(out):
    try:
        devs = json.load(open(os.path.join(out, "devices.json")))["opencl_devices"]
        return ", ".join(d["name"] for d in devs)
    except (OSError, ValueError, KeyError):
        return "(unknown device)"


if __name__ == "__main__":
    main()
