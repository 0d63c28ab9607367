#!/usr/bin/env bash
# This project's inspection against the official DiffusionAD code's, on the same machine in the
# same run (docs/PERFORMANCE.md, "Against the official code").
#
#   scripts/bench-vs-official.sh OFFICIAL_CHECKOUT [PRESET] [ROUNDS] [THREADS] [RUNS]
#
# OFFICIAL_CHECKOUT is a clone of https://github.com/HuiZhang0812/DiffusionAD; the official side
# runs on Debian's python3-torch (apt-get install python3-torch python3-matplotlib
# python3-torchvision). PRESET: tiny, small (default) or paper. Each round runs
#   ours:     bin/dad bench stages --preset PRESET --threads THREADS   (model_ms_per_image:
#             reconstruct + segment + fuse, batch 1)
#   official: scripts/bench-reference.py --preset PRESET --threads THREADS   (official_eval: the
#             official norm_guided_one_step_denoising_eval with its two U-Net calls, the
#             segmentation net of width 64 and the top-50 mean, as eval.py runs one image)
# and the two alternate ROUNDS times (default 3) so that drift on a shared machine hits both.
# Both use random weights of the same architecture (speed does not depend on them).
# Prints one JSON object: per-round times, the medians, the ratio ours / official, and the
# work per inspection and GFLOP/s from the official networks' multiply-accumulate count.
set -euo pipefail

official="${1:?usage: scripts/bench-vs-official.sh OFFICIAL_CHECKOUT [PRESET] [ROUNDS] [THREADS] [RUNS]}"
preset="${2:-small}"
rounds="${3:-3}"
threads="${4:-2}"
runs="${5:-5}"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
python=/usr/bin/python3
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

"$python" "$root/scripts/bench-reference.py" --reference "$official" --preset "$preset" --count-macs \
    --json "$scratch/macs.json" >/dev/null
for round in $(seq 1 "$rounds"); do
    echo "bench-vs-official: round $round of $rounds ($preset, $threads threads)" >&2
    "$root/bin/dad" bench stages --preset "$preset" --threads "$threads" --iterations "$runs" --warmup 2 \
        --device cpu 2>/dev/null >"$scratch/ours-$round.json"
    "$python" "$root/scripts/bench-reference.py" --reference "$official" --preset "$preset" \
        --threads "$threads" --runs "$runs" --warmup 2 2>/dev/null >"$scratch/official-$round.json"
done

"$python" - "$scratch" "$rounds" <<'EOF'
import json, statistics, sys
scratch, rounds = sys.argv[1], int(sys.argv[2])
macs = json.load(open(f"{scratch}/macs.json"))
ours, official, batched = [], [], []
for r in range(1, rounds + 1):
    o = json.load(open(f"{scratch}/ours-{r}.json"))
    f = json.load(open(f"{scratch}/official-{r}.json"))
    ours.append(o["model_ms_per_image"])
    official.append(f["official_inspection_ms"])
    batched.append(f["stages_ms"]["norm_guided_seg"]["median"])
gflop = 2 * macs["norm_guided_inspection_macs"] / 1e9
m_ours, m_official = statistics.median(ours), statistics.median(official)
print(json.dumps({
    "preset": macs["preset"], "image_size": macs["image_size"], "rounds": rounds,
    "ours_ms": ours, "official_ms": official, "official_networks_2n_batch_ms": batched,
    "median_ours_ms": m_ours, "median_official_ms": m_official,
    "ratio_ours_to_official": m_ours / m_official,
    "gflop_per_inspection": gflop,
    "ours_gflop_per_s": gflop / (m_ours / 1e3), "official_gflop_per_s": gflop / (m_official / 1e3),
}, indent=2))
EOF
