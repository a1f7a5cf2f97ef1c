#!/usr/bin/env bash
# The library against oneDNN 3: Tests/OneDNN3's small package (Perceptron and PerceptronData by
# path; not the command-line tool or the server) built against oneDNN 3.2 (PyPI's onednn-cpu-gomp
# and onednn-devel-cpu-gomp 2023.2.0 wheels, unzipped: no pip install), in a build folder of its
# own; then it checks a step of backpropagation in Float against Double and trains one epoch, which
# must learn (≥ 90 % on the test images), in fp32 and bf16. Debian's libdnnl-dev (oneDNN 2.6) is
# what every other check builds against.
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

swift build -c release --package-path "$root/Tests/OneDNN3" --scratch-path "$cache/build" \
    -Xcc -I"$wheels/include" -Xlinker -L"$wheels/lib" -Xlinker -rpath -Xlinker "$wheels/lib" > "$cache/build.log" 2>&1 \
    || { grep -E "error" "$cache/build.log" | head -20; fail "the library does not build against oneDNN 3.2"; }
bin="$cache/build/release/onednn3-check"
export LD_LIBRARY_PATH="$wheels/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# (ldd's output read whole: `grep -q` would quit at the first match, and under pipefail ldd's SIGPIPE fails the check)
linked=$(ldd "$bin")
grep -q "libdnnl.so.3" <<<"$linked" || fail "the check is not linked against libdnnl.so.3: $(grep dnnl <<<"$linked")"
"$bin" "$root/data/mnist"
