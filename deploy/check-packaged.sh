#!/usr/bin/env bash
# check-packaged.sh: start the packaged service the way the container does, outside a container.
#
#   deploy/check-packaged.sh            (builds service/target/quarkus-app first if it is missing)
#
# What it reproduces of the pod in k8s/:
#   - the start command: deploy/run-service.sh, the image's ENTRYPOINT, with a clean environment
#     (env -i) holding the image's ENV and the DAD_*/JAVA_OPTS settings of the rendered cpu
#     overlay's ConfigMap (when kubectl is installed; else the image defaults)
#   - a read-only root: the quarkus-app, run-service.sh, the models and the pre-extracted DJL
#     natives are copies with write permission removed (chmod -R a-w), and HOME is a read-only
#     empty folder; the only writable places are TMPDIR and DJL_CACHE_DIR (the pod's emptyDirs)
#   - the natives pre-extracted by deploy/extract-djl-natives.sh, as in the image, read through
#     ENGINE_CACHE_DIR (CHECK_PREEXTRACT=0: let DJL extract into DJL_CACHE_DIR instead)
#   - uid/gid 10001, no new privileges, no capabilities (setpriv) when run as root; as another
#     user it runs as that user
#   - no network: when run as root with unshare, the whole check runs in a new network namespace
#     with only loopback; otherwise it runs on the host network and says so
#   - non-default ports (CHECK_HTTP_PORT, CHECK_GRPC_PORT), so the ports come from the settings
# It waits for /q/health/ready = UP, checks /q/health/live, /q/health/started, gRPC health
# (grpc.health.v1.Health/Check for "" and dad.v1.Inspector, over HTTP/2 with curl, which is what
# the kubelet's grpc probe sends) and /q/metrics, then sends SIGTERM and checks that the JVM
# exits within the pod's terminationGracePeriodSeconds. Prints PASS or FAIL; exit status 0/1.
#
# Environment: CHECK_TIMEOUT (seconds to wait for ready, default 300), CHECK_GRACE (seconds,
# default: the cpu overlay's terminationGracePeriodSeconds, else 45), CHECK_HTTP_PORT (18080),
# CHECK_GRPC_PORT (19000), CHECK_MODELS_DIR (default: models), CHECK_KEEP=1 (keep the work
# folder), CHECK_PREEXTRACT (1), CHECK_NETNS (1: isolate the network when possible).
set -euo pipefail

self="$(readlink -f "${BASH_SOURCE[0]}")"
root="$(cd "$(dirname "$self")/.." && pwd)"

log() { printf 'check-packaged: %s\n' "$*" >&2; }

# ---- no network: re-run this script in a fresh network namespace (loopback only) --------------
if [ "${CHECK_NETNS:-1}" = 1 ] && [ -z "${CHECK_IN_NETNS:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null \
        && unshare -n true 2>/dev/null; then
        # Build first if needed (that needs the network), then isolate.
        if [ ! -f "$root/service/target/quarkus-app/quarkus-run.jar" ]; then
            CHECK_NETNS=0 CHECK_BUILD_ONLY=1 "$self"
        fi
        exec unshare -n -- env CHECK_IN_NETNS=1 "$self" "$@"
    fi
    NETWORK_NOTE="host network (no network isolation: needs root, unshare and ip)"
fi
if [ -n "${CHECK_IN_NETNS:-}" ]; then
    ip link set lo up
    NETWORK_NOTE="own network namespace, loopback only (unshare -n)"
fi
NETWORK_NOTE="${NETWORK_NOTE:-host network (CHECK_NETNS=0)}"

# ---- the packaged service ------------------------------------------------------------------------
app="$root/service/target/quarkus-app"
if [ ! -f "$app/quarkus-run.jar" ]; then
    if pgrep -f 'org.codehaus.plexus.classworlds.launcher.Launcher|maven-wrapper|mvnw' >/dev/null 2>&1; then
        log "another Maven build is running; waiting for it before building the service"
        while pgrep -f 'org.codehaus.plexus.classworlds.launcher.Launcher|maven-wrapper|mvnw' >/dev/null 2>&1; do
            sleep 10
        done
    fi
    if [ ! -f "$app/quarkus-run.jar" ]; then
        log "building the service (./mvnw -B -q -DskipTests package -pl service -am) ..."
        (cd "$root" && { ./mvnw -B -q -o -DskipTests package -pl service -am \
            || ./mvnw -B -q -DskipTests package -pl service -am; })
    fi
fi
[ -f "$app/quarkus-run.jar" ] || { echo "FAIL: no $app/quarkus-run.jar"; exit 1; }
if [ -n "${CHECK_BUILD_ONLY:-}" ]; then exit 0; fi

command -v curl >/dev/null || { echo "FAIL: curl is needed"; exit 1; }
models_src="${CHECK_MODELS_DIR:-$root/models}"
[ -d "$models_src" ] || { echo "FAIL: no models folder $models_src"; exit 1; }
http_port="${CHECK_HTTP_PORT:-18080}"
grpc_port="${CHECK_GRPC_PORT:-19000}"
timeout="${CHECK_TIMEOUT:-300}"

# ---- settings from the rendered cpu overlay (what the pod gets), when kubectl is here ----------
rendered=""
if command -v kubectl >/dev/null 2>&1; then
    rendered="$(kubectl kustomize "$root/k8s/overlays/cpu" 2>/dev/null || true)"
fi
# The ConfigMap's data entries as KEY=VALUE lines (kustomize writes one "  KEY: value" per line).
configmap_env() {
    awk '
        /^---/ { flush(); next }
        { doc[n++] = $0 }
        END { flush() }
        function flush(   i, in_data, line, key, val) {
            is_cm = 0
            for (i = 0; i < n; i++) if (doc[i] == "kind: ConfigMap") is_cm = 1
            if (is_cm) {
                in_data = 0
                for (i = 0; i < n; i++) {
                    line = doc[i]
                    if (line == "data:") { in_data = 1; continue }
                    if (in_data && line !~ /^  /) in_data = 0
                    if (in_data && match(line, /^  [A-Za-z_][A-Za-z0-9_]*: /)) {
                        key = substr(line, 3, RLENGTH - 4)
                        val = substr(line, RLENGTH + 1)
                        if (val ~ /^".*"$/ || val ~ /^'"'"'.*'"'"'$/) val = substr(val, 2, length(val) - 2)
                        print key "=" val
                    }
                }
            }
            n = 0
        }'
}
declare -a overlay_env=()
grace="${CHECK_GRACE:-}"
if [ -n "$rendered" ]; then
    while IFS= read -r kv; do
        case "$kv" in
            DAD_MODELS_DIR=*) ;;                       # the copy below, not the pod's mount path
            DAD_*=* | JAVA_OPTS=*) overlay_env+=("$kv") ;;
        esac
    done < <(printf '%s\n' "$rendered" | configmap_env)
    if [ -z "$grace" ]; then
        grace="$(printf '%s\n' "$rendered" | sed -n 's/^ *terminationGracePeriodSeconds: *\([0-9]*\).*/\1/p' | head -n 1)"
    fi
    settings_note="DAD_*/JAVA_OPTS from the rendered k8s/overlays/cpu ConfigMap"
