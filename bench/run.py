#!/usr/bin/env python3
"""bench/run.py: `make bench`, the peer comparison of `perceptron bench`.

For each architecture (A, B, C) it runs `perceptron bench --json` and each available peer (JAX,
PyTorch, numpy: bench/peers/) interleaved, round after round (perceptron, jax, torch, numpy,
perceptron, jax, ...), so that every ratio compares runs made back to back; it quotes the median
over the rounds of each engine's median s/epoch, and the median over the rounds of the per-round
ratios. Then the acceptance checks of the performance issue, as PASS / FAIL / SKIP lines.

It is a report, never a test: it exits 0 whatever the checks say (unless --strict).

    python3 bench/run.py                         # all, ~5-10 minutes on 2 cores
    python3 bench/run.py --archs B --rounds 5 --peers jax
    python3 bench/run.py --markdown BENCHMARKS.md --json runs/bench.json
    python3 bench/run.py --accuracy              # + bf16 vs fp32 after 10 epochs
    python3 bench/run.py --precision bf16        # perceptron in bf16 only (the peers stay fp32)
    python3 bench/run.py --perceptron "python3 bench/fake_perceptron.py"  # without Swift
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = {"jax": "peers/jax_mlp.py", "torch": "peers/torch_mlp.py", "numpy": "peers/numpy_mlp.py"}
PEER_LABEL = {"jax": "JAX", "torch": "PyTorch", "numpy": "numpy"}
DEFAULT_EPOCHS = {"A": 3, "B": 3, "C": 2}
BF16_ARCHS = ("B", "C")
ACCURACY_EPOCHS = 10
FAST_EPOCHS = 9  # the epochs of examples/preset-fast.json
# The numpy peer runs without these (they make current numpy's OpenBLAS pick a slow kernel).
NUMPY_ENV_DROP = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def median(values):
    s = sorted(v for v in values if v is not None)
    if not s:
        return None
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def csv(text, allowed=None):
    items = [t.strip() for t in text.split(",") if t.strip()]
    if allowed is not None:
        bad = [t for t in items if t not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"{', '.join(bad)}: choose from {', '.join(allowed)}")
    return items


# ---------------------------------------------------------------------------------------------
# Engines

class Engine:
    """One thing to time: perceptron (fp32 or bf16) or a peer."""

    def __init__(self, key, label, base_cmd, env=None, precision="fp32", env_note=""):
        self.key, self.label, self.base_cmd = key, label, base_cmd
        self.env, self.precision, self.env_note = env, precision, env_note

    def command(self, arch, epochs, threads):
        cmd = self.base_cmd + ["--arch", arch, "--epochs", str(epochs), "--threads", str(threads), "--json"]
        if self.precision != "fp32":
            cmd += ["--precision", self.precision]
        return cmd

    def shell(self, arch, epochs, threads):
        """The command as one would type it, from the repository's root."""
        def rel(part):
            try:
                return str(Path(part).relative_to(ROOT)) if os.path.isabs(part) else part
            except ValueError:
                return part
        prefix = self.env_note + " " if self.env_note else ""
        return prefix + " ".join(shlex.quote(rel(p)) for p in self.command(arch, epochs, threads))


