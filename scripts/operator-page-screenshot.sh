#!/usr/bin/env bash
# The screenshot of the operator page in docs/SERVICE.md, made by hand (CI checks the page with
# HtmlUnit, which runs its JavaScript but draws no pixels): starts the service on the built-in
# demo model, streams the demo frames through dad-client, and has Debian's chromium take a
# picture of the page, shrunk with pngquant.
#
#   scripts/operator-page-screenshot.sh [OUT_PNG]     (default: docs/operator-page.png)
#
# Needs the Debian packages chromium and pngquant. Ports: DAD_SHOT_GRPC_PORT (default 9000) and
# DAD_SHOT_HTTP_PORT (default 8080).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:-$root/docs/operator-page.png}"
grpc_port="${DAD_SHOT_GRPC_PORT:-9000}"
http_port="${DAD_SHOT_HTTP_PORT:-8080}"
app="$root/service/target/quarkus-app/quarkus-run.jar"
for tool in chromium pngquant; do
    command -v "$tool" >/dev/null || { echo "$0: needs $tool (apt-get install chromium pngquant)" >&2; exit 2; }
done
if [ ! -f "$app" ] || ! ls "$root"/client-cli/target/dad-client-cli-*.jar >/dev/null 2>&1; then
    (cd "$root" && ./mvnw -B -q -DskipTests package) >&2
fi

work="$(mktemp -d)"
service=""
cleanup() {
    if [ -n "$service" ]; then
        kill -TERM "$service" 2>/dev/null && wait "$service" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$root/bin/dad" demo-data --out "$work/frames" --train 0 --test-good 10 --test-per-defect 5 --seed 11 >/dev/null
OPT_OUT_TRACKING=true java -Dai.djl.offline=true -Ddad.models.dir="$root/models" \
    -Dquarkus.grpc.server.port="$grpc_port" -Dquarkus.http.port="$http_port" \
    -jar "$app" >"$work/service.log" 2>&1 &
service=$!
for _ in $(seq 1 240); do
    curl -sf "http://localhost:$http_port/q/health/ready" >/dev/null && break
    kill -0 "$service" 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
    sleep 0.5
done
"$root/bin/dad-client" stream "$work/frames/test" --target "localhost:$grpc_port" --no-progress >/dev/null

# Chromium refuses to run as root with its sandbox; the page is our own, on localhost.
sandbox=()
if [ "$(id -u)" = 0 ]; then
    sandbox=(--no-sandbox)
fi
# The virtual time budget lets the page's first poll and its thumbnails load before the picture.
chromium --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --window-size=1100,900 \
    --virtual-time-budget=5000 --screenshot="$work/page.png" "http://localhost:$http_port/" 2>/dev/null
pngquant --force --quality 60-85 --output "$out" "$work/page.png"
echo "$out: $(stat -c %s "$out") bytes"
