"""What the peers of `perceptron bench` share: MNIST from IDX files, the protocol, the three
architectures, the initialisation, the command line and the JSON result.

The protocol (the same as `perceptron bench`):
  train on the 60,000 training images, evaluate once on the 10,000 test images;
  batch 128, the last partial batch (60,000 = 468·128 + 96) included; shuffled every epoch;
  SGD with classic momentum 0.9 (v ← μv − η∇, θ ← θ + v); mean softmax cross-entropy;
  Glorot-uniform weights for the sigmoid net, He-normal for the ReLU nets, zero biases; float32.

  A  784-100-10        sigmoid  lr 0.5
  B  784-800-10        ReLU     lr 0.05
  C  784-1024-1024-10  ReLU     lr 0.05

Only the training loop is timed (shuffle, batch gather, forward, backward, update); evaluation is
timed separately. This module imports numpy only, so each peer can fix its threads before it
imports its framework (`configure_threads`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAIN_COUNT = 60_000
TEST_COUNT = 10_000
BATCH_SIZE = 128
MOMENTUM = 0.9


@dataclass(frozen=True)
class Arch:
    name: str
    sizes: tuple[int, ...]
    activation: str  # "sigmoid" or "relu"
    learning_rate: float

    @property
    def initializer(self) -> str:
        return "he" if self.activation == "relu" else "glorot"

    def gemm_flops_per_epoch(self, examples: int = TRAIN_COUNT) -> float:
        """2·m·n·k for each product of an epoch: forward and weight gradient for every layer, the
        input gradient above the first (the same count as `perceptron bench`)."""
        per_example = 0.0
        for l in range(1, len(self.sizes)):
            per_example += 2.0 * self.sizes[l - 1] * self.sizes[l] * (3 if l > 1 else 2)
        return per_example * examples


ARCHS = {
    "A": Arch("A", (784, 100, 10), "sigmoid", 0.5),
    "B": Arch("B", (784, 800, 10), "relu", 0.05),
    "C": Arch("C", (784, 1024, 1024, 10), "relu", 0.05),
    # `perceptron train --preset fast` (examples/preset-fast.json), for the time-to-accuracy row:
    # run with --schedule cosine --epochs 9.
    "fast": Arch("fast", (784, 800, 10), "relu", 0.1),
}


# ---------------------------------------------------------------------------------------------
# Command line and threads

def parse_args(engine: str, argv=None, extra=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=f"{engine} peer of `perceptron bench`: train one architecture on MNIST.")
    p.add_argument("--arch", choices=sorted(ARCHS), default="B")
    p.add_argument("--epochs", type=int, default=3, help="epochs to time (default 3)")
    p.add_argument("--threads", type=int, default=2, help="threads (default 2)")
    p.add_argument("--data", default=None, help="MNIST folder (default: $PERCEPTRON_DATA or data/mnist)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--precision", choices=["fp32"], default="fp32", help="only fp32")
    p.add_argument("--json", action="store_true", help="print one JSON object (last line of stdout)")
    if extra:
        extra(p)
    args = p.parse_args(argv)
    if args.epochs < 1:
        p.error("--epochs must be at least 1")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    return args


def configure_threads(n: int) -> dict:
    """Call before importing numpy's BLAS, JAX or PyTorch: sets the usual thread variables and, when
    fewer threads than usable cores are asked for, pins the process to the first `n` of them (XLA's
    CPU thread pool has no size knob, but follows the affinity mask)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = str(n)
    cpus = sorted(os.sched_getaffinity(0))
    if n < len(cpus):
        os.sched_setaffinity(0, cpus[:n])
    return {"threads": n, "cpus": sorted(os.sched_getaffinity(0))}


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# MNIST from IDX files

def _open(path: Path) -> bytes:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            raw = candidate.read_bytes()
            return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    raise FileNotFoundError(f"{path} (or {path.name}.gz) not found: run `make fetch` first")


def read_idx_images(path: Path):
    import numpy as np
    raw = _open(path)
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x00000803:
        raise ValueError(f"{path}: magic {magic:#010x} is not an IDX image file (0x00000803)")
    pixels = np.frombuffer(raw, dtype=np.uint8, count=count * rows * cols, offset=16)
    return (pixels.reshape(count, rows * cols).astype(np.float32) / np.float32(255.0))


def read_idx_labels(path: Path):
    import numpy as np
    raw = _open(path)
    magic, count = struct.unpack(">II", raw[:8])
    if magic != 0x00000801:
        raise ValueError(f"{path}: magic {magic:#010x} is not an IDX label file (0x00000801)")
    return np.frombuffer(raw, dtype=np.uint8, count=count, offset=8).astype(np.int32)


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("PERCEPTRON_DATA"):
        return Path(os.environ["PERCEPTRON_DATA"])
    return ROOT / "data" / "mnist"