else
    overlay_env=("JAVA_OPTS=-Dai.djl.offline=true -XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError")
    settings_note="image defaults (kubectl not found, overlay not rendered)"
fi
grace="${grace:-45}"

# ---- a read-only copy of what the image holds, and the writable emptyDirs --------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/dad-check-packaged.XXXXXX")"
chmod 755 "$work"
pid=""
result=FAIL
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    if [ "$result" = PASS ] && [ "${CHECK_KEEP:-0}" != 1 ]; then
        chmod -R u+w "$work" 2>/dev/null || true
        rm -rf "$work"
    else
        log "work folder kept: $work (service log: $work/rw/service.log)"
    fi
}
trap cleanup EXIT

ro="$work/ro"
rw="$work/rw"
mkdir -p "$ro/home" "$rw/tmp" "$rw/djl-cache"
log "copying the quarkus-app and models to a read-only folder ($ro) ..."
cp -R "$app" "$ro/quarkus-app"
cp -R "$models_src" "$ro/models"
cp "$root/deploy/run-service.sh" "$ro/run-service.sh"
engine_env=()
if [ "${CHECK_PREEXTRACT:-1}" = 1 ]; then
    "$root/deploy/extract-djl-natives.sh" "$app/lib/boot" "$ro/djl-engine" >&2
    engine_env=("ENGINE_CACHE_DIR=$ro/djl-engine")
    natives_note="pre-extracted, read-only ENGINE_CACHE_DIR (as in the image)"
else
    natives_note="extracted by DJL into the writable DJL_CACHE_DIR at start"
fi
chmod -R a-w "$ro"

run_as=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null 2>&1; then
        chown -R 10001:10001 "$rw"
        run_as=(setpriv --reuid=10001 --regid=10001 --clear-groups --no-new-privs --bounding-set=-all)
        user_note="uid/gid 10001 via setpriv, no new privileges, empty capability bounding set"
    else
        user_note="root (no setpriv): read-only permissions are NOT enforced for root"
    fi
else
    user_note="uid $(id -u) (not root: running as is)"
fi

java_home_env=()
if [ -n "${JAVA_HOME:-}" ]; then
    java_home_env=("JAVA_HOME=$JAVA_HOME")
fi

log "user: $user_note"
log "network: $NETWORK_NOTE"
log "natives: $natives_note"
log "settings: $settings_note: ${overlay_env[*]:-none}"
log "ports: http $http_port, grpc $grpc_port; waiting up to ${timeout}s for ready"

started_at=$(date +%s)
# The environment is exactly this list (env -i), as in a container: image ENV, then the
# ConfigMap, then what differs outside a pod (paths, ports).
"${run_as[@]}" env -i \
    PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "${java_home_env[@]}" \
    HOME="$ro/home" \
    OPT_OUT_TRACKING=true DJL_OFFLINE=true \
    "${engine_env[@]}" \
    DJL_CACHE_DIR="$rw/djl-cache" \
    TMPDIR="$rw/tmp" \
    "${overlay_env[@]}" \
    DAD_APP_DIR="$ro/quarkus-app" \
    DAD_MODELS_DIR="$ro/models" \
    QUARKUS_HTTP_PORT="$http_port" \
    QUARKUS_GRPC_SERVER_PORT="$grpc_port" \
    "$ro/run-service.sh" >"$rw/service.log" 2>&1 &
