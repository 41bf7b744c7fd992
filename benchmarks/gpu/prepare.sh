#!/usr/bin/env bash
# Builds the bundle that benchmarks/gpu/run.sh needs on a machine with no Java and no internet:
#   runtime/      a jlink-ed Java 25 runtime (only the modules the tests and JMH use)
#   lib/          repsim, the benchmarks (thin jar) and the runtime jars the run loads (none of the study's)
#   tools/        the JUnit console launcher;  test-classes/  the compiled tests
#   native/       the OpenCL ICD loader (libOpenCL.so.1 from ocl-icd)
# packed as benchmarks/gpu/bundle.tar.xz (git-ignored; carry it with the run). The bundle travels with the
# working tree under one 64 MiB limit, so it fails when bundle + tracked files would not fit. To pack small,
# nothing inside is deflated before xz sees it: jlink without compression, jars rewritten as stored zips,
# and libjvm.so without its symbol table.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
log() { echo "prepare: $*" >&2; }

log "building and installing repsim (tests compiled, not run) ..."
mvn -q -B -DskipTests install
log "building the benchmarks ..."
mvn -q -B -f benchmarks/pom.xml package
mkdir -p "$stage/lib" "$stage/tools" "$stage/native"
# Only what the run's JVMs load: devices, the OpenCL tests and OpenClBench. A class-load log of
# `run.sh --pocl` (-Xlog:class+load in JAVA_TOOL_OPTIONS, 2026-12-07) showed none of the study's libraries
# loaded (ONNX Runtime and the ONNX builder's protobuf, UMAP's smile and its netlib/arpack, EJML, YAML,
# CSV, commons-io/codec, slf4j): leaving them out keeps the bundle inside the carry limit. Check a change
# here with run.sh --pocl: a class they need would fail there as it would on the GPU.
unused=onnxruntime,onnxruntime_gpu,tribuo-util-onnx,protobuf-java,smile-core,smile-data,smile-graph,smile-math
unused+=,smile-netlib,arpack_combined_all,core,jniloader,ejml-core,ejml-ddense,jackson-dataformat-yaml,snakeyaml
unused+=,commons-csv,commons-io,commons-codec,slf4j-api,slf4j-nop
mvn -q -B -f benchmarks/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
  -DexcludeArtifactIds="$unused" -DoutputDirectory="$stage/lib"
cp benchmarks/target/original-benchmarks.jar "$stage/lib/repsim-benchmarks.jar"
# ~/.m2 is shared: use this tree's own jar, not whatever repsim snapshot was installed last
rm -f "$stage"/lib/repsim-0*.jar
cp target/repsim.jar "$stage/lib/repsim.jar"

# The OpenBLAS natives jar also carries libjniopenblas_full.so, which repsim never loads (BlasBackend
# binds org.bytedeco.openblas.global.openblas, whose superclass loads libjniopenblas_nolapack.so), and C
# headers: drop them.
for j in "$stage"/lib/openblas-*-linux-x86_64.jar; do
  [ -f "$j" ] && zip -q -d "$j" 'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' \
    'org/bytedeco/openblas/linux-x86_64/include/*' >/dev/null || true
done

junit="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.3/junit-platform-console-standalone-1.14.3.jar"
[ -f "$junit" ] || mvn -q -B dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.3
cp "$junit" "$stage/tools/junit-console.jar"
cp -r target/test-classes "$stage/test-classes"
# commons-math3 is the tests' float64 reference library (also a JMH dependency, so usually present)
ls "$stage"/lib/commons-math3-*.jar >/dev/null 2>&1 || cp "$HOME/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar" "$stage/lib/"

icd="$(ldconfig -p | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF; exit}')"
[ -n "$icd" ] || { echo "prepare: libOpenCL.so.1 not found: apt-get install ocl-icd-libopencl1" >&2; exit 1; }
cp -L "$icd" "$stage/native/libOpenCL.so.1"

log "jlink ..."
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-man-pages --no-header-files --compress=zip-0 --output "$stage/runtime" 2> >(grep -v 'incubator modules' >&2)
strip --strip-unneeded "$stage/runtime/lib/server/libjvm.so"
python3 - "$stage" <<'PY'
import glob, os, sys, zipfile
for jar in glob.glob(os.path.join(sys.argv[1], "*", "*.jar")):
    with zipfile.ZipFile(jar) as src, zipfile.ZipFile(jar + ".tmp", "w", zipfile.ZIP_STORED) as dst:
        for entry in src.infolist():
            copy = zipfile.ZipInfo(entry.filename, entry.date_time)
            copy.external_attr = entry.external_attr
            dst.writestr(copy, src.read(entry))
    os.replace(jar + ".tmp", jar)
PY

out="$root/benchmarks/gpu/bundle.tar.xz"
tar -C "$stage" -cf - . | xz -T0 -6 > "$out.tmp" && mv "$out.tmp" "$out"
size=$(stat -c %s "$out")
log "$(du -sh "$stage" | cut -f1) unpacked, $((size / 1048576)) MiB packed: $out"
tree=$(git ls-files -z | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}')
room=$((64 * 1048576 - tree - 1048576))
[ "$size" -le "$room" ] || { echo "prepare: bundle $((size / 1048576)) MiB + tracked files $((tree / 1048576)) MiB exceed the device's 64 MiB carry limit" >&2; exit 1; }
log "bundle $((size / 1048576)) MiB + tracked files $((tree / 1048576)) MiB: inside the device's 64 MiB carry limit"