def load_mnist(folder: Path):
    """(train_x [60000, 784] float32 in [0, 1], train_y int32, test_x [10000, 784], test_y)."""
    xtr = read_idx_images(folder / "train-images-idx3-ubyte")
    ytr = read_idx_labels(folder / "train-labels-idx1-ubyte")
    xte = read_idx_images(folder / "t10k-images-idx3-ubyte")
    yte = read_idx_labels(folder / "t10k-labels-idx1-ubyte")
    if (len(xtr), len(ytr), len(xte), len(yte)) != (TRAIN_COUNT, TRAIN_COUNT, TEST_COUNT, TEST_COUNT):
        raise ValueError(f"unexpected MNIST sizes {len(xtr)}/{len(ytr)}/{len(xte)}/{len(yte)}")
    return xtr, ytr, xte, yte


# ---------------------------------------------------------------------------------------------
# Initialisation, batches

def init_params(arch: Arch, seed: int):
    """[(W [in, out] float32, b [out] float32)] — Glorot-uniform U(±√(6/(in+out))) for sigmoid,
    He-normal N(0, √(2/in)) for ReLU (every layer, as `perceptron`), zero biases. The same weights
    for every peer given the seed (a framework that stores [out, in] transposes them)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(arch.sizes[:-1], arch.sizes[1:]):
        if arch.initializer == "glorot":
            r = (6.0 / (fan_in + fan_out)) ** 0.5
            w = rng.uniform(-r, r, size=(fan_in, fan_out))
        else:
            w = rng.normal(0.0, (2.0 / fan_in) ** 0.5, size=(fan_in, fan_out))
        params.append((w.astype(np.float32), np.zeros(fan_out, dtype=np.float32)))
    return params


def epoch_order(rng, count: int = TRAIN_COUNT, batch_size: int = BATCH_SIZE):
    """One epoch's shuffled index batches (int32), the last partial one included."""
    import numpy as np
    perm = rng.permutation(count).astype(np.int32)
    return [perm[i:i + batch_size] for i in range(0, count, batch_size)]


# ---------------------------------------------------------------------------------------------
# Results

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kilobytes on Linux


def median(values):
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else 0.5 * (s[len(s) // 2 - 1] + s[len(s) // 2])


def result(engine: str, args, arch: Arch, epoch_seconds, test_accuracy: float, eval_seconds: float,
           train_loss=None, timing: str = "", **extra) -> dict:
    """The JSON object: the keys of `perceptron bench --json` that apply to a peer, and its own."""
    med = median(epoch_seconds)
    out = {
        "engine": engine, "arch": arch.name, "precision": args.precision, "sizes": list(arch.sizes),
        "activation": arch.activation, "threads": args.threads,
        "epoch_seconds": [round(s, 6) for s in epoch_seconds], "median_epoch_seconds": med,
        "min_epoch_seconds": min(epoch_seconds), "max_epoch_seconds": max(epoch_seconds),
        "samples_per_second": TRAIN_COUNT / med,
        "gflops": arch.gemm_flops_per_epoch() / med / 1e9,
        "peak_rss_mb": peak_rss_mb(),
        "eval_images_per_second": TEST_COUNT / eval_seconds,
        "test_accuracy": float(test_accuracy),
        "test_images": TEST_COUNT,
        "timing": timing or "median over all timed epochs; training loop only (evaluation excluded)",
        "python": platform.python_version(),
    }
    if train_loss is not None:
        out["train_loss"] = [round(float(l), 6) for l in train_loss]
    out.update(extra)
    return out


def emit(res: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(res, sort_keys=True), flush=True)
        return
    print(f"{res['engine']} arch {res['arch']} {'-'.join(map(str, res['sizes']))} {res['activation']}, {res['threads']} threads")
    print(f"  s/epoch        median {res['median_epoch_seconds']:.3f}  min {res['min_epoch_seconds']:.3f}"
          f"  max {res['max_epoch_seconds']:.3f}  over {len(res['epoch_seconds'])} epochs ({res['timing']})")
    print(f"  samples/s      {res['samples_per_second']:.0f}")
    print(f"  GFLOP/s        {res['gflops']:.1f} (GEMM flops of an epoch / median epoch)")
    print(f"  peak RSS       {res['peak_rss_mb']:.1f} MB")
    print(f"  evaluation     {res['eval_images_per_second']:.0f} images/s")
    if "train_loss" in res:
        print(f"  train loss     {', '.join(f'{l:.4f}' for l in res['train_loss'])}")
    print(f"  test accuracy  {100 * res['test_accuracy']:.2f}% (10,000 images, after {len(res['epoch_seconds'])} epochs)")


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
