#!/bin/bash
# Interleaved A/B of CCA's whitening at n = 10 000, d = 768, f64, java and blas: the eigendecomposition
# (-Drepsim.cca.whitening=eigen) against the default (the Cholesky route where it applies).
# Usage: ab.sh OUTDIR FIRST_ROUND ORDER, e.g. ab.sh . 1 ECCE (E = eigen, C = Cholesky route).
set -euo pipefail
out=$1 round=$2 order=$3
cd "$(dirname "$0")/../../../.."
for ((i = 0; i < ${#order}; i++)); do
  case ${order:i:1} in E) tag=eigen args=(-jvmArgsPrepend -Drepsim.cca.whitening=eigen) ;; C) tag=cholesky args=() ;; esac
  echo "round $round $tag $(date -u +%H:%M:%S) UTC" >&2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -jar benchmarks/target/benchmarks.jar 'MetricBenchmark.compute' \
    -p metric=cca-mean,pwcca -p backend=java,blas -p n=10000 -p d=768 -p precision=f64 -f 1 -wi 2 -i 3 \
    "${args[@]}" -rf json -rff "$out/r$round-$tag.json" > /dev/null
  round=$((round + 1))
done
