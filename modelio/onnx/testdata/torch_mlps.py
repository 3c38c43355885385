"""Exports PyTorch 1.13 MLPs with torch.onnx.export for import_test.go.

Usage: python3 torch_mlps.py OUTDIR
Writes OUTDIR/<name>.onnx for each network below, and prints one JSON list
of {name, file, opset, x, logits, softmax_at_end, sigmoid_at_end} to stdout:
PyTorch's logits (before any final softmax or sigmoid) for the inputs x.
"""
import io, json, os, sys, contextlib
import torch
from torch import nn


class MatMulLinear(nn.Module):
    """A Linear layer written as x @ W + b, which exports as MatMul and Add."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_in, n_out) / n_in ** 0.5)
        self.b = nn.Parameter(torch.randn(n_out))

    def forward(self, x):
        return x @ self.w + self.b


def networks():
    """(name, sequential, what ends it: None, "softmax" or "sigmoid") for each
    test network."""
    def mlp(*acts, n_in=5, width=7, n_out=3):
        layers, k = [], n_in
        for a in acts:
            layers += [nn.Linear(k, width), a]
            k = width
        layers.append(nn.Linear(k, n_out))
        return nn.Sequential(*layers)

    yield "relu-tanh-sigmoid", mlp(nn.ReLU(), nn.Tanh(), nn.Sigmoid()), None
    yield "leaky-elu-selu-celu", mlp(nn.LeakyReLU(0.2), nn.ELU(0.5), nn.SELU(), nn.CELU(2.0)), None
    yield "gelu-geluTanh-silu-mish", mlp(nn.GELU(), nn.GELU(approximate="tanh"), nn.SiLU(), nn.Mish()), None
    yield "softplus-softsign-logsigmoid", mlp(nn.Softplus(), nn.Softplus(beta=2.0), nn.Softsign(), nn.LogSigmoid()), None
    yield "hard-ones", mlp(nn.Hardtanh(-0.5, 2.0), nn.ReLU6(), nn.Hardsigmoid(), nn.Hardswish()), None
    yield "prelu-dropout-flatten", nn.Sequential(nn.Flatten(), nn.Linear(5, 7), nn.PReLU(7), nn.Dropout(0.3),
                                                 nn.Linear(7, 6), nn.PReLU(), nn.Identity(), nn.Linear(6, 3)), None
    yield "matmul-add", nn.Sequential(MatMulLinear(5, 6), nn.Tanh(), MatMulLinear(6, 3)), None
    yield "softmax-at-end", nn.Sequential(mlp(nn.ReLU()), nn.Softmax(dim=1)), "softmax"
    yield "sigmoid-at-end", nn.Sequential(mlp(nn.Tanh(), n_out=1), nn.Sigmoid()), "sigmoid"
    # equal tensors, which the exporter stores once and gives the others
    # through Identity nodes (tie, below)
    yield "equal-weights", nn.Sequential(nn.Linear(5, 7), nn.PReLU(), nn.Linear(7, 7), nn.PReLU(),
                                         nn.Linear(7, 7), nn.Linear(7, 3)), None


# The first opset at which PyTorch 1.13 exports each network whose modules
# need more than opset 7: CELU is an operator of 12, GELU's Erf of 9.
FIRST_OPSET = {"leaky-elu-selu-celu": 12, "gelu-geluTanh-silu-mish": 9}

# The opsets exported: the bounds of what wiggle reads that PyTorch 1.13
# writes (7 to 17), and those between them where an operator changed.
OPSETS = [7, 9, 11, 12, 13, 14, 15, 16, 17]


def tie(name, net):
    """Makes some of a network's tensors equal, after their random values."""
    if name == "equal-weights":
        with torch.no_grad():
            net[3].weight.copy_(net[1].weight)
            net[4].weight.copy_(net[2].weight)
            net[0].bias.zero_()
            net[2].bias.zero_()


def main():
    out_dir = sys.argv[1]
    results = []
    for opset in OPSETS:
        for i, (name, net, end) in enumerate(networks()):
            if opset < FIRST_OPSET.get(name, 7):
                continue
            torch.manual_seed(1000 * opset + i)
            for p in net.parameters():  # weights large enough to reach the kinks and tails
                with torch.no_grad():
                    p.copy_(torch.randn_like(p))
            tie(name, net)
            net.eval()
            x = 3 * torch.randn(16, 5)
            x[0] = 0
            with torch.no_grad():
                logits = (net[:-1] if end else net)(x)
            path = os.path.join(out_dir, f"{name}-opset{opset}.onnx")
            with contextlib.redirect_stdout(io.StringIO()):
                torch.onnx.export(net, x[:1], path, opset_version=opset, input_names=["input"],
                                  output_names=["output"], dynamic_axes={"input": {0: "N"}})
            results.append({"name": f"{name}-opset{opset}", "file": path, "x": x.tolist(),
                            "logits": logits.tolist(), "softmax_at_end": end == "softmax",
                            "sigmoid_at_end": end == "sigmoid"})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
