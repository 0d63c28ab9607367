#!/usr/bin/env bash
# Rebuilds the built-in demo model (models/demo) from scratch with the project's own tools:
# generates the synthetic washer data set, then trains the `demo` preset on it in two phases
# (the committed model was made exactly so: a first run at lower learning rates, resumed from its
# step-200 checkpoint with higher ones). About 30 minutes on 2 CPU cores.
#
#   models/demo/make.sh [WORK_DIR]      (default WORK_DIR: a new temporary folder)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
dad="$root/bin/dad"

"$dad" demo-data --out "$work/demo-data" --seed 7
"$dad" train --data "$work/demo-data" --preset demo --batch 8 --steps 300 --lr 2e-4 --seg-lr 2e-4 --seg-lr-schedule constant --init djl --foreground none \
    --checkpoint-every 100 --seed 0 --out "$work/model"
"$dad" train --data "$work/demo-data" --preset demo --batch 8 --steps 1000 --lr 3e-4 --seg-lr 1e-3 --seg-lr-schedule constant --foreground none \
    --checkpoint-every 100 --seed 0 --out "$work/model" --resume
"$dad" eval --model "$work/model" --data "$work/demo-data" --json "$work/eval.json"

rm -rf "$root/models/demo/manifest.json" "$root/models/demo/unet.params" "$root/models/demo/seg.params"
cp "$work/model/manifest.json" "$work/model/unet.params" "$work/model/seg.params" "$root/models/demo/"
echo "demo model written to $root/models/demo (work files in $work)"
