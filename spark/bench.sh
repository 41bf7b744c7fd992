#!/usr/bin/env bash
# Scripted benchmark of the distributed exact linear CKA on Spark (dev.repsim.spark.CkaBenchmark): ROWS x DIM
# float32 rows of X and Y generated on the executors and reduced as `metrics --spark` does, timed for each
# master and partition count; one CSV line per run on stdout.
#
#   spark/bench.sh [ROWS DIM MASTERS PARTITIONS REPEAT]      (default: 2000000 64 local[1],local[2] 1,2,8 3)
#
# Only one benchmark runs at a time: on 2 cores a concurrent run would halve both.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
args=("${@:-}")
[ $# -eq 5 ] || args=(2000000 64 "local[1],local[2]" 1,2,8 3)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -f "$here/spark/target/repsim-spark.jar" ] || [ ! -d "$here/target/classes" ]; then
  (cd "$here" && mvn -q -B -DskipTests install && mvn -q -B -DskipTests -f spark/pom.xml package) >&2
fi
exec "$JAVA_HOME/bin/java" "@$here/spark/src/main/resources/dev/repsim/spark/jvm.args" -Xmx2g \
  -cp "$here/target/classes:$here/spark/target/repsim-spark.jar:$here/spark/target/lib/*" dev.repsim.spark.CkaBenchmark "${args[@]}"
