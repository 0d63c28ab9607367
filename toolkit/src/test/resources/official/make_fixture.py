"""Writes a checkpoint the way the official DiffusionAD code does, with the official outputs for it.

Usage (Debian's python3 with python3-torch; OFFICIAL is a checkout of HuiZhang0812/DiffusionAD):
    python3 make_fixture.py OFFICIAL ARGS.json OUT_DIR [--seg-base C] [--seed S] [--n N]

ARGS.json is an official args file (args/args1.json and its like). The U-Net is built the way
train.py builds it; if ARGS.json has "attention_resolutions" it is passed on too (train.py itself
never passes it, so the official default "32,16,8" applies there: leave the key out, or set it to
"32,16,8", to get exactly what train.py trains).

OUT_DIR receives:
  params-best.pt     torch.save of {n_epoch, unet_model_state_dict, seg_model_state_dict, args},
                     as the official save() writes it; every parameter and BatchNorm statistic is
                     random, so every tensor matters
  args.json          the args
  input_x.npy        N x 3 x S x S images in [0, 1]
  noise_ts.npy, noise_tb.npy     the Gaussian noises of eval's x_t at t_s and t_b
  eps_ts.npy, eps_tb.npy         the U-Net's outputs on those x_t
  recon_norm_guided.npy, anomaly_map.npy, image_score_top50.npy
                     norm_guided_one_step_denoising_eval (as eval.py runs it), the segmentation
                     of cat(x, recon) and the mean of each map's 50 largest values
  recon_one_step.npy, anomaly_map_one_step.npy, image_score_top50_one_step.npy
                     the same for one-step denoising at t_s with the noise noise_ts
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("official")
    p.add_argument("args_json")
    p.add_argument("out")
    p.add_argument("--seg-base", type=int, default=64)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--n", type=int, default=2)
    opts = p.parse_args()
    sys.path.insert(0, opts.official)
    from models.DDPM import GaussianDiffusionModel, get_beta_schedule
    from models.Recon_subnetwork import UNetModel
    from models.Seg_subnetwork import SegmentationSubNetwork

    torch.manual_seed(opts.seed)
    torch.set_num_threads(1)
    with open(opts.args_json) as f:
        args = json.load(f)
    size = args["img_size"][0]
    extra = {}
    if "attention_resolutions" in args:
        extra["attention_resolutions"] = args["attention_resolutions"]
    unet = UNetModel(size, args["base_channels"], channel_mults=args.get("channel_mults", ""), dropout=args["dropout"],
                     n_heads=args["num_heads"], n_head_channels=args["num_head_channels"], in_channels=args["channels"], **extra)
    seg = SegmentationSubNetwork(in_channels=6, out_channels=1, base_channels=opts.seg_base)
    randomise(unet)
    randomise(seg)
    unet.eval()
    seg.eval()

    os.makedirs(opts.out, exist_ok=True)
    torch.save({"n_epoch": 3000, "unet_model_state_dict": unet.state_dict(),
                "seg_model_state_dict": seg.state_dict(), "args": args}, os.path.join(opts.out, "params-best.pt"))
    with open(os.path.join(opts.out, "args.json"), "w") as f:
        json.dump(args, f, indent=2)

    x = torch.rand(opts.n, 3, size, size)
    n_s = torch.randn_like(x)
    n_b = torch.randn_like(x)
    ddpm = GaussianDiffusionModel(args["img_size"], get_beta_schedule(args["T"], args["beta_schedule"]),
                                  loss_weight="none", loss_type="l2", noise=args["noise_fn"], img_channels=args["channels"])
    t_s = torch.tensor([args["eval_normal_t"]]).repeat(opts.n)
    t_b = torch.tensor([args["eval_noisier_t"]]).repeat(opts.n)
    out = {"input_x": x, "noise_ts": n_s, "noise_tb": n_b}
    with torch.no_grad():
        out["eps_ts"] = unet(ddpm.sample_q(x, t_s, n_s), t_s)
        out["eps_tb"] = unet(ddpm.sample_q(x, t_b, n_b), t_b)
        # eval.py draws the noise of t_s first, then that of t_b; hand it ours in that order.
        queue = [n_s, n_b]
        ddpm.noise_fn = lambda x_0, t: queue.pop(0)
        recon = ddpm.norm_guided_one_step_denoising_eval(unet, x, t_s, t_b, args)[1]
        queue = [n_s]
        one_step = ddpm.noise_t(unet, x, t_s, args)[1]
        for suffix, r in (("", recon), ("_one_step", one_step)):
            seg_map = seg(torch.cat((x, r), dim=1))
            out["recon_norm_guided" if suffix == "" else "recon_one_step"] = r
            out["anomaly_map" + suffix] = seg_map
            out["image_score_top50" + suffix] = torch.topk(torch.flatten(seg_map, start_dim=1), 50, dim=1)[0].mean(dim=1)
    for name, value in out.items():
        np.save(os.path.join(opts.out, name + ".npy"), value.numpy().astype(np.float32))
    print(json.dumps({"unet_params": sum(p.numel() for p in unet.parameters()),
                      "seg_params": sum(p.numel() for p in seg.parameters()),
                      "scores": out["image_score_top50"].tolist(),
                      "scores_one_step": out["image_score_top50_one_step"].tolist()}))


def randomise(model):
    """Every parameter and running statistic random, so a tensor copied to the wrong place shows."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                fan_in = p[0].numel()
                p.normal_(0, 1 / math.sqrt(fan_in))
            elif name.endswith("weight"):
                p.normal_(1, 0.1)
            else:
                p.normal_(0, 0.1)
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.normal_(0, 0.1)
            elif name.endswith("running_var"):
                b.uniform_(0.5, 1.5)


if __name__ == "__main__":
    main()
