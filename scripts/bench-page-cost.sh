#!/usr/bin/env bash
# What the operator page costs the service (docs/SERVICE.md "What the page costs"): runs
# `bin/dad bench serve` with the page closed, then with a page open, that is with a loop doing
# what the page's script does (GET /api/page every second, each new NG thumbnail once); with
# --base-jar, first with another build of the service (one without the page) for the cost of
# recording verdicts, which is paid whether a page is open or not. Alternates the runs ROUNDS
# times. Everything after -- goes to bench serve.
#
#   scripts/bench-page-cost.sh [--rounds N] [--base-jar QUARKUS_RUN_JAR] [-- BENCH_SERVE_ARGS...]
#
# Needs python3 (the poller). Prints one JSON line per bench run ({"config": ..., "round": ..., "bench": <bench serve's JSON>})
# on stdout and the page polls' count on stderr.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds=1
base_jar=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --base-jar) base_jar="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "usage: $0 [--rounds N] [--base-jar JAR] [-- BENCH_SERVE_ARGS...]" >&2; exit 2 ;;
    esac
done

# Polls the page of the service that bench serve (process $1) starts, until bench ends: one
# process holding one keep-alive connection, as a browser does, so that the poller's own cost on
# these shared cores stays small (a curl per request cost more than the page itself).
poll_page() {
    local bench="$1" port=""
    while [ -z "$port" ] && kill -0 "$bench" 2>/dev/null; do
        for child in $(pgrep -P "$bench" || true); do
            if tr '\0' '\n' <"/proc/$child/cmdline" 2>/dev/null | grep -q quarkus-run.jar; then
                port="$(tr '\0' '\n' <"/proc/$child/cmdline" | sed -n 's/^-Dquarkus.http.port=//p' | tail -1)"
            fi
        done
        sleep 1
    done
    [ -n "$port" ] || return 0
    python3 - "$bench" "$port" <<'PY'
import http.client, json, os, sys, time
bench, port = int(sys.argv[1]), int(sys.argv[2])
def alive():
    try:
        os.kill(bench, 0)
        return True
    except OSError:
        return False
polls, seen, conn = 0, set(), None
while alive():
    try:
        conn = conn or http.client.HTTPConnection("localhost", port, timeout=5)
        conn.request("GET", "/api/page")
        page = json.loads(conn.getresponse().read())
        polls += 1
        for frame in page["ng"]:
            if frame["seq"] not in seen:  # the browser loads each thumbnail once
                conn.request("GET", "/api/ng/%d" % frame["seq"])
                conn.getresponse().read()
                seen.add(frame["seq"])
    except (OSError, http.client.HTTPException, ValueError):
        conn = None  # not up yet, or going down
    time.sleep(1)
print("page polled %d times, %d thumbnails fetched" % (polls, len(seen)), file=sys.stderr)
PY
}

run() { # config, round, service jar, page open?
    local jar_args=()
    [ -n "$3" ] && jar_args=(--service-jar "$3")
    "$root/bin/dad" bench serve "${jar_args[@]}" "${bench_args[@]}" >"$work/bench.json" &
    local bench=$!
    local poller=""
    if [ "$4" = open ]; then
        poll_page "$bench" &
        poller=$!
    fi
    wait "$bench"
    [ -n "$poller" ] && wait "$poller"
    printf '{"config":"%s","round":%d,"bench":%s}\n' "$1" "$2" "$(tr -d '\n' <"$work/bench.json")"
}

bench_args=("$@")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
    if [ -n "$base_jar" ]; then
        run base "$round" "$base_jar" closed
    fi
    run closed "$round" "" closed
    run open "$round" "" open
done
