#!/bin/bash
# Interleaved A/B of two benchmark jars: the host drifts by up to a third over minutes, so the two codes
# take turns in the order given (B = before, A = after), each turn one JMH run of the same arguments.
#
#   benchmarks/ab-jars.sh OUTDIR FIRST_ROUND ORDER BEFORE_JAR AFTER_JAR JMH_ARGS...
#
# e.g. ab-jars.sh out 1 BAAB before.jar after.jar MetricBenchmark.compute -p metric=gulp -f 1 -wi 2 -i 3
# writes out/r1-before.json, out/r2-after.json, out/r3-after.json, out/r4-before.json (JMH JSON; JMH's own
# output beside each, r1-before.log, ...). Every run
# is without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (native kernels), on $JAVA_HOME/bin/java where JAVA_HOME
# is set (JMH forks the JVM that runs it: it must be Java 25). Pool the rounds per code and compare medians
# (benchmarks/ab-pool.py OUT): one round alone does not order two codes closer than the drift. A run that
# measured nothing stops the script.
set -euo pipefail
[ $# -ge 6 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
out=$(realpath "$1") round=$2 order=$3 before=$(realpath "$4") after=$(realpath "$5")
shift 5
[[ "$order" =~ ^[AB]+$ ]] || { echo "ab-jars.sh: ORDER is a string of A and B, got '$order'" >&2; exit 2; }
[[ "$round" =~ ^[1-9][0-9]*$ ]] || { echo "ab-jars.sh: FIRST_ROUND is a positive integer, got '$round'" >&2; exit 2; }
for jar in "$before" "$after"; do [ -f "$jar" ] || { echo "ab-jars.sh: no benchmark jar at $jar" >&2; exit 2; }; done
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$out"
for ((i = 0; i < ${#order}; i++)); do
  case ${order:i:1} in B) tag=before jar=$before ;; A) tag=after jar=$after ;; esac
  echo "round $round $tag $(date -u +%H:%M:%S) UTC" >&2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$java" -jar "$jar" "$@" -rf json -rff "$out/r$round-$tag.json" > "$out/r$round-$tag.log" 2>&1
  grep -q '"primaryMetric"' "$out/r$round-$tag.json" || { echo "ab-jars.sh: round $round ($tag) measured nothing; see $out/r$round-$tag.log" >&2; exit 1; }
  round=$((round + 1))
done
