#!/usr/bin/env python3
"""Check that wiggle's model files and PyTorch's state_dicts load into each other.

  torch_interop.py write-init OUT.safetensors IN HIDDEN1 HIDDEN2 OUT_WIDTH
      Saves the state_dict of nn.Sequential(Linear, PReLU, Linear, PReLU, Linear),
      initialised by PyTorch (seed 0), as safetensors (F32).
  torch_interop.py forward MODEL.safetensors DATA.csv
      Rebuilds a wiggle model file in PyTorch from its metadata, loads its tensors
      with load_state_dict(strict=True) and prints softmax probabilities as CSV.

Needs only PyTorch (Debian's python3-torch); the safetensors format is read and
written here with struct and json.
"""
import csv
import json
import struct
import sys

import torch


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    body = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", e["dtype"]
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(body[b:end]), dtype=torch.float32)
        tensors[name] = t.reshape(e["shape"]).clone()
    return meta, tensors


ACTS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "identity": torch.nn.Identity,
        "elu": torch.nn.ELU, "gelu": torch.nn.GELU, "silu": torch.nn.SiLU, "softplus": torch.nn.Softplus}


def build(spec):
    layers = []
    for ls in spec["layers"]:
        kind = ls["type"]
        if kind == "dense":
            layers.append(torch.nn.Linear(ls["in"], ls["out"]))
        elif kind == "prelu":
            layers.append(torch.nn.PReLU(num_parameters=ls["units"]))
        elif kind == "activation":
            layers.append(ACTS[ls["act"].split("(")[0]]())
        elif kind == "dropout":
            layers.append(torch.nn.Dropout(ls["p"]))
        else:
            raise SystemExit("no PyTorch module for layer type " + kind)
    return torch.nn.Sequential(*layers)


def main():
    if sys.argv[1] == "write-init":
        path, sizes = sys.argv[2], [int(v) for v in sys.argv[3:7]]
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.PReLU(),
                                  torch.nn.Linear(sizes[1], sizes[2]), torch.nn.PReLU(),
                                  torch.nn.Linear(sizes[2], sizes[3]))
        save_safetensors(path, net.state_dict())
    elif sys.argv[1] == "forward":
        meta, tensors = load_safetensors(sys.argv[2])
        net = build(json.loads(meta["architecture"]))
        net.load_state_dict(tensors, strict=True)
        features = json.loads(meta["features"])
        scale = json.loads(meta["standardize"]) if "standardize" in meta else None
        with open(sys.argv[3]) as f:
            rows = list(csv.DictReader(f))
        x = torch.tensor([[float(r[c]) for c in features] for r in rows], dtype=torch.float32)
        if scale:
            x = (x - torch.tensor(scale["mean"])) / torch.tensor(scale["std"])
        with torch.no_grad():
            p = torch.softmax(net.eval()(x), dim=1)
        out = csv.writer(sys.stdout, lineterminator="\n")
        for row in p.tolist():
            out.writerow([repr(v) for v in row])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
