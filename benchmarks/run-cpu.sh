#!/usr/bin/env bash
# Builds the JMH jar and runs chosen parts of the CPU benchmark grid plus the NumPy baseline, writing
# JMH JSON and machine.json to results/<machine>/ (the layout `bin/repsim bench-report` reads; --results DIR
# writes DIR/<machine>/ instead; a relative DIR is taken from the checkout's root).
#
#   benchmarks/run-cpu.sh [--machine ID] [--backends java,blas] [--rounds R] [--forks F] [--d LIST] [--n LIST]
#                         [--metrics LIST] [--suffix S] [--no-build] [--quick] [--dry-run]
#                         [--results DIR] [--vector-bits B] [--openblas-core CORE] [--openblas-l2 KIB] SUBSET...
#
# SUBSET (run in the order given):
#   key      the key cells the project is judged on, in rounds: each round runs NumPy (linear-cka n=20000
#            d=768 f64 and f32, rbf-cka n=4000 d=768, cca-mean, svcca and pwcca n=10000 d=768 by QR + SVD,
#            the GEMM products at n=10000 d=768), then every repsim backend of the same metric cells and of
#            the GEMM rate (f64 and f32); NumPy once more at the end.
#            With --rounds R the round runs R times (files *-r1.json ... *-rR.json, NumPy's *-round1.json
#            ...), so every backend of a cell runs in every round (A B A B): the host's memory system
#            drifts by 15-30 % over minutes (see results/README.md), and drift then hits them alike
#   gemm     GEMM rate: 3 products x java,blas x f64,f32 x n=10000 x d=384,768,1024,2048
#   reduced  every metric x java,blas x n=1000,10000 x d=768, f64 (--metrics, --n and --d narrow it)
#   numpy    the NumPy baseline alone
#   full     the whole grid of both suites (hours on 2 cores)
#
# JMH settings: 3 forks per cell (fresh JVMs, data generated once per trial), each 2 warm-up iterations of
# 3 s and 5 measured iterations of 4 s (each iteration runs at least one operation); JMH's JSON keeps
# every sample (rawData, one list per fork). --quick: 1 fork, 1 x 1 s and 2 x 2 s, a smoke run, not for
# reporting. NumPy: 2 warm-ups and 7 timed runs (--quick: 1 and 2). --forks F: F fresh JVMs per cell instead
# of 3 (fewer forks, a wider interval: bench-report's bootstrap runs over forks). --d LIST: the widths of
# the gemm and reduced subsets (default 384,768,1024,2048 and 768), e.g. to add widths to a grid already
# measured; bench-report pools every file of a machine. --n LIST and --metrics LIST: the sizes and metrics
# of the reduced subset (default 1000,10000 and all), e.g. to measure again the metrics a change touched.
# --suffix S: added to every output file name (metric-reduced-S.json), so that runs of one subset with
# different options do not overwrite each other.
# Native kernels: every benchmark process (the JMH runner and its forks, NumPy) runs without
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which would pin OpenBLAS to one core's kernels; machine.json
# records the cores OpenBLAS picked (openblas_core, numpy_openblas_core), the microarchitecture, the Vector
# API width, the load average at start and end and the share of CPU time stolen by the hypervisor.
# The default machine id is cpu-<microarchitecture>-<cores>c (e.g. cpu-zen5-2c); a CPU whose
# microarchitecture is unknown must be named with --machine.
# --dry-run checks the arguments and prints what would run, then stops (the README's example test uses it).
# Another CPU's code paths on this one (e.g. a Zen 3's on a Zen 5): --vector-bits 256 runs every java
# process with -XX:MaxVectorSize=32 (the Vector API's 256-bit species, so the AVX2 register tiles and panel
# depths), and --openblas-core Haswell [--openblas-l2 512] pins repsim's and NumPy's OpenBLAS to that
# core's kernels (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) instead of unsetting them. Such a run is not this
# machine's own: either option needs --results DIR outside the checkout's results/ (which bench-report and
# --backend auto read as this machine's), machine.json records openblas_forced and vector_bits, and
# `bin/repsim bench-report --results DIR --allow-forced-core` reports it. The caches, memory and FMA
# throughput stay this CPU's.
# Only one benchmark runs at a time: on 2 cores a concurrent run would halve both.
# Environment: JAVA_HOME (a Java 25 JDK), PYTHON (interpreter with NumPy, default python3),
# NUMPY_ALT=PATH:NAME (also time a second NumPy build in each round of `key`, e.g. /usr/bin/python3:numpy-debian).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

