#!/bin/bash
# The interleaved rounds of README.md ("Against NumPy"): NumPy, then java and blas in alternating order.
set -e
cd "$(dirname "$0")/../../../../.."   # the repository root
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
out=${OUT:-$PWD}   # where the files go (this session wrote them to a scratch folder)
mkdir -p "$out"
for r in 1 2 3 4; do
  if [ $((r % 2)) = 1 ]; then order="java blas"; else order="blas java"; fi
  echo "round $r numpy $(date -u +%H:%M:%S)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 benchmarks/numpy/baseline.py --out $out/numpy-linear-cka-f32-r$r.json --cases linear-cka --linear-precisions f32 > $out/numpy-r$r.log 2>&1
  for b in $order; do
    echo "round $r $b $(date -u +%H:%M:%S)"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java -jar benchmarks/target/benchmarks.jar MetricBenchmark -p metric=linear-cka -p backend=$b -p n=20000 -p d=768 \
      -p precision=f32 -f 1 -wi 2 -w 3 -i 4 -r 3 -rf json -rff $out/linear-cka-f32-$b-r$r.json > $out/linear-cka-f32-$b-r$r.log 2>&1
  done
done
echo "done $(date -u +%H:%M:%S)"
