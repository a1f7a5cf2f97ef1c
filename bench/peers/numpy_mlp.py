#!/usr/bin/env python3
"""numpy peer of `perceptron bench`: the MLP by hand in plain numpy (its OpenBLAS), float32.

    python bench/peers/numpy_mlp.py --arch B --epochs 3 --threads 2 --json

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set in the environment (they are on some machines
here), make the OpenBLAS bundled with a current numpy pick a slow kernel: this script drops both
before numpy loads (pass --keep-openblas-env to keep them) and reports what it dropped and the
kernel threadpoolctl sees.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def extra_args(p):
    p.add_argument("--keep-openblas-env", action="store_true",
                   help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE from the environment")


args = common.parse_args("numpy", extra=extra_args)
dropped = {}
if not args.keep_openblas_env:
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            dropped[var] = os.environ.pop(var)
threads = common.configure_threads(args.threads)

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

f32 = np.float32


def forward(params, x, activation):
    """Activations of every layer (input first) and the logits."""
    acts = [x]
    h = x
    for W, b in params[:-1]:
        z = h @ W
        z += b
        if activation == "relu":
            np.maximum(z, f32(0), out=z)
        else:
            with np.errstate(over="ignore"):
                np.negative(z, out=z)
                np.exp(z, out=z)
                z += f32(1)
                np.reciprocal(z, out=z)
        acts.append(z)
        h = z
    W, b = params[-1]
    logits = h @ W
    logits += b
    return acts, logits


def train_step(params, velocity, x, y, lr, activation):
    acts, logits = forward(params, x, activation)
    n = x.shape[0]
    # softmax cross-entropy, mean over the batch
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = float(np.mean(np.log(s[:, 0]) - logits[rows, y]))
    delta = e / s
    delta[rows, y] -= f32(1)
    delta *= f32(1.0 / n)
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        gW = acts[l].T @ delta
        gb = delta.sum(axis=0)
        if l > 0:
            delta = delta @ W.T
            a = acts[l]
            if activation == "relu":
                delta *= (a > 0)
            else:
                delta *= a * (f32(1) - a)
        vW, vb = velocity[l]
        vW *= f32(common.MOMENTUM); vW -= f32(lr) * gW; W += vW  # noqa: E702
        vb *= f32(common.MOMENTUM); vb -= f32(lr) * gb; b += vb  # noqa: E702
    return loss


def main():
    arch = common.ARCHS[args.arch]
    xtr, ytr, xte, yte = common.load_mnist(common.data_dir(args.data))
    params = common.init_params(arch, args.seed)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    rng = np.random.default_rng([args.seed, 1])

    epoch_seconds, losses = [], []
    with threadpool_limits(limits=args.threads):
        for epoch in range(args.epochs):
            with common.Stopwatch() as sw:
                total = 0.0
                batches = common.epoch_order(rng)
                for idx in batches:
                    total += train_step(params, velocity, xtr[idx], ytr[idx], arch.learning_rate, arch.activation) * len(idx)
            epoch_seconds.append(sw.seconds)
            losses.append(total / common.TRAIN_COUNT)
            common.log(f"numpy {arch.name} epoch {epoch + 1}: {sw.seconds:.3f} s, loss {losses[-1]:.4f}")

        with common.Stopwatch() as ev:
            _, logits = forward(params, xte, arch.activation)
            accuracy = float(np.mean(logits.argmax(axis=1) == yte))

    blas = [{k: v for k, v in info.items() if k in ("internal_api", "version", "architecture", "num_threads", "threading_layer", "filepath")}
            for info in threadpool_info() if info.get("user_api") == "blas"]
    res = common.result("numpy", args, arch, epoch_seconds, accuracy, ev.seconds, train_loss=losses,
                        numpy_version=np.__version__, blas=blas, openblas_env_dropped=dropped,
                        cpus=threads["cpus"],
                        backend=", ".join(f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')}" for b in blas))
    common.emit(res, args.json)


if __name__ == "__main__":
    main()