machine="" build=1 quick=() subsets=() backends=java,blas rounds=1 dry=0 forks=() gemm_d=384,768,1024,2048 reduced_d=768
reduced_n=1000,10000 reduced_metrics=all suffix="" results_root=results vector_bits="" openblas_core="" openblas_l2=""
while [ $# -gt 0 ]; do
  case "$1" in
    --machine) machine="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --backends) backends="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2
      [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run-cpu.sh: --rounds needs a positive integer, got '$rounds'" >&2; exit 2; } ;;
    --forks) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run-cpu.sh: --forks needs a positive integer, got '${2:-}'" >&2; exit 2; }
      forks=(--forks "$2"); shift 2 ;;
    --d) [[ "${2:-}" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "run-cpu.sh: --d needs a comma list of widths, got '${2:-}'" >&2; exit 2; }
      gemm_d="$2" reduced_d="$2"; shift 2 ;;
    --n) [[ "${2:-}" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "run-cpu.sh: --n needs a comma list of sizes, got '${2:-}'" >&2; exit 2; }
      reduced_n="$2"; shift 2 ;;
    --metrics) [[ "${2:-}" =~ ^[a-z0-9-]+(,[a-z0-9-]+)*$ ]] || { echo "run-cpu.sh: --metrics needs a comma list of metric names, got '${2:-}'" >&2; exit 2; }
      reduced_metrics="$2"; shift 2 ;;
    --suffix) [[ "${2:-}" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "run-cpu.sh: --suffix needs letters, digits, - or _, got '${2:-}'" >&2; exit 2; }
      suffix="-$2"; shift 2 ;;
    --results) [ -n "${2:-}" ] || { echo "run-cpu.sh: --results needs a folder" >&2; exit 2; }
      results_root="$2"; shift 2 ;;
    --vector-bits) [[ "${2:-}" =~ ^(128|256|512)$ ]] || { echo "run-cpu.sh: --vector-bits needs 128, 256 or 512, got '${2:-}'" >&2; exit 2; }
      vector_bits="$2"; shift 2 ;;
    --openblas-core) [[ "${2:-}" =~ ^[A-Za-z0-9]+$ ]] || { echo "run-cpu.sh: --openblas-core needs an OpenBLAS core name (e.g. Haswell), got '${2:-}'" >&2; exit 2; }
      openblas_core="$2"; shift 2 ;;
    --openblas-l2) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run-cpu.sh: --openblas-l2 needs a size in KiB, got '${2:-}'" >&2; exit 2; }
      openblas_l2="$2"; shift 2 ;;
    --quick) quick=(--quick); shift ;;
    --dry-run) dry=1; shift ;;
    key|gemm|reduced|numpy|full) subsets+=("$1"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run-cpu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#subsets[@]} -gt 0 ] || { echo "run-cpu.sh: name at least one subset: key, gemm, reduced, numpy or full" >&2; exit 2; }
# Benchmarks time the kernels OpenBLAS picks for this CPU: these variables (exported on the project's
# machines for the tests) pin them. Every process started from here inherits their absence, unless
# --openblas-core asks for another core's kernels on purpose.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
[ -z "$openblas_l2" ] || [ -n "$openblas_core" ] || { echo "run-cpu.sh: --openblas-l2 goes with --openblas-core" >&2; exit 2; }
if [ -n "$openblas_core$vector_bits" ] && [ "$(realpath -m "$results_root")" = "$root/results" ]; then
  echo "run-cpu.sh: --openblas-core and --vector-bits measure other code paths than this machine's own, which results/ holds" \
       "(bench-report and --backend auto read it): write them elsewhere with --results DIR" >&2; exit 2
fi
forced=()
if [ -n "$openblas_core" ]; then
  export OPENBLAS_CORETYPE="$openblas_core"
  [ -z "$openblas_l2" ] || export OPENBLAS_L2_SIZE="$openblas_l2"
  forced=(--allow-forced-core)
fi
vector_args=() plan_vector=()
if [ -n "$vector_bits" ]; then
  vector_args=("-XX:MaxVectorSize=$((vector_bits / 8))") plan_vector=("--jvm-arg=-XX:MaxVectorSize=$((vector_bits / 8))")
fi
if [ "$dry" = 1 ]; then
  echo "run-cpu.sh: would run ${subsets[*]} (backends $backends, rounds $rounds, forks ${forks[1]:-3}${quick:+, quick}, build $build, machine ${machine:-default}, into $results_root/${vector_bits:+, $vector_bits-bit vectors}${openblas_core:+, OpenBLAS core $openblas_core}${openblas_l2:+ with L2 $openblas_l2 KiB})"
  exit 0
fi


if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[ -x "$JAVA_HOME/bin/java" ] || { echo "run-cpu.sh: needs a Java 25 JDK: set JAVA_HOME" >&2; exit 2; }
python="${PYTHON:-python3}"
jar="benchmarks/target/benchmarks.jar"

# Whether the repsim classes shaded into the jar are this checkout's: ~/.m2 is shared with other
# checkouts, and one that installs between our install and package would put its code in our jar.
jar_is_ours() {
  "$python" - "$jar" target/classes <<'PY'
import os, sys, zipfile
jar, classes = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(jar)
bad = 0
for root, _, files in os.walk(os.path.join(classes, "dev", "repsim")):
    for f in files:
        if f.endswith(".class"):
            path = os.path.join(root, f)
            name = os.path.relpath(path, classes)
            try:
                same = z.read(name) == open(path, "rb").read()
            except KeyError:
                same = False
            bad += not same
sys.exit(1 if bad else 0)
PY
}

if [ "$build" = 1 ]; then
  for attempt in 1 2; do
    echo "run-cpu.sh: building (mvn install, then the benchmarks jar) ..." >&2
    mvn -q -B install -DskipTests && mvn -q -B -f benchmarks/pom.xml package -DskipTests
    if jar_is_ours; then break; fi
    [ "$attempt" = 2 ] && { echo "run-cpu.sh: $jar holds repsim classes from another checkout (shared ~/.m2): rebuild when no other install runs" >&2; exit 1; }
    echo "run-cpu.sh: another checkout installed repsim meanwhile; building again" >&2
  done
elif [ -d target/classes ] && ! jar_is_ours; then
  echo "run-cpu.sh: $jar does not hold this checkout's repsim classes: run without --no-build" >&2; exit 2
fi
[ -f "$jar" ] || { echo "run-cpu.sh: $jar is missing: run without --no-build" >&2; exit 2; }

java_cmd=("$JAVA_HOME/bin/java" "${vector_args[@]}" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar")
java_run() { "${java_cmd[@]}" "$@" 2> >(grep -v -e 'sun.misc.Unsafe' -e 'WARNING: Using incubator' >&2); }

# What the benchmark processes run on (OpenBLAS core, Vector API width, microarchitecture), asked of a
# JVM started exactly like the benchmarks; dev.repsim.measure.Microarchitecture names the CPU.
probe="$(java_run dev.repsim.bench.MachineProbe)"
if [ -z "$machine" ]; then
  machine="$(PROBE="$probe" "$python" -c 'import json, os; print(json.loads(os.environ["PROBE"])["machine_id"] or "")')"
  [ -n "$machine" ] || { echo "run-cpu.sh: unknown CPU microarchitecture (see /proc/cpuinfo): pass --machine ID" >&2; exit 2; }
fi
out="$results_root/$machine"
logs="benchmarks/target/logs"
mkdir -p "$out" "$logs"

numpy_run() { # $1: output file name, $2: tag, $3: interpreter (default $python), $4: backend name, $5: cases
  local py="${3:-$python}" cases=()
  [ -n "${5:-}" ] && cases=(--cases "$5")
  "$py" -c 'import numpy' 2>/dev/null || {
    echo "run-cpu.sh: $py has no NumPy (Debian: apt-get install -y python3-numpy; or set PYTHON=...)" >&2; exit 2; }
  local reps=(--repeats 7 --warmups 2)
  [ ${#quick[@]} -gt 0 ] && reps=(--repeats 2 --warmups 1)
  "$py" benchmarks/numpy/baseline.py --out "$out/$1" --tag "$2" --backend-name "${4:-numpy}" "${reps[@]}" "${cases[@]}" "${forced[@]}" || failed=1
}

plan() { # $1: output file name (before --suffix), rest: BenchPlan options
  local name="${1%.json}$suffix.json"; shift
  java_run dev.repsim.bench.BenchPlan "$@" "${quick[@]}" "${forks[@]}" "${plan_vector[@]}" "${forced[@]}" --out "$out/$name" --log "$logs/${name%.json}.log" || failed=1
}
# The java GEMM micro-kernel's rate on each CPU this run may use (MachineProbe --core-speed, pinned with
# taskset), as JSON for machine.json: a vCPU slowed by its host (another guest on its SMT sibling) shows
# here and not in steal time, and a product split evenly between threads runs at the slow CPU's pace.
core_speeds() {
  command -v taskset >/dev/null || { echo "run-cpu.sh: taskset (util-linux) not found: per-CPU speeds not recorded" >&2; echo null; return; }
  local cpus c rate list=""
  cpus="$("$python" -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))')"
  for c in $cpus; do
    rate="$(taskset -c "$c" "${java_cmd[@]}" dev.repsim.bench.MachineProbe --core-speed 2>/dev/null)" || rate=""
    [[ "$rate" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "run-cpu.sh: the core speed probe failed on CPU $c: per-CPU speeds not recorded" >&2; echo null; return; }
    list="$list${list:+, }{\"cpu\": $c, \"gflops\": $rate}"
  done
  echo "[$list]"
}

write_machine() {
  local describe speeds
  describe="$(java_run dev.repsim.bench.BenchPlan --describe)"
  speeds="$(core_speeds)"
  MACHINE="$machine" SUBSETS="${subsets[*]}" DESCRIBE="$describe" PROBE="$probe" CORE_SPEEDS="$speeds" JAVA_VERSION="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" \
  "$python" - "$out/machine.json" <<'PY'
import json, os, platform, sys, time
sys.path.insert(0, "benchmarks/numpy")
from cpu_time import load_average, cpu_jiffies
cpu = {}
for line in open("/proc/cpuinfo"):
    if ":" in line:
        k, v = (s.strip() for s in line.split(":", 1))
        cpu.setdefault(k, v)
    elif cpu:
        break
flags = cpu.get("flags", "").split()
mem_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), "")
probe = json.loads(os.environ["PROBE"])
numpy_core = None
try:
    import numpy
    from baseline import openblas_core  # the baseline's own definition, in this process's (the benchmarks') environment
    numpy_core = openblas_core()
    np_info = {"version": numpy.__version__}
    try:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        np_info["blas"] = f'{blas.get("name")} {blas.get("version")}'
    except TypeError:
        np_info["blas"] = "see numpy.show_config()"
except ImportError:
    np_info = None
info = {
    "machine": os.environ["MACHINE"],
    "kind": "cpu",
    "microarchitecture": probe["microarchitecture"],
    "openblas_core": probe["openblas_core"],
    "numpy_openblas_core": numpy_core,
    "openblas_forced": probe["openblas_forced"],
    "vector_bits": probe["vector_bits"],
    "cpu_model": cpu.get("model name"),
    "cpu_family_model_stepping": [cpu.get("cpu family"), cpu.get("model"), cpu.get("stepping")],
    "cpu_mhz_reported": cpu.get("cpu MHz"),
    "simd": [f for f in ("avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16") if f in flags],
    "avx512": "avx512f" in flags,
    "virtualised": "hypervisor" in flags,
    "cores": os.cpu_count(),
    "memory_gib": round(mem_kib / 2**20, 1),
    "os": os_name,
    "kernel": platform.release(),
    "jdk": os.environ["JAVA_VERSION"],
    "java": json.loads(os.environ["DESCRIBE"]),
    "python": platform.python_version(),
    "numpy": np_info,
    "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "load_average_at_start": load_average(),
    "cpu_jiffies_at_start": cpu_jiffies(),
    "core_gflops_at_start": json.loads(os.environ["CORE_SPEEDS"]),
    # Says nothing about this run's conditions (the fields below record them, and bench-report flags a busy
    # or uneven machine from them); a person who knows more (e.g. that nothing else ran) edits it afterwards.
    "note": "Absolute figures move with the host's state (load, steal and per-core speeds are recorded at the "
            "start and the end); compare ratios measured back to back in one run.",
}
# Earlier runs into this folder keep their conditions (date, subsets, load, steal) under "runs".
runs = []
if os.path.exists(sys.argv[1]):
    old = json.load(open(sys.argv[1]))
    runs = old.get("runs", [])
    if old.get("date_utc"):
        runs.append({k: old.get(k) for k in ("date_utc", "subsets", "load_average_at_start", "load_average_at_end", "steal_share",
                                             "core_gflops_at_start", "core_gflops_at_end", "openblas_core")})
info["subsets"] = os.environ["SUBSETS"].split()
info["runs"] = runs
tmp = sys.argv[1] + ".tmp"
with open(tmp, "w") as f:
    json.dump(info, f, indent=2)
    f.write("\n")
os.replace(tmp, sys.argv[1])
PY
  echo "run-cpu.sh: wrote $out/machine.json" >&2
}

# At the end of the run (also when it fails or is interrupted): the load average then, the share of all
# CPU time over the run that the hypervisor gave to other guests (steal), from /proc/stat, and the
# per-CPU speeds once more.
finish_machine() {
  CORE_SPEEDS="$(core_speeds)" "$python" - "$out/machine.json" <<'PY'
import json, os, sys
sys.path.insert(0, "benchmarks/numpy")
from cpu_time import load_average, cpu_jiffies, steal_share
path = sys.argv[1]
info = json.load(open(path))
end = cpu_jiffies()
info["load_average_at_end"] = load_average()
info["cpu_jiffies_at_end"] = end
info["steal_share"] = steal_share(info["cpu_jiffies_at_start"], end)
info["core_gflops_at_end"] = json.loads(os.environ["CORE_SPEEDS"])
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(info, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
PY
}

failed=0
write_machine
trap finish_machine EXIT
for s in "${subsets[@]}"; do
  echo "run-cpu.sh: subset $s ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  case "$s" in
    key)
      for r in $(seq 1 "$rounds"); do
        # NumPy's files carry the round in their tag (roundK); the JMH files take -rK (plan adds --suffix itself)
        if [ "$rounds" = 1 ]; then tag=before rs=""; else tag="round $r" rs="-r$r"; fi
        numpy_run "numpy-key-${tag// /}$suffix.json" "$tag" "$python" numpy
        # A second NumPy build (e.g. Debian's python3-numpy), timed as backend NAME: NUMPY_ALT=/usr/bin/python3:numpy-debian
        if [ -n "${NUMPY_ALT:-}" ]; then
          numpy_run "${NUMPY_ALT#*:}-key-${tag// /}$suffix.json" "$tag" "${NUMPY_ALT%%:*}" "${NUMPY_ALT#*:}"
        fi
        plan "metric-key$rs.json" --suite metric --metrics linear-cka --backends "$backends" --n 20000 --d 768 --precisions f64,f32
        plan "metric-key-rbf$rs.json" --suite metric --metrics rbf-cka --backends "$backends" --n 4000 --d 768 --precisions f64
        plan "metric-key-cca$rs.json" --suite metric --metrics cca-mean,svcca,pwcca --backends "$backends" --n 10000 --d 768 --precisions f64
        plan "gemm-key$rs.json" --suite gemm --backends "$backends" --n 10000 --d 768 --precisions f64,f32
      done
      numpy_run "numpy-key-after$suffix.json" after
      ;;
    gemm)
      plan gemm-grid.json --suite gemm --backends "$backends" --n 10000 --d "$gemm_d" --precisions f64,f32 ;;
    reduced)
      plan metric-reduced.json --suite metric --metrics "$reduced_metrics" --backends "$backends" --n "$reduced_n" --d "$reduced_d" --precisions f64 ;;
    numpy)
      numpy_run "numpy$suffix.json" baseline ;;
    full)
      plan gemm-full.json --suite gemm --backends "$backends" --precisions f64,f32
      plan metric-full.json --suite metric --backends "$backends" --precisions f64 ;;
  esac
done
echo "run-cpu.sh: done; results in $out/ ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
[ "$failed" = 0 ] || { echo "run-cpu.sh: some cells or baselines failed (messages above, JMH logs in $logs/)" >&2; exit 1; }
