#!/usr/bin/env python3
"""Pools the turns of an interleaved A/B run (benchmarks/ab-jars.sh) and compares the two codes.

    benchmarks/ab-pool.py OUT

For each JMH cell (benchmark and parameters) in OUT/r*-before.json and OUT/r*-after.json: the median
time per call of each code over all its measured iterations (throughput is turned into ms per call), the
ratio after / before, each turn's own median in turn order, and whether every turn of one code was
faster than every turn of the other ("separated"), which a drifting host cannot fake. Prints a Markdown
table; exits 1 if OUT has no turns of either code.
"""
import collections
import glob
import json
import os
import re
import statistics
import sys


def ms_per_call(metric, value):
    unit = metric["scoreUnit"]
    scale = {"ms/op": 1.0, "s/op": 1e3, "us/op": 1e-3, "ops/ms": None, "ops/s": None}
    if unit not in scale:
        raise SystemExit(f"ab-pool.py: unsupported JMH unit {unit!r}")
    if scale[unit] is not None:
        return value * scale[unit]
    return (1.0 if unit == "ops/ms" else 1e3) / value


def main(out):
    turns = []
    for path in glob.glob(os.path.join(out, "r*-*.json")):
        m = re.fullmatch(r"r(\d+)-(before|after)\.json", os.path.basename(path))
        if m:
            turns.append((int(m.group(1)), m.group(2), path))
    turns.sort()
    if not {t for _, t, _ in turns} >= {"before", "after"}:
        print(f"ab-pool.py: {out} needs r*-before.json and r*-after.json turns", file=sys.stderr)
        return 1
    samples = collections.defaultdict(list)
    per_turn = collections.defaultdict(list)
    for _, tag, path in turns:
        with open(path) as f:
            for cell in json.load(f):
                params = " ".join(f"{k}={v}" for k, v in sorted(cell.get("params", {}).items()))
                key = (cell["benchmark"].rsplit(".", 2)[-2] + "." + cell["benchmark"].rsplit(".", 1)[-1], params)
                metric = cell["primaryMetric"]
                raw = [ms_per_call(metric, v) for fork in metric["rawData"] for v in fork]
                samples[key, tag] += raw
                per_turn[key, tag].append(statistics.median(raw))
    print("| benchmark | parameters | before (ms) | after (ms) | after / before | turns before | turns after | separated |")
    print("|---|---|---:|---:|---:|---|---|---|")
    for key in sorted({k for k, _ in samples}):
        if not samples[key, "before"] or not samples[key, "after"]:
            continue
        b, a = statistics.median(samples[key, "before"]), statistics.median(samples[key, "after"])
        tb, ta = per_turn[key, "before"], per_turn[key, "after"]
        separated = "after faster" if max(ta) < min(tb) else "after slower" if min(ta) > max(tb) else "no"
        fmt = lambda xs: ", ".join(f"{x:.0f}" if x >= 10 else f"{x:.2f}" for x in xs)
        print(f"| {key[0]} | {key[1]} | {b:.1f} | {a:.1f} | {a / b:.2f} | {fmt(tb)} | {fmt(ta)} | {separated} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
