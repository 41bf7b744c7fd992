#!/usr/bin/env bash
# Scripted benchmarks of the Spark module; CSV on stdout, one line per run.
#
#   spark/bench.sh [ROWS DIM MASTERS PARTITIONS REPEAT]          the distributed exact linear CKA (dev.repsim.spark.CkaBenchmark)
#                                                                (default: 2000000 64 local[1],local[2] 1,2,8 3)
#   spark/bench.sh embed STUDY.yaml COPIES MASTERS PARTITIONS REPEAT   a study's embedding stage (dev.repsim.spark.EmbedBenchmark)
#
# MASTERS: Spark master URLs, or standalone[N]: a cluster of N one-core workers started on this machine
# for the run. Only one benchmark runs at a time: on 2 cores a concurrent run would halve both.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
main=dev.repsim.spark.CkaBenchmark
if [ "${1:-}" = embed ]; then
  shift
  main=dev.repsim.spark.EmbedBenchmark
  args=("$@")
else
  args=("$@")
  [ $# -eq 5 ] || args=(2000000 64 "local[1],local[2]" 1,2,8 3)
fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -f "$here/spark/target/repsim-spark.jar" ] || [ ! -d "$here/target/classes" ]; then
  (cd "$here" && mvn -q -B -DskipTests install && mvn -q -B -DskipTests -f spark/pom.xml package) >&2
fi
exec "$JAVA_HOME/bin/java" "@$here/spark/src/main/resources/dev/repsim/spark/jvm.args" -Xmx3g \
  -cp "$here/target/classes:$here/spark/target/repsim-spark.jar:$here/spark/target/lib/*" "$main" "${args[@]}"
