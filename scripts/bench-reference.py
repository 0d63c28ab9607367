#!/usr/bin/env python3
"""Times the PyTorch reference implementation of DiffusionAD on this CPU, for comparison with
`bin/dad bench stages` / `bin/dad bench speedup` (docs/PERFORMANCE.md).

No reference code is part of this repository: the networks are imported from a checkout of
https://github.com/HuiZhang0812/DiffusionAD given with --reference (its models/ folder is put on
sys.path). Weights are random; speed does not depend on them.

Times, at batch 1 (median over --runs after --warmup):
  unet_2n          one U-Net call on the 2 noisy images (x_s, x_b) stacked as a batch of 2
  norm_guided      q-sampling of both, that U-Net call and the norm-guided update (our
                   reconstruct_norm_guided)
  segment          the segmentation network on [image, reconstruction]
  norm_guided_seg  norm_guided + segment + top-k mean: one inspection the way this project runs it
                   (one U-Net call on 2N images), on the reference's networks
  reference_two_calls  the reference's own eval order written out: two U-Net calls of batch 1,
                   then segment
  official_eval    the official code itself, as eval.py runs one image: its
                   GaussianDiffusionModel.norm_guided_one_step_denoising_eval (two U-Net calls,
                   noise drawn inside), the segmentation network on [image, reconstruction] and
                   the top-50 mean. Needs the reference's models/DDPM.py and what it imports
                   (matplotlib, torchvision); skipped with a note when they are missing. This is
                   "the official time per inspection" of docs/PERFORMANCE.md.

Usage:
  /usr/bin/python3 scripts/bench-reference.py --reference /path/to/DiffusionAD [--preset small]
      [--threads 2] [--runs 20] [--warmup 3] [--json out.json]
Prints one JSON object on stdout and a table on stderr.
"""
import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

PRESETS = {
    # name: (image size, U-Net base, channel mults, attention resolutions, expected U-Net params)
    "paper": (256, 128, (1, 1, 2, 2, 4, 4), "32,16,8", 131654403),
    "small": (128, 32, (1, 1, 2, 3, 4), "16,8", 6187043),
    "tiny": (64, 32, (1, 2, 3, 4), "8", 5806499),
}
SEG_PARAMS = 28373569


def reference_models(path):
    """The reference's models/ folder: in a checkout, or read with `git show` from a repository
    without a work tree into a scratch folder under the system's temp dir."""
    names = ("Recon_subnetwork.py", "Seg_subnetwork.py", "DDPM.py")
    models = os.path.join(path, "models")
    if all(os.path.isfile(os.path.join(models, n)) for n in names[:2]):
        return models
    import atexit
    import shutil
    import subprocess
    import tempfile
    scratch = tempfile.mkdtemp(prefix="dad-reference-")
    atexit.register(shutil.rmtree, scratch, True)
    for n in names:
        r = subprocess.run(["git", "-C", path, "show", "HEAD:models/" + n], capture_output=True)
        if r.returncode != 0:
            if n == "DDPM.py":
                continue  # optional: only the official_eval stage needs it
            return None
        with open(os.path.join(scratch, n), "wb") as f:
            f.write(r.stdout)
    return scratch


