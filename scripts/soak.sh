#!/usr/bin/env bash
# Soak run of the inspection service at full size: starts the packaged service
# (service/target/quarkus-app, as bin/dad-demo does) on the built-in model, runs the soak scenario
# against it (ai.dad.service.SoakRun from the service's test classes: concurrent InspectStream
# calls, bad frames mixed in, one stream cancelled midway, every verdict checked), samples the
# service's resident memory (ps -o rss=) every few seconds and prints a JSON summary with the RSS
# slope in KB per 1000 frames. Exits non-zero if any check failed. docs/RELIABILITY.md explains it.
#
#   scripts/soak.sh                         # 8 streams x 2,000 frames
#   SOAK_STREAMS=8 SOAK_FRAMES=500 scripts/soak.sh
#
# Environment:
#   SOAK_STREAMS         concurrent streams (default 8)
#   SOAK_FRAMES          frames per stream (default 2000)
#   SOAK_BAD             fraction of bad frames, random bytes (default 0.1)
#   SOAK_CANCEL_AFTER    verdicts after which stream 0 is cancelled by the client (default FRAMES/2)
#   SOAK_IN_FLIGHT       unanswered frames per stream (default 8; streams x in-flight must not exceed
#                        the service's dad.batch.queue-capacity, 64, or good frames may be refused)
#   SOAK_SAMPLE_SECONDS  RSS sampling period (default 5)
#   SOAK_JAVA_OPTS       JVM options of the service (default: a fixed 1 GB heap, touched at start,
#                        so that RSS growth means memory the service keeps, not a heap growing
#                        into its default maximum)
#   SOAK_GRPC_PORT / SOAK_HTTP_PORT  ports of the service (default 19000 / 18080, localhost only)
#   SOAK_OUT             output folder (default service/target/soak): service.log, summary.json,
#                        rss.csv (seconds, verdicts so far, RSS in KB)
#   SOAK_SKIP_BUILD=1    use the build as it is (otherwise: mvn -o package -DskipTests, under
#                        flock /tmp/dad-build.lock when flock exists)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
streams="${SOAK_STREAMS:-8}"
frames="${SOAK_FRAMES:-2000}"
bad="${SOAK_BAD:-0.1}"
cancel_after="${SOAK_CANCEL_AFTER:-$((frames / 2))}"
in_flight="${SOAK_IN_FLIGHT:-8}"
sample="${SOAK_SAMPLE_SECONDS:-5}"
java_opts="${SOAK_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
grpc_port="${SOAK_GRPC_PORT:-19000}"
http_port="${SOAK_HTTP_PORT:-18080}"
out="${SOAK_OUT:-$root/service/target/soak}"
app="$root/service/target/quarkus-app/quarkus-run.jar"
cp_file="$root/service/target/soak-classpath.txt"
java="${DAD_JAVA:-java}"

mvn() {
    if command -v flock >/dev/null; then
        flock /tmp/dad-build.lock "$root/mvnw" "$@"
    else
        "$root/mvnw" "$@"
    fi
}

if [ "${SOAK_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$app" ] || [ ! -f "$cp_file" ]; then
    echo "soak: building the service and its test classes (mvn -o package -DskipTests) ..." >&2
    (cd "$root" && mvn -B -o -q -pl service -am -DskipTests package dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt) >&2
fi
classpath="$root/service/target/test-classes:$root/service/target/classes:$(cat "$cp_file")"

mkdir -p "$out"
echo "soak: starting the service (gRPC :$grpc_port, HTTP :$http_port, $java_opts; log: $out/service.log)" >&2
# shellcheck disable=SC2086 # java_opts is a list of options on purpose
OPT_OUT_TRACKING=true DJL_CACHE_DIR="${DJL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dad/djl}" \
    "$java" $java_opts -Dai.djl.offline=true -Ddad.models.dir="$root/models" \
    -Dquarkus.grpc.server.port="$grpc_port" -Dquarkus.http.port="$http_port" \
    -jar "$app" >"$out/service.log" 2>&1 &
service=$!
stop_service() {
    kill -TERM "$service" 2>/dev/null && wait "$service" 2>/dev/null || true
}
trap stop_service EXIT

echo "soak: $streams streams x $frames frames (bad $bad, stream 0 cancelled after $cancel_after verdicts," \
    "$in_flight in flight per stream), RSS of pid $service every ${sample}s" >&2
status=0
"$java" -cp "$classpath" ai.dad.service.SoakRun --target "localhost:$grpc_port" \
    --streams "$streams" --frames "$frames" --bad "$bad" --cancel-stream 0 --cancel-after "$cancel_after" \
    --in-flight "$in_flight" --pid "$service" --sample-seconds "$sample" --samples-csv "$out/rss.csv" \
    --max-minutes 120 --wait-minutes 5 \
    >"$out/summary.json" || status=$?
cat "$out/summary.json"
if ! kill -0 "$service" 2>/dev/null; then
    echo "soak: the service is gone; see $out/service.log" >&2
    status=1
fi
echo "soak: summary in $out/summary.json, RSS samples in $out/rss.csv, service log in $out/service.log (exit $status)" >&2
exit "$status"
