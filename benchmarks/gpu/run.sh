#!/usr/bin/env bash
# The opencl backend on a lent GPU machine (no Java, no internet), in one call of at most 10 minutes.
# Needs benchmarks/gpu/bundle.tar.xz from prepare.sh (carry it). Steps, each with its own time limit:
#   1. unpack the bundle; point the carried OpenCL ICD loader at the NVIDIA driver's libnvidia-opencl
#      (an .icd file in a temp dir + OCL_ICD_VENDORS); list the devices
#   2. the equivalence tests (JUnit, classes matching $TESTS) on that device
#   3. linear and RBF CKA in PyTorch on the same card (torch_cka.py)
#   4. the JMH grid of OpenClBench: the target size (n=50 000, d=768) first, with pinned and pageable
#      host staging side by side, then five tile shapes of the kernels and 1, 2, 4 and 8 copy threads
#      into the staging (linear CKA and XᵀY), then the rest (GRID=key: d = 768 and 2048 only, no tile or
#      copy-thread step)
#   5. summary.md with the upload/kernel/download split and the ratios to PyTorch
# Everything is written to $OUT (default benchmarks/gpu/out).
# Usage: run.sh [--pocl]   --pocl: use the system's OpenCL drivers (e.g. PoCL) and a tiny grid, to
#                          check the script on a machine without a GPU.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
pocl=0
[ "${1:-}" = "--pocl" ] && pocl=1
OUT="${OUT:-$here/out}"
mkdir -p "$OUT"
budget="${BUDGET_S:-570}"          # whole run, seconds
log() { echo "run.sh [$(date +%T) +${SECONDS}s] $*" | tee -a "$OUT/run.log" >&2; }
left() { echo $((budget - SECONDS)); }

work="$(mktemp -d /tmp/repsim-gpu.XXXXXX)"
bundle="$here/bundle.tar.xz"
[ -f "$bundle" ] || { log "missing $bundle: run benchmarks/gpu/prepare.sh first and carry the file"; exit 1; }
if tar --help 2>/dev/null | grep -q -- '--xz' && command -v xz >/dev/null; then
  tar -C "$work" -xJf "$bundle"
else
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle" "$work"
fi
# Every JVM here starts through a wrapper that preloads the bundled runtime's HotSpot signal chaining
# (libjsig): the OpenCL driver can replace the JVM's SIGSEGV handler (PoCL's LLVM does; see the OpenCL
# set-up in docs/metrics-and-backends.md). JMH's forks inherit the environment, so they preload it too;
# the Python steps do not get it.
jsig="$work/runtime/lib/libjsig.so"
[ -f "$jsig" ] || { log "the bundle has no runtime/lib/libjsig.so: run benchmarks/gpu/prepare.sh again"; exit 1; }
printf '#!/bin/sh\nLD_PRELOAD="%s${LD_PRELOAD:+:$LD_PRELOAD}" exec "%s" "$@"\n' "$jsig" "$work/runtime/bin/java" > "$work/java"
chmod +x "$work/java"
JAVA="$work/java"
CP="$(ls "$work"/lib/*.jar | tr '\n' ':')"
log "unpacked $(du -sh "$work" | cut -f1) into $work"

# ---- OpenCL ICD: the carried loader, pointed at the NVIDIA driver ---------------------------------
if [ "$pocl" = 0 ]; then
  nv=""
  for cand in $(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so/ {print $NF}') \
              /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 /usr/lib64/libnvidia-opencl.so.1 \
              /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/nvidia/libnvidia-opencl.so.1; do
    [ -e "$cand" ] && { nv="$cand"; break; }
  done
  if [ -z "$nv" ]; then
    nv="$(find /usr /lib /opt -name 'libnvidia-opencl.so*' 2>/dev/null | head -1)"
  fi
  [ -n "$nv" ] || { log "no libnvidia-opencl.so found: the NVIDIA driver's OpenCL library is required"; exit 1; }
  mkdir -p "$work/icd"
  echo "$nv" > "$work/icd/nvidia.icd"
  export OCL_ICD_VENDORS="$work/icd"
  log "OpenCL ICD: $nv"
  nvidia-smi -L > "$OUT/gpu.txt" 2>&1 || true
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv >> "$OUT/gpu.txt" 2>&1 || true
fi
# The carried ICD loader (ocl-icd, needs glibc >= 2.34) first; the machine's own libOpenCL.so.1 if the
# carried one cannot load or sees no device.
jflags() {
  JFLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
          -Dorg.lwjgl.opencl.libname="$1" -Dorg.lwjgl.system.SharedLibraryExtractPath="$work/lwjgl"
          -Dorg.bytedeco.javacpp.cachedir="$work/javacpp" -Djava.io.tmpdir="$work")
}
found=0
for loader in "$work/native/libOpenCL.so.1" $(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF}'); do
  jflags "$loader"
  timeout 60 "$JAVA" "${JFLAGS[@]}" -cp "$CP" dev.repsim.cli.Main devices --json > "$OUT/devices.json" 2>> "$OUT/run.log"
  if grep -q '"opencl_devices":\[{' "$OUT/devices.json" && { [ "$pocl" = 1 ] || grep -q '"type":"GPU"' "$OUT/devices.json"; }; then
    found=1; log "ICD loader: $loader"; break
  fi
  log "no OpenCL GPU through the loader $loader: $(cat "$OUT/devices.json")"
done
timeout 60 "$JAVA" "${JFLAGS[@]}" -cp "$CP" dev.repsim.cli.Main devices 2>> "$OUT/run.log" | tee "$OUT/devices.txt" >&2
[ "$found" = 1 ] || { log "no usable OpenCL device: see devices.txt and run.log"; exit 1; }
# the device the tests and benchmarks use: the first GPU (first device under --pocl)
DEVICE="${DEVICE:-first}"

