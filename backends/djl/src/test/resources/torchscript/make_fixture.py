"""Generate the tiny TorchScript fixture used by the DJL backend tests.

What it makes (all next to this script):
  unet.pt        TinyEps, a 1,155-parameter noise predictor traced with torch.jit.trace:
                 eps(x: float32[N,3,H,W], t: int64[N]) -> float32[N,3,H,W]
  seg.pt         TinySeg, a 513-parameter segmentation head traced with torch.jit.trace:
                 seg(x: float32[N,6,H,W]) -> float32[N,1,H,W] in [0, 1]
  expected.json  reference outputs for a deterministic input, so the Java side can check
                 that loading and running the models gives the same numbers
  manifest.json  a model manifest that points at unet.pt / seg.pt with weights.format
                 "torchscript"

Why: a fixture for the TorchScript weight format of the DJL backend. The networks are our
own throw-away toys (random weights from a fixed seed), not DiffusionAD's real UNet; they
only exercise the loading and calling contract, not model quality.

Regenerate (from the repository root, with Debian's python that has torch 1.13):
  /usr/bin/python3 backends/djl/src/test/resources/torchscript/make_fixture.py
The script is deterministic: rerunning it rewrites identical files.
"""

import io
import json
import math
import os
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
EMB_DIM = 16


class TinyEps(nn.Module):
    """eps(x: float32[N,3,H,W], t: int64[N]) -> float32[N,3,H,W]."""

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(3, 16, 3, padding=1)
        self.t_proj = nn.Linear(EMB_DIM, 16)
        self.conv_out = nn.Conv2d(16, 3, 3, padding=1)
        # A buffer, not a tensor made inside forward: torch.jit.trace would bake the
        # device of such a tensor (cpu) into the graph, breaking the model on a GPU.
        half = EMB_DIM // 2
        self.register_buffer("freqs", torch.exp(
            torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half)))

    def forward(self, x, t):
        args = t.to(torch.float32).unsqueeze(1) * self.freqs.unsqueeze(0)  # [N, half]
        emb = torch.cat([torch.sin(args), torch.cos(args)], dim=1)    # [N, EMB_DIM]
        h = self.conv_in(x) + self.t_proj(emb).unsqueeze(-1).unsqueeze(-1)
        return self.conv_out(F.silu(h))


class TinySeg(nn.Module):
    """seg(x: float32[N,6,H,W]) -> float32[N,1,H,W] in [0, 1]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(6, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 1, 3, padding=1)

    def forward(self, x):
        return torch.sigmoid(self.conv2(F.relu(self.conv1(x))))


def reference_input(n=2, c=3, h=32, w=32):
    """x[n,c,h,w] = 0.5 + 0.5*sin(0.1*flat_index), flat_index in row-major NCHW order."""
    idx = torch.arange(n * c * h * w, dtype=torch.float64)
    return (0.5 + 0.5 * torch.sin(0.1 * idx)).to(torch.float32).reshape(n, c, h, w)


MANIFEST = {
    "format_version": 1,
    "version": "1",
    "backend": "djl",
    "preset": "custom",
    "architecture": {
        "image_size": 32,
        "unet_base": 32,
        "channel_mults": [1, 2],
        "attention_resolutions": [],
        "heads": 4,
        "res_blocks": 1,
        "dropout": 0.0,
        "seg_head": "draem",
        "seg_base": 8,
        "seg_options": {},
    },
    "schedule": {"name": "linear", "steps": 1000, "options": {}},
    "inference": {
        "mode": "norm-guided",
        "t_s": 200,
        "t_b": 400,
        "w": 1.0,
        "ddim_steps": 10,
        "top_k": 50,
        "seed": 0,
    },
    "calibration": {"threshold": None, "center": 0.0, "scale": 1.0, "rule": ""},
    "weights": {"format": "torchscript", "unet": "unet.pt", "seg": "seg.pt"},
}


def save_without_debug_info(module, name):
    """Save a ScriptModule to HERE/name, dropping the *.debug_pkl records.

    torch.jit.save stores source ranges that embed absolute paths (this script's location
    and the torch install), which would make the output depend on where it was generated.
    The debug records are optional when loading, so we copy every other record into a fresh
    archive written by torch's own PyTorchFileWriter (stored, 64-byte aligned, version last).
    """
    buf = io.BytesIO()
    torch.jit.save(module, buf)
    buf.seek(0)
    writer = torch._C.PyTorchFileWriter(os.path.join(HERE, name))
    with zipfile.ZipFile(buf) as src:
        for info in src.infolist():
            record = info.filename.split("/", 1)[1]  # drop the "<archive>/" prefix
            if record.endswith(".debug_pkl") or record == "version":
                continue  # the writer adds "version" itself at the end
            data = src.read(info)
            writer.write_record(record, data, len(data))
    writer.write_end_of_file()
    del writer


def check_batch_sizes(eps_ts, seg_ts, eps_model, seg_model):
    """The traced graphs must not have the trace batch size (2) baked in."""
    for n in (1, 3):
        x = torch.rand(n, 3, 24, 40)
        t = torch.randint(0, 1000, (n,), dtype=torch.int64)
        s = torch.rand(n, 6, 24, 40)
        assert torch.allclose(eps_ts(x, t), eps_model(x, t), atol=1e-6), n
        assert torch.allclose(seg_ts(s), seg_model(s), atol=1e-6), n


def write_json(name, obj):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def main():
    torch.manual_seed(0)
    eps_model = TinyEps().eval()
    seg_model = TinySeg().eval()

    x = reference_input()
    t = torch.tensor([200, 400], dtype=torch.int64)
    seg_in = torch.cat([x, x.flip(-1)], dim=1)

    with torch.no_grad():
        eps_ts = torch.jit.trace(eps_model, (x, t))
        seg_ts = torch.jit.trace(seg_model, (seg_in,))
        save_without_debug_info(eps_ts, "unet.pt")
        save_without_debug_info(seg_ts, "seg.pt")

        # Reference numbers come from the files just written, loaded back.
        eps_ts = torch.jit.load(os.path.join(HERE, "unet.pt"))
        seg_ts = torch.jit.load(os.path.join(HERE, "seg.pt"))
        check_batch_sizes(eps_ts, seg_ts, eps_model, seg_model)
        eps = eps_ts(x, t)
        seg = seg_ts(seg_in)
        assert torch.equal(eps, eps_model(x, t)) and torch.equal(seg, seg_model(seg_in))

    expected = {
        "input": "x[n,c,h,w] = 0.5 + 0.5*sin(0.1*(n*3*32*32 + c*32*32 + h*32 + w)), "
                 "computed in float64 then rounded to float32, N=2, 3x32x32; "
                 "t = [200, 400] int64; "
                 "seg input = cat([x, x.flip(-1)], dim=1)",
        "t": t.tolist(),
        "eps_shape": list(eps.shape),
        "eps_sum": eps.double().sum().item(),
        "eps_first": [float(v) for v in eps.flatten()[:8].tolist()],
        "seg_shape": list(seg.shape),
        "seg_sum": seg.double().sum().item(),
        "seg_first": [float(v) for v in seg.flatten()[:8].tolist()],
    }
    write_json("expected.json", expected)
    write_json("manifest.json", MANIFEST)

    n_eps = sum(p.numel() for p in eps_model.parameters())
    n_seg = sum(p.numel() for p in seg_model.parameters())
    print(f"TinyEps params: {n_eps}, TinySeg params: {n_seg}")
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
