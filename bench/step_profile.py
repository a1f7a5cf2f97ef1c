#!/usr/bin/env python3
"""Where one training step's time goes, measured inside a real run: every product and pass of a
step, as `perceptron train` runs them, timed by uprobes at the entry and return of the C functions
that run them (needs `perf` from Debian's linux-perf, and root for the probes).

    python3 bench/step_profile.py [--binary .build/release/perceptron] -- --hidden 1024,1024 \
        --activation relu --precision fp32 --epochs 2 --no-doctor

Prints, for the most common sequence of calls between two batch loads, each call's median duration
and the median gap before it, then the step's period. `perceptron_matmul_run` is a matmul primitive,
`perceptron_sgemm` a `dnnl_sgemm`, `addition_run` / `add_and_round` the momentum update (fp32 / bf16),
`derivative_run` an activation's derivative, `load` the batch gather. A report, never a test.
"""
import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

FUNCTIONS = ["perceptron_matmul_run", "perceptron_sgemm", "perceptron_addition_run", "perceptron_add_and_round",
             "perceptron_derivative_run"]


def run(command, **kw):
    return subprocess.run(command, check=True, text=True, **kw)


def load_symbol(binary):
    """The specialised `Workspace.load(_:indices:)`, whose entry starts each step."""
    names = run(["nm", binary], capture_output=True).stdout.split("\n")
    for line in names:
        parts = line.split()
        if len(parts) == 3 and "9WorkspaceV4load_7indices" in parts[2] and parts[2].endswith("Sf_Tg5") and "XEfU_" not in parts[2]:
            return parts[2]
    sys.exit("step_profile: no specialised Workspace.load in " + binary)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/perceptron")
    parser.add_argument("train", nargs=argparse.REMAINDER, help="perceptron train's options, after --")
    args = parser.parse_args()
    if shutil.which("perf") is None:
        sys.exit("step_profile: perf is not installed (apt-get install linux-perf)")
    binary = os.path.realpath(args.binary)
    train = [a for a in args.train if a != "--"]
    probes = [(f, f) for f in FUNCTIONS] + [("load", "load=" + load_symbol(binary))]
    subprocess.run(["perf", "probe", "-q", "-d", "probe_perceptron:*"], capture_output=True)
    try:
        for _, spec in probes:
            run(["perf", "probe", "-q", "-x", binary, spec])
            run(["perf", "probe", "-q", "-x", binary, spec + "%return"])
        with tempfile.TemporaryDirectory() as folder:
            data = os.path.join(folder, "perf.data")
            run(["perf", "record", "-q", "-e", "probe_perceptron:*", "-o", data, binary, "train", *train,
                 "--out", os.path.join(folder, "run")], stdout=subprocess.DEVNULL)
            script = run(["perf", "script", "-i", data, "-F", "tid,time,event"], capture_output=True).stdout
    finally:
        subprocess.run(["perf", "probe", "-q", "-d", "probe_perceptron:*"], capture_output=True)
    report(script)


def report(script):
    steps, current, started, main_thread = [], None, {}, None
    for line in script.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        thread, time, event = parts[0], float(parts[1].rstrip(":")), parts[2].split(":")[1]
        main_thread = main_thread or thread
        returning = event.endswith("__return")
        name = event.replace("__return", "").replace("perceptron_", "")
        if name == "load" and not returning:
            if current:
                steps.append(current)
            current = []
        if current is None:
            continue
        key = (thread, name)
        if not returning:
            started[key] = time
        elif key in started:
            current.append((name if thread == main_thread else name + " (other thread)", started.pop(key), time))
    if not steps:
        sys.exit("step_profile: no training step was seen")
    pattern, count = collections.Counter(tuple(c[0] for c in s) for s in steps).most_common(1)[0]
    chosen = [s for s in steps if tuple(c[0] for c in s) == pattern]
    periods = [b[0][1] - a[0][1] for a, b in zip(steps, steps[1:]) if tuple(c[0] for c in a) == pattern]
    print(f"{len(steps)} steps, {count} of them in the most common sequence; step period median "
          f"{statistics.median(periods) * 1e6:.0f} µs")
    total = 0.0
    for i, name in enumerate(pattern):
        duration = statistics.median(s[i][2] - s[i][1] for s in chosen)
        gap = statistics.median(s[i][1] - s[i - 1][2] for s in chosen) if i else 0.0
        if "(other thread)" not in name:  # a call beside the calling thread's own (its gap is negative)
            total += duration
        print(f"{i:3d}  {name:32s} {duration * 1e6:8.1f} µs   gap before {gap * 1e6:6.1f} µs")
    print(f"sum of the calling thread's medians {total * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