pid=$!

failures=()
fail() { failures+=("$*"); log "FAIL: $*"; }

# ---- ready within the timeout -------------------------------------------------------------------
ready=0
while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
        fail "the service exited before it was ready"
        break
    fi
    body="$(curl -sS -m 5 "http://127.0.0.1:$http_port/q/health/ready" 2>/dev/null || true)"
    if printf '%s' "$body" | tr -d ' \n' | grep -q '^{"status":"UP"'; then
        ready=1
        break
    fi
    if printf '%s' "$body" | tr -d ' \n' | grep -q '"state":"FAILED"'; then
        fail "the models failed to load: $(printf '%s' "$body" | tr -d '\n' | sed -n 's/.*"detail": *"\([^"]*\)".*/\1/p')"
        break
    fi
    if [ $(( $(date +%s) - started_at )) -ge "$timeout" ]; then
        fail "not ready within ${timeout}s (last /q/health/ready: ${body:-no answer})"
        break
    fi
    sleep 1
done
ready_after=$(( $(date +%s) - started_at ))

# gRPC health over HTTP/2 without TLS, as a plaintext health client asks: the request is a gRPC frame
# (flag 0, 4-byte length) holding HealthCheckRequest{service}; SERVING is the frame 00 00000002 0801.
grpc_health() { # service name -> hex of the answer
    local svc="$1" len msg
    len=${#svc}
    if [ "$len" -eq 0 ]; then
        msg='\x00\x00\x00\x00\x00'
    else
        msg="$(printf '\\x00\\x00\\x00\\x00\\x%02x\\x0a\\x%02x' $((len + 2)) "$len")$svc"
    fi
    printf "$msg" | curl -sS -m 5 --http2-prior-knowledge -X POST \
        -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
        "http://127.0.0.1:$grpc_port/grpc.health.v1.Health/Check" 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

if [ "$ready" = 1 ]; then
    log "ready after ${ready_after}s"
    for path in live started; do
        body="$(curl -sS -m 5 "http://127.0.0.1:$http_port/q/health/$path" 2>/dev/null || true)"
        printf '%s' "$body" | tr -d ' \n' | grep -q '^{"status":"UP"' \
            || fail "/q/health/$path is not UP: ${body:-no answer}"
    done
    for svc in "" "dad.v1.Inspector"; do
        answer="$(grpc_health "$svc")"
        if [ "$answer" = "00000000020801" ]; then
            log "gRPC health '${svc}': SERVING"
        else
            fail "gRPC health '${svc}' on port $grpc_port is not SERVING (answer: ${answer:-none})"
        fi
    done
    metrics="$(curl -sS -m 10 "http://127.0.0.1:$http_port/q/metrics" 2>/dev/null || true)"
    for name in dad_model_load_seconds dad_queue_depth; do
        printf '%s\n' "$metrics" | grep -q "^$name" || fail "/q/metrics has no $name"
    done
    if [ "${CHECK_PREEXTRACT:-1}" = 1 ]; then
        extracted="$(find "$rw/djl-cache" -type f 2>/dev/null | wc -l)"
        [ "$extracted" -eq 0 ] || fail "DJL wrote $extracted file(s) into DJL_CACHE_DIR despite the pre-extracted natives"
    fi
fi

# ---- SIGTERM: drain and exit within the grace period --------------------------------------------
if kill -0 "$pid" 2>/dev/null; then
    log "SIGTERM; the pod would get ${grace}s (terminationGracePeriodSeconds)"
    stop_at=$(date +%s)
    kill -TERM "$pid"
    exited=0
    while [ $(( $(date +%s) - stop_at )) -lt "$grace" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then exited=1; break; fi
        sleep 0.2
    done
    if [ "$exited" = 1 ]; then
        set +e; wait "$pid"; code=$?; set -e
        log "exited $(( $(date +%s) - stop_at ))s after SIGTERM with status $code"
        case "$code" in 0 | 143) ;; *) fail "exit status $code after SIGTERM" ;; esac
        grep -q 'models drained and closed' "$rw/service.log" \
            || fail "no 'models drained and closed' in the log"
    else
        fail "still running ${grace}s after SIGTERM (the kubelet would SIGKILL it)"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    pid=""
fi

if [ "${#failures[@]}" -eq 0 ]; then
    result=PASS
    echo "PASS: packaged service ready in ${ready_after}s as $user_note, $NETWORK_NOTE, read-only app/models/natives, ports $http_port/$grpc_port; drained on SIGTERM within ${grace}s"
    exit 0
fi
log "service log (last 40 lines):"
tail -n 40 "$rw/service.log" >&2 || true
echo "FAIL: ${failures[*]}"
exit 1
