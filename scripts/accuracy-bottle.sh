#!/usr/bin/env bash
# Reproduces docs/ACCURACY.md: trains the `small` preset on MVTec AD `bottle` (good images only,
# DTD textures as anomaly sources), then evaluates it with each reconstruction mode of the
# paper's comparison. Needs the data, which is not in the repository (CC BY-NC-SA):
#
#   scripts/accuracy-bottle.sh DATA_DIR [OUT_DIR] [STEPS]
#
# DATA_DIR holds mvtec_ad/bottle and dtd/images (in this workplace: ../shared/data).
set -euo pipefail

data="${1:-}"
if [ -z "$data" ] || [ ! -d "$data/mvtec_ad/bottle" ] || [ ! -d "$data/dtd/images" ]; then
    echo "usage: $0 DATA_DIR [OUT_DIR] [STEPS]; DATA_DIR must hold mvtec_ad/bottle and dtd/images (missing: '${data}')" >&2
    exit 2
fi
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${2:-$root/models-out/bottle-small}"
steps="${3:-500}"
dad="$root/bin/dad"
bottle="$data/mvtec_ad/bottle"

"$dad" train --data "$bottle" --textures "$data/dtd/images" --preset small --seg-base 32 --batch 8 \
    --steps "$steps" --lr 2e-4 --seg-lr 5e-4 --checkpoint-every 50 --seed 0 --out "$out"

mkdir -p "$out/eval"
"$dad" eval --model "$out" --data "$bottle" --json "$out/eval/norm-guided.json" --maps "$out/eval/maps"
"$dad" eval --model "$out" --data "$bottle" --mode one-step --t 200 --json "$out/eval/one-step-t200.json"
"$dad" eval --model "$out" --data "$bottle" --mode one-step --t 400 --json "$out/eval/one-step-t400.json"
"$dad" eval --model "$out" --data "$bottle" --mode ddim --t 400 --ddim-steps 10 --json "$out/eval/ddim10.json"
# DDPM takes 400 U-Net passes per image: a subset of 3 images per type.
"$dad" eval --model "$out" --data "$bottle" --mode ddpm --t 400 --per-type 3 --json "$out/eval/ddpm-t400-subset.json"
"$dad" eval --model "$out" --data "$bottle" --mode norm-guided --per-type 3 --json "$out/eval/norm-guided-subset.json"
echo "results in $out/eval"