def peer_python():
    venv = HERE / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def find_engines(opts):
    """The engines to run, and the messages about those skipped."""
    engines, skipped = [], []

    # perceptron
    base = shlex.split(opts.perceptron) if opts.perceptron else [str(ROOT / ".build" / "release" / "perceptron")]
    exe = base[0]
    bf16 = False
    if os.sep in exe and not os.path.exists(exe):
        skipped.append(f"perceptron: {exe} not found (swift build -c release --product perceptron): skipped")
    else:
        try:
            help_run = subprocess.run(base + ["bench", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT)
            ok = help_run.returncode == 0
            bf16 = "--precision" in help_run.stdout
        except (OSError, subprocess.TimeoutExpired) as error:
            ok, help_run = False, error
        if not ok:
            skipped.append(f"perceptron: `{' '.join(base)} bench --help` failed (no bench subcommand yet?): skipped")
        else:
            if "fp32" in opts.precision:
                engines.append(Engine("perceptron", "perceptron", base + ["bench"]))
            wants_bf16 = "bf16" in opts.precision and opts.bf16 != "off"
            if wants_bf16 and bf16:
                engines.append(Engine("perceptron-bf16", "perceptron bf16", base + ["bench"], precision="bf16"))
            elif wants_bf16:
                skipped.append("perceptron bf16: `perceptron bench` has no --precision yet: bf16 skipped")

    # peers
    py = peer_python()
    for peer in opts.peers:
        module = {"jax": "jax", "torch": "torch", "numpy": "numpy"}[peer]
        env = None
        note = ""
        if peer == "numpy":
            env = {k: v for k, v in os.environ.items() if k not in NUMPY_ENV_DROP}
            note = "env " + " ".join(f"-u {k}" for k in NUMPY_ENV_DROP)
        try:
            check = subprocess.run([py, "-c", f"import {module}"], capture_output=True, text=True, timeout=120, env=env)
            ok = check.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if not ok:
            hint = "BENCH_TORCH=1 bench/setup.sh" if peer == "torch" else "bench/setup.sh"
            skipped.append(f"{peer}: `import {module}` fails in {py} ({hint}): skipped")
            continue
        engines.append(Engine(peer, PEER_LABEL[peer], [py, str(HERE / PEERS[peer])], env=env, env_note=note))
    return engines, skipped


def run_one(engine, arch, epochs, threads, timeout):
    cmd = engine.command(arch, epochs, threads)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    record = {"engine": engine.key, "arch": arch, "epochs": epochs, "command": engine.shell(arch, epochs, threads),
              "load_before": round(load, 2)}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=engine.env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        record.update(error=f"timed out after {timeout} s", wall_seconds=timeout)
        return record
    except OSError as error:
        record.update(error=str(error), wall_seconds=0.0)
        return record
    record["wall_seconds"] = round(time.perf_counter() - start, 3)
    record["load_after"] = round(os.getloadavg()[0], 2)
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    parsed = None
    if lines:
        try:
            parsed = json.loads(lines[-1])
        except json.JSONDecodeError:
            parsed = None
    if proc.returncode != 0 or not isinstance(parsed, dict) or "median_epoch_seconds" not in parsed:
        tail = (proc.stderr.strip().splitlines() or lines or ["(no output)"])[-3:]
        record["error"] = f"exit {proc.returncode}: " + " | ".join(tail)
        return record
    if engine.precision != "fp32" and parsed.get("precision") != engine.precision:
        # `perceptron bench` falls back to fp32 where the CPU has no bfloat16 instructions: not a failure.
        record["error"] = (f"asked for {engine.precision}, measured {parsed.get('precision')}: "
                           f"no {engine.precision} on this CPU")
        record["unavailable"] = True
        return record
    record["result"] = parsed
    return record


# ---------------------------------------------------------------------------------------------
# Summary

def results_of(runs, arch, engine):
    return [r["result"] for r in runs if r["arch"] == arch and r["engine"] == engine and "result" in r]


def per_round_ratio(runs, arch, num, den, key="median_epoch_seconds"):
    """Median over rounds of num's s/epoch (or its `key`) ÷ den's s/epoch, in rounds where both ran."""
    ratios = []
    for rnd in sorted({r["round"] for r in runs if r["arch"] == arch}):
        a = [r for r in runs if r["arch"] == arch and r["round"] == rnd and r["engine"] == num and "result" in r]
        b = [r for r in runs if r["arch"] == arch and r["round"] == rnd and r["engine"] == den and "result" in r]
        if a and b and a[0]["result"].get(key) is not None:
            ratios.append(a[0]["result"][key] / b[0]["result"]["median_epoch_seconds"])
    return median(ratios), ratios


def summarize(runs, archs, engines):
    keys = [e.key for e in engines]
    summary = {}
    for arch in archs:
        row = {}
        for key in keys:
            res = results_of(runs, arch, key)
            if not res:
                continue
            row[key] = {
                "rounds": len(res),
                "median_epoch_seconds": median(r["median_epoch_seconds"] for r in res),
                "min_round": min(r["median_epoch_seconds"] for r in res),
                "max_round": max(r["median_epoch_seconds"] for r in res),
                "test_accuracy": median(r.get("test_accuracy") for r in res),
                "peak_rss_mb": max((r.get("peak_rss_mb") or 0) for r in res) or None,
                "gflops": median(r.get("gflops") for r in res),
                "gemm_share": median(r.get("gemm_share") for r in res),
                "epoch_over_products": median(r.get("epoch_over_products") for r in res),
                "product_efficiency": median(r.get("product_efficiency") for r in res),
                "floor_seconds_per_epoch": median(r.get("floor_seconds_per_epoch") for r in res),
                "backend": res[-1].get("backend"),
            }
        for swift in ("perceptron", "perceptron-bf16"):
            for peer in PEERS:
                if swift in row and peer in row:
                    value, ratios = per_round_ratio(runs, arch, swift, peer)
                    row.setdefault("ratios", {})[f"{swift}/{peer}"] = {"median": value, "rounds": ratios}
                    value, ratios = per_round_ratio(runs, arch, swift, peer, key="floor_seconds_per_epoch")
                    if value is not None:
                        row["ratios"][f"{swift} floor/{peer}"] = {"median": value, "rounds": ratios}
        summary[arch] = row
    return summary


def ratio(summary, arch, swift, peer):
    return summary.get(arch, {}).get("ratios", {}).get(f"{swift}/{peer}", {}).get("median")


def fmt(value, spec, suffix=""):
    return "–" if value is None else format(value, spec) + suffix


def table_rows(summary, archs):
    header = ["arch", "perceptron s/epoch", "jax", "torch", "numpy", "perceptron ÷ jax", "÷ torch", "÷ numpy",
              "floor ÷ jax", "GFLOP/s", "epoch ÷ products", "product eff.", "peak RSS", "test acc"]
    rows = []
    for arch in archs:
        row = summary.get(arch, {})
        for swift, label in (("perceptron", arch), ("perceptron-bf16", f"{arch} bf16")):
            if swift == "perceptron-bf16" and swift not in row:
                continue
            s = row.get(swift, {})
            rows.append([
                label,
                fmt(s.get("median_epoch_seconds"), ".3f"),
                *[fmt(row.get(p, {}).get("median_epoch_seconds"), ".3f") for p in PEERS],
                *[fmt(ratio(summary, arch, swift, p), ".2f") for p in PEERS],
                fmt(ratio(summary, arch, f"{swift} floor", "jax"), ".2f"),
                fmt(s.get("gflops"), ".1f"),
                fmt(s.get("epoch_over_products"), ".2f"),
                fmt(None if s.get("product_efficiency") is None else 100 * s["product_efficiency"], ".0f", " %"),
                fmt(s.get("peak_rss_mb"), ".0f", " MB"),
                fmt(None if s.get("test_accuracy") is None else 100 * s["test_accuracy"], ".2f", " %"),
            ])
    return header, rows


def engine_rows(summary, archs, engines):
    header = ["arch", "engine", "s/epoch (median)", "rounds: min–max", "rounds", "test acc", "peak RSS", "backend"]
    rows = []
    for arch in archs:
        for e in engines:
            s = summary.get(arch, {}).get(e.key)
            if not s:
                continue
            rows.append([arch, e.label, fmt(s["median_epoch_seconds"], ".3f"),
                         f"{s['min_round']:.3f}–{s['max_round']:.3f}", str(s["rounds"]),
                         fmt(None if s["test_accuracy"] is None else 100 * s["test_accuracy"], ".2f", " %"),
                         fmt(s["peak_rss_mb"], ".0f", " MB"), str(s.get("backend") or "")])
    return header, rows


def render_text(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def render_markdown(header, rows):
    numeric = [all(str(c)[:1].isdigit() or str(c)[:1] == "–" for c in col) for col in zip(*rows)] if rows else []
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if i < len(numeric) and numeric[i] else "---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def time_to_accuracy(engines, opts):
    """The fast preset's recipe, seeds 1–3, in perceptron (`train --preset fast`, fp32 or bf16 as the
    preset resolves here) and in the JAX peer (`--arch fast --schedule cosine --epochs 9`), run back
    to back: {"perceptron": [(seconds, test10k)], "jax": [...], "precision": the one perceptron trained
    in}. perceptron's seconds are the sum of its epochs' training time, its precision the run's
    `config.precision` (metrics.json); JAX's the sum of its timed epochs (compilation excluded)."""
    import tempfile
    out = {"perceptron": [], "jax": [], "precision": None}
    swift = next((e for e in engines if e.key == "perceptron"), None)
    jax_engine = next((e for e in engines if e.key == "jax"), None)
    for seed in (1, 2, 3):
        if swift:
            with tempfile.TemporaryDirectory() as folder:
                cmd = swift.base_cmd[:-1] + ["train", "--preset", "fast", "--seed", str(seed), "--quiet", "--no-doctor",
                                             "--threads", str(opts.threads), "--out", folder + "/run"]
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=opts.timeout, cwd=ROOT)
                try:
                    m = json.load(open(folder + "/run/metrics.json"))
                    seconds = sum(h.get("train_seconds", 0) for h in m["history"])
                    out["perceptron"].append((seconds, m.get("test10k_accuracy")))
                    out["precision"] = m.get("config", {}).get("precision")
                    log(f"[fast preset, seed {seed}] perceptron: {seconds:.2f} s, test10k {100 * m.get('test10k_accuracy', 0):.2f} %")
                except (OSError, KeyError, ValueError):
                    log(f"[fast preset, seed {seed}] perceptron FAILED: {proc.stderr.strip()[-300:]}")
        if jax_engine:
            cmd = jax_engine.base_cmd + ["--arch", "fast", "--schedule", "cosine", "--epochs", str(FAST_EPOCHS), "--seed", str(seed),
                                         "--threads", str(opts.threads), "--json"]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=opts.timeout, env=jax_engine.env, cwd=ROOT)
            try:
                res = json.loads([l for l in proc.stdout.splitlines() if l.strip()][-1])
                out["jax"].append((sum(res["epoch_seconds"]), res["test_accuracy"]))
                log(f"[fast preset, seed {seed}] JAX: {sum(res['epoch_seconds']):.2f} s, test10k {100 * res['test_accuracy']:.2f} %")
            except (IndexError, KeyError, ValueError):
                log(f"[fast preset, seed {seed}] JAX FAILED: {proc.stderr.strip()[-300:]}")
    return out


