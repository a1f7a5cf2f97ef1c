#!/usr/bin/env bash
# bench/setup.sh: create bench/.venv and install the peers of `make bench` that are missing.
# Idempotent, and silent when everything is present.
#
#   jax + jaxlib (CPU, from PyPI), numpy, threadpoolctl: bench/requirements.txt, pinned.
#   PyTorch: only a CPU-only wheel, or when asked.
#     PyPI has no CPU-only torch for Linux x86_64: its manylinux wheels (torch 2.15.0: 539 MB) depend
#     on the CUDA packages (cuda-toolkit, nvidia-cudnn-cu13 ~520 MB, nvidia-nccl-cu13 ~300 MB,
#     triton ~290 MB, ...), several GB in all; `torch==X+cpu` exists only on download.pytorch.org,
#     which this machine cannot reach. A local `torch-*+cpu-*.whl` in pip's find-links (this
#     machine's pip.conf has find-links = /opt/wheels, holding torch-2.13.0+cpu, 192 MB) is cheap:
#     it is installed whenever present (its few pure-Python dependencies come from PyPI).
#     BENCH_TORCH=1  install torch even without a CPU wheel (PyPI's CUDA build, several GB)
#     BENCH_TORCH=0  never install torch (run.py then skips the PyTorch peer)
#     BENCH_WHEELS=DIR  another folder to look in for a torch CPU wheel
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$here/.venv"
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    echo "bench/setup.sh: creating bench/.venv with $("$python" --version 2>&1)"
    "$python" -m venv "$venv"
fi
vpy="$venv/bin/python"
pip() { "$vpy" -m pip --disable-pip-version-check -q "$@"; }

# The pinned requirements that are missing or at another version (checked offline).
missing=$("$vpy" - "$here/requirements.txt" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    req = line.split("#")[0].strip()
    if not req:
        continue
    name, _, want = req.partition("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have != want:
        print(req)
PY
)
if [ -n "$missing" ]; then
    echo "bench/setup.sh: installing" $missing
    pip install -r "$here/requirements.txt"
fi

# PyTorch.
if [ "${BENCH_TORCH:-}" != 0 ] && ! "$vpy" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec(\"torch\") is None)"; then
    tag=$("$vpy" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
    dirs=$("$vpy" -m pip config list 2>/dev/null | sed -n "s/^[^ ]*find-links='\(.*\)'$/\1/p" | tr '\n' ' ')
    wheel=""
    for d in ${BENCH_WHEELS:-} ${PIP_FIND_LINKS:-} $dirs; do
        [ -d "$d" ] || continue
        for w in "$d"/torch-*+cpu-"$tag"-"$tag"-*linux*_"$(uname -m)".whl; do
            [ -f "$w" ] && wheel="$w"
        done
    done
    if [ -n "$wheel" ]; then
        echo "bench/setup.sh: installing PyTorch from the CPU-only wheel $wheel"
        pip install "$wheel"
        rm -f "$venv/.torch-note"
    elif [ "${BENCH_TORCH:-}" = 1 ]; then
        echo "bench/setup.sh: installing PyTorch from PyPI (BENCH_TORCH=1): the CUDA build, several GB"
        pip install torch
    elif [ ! -e "$venv/.torch-note" ]; then
        echo "bench/setup.sh: PyTorch not installed (no CPU-only wheel in pip's find-links; PyPI's Linux wheel" \
             "pulls several GB of CUDA packages): BENCH_TORCH=1 bench/setup.sh installs it anyway." \
             "make bench runs without the PyTorch peer."
        touch "$venv/.torch-note"
    fi
fi
