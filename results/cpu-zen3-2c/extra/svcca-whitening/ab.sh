#!/bin/bash
# Interleaved A/B of SVCCA at n = 1000 and 10 000, d = 768, f64, java and blas: two benchmark jars,
# B (before) and A (after), one JMH fork of 2 warm-up and 3 measured iterations per round.
# Usage: ab.sh OUTDIR FIRST_ROUND ORDER BEFORE_JAR AFTER_JAR, e.g. ab.sh . 1 BAAB before.jar after.jar
set -euo pipefail
out=$(realpath "$1") round=$2 order=$3 before=$(realpath "$4") after=$(realpath "$5")
cd "$(dirname "$0")/../../../.."
for ((i = 0; i < ${#order}; i++)); do
  case ${order:i:1} in B) tag=before jar=$before ;; A) tag=after jar=$after ;; esac
  echo "round $round $tag $(date -u +%H:%M:%S) UTC" >&2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -jar "$jar" 'MetricBenchmark.compute' \
    -p metric=svcca -p backend=java,blas -p n=1000,10000 -p d=768 -p precision=f64 -f 1 -wi 2 -i 3 \
    -rf json -rff "$out/r$round-$tag.json" > /dev/null
  round=$((round + 1))
done
