#!/usr/bin/env python3
"""PyTorch peer of `perceptron bench`: eager nn.Sequential + torch.optim.SGD(momentum=0.9), CPU,
torch.set_num_threads(threads), float32.

    python bench/peers/torch_mlp.py --arch B --epochs 3 --threads 2 --json

torch.optim.SGD's momentum (dampening 0, no Nesterov) is  b ← μb + g,  θ ← θ − ηb.  With v = −ηb
and a constant η that is  v ← μv − ηg,  θ ← θ + v:  the classic update of `perceptron`
(`--check-momentum` verifies this numerically and exits). The first timed epoch also pays
oneDNN's first-call costs; the median is over all timed epochs.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def extra_args(p):
    p.add_argument("--check-momentum", action="store_true",
                   help="check that torch.optim.SGD(momentum) equals the classic update, then exit")


args = common.parse_args("torch", extra=extra_args)
threads = common.configure_threads(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)


def check_momentum():
    """SGD(momentum=μ) against v ← μv − ηg, θ ← θ + v, over a few steps with changing gradients."""
    g = torch.Generator().manual_seed(0)
    theta0 = torch.randn(50, generator=g)
    p = torch.nn.Parameter(theta0.clone())
    opt = torch.optim.SGD([p], lr=0.05, momentum=0.9)
    theta, v = theta0.clone().double(), torch.zeros(50, dtype=torch.float64)
    for _ in range(20):
        grad = torch.randn(50, generator=g)
        p.grad = grad.clone()
        opt.step()
        v = 0.9 * v - 0.05 * grad.double()
        theta = theta + v
    diff = float((p.detach().double() - theta).abs().max())
    print(f"torch.optim.SGD(momentum=0.9) vs classic v ← μv − ηg, θ ← θ + v over 20 steps: max |Δθ| = {diff:.2e}")
    return diff < 1e-5


def build(arch):
    layers = []
    for l, (W, b) in enumerate(common.init_params(arch, args.seed)):
        linear = torch.nn.Linear(W.shape[0], W.shape[1])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))  # [out, in]
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if l < len(arch.sizes) - 2:
            layers.append(torch.nn.ReLU() if arch.activation == "relu" else torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def main():
    if args.check_momentum:
        sys.exit(0 if check_momentum() else 1)
    arch = common.ARCHS[args.arch]
    xtr, ytr, xte, yte = common.load_mnist(common.data_dir(args.data))
    X, Y = torch.from_numpy(xtr), torch.from_numpy(ytr.astype(np.int64))
    Xte = torch.from_numpy(xte)
    model = build(arch)
    opt = torch.optim.SGD(model.parameters(), lr=arch.learning_rate, momentum=common.MOMENTUM)
    rng = np.random.default_rng([args.seed, 1])

    epoch_seconds, losses = [], []
    for epoch in range(args.epochs):
        total = torch.zeros((), dtype=torch.float64)
        with common.Stopwatch() as sw:
            for idx in common.epoch_order(rng):
                i = torch.from_numpy(idx)
                x, y = X.index_select(0, i), Y.index_select(0, i)
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                total += loss.detach() * len(idx)
        epoch_seconds.append(sw.seconds)
        losses.append(float(total) / common.TRAIN_COUNT)
        common.log(f"torch {arch.name} epoch {epoch + 1}: {sw.seconds:.3f} s, loss {losses[-1]:.4f}")

    with torch.inference_mode(), common.Stopwatch() as ev:
        predicted = model(Xte).argmax(dim=1).numpy()
    accuracy = float(np.mean(predicted == yte))

    res = common.result(
        "torch", args, arch, epoch_seconds, accuracy, ev.seconds, train_loss=losses,
        torch_version=torch.__version__, numpy_version=np.__version__, cpus=threads["cpus"],
        torch_threads=torch.get_num_threads(), mkldnn=torch.backends.mkldnn.is_available(),
        cpu_capability=torch.backends.cpu.get_cpu_capability(),
        backend=f"PyTorch {torch.__version__} eager, {torch.backends.cpu.get_cpu_capability()}")
    common.emit(res, args.json)


if __name__ == "__main__":
    main()
