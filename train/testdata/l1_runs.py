#!/usr/bin/python3
"""Writes training_l1.json: PyTorch 1.13 float64 training runs with L1
regularisation, and with gradient clipping, in training.json's layout,
for the tests of train and of the CLI. Each run starts from the data and
initial tensors of training.json's "l2" run.

L1 of strength lam adds lam * sum(|W|) over the weight matrices (not the
biases) to the objective; autograd gives lam * sign(W), sign(0) = 0. The
losses recorded are the data's, without the penalty, as in training.json.

Run from this directory: /usr/bin/python3 l1_runs.py > training_l1.json
"""
import json

import torch

torch.set_default_dtype(torch.float64)

RUNS = [
    # name, optimizer, its settings, L1, L2, clip (0: none)
    ("l1", "momentum", {"lr": 0.1, "momentum": 0.9}, 0.01, 0.0, 0.0),
    ("l1-adam", "adam", {"lr": 0.02}, 0.005, 0.0, 0.0),
    ("l1-l2-sgd", "sgd", {"lr": 0.2}, 0.01, 0.02, 0.0),
    ("l2-clip", "momentum", {"lr": 0.1, "momentum": 0.9}, 0.0, 0.05, 0.3),
    ("l1-clip-adam", "adam", {"lr": 0.02}, 0.01, 0.0, 0.2),
]


def text(v):
    return repr(float(v))


def tensor_out(t):
    return {"shape": list(t.shape), "values": [text(v) for v in t.flatten().tolist()]}


def optimizer(name, settings, params):
    if name == "sgd":
        return torch.optim.SGD(params, lr=settings["lr"])
    if name == "momentum":
        return torch.optim.SGD(params, lr=settings["lr"], momentum=settings["momentum"])
    if name == "adam":
        return torch.optim.Adam(params, lr=settings["lr"])
    raise ValueError(name)


def flags(name, settings, l1, l2, clip, batch, epochs):
    f = ["--hidden", "8,8", "--act", "relu", "--loss", "softmax", "--optimizer", name,
         "--lr", text(settings["lr"]), "--batch", str(batch), "--epochs", str(epochs),
         "--shuffle=false"]
    if "momentum" in settings:
        f += ["--momentum", text(settings["momentum"])]
    f += ["--l1", text(l1)]
    if l2:
        f += ["--l2", text(l2)]
    if clip:
        f += ["--clip-norm", text(clip)]
    return f


def run(base, batch, epochs, name, opt_name, settings, l1, l2, clip):
    x = torch.tensor([[float(v) for v in row] for row in base["x"]])
    y = torch.tensor([int(v) for v in base["y"]])
    classes = int(y.max()) + 1
    net = torch.nn.Sequential(
        torch.nn.Linear(x.shape[1], 8), torch.nn.ReLU(),
        torch.nn.Linear(8, 8), torch.nn.ReLU(),
        torch.nn.Linear(8, classes))
    with torch.no_grad():
        for key, p in net.state_dict().items():
            p.copy_(torch.tensor([float(v) for v in base["init"][key]["values"]]).reshape(p.shape))
    weights = [p for key, p in net.named_parameters() if key.endswith("weight")]
    opt = optimizer(opt_name, settings, net.parameters())
    losses, clipped = [], [0, 0]  # steps clipped, steps
    for _ in range(epochs):
        for start in range(0, len(x), batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            opt.zero_grad()
            data_loss = torch.nn.functional.cross_entropy(net(xb), yb)
            penalty = l1 * sum(w.abs().sum() for w in weights) + l2 / 2 * sum((w * w).sum() for w in weights)
            (data_loss + penalty).backward()
            losses.append(text(data_loss.item()))
            if clip:
                norm = torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
                clipped[0] += int(norm > clip)
                clipped[1] += 1
            opt.step()
    return {
        "name": name, "flags": flags(opt_name, settings, l1, l2, clip, batch, epochs),
        "x": base["x"], "y": base["y"], "init": base["init"], "losses": losses,
        "final": {key: tensor_out(p) for key, p in net.state_dict().items()},
        **({"note": "clipped %d of %d steps" % tuple(clipped)} if clip else {}),
    }


def main():
    with open("training.json") as f:
        ref = json.load(f)
    base = next(r for r in ref["runs"] if r["name"] == "l2")
    out = {
        "generator": "PyTorch %s, float64, by l1_runs.py; initial tensors and data are training.json's l2 run's" % torch.__version__,
        "batch": ref["batch"], "epochs": ref["epochs"],
        "note": "batches in row order, the last one smaller; loss is the data's mean over the batch, without the penalty; L1 (and L2) on Linear weights only",
        "runs": [run(base, ref["batch"], ref["epochs"], *r) for r in RUNS],
    }
    json.dump(out, __import__("sys").stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