def checks(summary, accuracy, tta=None, unavailable=()):
    """(status, text) for each acceptance check of the performance issue; `unavailable`: the
    engines this CPU cannot run (perceptron bf16 without bfloat16 instructions), whose checks are
    skipped with that reason."""
    out = []
    no_bf16 = "this CPU has no bfloat16 instructions: perceptron trains in fp32 here"

    def limit(label, value, bound, le=True, unit="", scale=1.0, spec=".2f", why="not measured"):
        if value is None:
            out.append(("SKIP", f"{label} ({why})"))
            return
        ok = value <= bound if le else value >= bound
        shown = format(value * scale, spec) + unit
        out.append(("PASS" if ok else "FAIL", f"{label}: {shown} {'≤' if le else '≥'} {format(bound * scale, spec)}{unit}"))

    def speed(label, arch, swift, peer, bound, why="not measured"):
        """A speed goal, and where it fails, whether this CPU's floor allows it: the epoch's products
        each at the fastest way measured for its shape (perceptron bench's "floor"), ÷ the peer's epoch."""
        limit(label, ratio(summary, arch, swift, peer), bound, why=why)
        floor = ratio(summary, arch, f"{swift} floor", peer)
        if out[-1][0] == "FAIL" and floor is not None:
            out.append(("BLOCKED" if floor > bound else "OPEN",
                        f"{label}: the floor (the products alone, each at the fastest way measured for its shape) is "
                        f"{floor:.2f} × {PEER_LABEL[peer]}: {'above' if floor > bound else 'within'} the goal of {bound:.2f}"))

    # The engine issue's acceptance 1–3 (one forward and one backward pass on oneDNN primitives).
    speed("fp32 A: perceptron ÷ JAX", "A", "perceptron", "jax", 0.90)
    speed("fp32 A: perceptron ÷ numpy", "A", "perceptron", "numpy", 1.00)
    speed("fp32 B: perceptron ÷ JAX", "B", "perceptron", "jax", 0.85)
    speed("fp32 C: perceptron ÷ JAX", "C", "perceptron", "jax", 0.85)
    bf16_there = any("perceptron-bf16" in summary.get(a, {}) for a in summary)
    for arch in BF16_ARCHS:
        speed(f"bf16 {arch}: perceptron bf16 ÷ JAX (fp32)", arch, "perceptron-bf16", "jax", 0.50,
              why=no_bf16 if "perceptron-bf16" in unavailable
              else "not measured" if bf16_there else "perceptron bench has no --precision bf16")
    for arch in ("B", "C"):
        for swift, label in (("perceptron", "fp32"), ("perceptron-bf16", "bf16")):
            s = summary.get(arch, {}).get(swift, {})
            why = no_bf16 if swift in unavailable else "not measured"
            limit(f"{label} {arch}: epoch ÷ its products alone", s.get("epoch_over_products"), 1.15, why=why)
            limit(f"{label} {arch}: every product's efficiency (÷ the best bare product of its shape)",
                  s.get("product_efficiency"), 0.85, le=False, scale=100, spec=".0f", unit=" %", why=why)
    limit("peak RSS while training B", summary.get("B", {}).get("perceptron", {}).get("peak_rss_mb"), 150,
          spec=".0f", unit=" MB")
    if tta and tta["perceptron"]:
        worst = min(a for _, a in tta["perceptron"])
        limit("--preset fast: the lowest test10k accuracy of seeds 1–3", worst, 0.98, le=False, scale=100, spec=".2f", unit=" %")
        if tta["jax"]:
            ours = median([s for s, _ in tta["perceptron"]])
            theirs = median([s for s, _ in tta["jax"]])
            limit(f"--preset fast: perceptron's training time ÷ JAX's on the same recipe ({ours:.2f} s vs {theirs:.2f} s, medians)",
                  ours / theirs, 0.5)
            # The recipe's products are B's (784-800-10, batch 128), in the precision the preset trained in.
            swift = "perceptron-bf16" if tta.get("precision") == "bf16" else "perceptron"
            floor = summary.get("B", {}).get(swift, {}).get("floor_seconds_per_epoch") \
                or summary.get("B", {}).get("perceptron", {}).get("floor_seconds_per_epoch")
            if out[-1][0] == "FAIL" and floor:
                value = floor * FAST_EPOCHS / theirs
                out.append(("BLOCKED" if value > 0.5 else "OPEN",
                            f"--preset fast: the floor (B's products alone, each at the fastest way measured for its shape, "
                            f"{floor:.3f} s per epoch × {FAST_EPOCHS} epochs) is {value:.2f} × JAX's time: "
                            f"{'above' if value > 0.5 else 'within'} the goal of 0.50"))
    else:
        out.append(("SKIP", "--preset fast against JAX on the same recipe (run with --time-to-accuracy)"))
    for arch in BF16_ARCHS:
        label = f"bf16 {arch}: test accuracy within ±0.15 points of fp32 after {ACCURACY_EPOCHS} epochs"
        acc = (accuracy or {}).get(arch)
        if not acc or acc.get("fp32") is None or acc.get("bf16") is None:
            why = no_bf16 if "perceptron-bf16" in unavailable else \
                "run with --accuracy" if accuracy is None else (acc or {}).get("why", "not measured")
            out.append(("SKIP", f"{label} ({why})"))
            continue
        delta = 100 * (acc["bf16"] - acc["fp32"])
        out.append(("PASS" if abs(delta) <= 0.15 else "FAIL",
                    f"{label}: {100 * acc['bf16']:.2f} % vs {100 * acc['fp32']:.2f} %, Δ {delta:+.2f} points"))
    return out


