#!/usr/bin/env bash
# perceptron against oneDNN 3: the same sources built against oneDNN 3.2 (PyPI's onednn-cpu-gomp and
# onednn-devel-cpu-gomp 2023.2.0 wheels, unzipped: no pip install), in a build folder of its own;
# then `perceptron gradcheck` and one epoch of training, which must learn (≥ 90 % on the test images).
# Debian's libdnnl-dev (oneDNN 2.6) is what every other check builds against.
#
#   Tests/OneDNN3/run.sh        # from the repository's root; PASS/FAIL lines
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache="$root/.build-onednn3"
wheels="$cache/wheels"
mkdir -p "$wheels"
fail() { echo "FAIL  oneDNN 3: $*"; exit 1; }

version=2023.2.0
if [[ ! -f "$wheels/lib/libdnnl.so.3" ]]; then
    python3 -m pip download --no-deps --quiet -d "$wheels/download" \
        "onednn-cpu-gomp==$version" "onednn-devel-cpu-gomp==$version" > "$cache/pip.log" 2>&1 \
        || { tail -5 "$cache/pip.log"; fail "cannot download the oneDNN $version wheels from PyPI"; }
    rm -rf "$wheels/unzipped" && mkdir -p "$wheels/unzipped"
    for wheel in "$wheels"/download/*.whl; do
        python3 -m zipfile -e "$wheel" "$wheels/unzipped" || fail "cannot unzip $wheel"
    done
    rm -rf "$wheels/lib" "$wheels/include"
    cp -r "$wheels"/unzipped/onednn_cpu_gomp-*.data/data/lib "$wheels/lib"
    cp -r "$wheels"/unzipped/onednn_devel_cpu_gomp-*.data/data/include "$wheels/include"
    ln -sf libdnnl.so.3 "$wheels/lib/libdnnl.so"
fi
grep -q '#define DNNL_VERSION_MAJOR 3' "$wheels/include/oneapi/dnnl/dnnl_config.h" "$wheels/include/oneapi/dnnl/dnnl_version.h" 2>/dev/null \
    || fail "the unzipped headers are not oneDNN 3"

cd "$root"
swift build -c release --product perceptron --scratch-path "$cache/build" \
    -Xcc -I"$wheels/include" -Xlinker -L"$wheels/lib" -Xlinker -rpath -Xlinker "$wheels/lib" > "$cache/build.log" 2>&1 \
    || { grep -E "error" "$cache/build.log" | head -20; fail "perceptron does not build against oneDNN 3.2"; }
bin="$cache/build/release/perceptron"
export LD_LIBRARY_PATH="$wheels/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# (ldd's output read whole: `grep -q` would quit at the first match, and under pipefail ldd's SIGPIPE fails the check)
linked=$(ldd "$bin")
grep -q "libdnnl.so.3" <<<"$linked" || fail "the binary is not linked against libdnnl.so.3: $(grep dnnl <<<"$linked")"

"$bin" gradcheck > "$cache/gradcheck.log" 2>&1 || { tail -5 "$cache/gradcheck.log"; fail "perceptron gradcheck fails"; }
echo "PASS  oneDNN 3: perceptron gradcheck ($(tail -1 "$cache/gradcheck.log"))"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for precision in fp32 bf16; do
    "$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --precision "$precision" --no-doctor --quiet \
        --out "$out/$precision" > "$out/$precision.log" 2>&1 || { tail -5 "$out/$precision.log"; fail "one epoch of training ($precision) fails"; }
    IFS=$'\t' read -r backend accuracy < <(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['backend'] + '\t' + str(m['test10k_accuracy']))" "$out/$precision/metrics.json")
    [[ "$backend" == "oneDNN 3."* ]] || fail "metrics.json names $backend, not oneDNN 3"
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.9 else 1)" "$accuracy" || fail "one epoch ($precision) reached $accuracy (< 0.90)"
    echo "PASS  oneDNN 3: one epoch of 784-100-10 learns, --precision $precision: test10k $accuracy on $backend"
done
