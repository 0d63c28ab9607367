#!/bin/sh
# run-service.sh: the one command that starts the inspection service in the container.
#
# The image's ENTRYPOINT is this script (deploy/Dockerfile copies it to /opt/dad/run-service.sh),
# and deploy/check-packaged.sh starts the packaged service through it too, so what is checked
# outside a cluster is what runs inside one.
#
# Environment (all optional):
#   DAD_APP_DIR       the quarkus-app folder (default: /opt/dad/quarkus-app, else the one next to
#                     this script's repository: service/target/quarkus-app)
#   DAD_JAVA          java executable (default: $JAVA_HOME/bin/java, else java)
#   JAVA_OPTS         extra JVM options (heap sizing etc.), split into words; they come after the
#                     defaults below, so they can override all but the DJL offline switch
#   TMPDIR            writable scratch folder for the JVM, Vert.x, Netty and JNA (default: /tmp)
#   DJL_CACHE_DIR     writable DJL cache (default: $TMPDIR/djl); must be writable: with a
#                     read-only root file system it lives on an emptyDir
#   ENGINE_CACHE_DIR  where DJL looks for the extracted PyTorch natives; the image points it at
#                     natives extracted at build time (read-only is fine), so nothing is
#                     extracted at start. Unset or empty: DJL extracts into DJL_CACHE_DIR.
#   DAD_*             the service's settings (dad.models.dir -> DAD_MODELS_DIR, ...), read by
#                     Quarkus directly; QUARKUS_* likewise (QUARKUS_HTTP_PORT, ...)
# Arguments are passed on to the application.
set -eu

if [ -z "${DAD_APP_DIR:-}" ]; then
    if [ -f /opt/dad/quarkus-app/quarkus-run.jar ]; then
        DAD_APP_DIR=/opt/dad/quarkus-app
    else
        here="$(cd "$(dirname "$0")" && pwd)"
        DAD_APP_DIR="$here/../service/target/quarkus-app"
    fi
fi
if [ ! -f "$DAD_APP_DIR/quarkus-run.jar" ]; then
    echo "run-service.sh: no quarkus-run.jar in $DAD_APP_DIR (set DAD_APP_DIR)" >&2
    exit 1
fi

if [ -n "${DAD_JAVA:-}" ]; then
    java="$DAD_JAVA"
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
else
    java=java
fi

tmp="${TMPDIR:-/tmp}"
# DJL: no engine download, no model-zoo lookups, no telemetry. Not overridable on purpose.
export OPT_OUT_TRACKING=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$tmp/djl}"

# exec: java becomes this process (PID 1 in the container) and gets SIGTERM from the kubelet
# directly, which starts Quarkus' shutdown: health goes NOT_SERVING, accepted frames drain for
# up to dad.drain-timeout, then the JVM exits.
# JAVA_OPTS is split into words on purpose.
# shellcheck disable=SC2086
exec "$java" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Djava.io.tmpdir="$tmp" \
    -Djna.tmpdir="$tmp" \
    -Dai.djl.pytorch.graph_optimizer=false \
    ${JAVA_OPTS:-} \
    -Dai.djl.offline=true \
    -jar "$DAD_APP_DIR/quarkus-run.jar" "$@"
