#!/usr/bin/env bash
# Runs the walkthrough of docs/TRAINING.md exactly as written there: every ```sh block of its
# "Walkthrough" section, in order, in this one shell (so `$service` carries from block to block),
# stopping at the first command that fails. It works in ./walkthrough of the repository root,
# which it empties first. A few minutes on a CPU; needs the built service and free ports 9000
# and 8080.
#
#   scripts/walkthrough.sh            (exit code: that of the first failing command, else 0)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
if [ ! -f service/target/quarkus-app/quarkus-run.jar ]; then
    echo "walkthrough: build the project first: ./mvnw -B -DskipTests package (or bin/dad demo)" >&2
    exit 2
fi
commands="$(awk '/^## /{on = ($0 ~ /^## Walkthrough/)} on && /^```sh$/{block=1; next} block && /^```$/{block=0; next} block' docs/TRAINING.md)"
if [ -z "$commands" ]; then
    echo "walkthrough: no \`\`\`sh blocks in the Walkthrough section of docs/TRAINING.md" >&2
    exit 2
fi
rm -rf walkthrough
# A failing step must not leave the service it started running.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
set -v
eval "$commands"
