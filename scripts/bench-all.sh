#!/usr/bin/env bash
# Runs the measurements of docs/PERFORMANCE.md one after the other and keeps every JSON output
# and table in one folder. Each run takes the lock /tmp/dad-build.lock (flock), so it never
# overlaps a build or another measurement that takes the same lock.
#
#   scripts/bench-all.sh [OUT_DIR]    (default: a new folder under ${TMPDIR:-/tmp})
#
# Environment:
#   DAD_BENCH_REFERENCE  checkout or git repository of HuiZhang0812/DiffusionAD for
#                        scripts/bench-reference.py (skipped when unset or missing)
#   DAD_BENCH_PYTHON     Python with PyTorch for it (default: /usr/bin/python3)
#   DAD_BENCH_MEMORY_FRAMES  frames of `bench memory` (default: 10000)
#   DAD_BENCH_SERVE_FRAMES   frames per concurrency of `bench serve` (default: 32)
#   DAD_BENCH_ONLY       space-separated subset of: machine stages speedup reference serve memory
#
# Builds nothing: run `./mvnw -B -DskipTests package` first (bench serve needs the packaged
# service and client).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:-$(mktemp -d "${TMPDIR:-/tmp}/dad-bench-XXXXXX")}"
lock=/tmp/dad-build.lock
python="${DAD_BENCH_PYTHON:-/usr/bin/python3}"
only="${DAD_BENCH_ONLY:-machine stages speedup reference serve memory}"
mkdir -p "$out"

want() { [[ " $only " == *" $1 "* ]]; }
run() { # name, command...: stdout -> name.json, stderr -> name.txt
    local name="$1"; shift
    echo "bench-all: $name: $*" >&2
    local start=$SECONDS
    flock "$lock" "$@" >"$out/$name.json" 2>"$out/$name.txt"
    echo "bench-all: $name done in $((SECONDS - start)) s" >&2
}

if want machine; then
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "nproc: $(nproc)"
        grep -m1 'model name' /proc/cpuinfo || true
        grep -m1 'flags' /proc/cpuinfo | grep -o 'avx512[a-z_0-9]*\|avx2\|fma' | sort -u | tr '\n' ' ' || true
        echo
        grep -E 'MemTotal' /proc/meminfo || true
        java -version 2>&1 | head -1
        "$python" -c 'import torch; print("python torch", torch.__version__)' 2>/dev/null || echo "python torch: none"
        git -C "$root" rev-parse --short HEAD 2>/dev/null | sed 's/^/commit: /' || true
    } >"$out/machine.txt"
fi

dad="$root/bin/dad"
if want stages; then
    run stages-small-b1 "$dad" bench stages --preset small --batch 1 --iterations 20 --profile "$out/stages-small-b1.trace.json"
    run stages-small-b1-t1 "$dad" bench stages --preset small --batch 1 --iterations 20 --threads 1
    run stages-small-b8 "$dad" bench stages --preset small --batch 8 --iterations 5
fi
if want speedup; then
    run speedup-small "$dad" bench speedup --preset small --frames 10 --slow-frames 1
fi
if want reference; then
    ref="${DAD_BENCH_REFERENCE:-}"
    if [ -n "$ref" ] && [ -e "$ref" ]; then
        run reference-small-t2 "$python" "$root/scripts/bench-reference.py" --reference "$ref" --preset small --threads 2 --runs 20
        run reference-small-t1 "$python" "$root/scripts/bench-reference.py" --reference "$ref" --preset small --threads 1 --runs 20
        for p in small paper; do
            run "macs-$p" "$python" "$root/scripts/bench-reference.py" --reference "$ref" --preset "$p" --count-macs
        done
    else
        echo "bench-all: reference skipped (set DAD_BENCH_REFERENCE to a DiffusionAD checkout)" >&2
    fi
fi
if want serve; then
    frames="${DAD_BENCH_SERVE_FRAMES:-32}"
    run serve-small "$dad" bench serve --preset small --concurrency 1,2,4,8 --frames "$frames"
    run serve-small-max4 "$dad" bench serve --preset small --concurrency 1,2,4,8 --frames "$frames" --batch-max-size 4
    run serve-small-900px "$dad" bench serve --preset small --concurrency 1,2,4 --frames "$frames" --frame-size 900
fi
if want memory; then
    # A fixed, pre-touched Java heap keeps G1's own growth out of the RSS slope.
    JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}" \
        run memory-small "$dad" bench memory --preset small --frames "${DAD_BENCH_MEMORY_FRAMES:-10000}"
fi
echo "bench-all: results in $out" >&2