# ---------------------------------------------------------------------------------------------
# The machine

def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    info = {}
    lscpu = {}
    for line in sh(["lscpu"]).splitlines():
        k, _, v = line.partition(":")
        lscpu[k.strip()] = v.strip()
    info["cpu"] = lscpu.get("Model name", platform.processor())
    info["cpus"] = lscpu.get("CPU(s)", str(os.cpu_count()))
    info["cores_per_socket"] = lscpu.get("Core(s) per socket")
    info["threads_per_core"] = lscpu.get("Thread(s) per core")
    flags = set(lscpu.get("Flags", "").split())
    info["isa"] = ", ".join(f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile") if f in flags)
    try:
        mem_kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        info["memory_gib"] = round(mem_kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    try:
        os_release = dict(l.rstrip().split("=", 1) for l in open("/etc/os-release") if "=" in l)
        info["os"] = os_release.get("PRETTY_NAME", "").strip('"')
    except OSError:
        info["os"] = platform.platform()
    info["kernel"] = platform.release()
    return info


def versions(runs):
    """Versions and backends, as the engines reported them."""
    seen = {}
    for r in runs:
        res = r.get("result")
        if not res:
            continue
        e = r["engine"]
        if e.startswith("perceptron"):
            seen.setdefault("perceptron backend", res.get("backend"))
        elif e == "jax":
            seen.setdefault("JAX", f"jax {res.get('jax_version')}, jaxlib {res.get('jaxlib_version')} (XLA CPU)")
        elif e == "torch":
            seen.setdefault("PyTorch", f"{res.get('torch_version')} ({res.get('cpu_capability')}, oneDNN: {res.get('mkldnn')})")
        elif e == "numpy":
            seen.setdefault("numpy", f"{res.get('numpy_version')} ({res.get('backend')}; dropped env: "
                                     f"{', '.join(res.get('openblas_env_dropped') or {}) or 'none'})")
        if res.get("python"):
            seen.setdefault("Python", res["python"])
    return {k: v for k, v in seen.items() if v}


# ---------------------------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description="perceptron vs JAX, PyTorch and numpy on MNIST MLPs (a report, not a test).")
    p.add_argument("--archs", type=lambda t: csv(t, ["A", "B", "C"]), default=["A", "B", "C"], help="default A,B,C")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    p.add_argument("--epochs", type=int, default=None, help="epochs per run (default: A 3, B 3, C 2)")
    p.add_argument("--peers", type=lambda t: csv(t, list(PEERS)), default=list(PEERS), help="default jax,torch,numpy")
    p.add_argument("--threads", type=int, default=2, help="threads for every engine (default 2)")
    p.add_argument("--precision", type=lambda t: csv(t, ["fp32", "bf16"]), default=["fp32", "bf16"],
                   help="perceptron's precisions: fp32, bf16 or fp32,bf16 (default; bf16 only on "
                        f"{','.join(BF16_ARCHS)}, where `perceptron bench` has --precision); the peers are fp32")
    p.add_argument("--bf16", choices=["auto", "off"], default="auto",
                   help=f"auto: also time `perceptron bench --precision bf16` on {','.join(BF16_ARCHS)} if it has the option")
    p.add_argument("--accuracy", action="store_true",
                   help=f"also train perceptron fp32 and bf16 for {ACCURACY_EPOCHS} epochs on B and C and compare test accuracy")
    p.add_argument("--time-to-accuracy", action="store_true",
                   help="also train the fast preset's recipe (784-800-10 ReLU, η 0.1 cosine, 9 epochs) in perceptron "
                        "and in JAX for seeds 1–3: seconds of training and test10k accuracy")
    p.add_argument("--perceptron", default=None, metavar="CMD",
                   help="the perceptron command (default .build/release/perceptron; e.g. 'python3 bench/fake_perceptron.py')")
    p.add_argument("--timeout", type=float, default=900, help="seconds allowed for one run (default 900)")
    p.add_argument("--markdown", metavar="FILE", help="write the tables, the machine and the commands as markdown")
    p.add_argument("--json", metavar="FILE", help="write every run's raw result and the summary as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 if any check FAILs")
    opts = p.parse_args(argv)

    engines, skipped = find_engines(opts)
    for message in skipped:
        log(message)
    if not engines:
        log("nothing to run")
        return 1
    epochs_of = {a: opts.epochs or DEFAULT_EPOCHS[a] for a in opts.archs}
    started = datetime.datetime.now().astimezone()
    load_start = os.getloadavg()
    log(f"bench: {', '.join(e.label for e in engines)}; archs {','.join(opts.archs)}; {opts.rounds} rounds; "
        f"load average {load_start[0]:.2f}")
    cpus = os.cpu_count() or 1
    if load_start[0] > 0.5 * cpus:
        log(f"bench: WARNING: load average {load_start[0]:.1f} on {cpus} CPUs. OpenBLAS (numpy) and OpenMP (PyTorch) "
            f"threads spin while they wait for each other, and with other work on the cores they slow down by up to "
            f"tens of times (JAX much less): these numbers will not be comparable. Measure on an idle machine.")

    runs = []
    unavailable = set()  # engines this CPU cannot run (bf16 without bfloat16 instructions): tried once
    t0 = time.perf_counter()
    for arch in opts.archs:
        arch_engines = [e for e in engines if e.precision == "fp32" or arch in BF16_ARCHS]
        for rnd in range(1, opts.rounds + 1):
            for e in arch_engines:
                if e.key in unavailable:
                    continue
                record = run_one(e, arch, epochs_of[arch], opts.threads, opts.timeout)
                record["round"] = rnd
                runs.append(record)
                tag = f"[{arch} {rnd}/{opts.rounds}] {e.label:<15}"
                if record.get("unavailable"):
                    unavailable.add(e.key)
                    log(f"{tag} not run: {record['error']} (not run again)")
                    continue
                if "result" in record:
                    res = record["result"]
                    log(f"{tag} {res['median_epoch_seconds']:.3f} s/epoch  acc {100 * res.get('test_accuracy', 0):.2f} %"
                        f"  ({record['wall_seconds']:.1f} s, load {record['load_before']:.1f})")
                else:
                    log(f"{tag} FAILED: {record['error']}")

    accuracy = None
    if opts.accuracy:
        accuracy = {}
        swift = {e.precision: e for e in engines if e.key.startswith("perceptron")}
        for arch in [a for a in BF16_ARCHS if a in opts.archs]:
            if "fp32" not in swift or "bf16" not in swift or swift["bf16"].key in unavailable:
                accuracy[arch] = {"why": "needs perceptron bench with --precision bf16"}  # checks() names a CPU without it
                continue
            accuracy[arch] = {}
            for precision in ("fp32", "bf16"):
                record = run_one(swift[precision], arch, ACCURACY_EPOCHS, opts.threads, opts.timeout)
                record["round"] = "accuracy"
                runs.append(record)
                if "result" in record:
                    accuracy[arch][precision] = record["result"].get("test_accuracy")
                    log(f"[{arch} accuracy] {precision}: {100 * accuracy[arch][precision]:.2f} % after {ACCURACY_EPOCHS} epochs")
                else:
                    accuracy[arch]["why"] = f"{precision} run failed"
                    log(f"[{arch} accuracy] {precision} FAILED: {record['error']}")
    tta = time_to_accuracy(engines, opts) if opts.time_to_accuracy else None
    total = time.perf_counter() - t0
    timed = [r for r in runs if r["round"] != "accuracy"]
    summary = summarize(timed, opts.archs, engines)
    header, rows = table_rows(summary, opts.archs)
    eheader, erows = engine_rows(summary, opts.archs, engines)
    results = checks(summary, accuracy, tta, unavailable)
    loads = [r["load_before"] for r in runs]
    load_note = (f"load average (1 min) before each run: median {median(loads):.2f}, max {max(loads):.2f}"
                 if loads else "")

    print()
    print(render_text(header, rows))
    print()
    print(render_text(eheader, erows))
    print()
    for status, text in results:
        print(f"{status:<7}  {text}")
    print()
    print(f"s/epoch: median over {opts.rounds} rounds of each run's median epoch; ratios: median over rounds of the "
          f"back-to-back ratios. {load_note}; {total / 60:.1f} minutes in all.")
    for message in skipped:
        print(f"skipped: {message}")

    if opts.json:
        Path(opts.json).parent.mkdir(parents=True, exist_ok=True)
        with open(opts.json, "w") as f:
            json.dump({"started": started.isoformat(timespec="seconds"), "argv": sys.argv[1:], "machine": machine(),
                       "versions": versions(runs), "skipped": skipped, "runs": runs, "summary": summary,
                       "accuracy": accuracy, "time_to_accuracy": tta, "checks": [{"status": s, "check": t} for s, t in results],
                       "total_seconds": total}, f, indent=1, sort_keys=True)
        log(f"wrote {opts.json}")
    if opts.markdown:
        write_markdown(opts, engines, epochs_of, summary, header, rows, eheader, erows, results, runs, skipped,
                       started, load_note, total, tta)
        log(f"wrote {opts.markdown}")
    return 1 if opts.strict and any(s == "FAIL" for s, _ in results) else 0


def write_markdown(opts, engines, epochs_of, summary, header, rows, eheader, erows, results, runs, skipped,
                   started, load_note, total, tta=None):
    m = machine()
    lines = [
        "## Peer comparison (`make bench`)",
        "",
        f"Measured {started.strftime('%Y-%m-%d %H:%M %Z')} by `bench/run.py {' '.join(shlex.quote(a) for a in sys.argv[1:])}` "
        f"in {total / 60:.1f} minutes: {opts.rounds} rounds, each engine in turn "
        f"({', '.join(e.label for e in engines)}), {opts.threads} threads; epochs per run: "
        f"{', '.join(f'{a} {n}' for a, n in epochs_of.items())}.",
        "",
        "### Machine",
        "",
        f"- CPU: {m.get('cpu')}, {m.get('cpus')} logical CPUs ({m.get('cores_per_socket')} cores × "
        f"{m.get('threads_per_core')} threads), {m.get('isa')}",
        f"- Memory: {m.get('memory_gib')} GiB; {m.get('os')}, Linux {m.get('kernel')}",
    ]
    for k, v in versions(runs).items():
        lines.append(f"- {k}: {v}")
    if load_note:
        lines.append(f"- {load_note[0].upper()}{load_note[1:]}")
    lines += [
        "",
        "### Protocol",
        "",
        "Train on the 60,000 MNIST training images, test on the 10,000 test images; batch 128 (the last partial "
        "batch included), shuffled every epoch; SGD with classic momentum 0.9 (v ← μv − η∇, θ ← θ + v); mean "
        "softmax cross-entropy; Glorot-uniform (sigmoid) / He-normal (ReLU) weights, zero biases; float32. "
        "A = 784-100-10 sigmoid (η 0.5), B = 784-800-10 ReLU (η 0.05), C = 784-1024-1024-10 ReLU (η 0.05). "
        "Only the training loop is timed. JAX jits the whole step (gather, forward, backward, momentum update) "
        "with donated buffers, compiled by warm-up steps before timing; PyTorch is eager with torch.optim.SGD (the same "
        "update for a constant η); numpy is hand-written on its OpenBLAS.",
        "",
        "s/epoch is the median over the rounds of each run's median epoch; a ratio is the median over the rounds "
        "of perceptron's s/epoch ÷ the peer's, measured back to back (< 1: perceptron is faster). bf16 rows "
        "compare perceptron in bf16 with the peers in fp32. GFLOP/s counts the GEMM flops of an epoch "
        "over the median epoch; epoch ÷ products is the median over a run's epochs of each epoch over the same products alone, replayed right after it (in training order, nothing between them); product eff. is the lowest, over the step's products, of the best bare product of its shape ÷ ours.",
        "",
        "### Results",
        "",
        render_markdown(header, rows),
        "",
        render_markdown(eheader, erows),
        "",
        "### Acceptance checks",
        "",
        *[f"- **{s}** {t}" for s, t in results],
        "",
    ]
    if tta:
        lines += ["### Time to accuracy: the fast preset's recipe", "",
                  "784-800-10 ReLU, η 0.1 with a cosine schedule over 9 epochs, momentum 0.9, batch 128, He-normal weights: "
                  "`perceptron train --preset fast --seed S` (its precision as the preset resolves on this CPU; test10k "
                  "after the epoch its validation half selects) and the JAX peer `--arch fast --schedule cosine --epochs 9 "
                  "--seed S` (fp32; test10k after the last epoch). Seconds of training, compilation excluded.", "",
                  "| seed | perceptron s | perceptron test10k | JAX s | JAX test10k |", "|---:|---:|---:|---:|---:|"]
        for i in range(3):
            p_ = tta["perceptron"][i] if i < len(tta["perceptron"]) else (None, None)
            j_ = tta["jax"][i] if i < len(tta["jax"]) else (None, None)
            lines.append(f"| {i + 1} | {fmt(p_[0], '.2f')} | {fmt(None if p_[1] is None else 100 * p_[1], '.2f', ' %')} | "
                         f"{fmt(j_[0], '.2f')} | {fmt(None if j_[1] is None else 100 * j_[1], '.2f', ' %')} |")
        lines.append("")
    if skipped:
        lines += ["Skipped: " + "; ".join(skipped), ""]
    lines += ["### Commands", "", "From the repository's root, after `bench/setup.sh` (each run prints one JSON object):", "", "```"]
    seen = set()
    for r in runs:
        if r["command"] not in seen:
            seen.add(r["command"])
            lines.append(r["command"])
    lines += ["```", ""]
    Path(opts.markdown).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.markdown).write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