def count_macs(torch, unet, seg, size):
    """Multiply-accumulates of one U-Net call and one segmentation call on one image, counted by
    forward hooks: Conv1d/Conv2d (output elements x input channels per group x kernel area),
    Linear, and the two attention products (T^2 x C each) by the module that performs them."""
    import torch.nn as nn
    total = [0]

    def conv(m, inp, out):
        k = 1
        for d in m.kernel_size:
            k *= d
        total[0] += out.numel() * (m.in_channels // m.groups) * k

    def linear(m, inp, out):
        total[0] += out.numel() * m.in_features

    def attention(m, inp, out):
        bs, width, length = inp[0].shape
        total[0] += 2 * bs * (width // 3) * length * length

    hooks = []
    for net in (unet, seg):
        for m in net.modules():
            if isinstance(m, (nn.Conv1d, nn.Conv2d)):
                hooks.append(m.register_forward_hook(conv))
            elif isinstance(m, nn.Linear):
                hooks.append(m.register_forward_hook(linear))
            elif type(m).__name__ == "QKVAttention":
                hooks.append(m.register_forward_hook(attention))
    with torch.inference_mode():
        x = torch.rand(1, 3, size, size)
        total[0] = 0
        unet(x, torch.tensor([200]))
        unet_macs = total[0]
        total[0] = 0
        seg(torch.cat([x, x], 1))
        seg_macs = total[0]
    for h in hooks:
        h.remove()
    return {"unet_macs_per_image": unet_macs, "seg_macs_per_image": seg_macs,
            # norm-guided one-step: the U-Net on x_s and x_b, then the segmentation network
            "norm_guided_inspection_macs": 2 * unet_macs + seg_macs}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference", required=True, help="checkout of HuiZhang0812/DiffusionAD (has models/)")
    p.add_argument("--preset", default="small", choices=sorted(PRESETS))
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--t-s", type=int, default=200)
    p.add_argument("--t-b", type=int, default=400)
    p.add_argument("--json", help="also write the JSON object to this file")
    p.add_argument("--count-macs", action="store_true",
                   help="also count multiply-accumulates per image (convolutions, linear layers, "
                        "attention products) with forward hooks, and skip the timing")
    args = p.parse_args()

    models = reference_models(args.reference)
    if models is None:
        print(f"bench-reference: no reference at {args.reference} (expected a checkout or a git "
              "repository with models/Recon_subnetwork.py and models/Seg_subnetwork.py); clone "
              "https://github.com/HuiZhang0812/DiffusionAD and pass its path with --reference",
              file=sys.stderr)
        return 2
    sys.path.insert(0, models)
    import torch
    from Recon_subnetwork import UNetModel  # noqa: E402  (the reference's code)
    from Seg_subnetwork import SegmentationSubNetwork  # noqa: E402

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    size, base, mults, attention, unet_expected = PRESETS[args.preset]
    unet = UNetModel(size, base, channel_mults=mults, attention_resolutions=attention, n_heads=4,
                     in_channels=3).eval()
    seg = SegmentationSubNetwork(in_channels=6, out_channels=1).eval()
    unet_params = sum(q.numel() for q in unet.parameters() if q.requires_grad)
    seg_params = sum(q.numel() for q in seg.parameters() if q.requires_grad)
    if unet_params != unet_expected or seg_params != SEG_PARAMS:
        print(f"bench-reference: parameter counts {unet_params:,} / {seg_params:,} differ from "
              f"{unet_expected:,} / {SEG_PARAMS:,}", file=sys.stderr)

    # Linear schedule over 1000 steps (beta 1e-4 .. 0.02), as the models' manifests use.
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)
    abar = torch.cumprod(1 - betas, 0)

    def coef(t):
        return math.sqrt(abar[t].item()), math.sqrt(1 - abar[t].item())

    if args.count_macs:
        out = {"preset": args.preset, "image_size": size, "unet_params": unet_params, "seg_params": seg_params}
        out.update(count_macs(torch, unet, seg, size))
        text = json.dumps(out, indent=2)
        print(text)
        if args.json:
            with open(args.json, "w") as f:
                f.write(text + "\n")
        return 0

    gen = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, size, size, generator=gen) * 2 - 1
    n1 = torch.randn(1, 3, size, size, generator=gen)
    n2 = torch.randn(1, 3, size, size, generator=gen)
    ts, tb = args.t_s, args.t_b
    (a_s, b_s), (a_b, b_b) = coef(ts), coef(tb)
    t2 = torch.tensor([ts, tb])

    def unet_2n():
        return unet(torch.cat([x * a_s + n1 * b_s, x * a_b + n2 * b_b]), t2)

    def norm_guided():
        xs = x * a_s + n1 * b_s
        xb = x * a_b + n2 * b_b
        es, eb = unet(torch.cat([xs, xb]), t2).chunk(2)
        x0b = ((xb - b_b * eb) / a_b).clamp(-1, 1)
        m = a_s * x0b + b_s * es
        guided = es - b_s * 1.0 * (m - xs)
        return ((xs - b_s * guided) / a_s).clamp(-1, 1)

    rec = None

    def segment():
        return seg(torch.cat([x, rec], 1))

    def norm_guided_seg():
        r = norm_guided()
        m = seg(torch.cat([x, r], 1))
        return torch.topk(m.flatten(1), 12, dim=1)[0].mean(1)

    def reference_two_calls():
        xs = x * a_s + n1 * b_s
        xb = x * a_b + n2 * b_b
        es = unet(xs, t2[:1])
        eb = unet(xb, t2[1:])
        x0b = ((xb - b_b * eb) / a_b).clamp(-1, 1)
        guided = es - b_s * ((a_s * x0b + b_s * es) - xs)
        r = ((xs - b_s * guided) / a_s).clamp(-1, 1)
        return seg(torch.cat([x, r], 1))

    official_eval = None
    try:
        from DDPM import GaussianDiffusionModel, get_beta_schedule  # noqa: E402  (the reference's code)
        ddpm = GaussianDiffusionModel([size, size], get_beta_schedule(1000, "linear"), img_channels=3,
                                      loss_type="l2", loss_weight="none", noise="gauss")
        x01 = (x + 1) / 2  # eval.py feeds images in [0, 1]
        t_s_tensor, t_b_tensor = torch.tensor([ts]), torch.tensor([tb])

        def official_eval():
            r = ddpm.norm_guided_one_step_denoising_eval(unet, x01, t_s_tensor, t_b_tensor, {"condition_w": 1})[1]
            m = seg(torch.cat((x01, r), dim=1))
            return torch.mean(torch.topk(torch.flatten(m[0], start_dim=1), 50, dim=1, largest=True)[0])
    except ImportError as e:
        print(f"bench-reference: official_eval skipped: cannot import the reference's models/DDPM.py ({e}); "
              "on Debian: apt-get install python3-matplotlib python3-torchvision", file=sys.stderr)

    def timed(fn):
        for _ in range(args.warmup):
            fn()
        ms = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fn()
            ms.append((time.perf_counter() - start) * 1e3)
        ms.sort()
        return {"median": statistics.median(ms), "p95": ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)],
                "min": ms[0]}

    out = {"preset": args.preset, "image_size": size, "torch": torch.__version__,
           "python": platform.python_version(), "threads": torch.get_num_threads(),
           "interop_threads": torch.get_num_interop_threads(),
           "unet_params": unet_params, "seg_params": seg_params, "batch": 1, "runs": args.runs,
           "t_s": ts, "t_b": tb}
    stages = {}
    with torch.inference_mode():
        rec = norm_guided()
        stages["unet_2n"] = timed(unet_2n)
        stages["norm_guided"] = timed(norm_guided)
        stages["segment"] = timed(segment)
        stages["norm_guided_seg"] = timed(norm_guided_seg)
        stages["reference_two_calls"] = timed(reference_two_calls)
        if official_eval is not None:
            stages["official_eval"] = timed(official_eval)
    out["stages_ms"] = stages
    out["images_per_s"] = 1e3 / stages["norm_guided_seg"]["median"]
    if official_eval is not None:
        out["official_inspection_ms"] = stages["official_eval"]["median"]
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(f"{'stage':<22} {'median ms':>10} {'p95 ms':>10}", file=sys.stderr)
    for k, v in stages.items():
        print(f"{k:<22} {v['median']:>10.2f} {v['p95']:>10.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
