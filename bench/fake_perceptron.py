#!/usr/bin/env python3
"""A stand-in for `perceptron bench`, to try bench/run.py without the Swift build:

    python3 bench/run.py --perceptron "python3 bench/fake_perceptron.py" --archs A --rounds 1

It sleeps a little and prints made-up numbers in the shape of `perceptron bench --json`.
FAKE_NO_BF16=1 hides --precision (as before bf16 exists); FAKE_CPU_NO_BF16=1 accepts it but trains
in fp32 (a CPU without bfloat16 instructions); FAKE_FAIL=B makes arch B fail.
"""

import argparse
import json
import os
import random
import sys
import time

SECONDS = {"A": 0.15, "B": 0.6, "C": 2.4}
SIZES = {"A": [784, 100, 10], "B": [784, 800, 10], "C": [784, 1024, 1024, 10]}

if len(sys.argv) < 2 or sys.argv[1] != "bench":
    sys.exit("fake perceptron: only `bench` is faked")
p = argparse.ArgumentParser(prog="perceptron bench")
p.add_argument("--arch", default="B", choices=["A", "B", "C"])
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--json", action="store_true")
p.add_argument("--seed", type=int, default=1)
if not os.environ.get("FAKE_NO_BF16"):
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
args = p.parse_args(sys.argv[2:])
precision = getattr(args, "precision", "fp32")
if os.environ.get("FAKE_CPU_NO_BF16"):
    precision = "fp32"  # what `perceptron bench --precision bf16` measures where the CPU has no bfloat16
if args.arch in os.environ.get("FAKE_FAIL", "").split(","):
    sys.exit(f"fake failure for arch {args.arch}")

base = SECONDS[args.arch] * (0.45 if precision == "bf16" else 1.0) / 20  # 20× faster than real, to test quickly
epochs = [base * random.uniform(0.9, 1.3) for _ in range(args.epochs)]
time.sleep(sum(epochs))
med = sorted(epochs)[len(epochs) // 2]
sizes = SIZES[args.arch]
flops = sum(2 * sizes[l - 1] * sizes[l] * (3 if l > 1 else 2) for l in range(1, len(sizes))) * 60000
print("some progress line that is not JSON")
print(json.dumps({
    "engine": "perceptron", "arch": args.arch, "precision": precision, "sizes": sizes, "threads": args.threads,
    "backend": "FAKE oneDNN v3.x, ISA avx512_core_amx", "epoch_seconds": epochs, "median_epoch_seconds": med,
    "samples_per_second": 60000 / med, "gflops": flops / med / 1e9, "gemm_seconds_per_epoch": 0.88 * med,
    "floor_seconds_per_epoch": 0.8 * med,
    "gemm_share": 0.88, "peak_rss_mb": 120 + sizes[1] / 10, "eval_images_per_second": 1e6,
    "test_accuracy": 0.97 + random.uniform(0, 0.01) - (0.001 if precision == "bf16" else 0),
}, sort_keys=True))