# ---- 2. equivalence tests ---------------------------------------------------------------------
TESTS="${TESTS:-.*OpenCl.*Test}"
t=$(( $(left) < 200 ? $(left) : 200 ))
log "equivalence tests ($TESTS), limit ${t}s"
timeout --kill-after=5 "$t" "$JAVA" "${JFLAGS[@]}" -Xmx16g -jar "$work/tools/junit-console.jar" execute \
  --class-path "$work/test-classes:$CP" --scan-class-path "$work/test-classes" --include-classname "$TESTS" \
  --details=summary --disable-banner --reports-dir "$OUT/junit" > "$OUT/tests.txt" 2>&1
rc_tests=$?
tail -25 "$OUT/tests.txt" >&2
log "tests exit status $rc_tests"

# ---- 3. PyTorch on the same card ----------------------------------------------------------------
if [ "$pocl" = 0 ]; then
  t=$(( $(left) < 150 ? $(left) : 150 ))
  log "PyTorch linear/RBF CKA at n=50000, d=768, limit ${t}s"
  timeout --kill-after=5 "$t" python3 "$here/torch_cka.py" --n 50000 --d 768 --out "$OUT/torch.json" > "$OUT/torch.log" 2>&1 \
    || log "PyTorch step failed or timed out (see torch.log)"
else
  echo '{"skipped": "--pocl run: no GPU"}' > "$OUT/torch.json"
fi

# ---- 4. JMH grid ------------------------------------------------------------------------------
jmh() {   # jmh NAME ARGS...: one JMH run into jmh-NAME.json, within the time left (BENCH: which benchmarks)
  local name="$1"; shift
  local t=$(( $(left) - 20 ))
  if [ "$t" -lt 30 ]; then log "skipping JMH $name: no time left"; return; fi
  log "JMH $name, limit ${t}s"
  timeout --kill-after=5 "$t" "$JAVA" "${JFLAGS[@]}" -Xmx16g -cp "$CP" org.openjdk.jmh.Main "${BENCH:-OpenClBench}" \
    -p device="$DEVICE" -rf json -rff "$OUT/jmh-$name.json" -foe true "$@" >> "$OUT/jmh.log" 2>&1 \
    || log "JMH $name failed or timed out (see jmh.log)"
}
# the target size with pinned and pageable host staging side by side, then the grid (pinned, the default);
# GRID=key runs the grid's d = 768 and 2048 only. jmh-forkjvm-*: one cell again in forks with the CPU
# benchmarks' JVM settings (bench/ForkJvm.java; -jvmArgsAppend replaces the annotation's list), to see
# whether the host time of small calls is first-touch page faults (results/gpu-h200/README.md)
forkjvm="-Xmx8g -Xms8g -Xmn2g -XX:+UseParallelGC -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
copythreads=(-p staging=pinned -p copyThreads=1,2,4,8)
# tile shapes of the GPU kernels (tsm x tsn x tsk x wptm x wptn; default: 128x128x16x8x8 in float32)
tiles=(-p tiles=default,128x128x32x8x8,64x64x16x4x4,128x64x16x8x4,64x128x16x4x8)
if [ "$pocl" = 1 ]; then
  jmh pocl -p n=1000 -p d=384 -p staging=pinned,pageable -wi 0 -i 1 -r 1
  BENCH='OpenClBench.(linearCka|gemmTransA)' jmh threads-pocl -p n=1000 -p d=384 "${copythreads[@]}" -wi 0 -i 1 -r 1
  BENCH='OpenClBench.gemmTransA' jmh tiles-pocl -p n=1000 -p d=384 -p tiles=default,32x32x16x4x4 -wi 0 -i 1 -r 1
  jmh forkjvm-pocl -p n=1000 -p d=384 -wi 0 -i 1 -r 1 -jvmArgsAppend "$forkjvm"
elif [ "${GRID:-full}" = key ]; then
  jmh target -p n=50000 -p d=768 -p staging=pinned,pageable
  jmh n1000 -p n=1000 -p d=768,2048 -wi 1 -i 2
  jmh forkjvm-n1000 -p n=1000 -p d=2048 -wi 1 -i 2 -jvmArgsAppend "$forkjvm"
  jmh n10000 -p n=10000 -p d=768,2048 -wi 1 -i 2
  jmh n50000 -p n=50000 -p d=2048 -wi 1 -i 2
else
  jmh target -p n=50000 -p d=768 -p staging=pinned,pageable
  BENCH='OpenClBench.(linearCka|gemmTransA)' jmh tiles -p n=50000 -p d=768 "${tiles[@]}" -wi 1 -i 2
  BENCH='OpenClBench.(linearCka|gemmTransA)' jmh threads -p n=50000 -p d=768 "${copythreads[@]}" -wi 1 -i 2
  jmh n1000 -p n=1000 -p d=384,768,1024,2048 -wi 1 -i 2
  jmh forkjvm-n1000 -p n=1000 -p d=2048 -wi 1 -i 2 -jvmArgsAppend "$forkjvm"
  jmh n10000 -p n=10000 -p d=384,768,1024,2048 -wi 1 -i 2
  jmh n50000 -p n=50000 -p d=384,1024,2048 -wi 1 -i 2
fi

# ---- 5. summary -------------------------------------------------------------------------------
python3 "$here/summarize.py" "$OUT" > /dev/null 2>> "$OUT/run.log" || log "summary failed"
[ -f "$OUT/summary.md" ] && cat "$OUT/summary.md" >&2
rm -rf "$work"
log "done; results in $OUT"
exit $rc_tests
