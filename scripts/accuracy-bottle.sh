#!/usr/bin/env bash
# Reproduces docs/ACCURACY.md: trains `bin/dad train`'s default recipe on MVTec AD `bottle` (good
# images only, DTD textures as anomaly sources) under a wall-time budget, recording the test-set
# learning curve, then evaluates the final model on the full test set with one panel per image.
# With --modes it also reruns the paper's comparison of reconstruction modes on that model.
# Needs the data, which is not in the repository (CC BY-NC-SA):
#
#   scripts/accuracy-bottle.sh DATA_DIR [OUT_DIR] [MINUTES] [--modes]
#
# DATA_DIR holds mvtec_ad/bottle and dtd/images (in this workplace: ../shared/data).
# Speed: set JAVA_OPTS=-Dai.djl.pytorch.num_threads=N and pin with taskset as you need.
set -euo pipefail

data="${1:-}"
if [ -z "$data" ] || [ ! -d "$data/mvtec_ad/bottle" ] || [ ! -d "$data/dtd/images" ]; then
    echo "usage: $0 DATA_DIR [OUT_DIR] [MINUTES] [--modes]; DATA_DIR must hold mvtec_ad/bottle and dtd/images (missing: '${data}')" >&2
    exit 2
fi
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${2:-$root/models-out/bottle}"
minutes="${3:-130}"
modes="${4:-}"
dad="$root/bin/dad"
bottle="$data/mvtec_ad/bottle"

# The recipe is train's default; only the length of the run and the curve are given here.
"$dad" train --data "$bottle" --textures "$data/dtd/images" --out "$out" \
    --steps 100000 --max-minutes "$minutes" --eval-data "$bottle" --eval-every 100 --seed 0

# Results beside the model, not in it: the model directory stays what the service serves.
ev="$out.eval"
mkdir -p "$ev"
"$dad" eval --model "$out" --data "$bottle" --json "$ev/norm-guided.json" --maps "$ev/maps"
if [ "$modes" = "--modes" ]; then
    "$dad" eval --model "$out" --data "$bottle" --mode one-step --t 200 --json "$ev/one-step-t200.json"
    "$dad" eval --model "$out" --data "$bottle" --mode one-step --t 400 --json "$ev/one-step-t400.json"
    "$dad" eval --model "$out" --data "$bottle" --mode ddim --t 400 --ddim-steps 10 --json "$ev/ddim10.json"
    # DDPM takes 400 U-Net passes per image: a subset of 3 images per type.
    "$dad" eval --model "$out" --data "$bottle" --mode ddpm --t 400 --per-type 3 --json "$ev/ddpm-t400-subset.json"
    "$dad" eval --model "$out" --data "$bottle" --mode norm-guided --per-type 3 --json "$ev/norm-guided-subset.json"
fi
echo "results in $ev; learning curve in $out.training/training-log.jsonl"
