#!/usr/bin/env bash
# The question's experiment, measured: the network stuck at 20 % (examples/stuck-at-20-percent.json),
# each change its author tried alone, each fix the training doctor names alone, then the fixes
# together; one page compares them all.
#   usage: examples/the-question/run.sh [OUT_DIR] [path/to/perceptron]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-runs/the-question}
bin=${2:-$root/.build/release/perceptron}
stuck=$root/examples/stuck-at-20-percent.json
[[ -x $bin ]] || { echo "no perceptron at $bin: run make build first" >&2; exit 1; }

# name | the flags it changes (on top of the stuck configuration)
variants=(
    "0-stuck|"
    "1-500-hidden|--hidden 500"
    "2-larger-lr|--lr 0.0001"
    "3-momentum-0|--momentum 0"
    "4-relu|--activation relu --init normal:-0.1,0.02"
    "5-fix-100-hidden|--hidden 100"
    "6-fix-glorot-init|--init glorot"
    "7-fix-mean-loss|--loss-reduction mean --lr 0.5"
    "8-fix-mini-batches|--batch-size 128 --loss-reduction mean --lr 0.5 --epochs 10"
    "9-all-fixes|--hidden 100 --init glorot --loss-reduction mean --lr 0.5 --batch-size 128 --epochs 10"
)
folders=()
for variant in "${variants[@]}"; do
    name=${variant%%|*}
    flags=${variant#*|}
    folders+=("$out/$name")
    if [[ -f "$out/$name/metrics.json" ]] && grep -q '"outcome" : "completed"' "$out/$name/metrics.json"; then
        echo "$name: done before"
        continue
    fi
    # shellcheck disable=SC2086  # the flags are words
    "$bin" train --config "$stuck" $flags --out "$out/$name" --force --quiet >/dev/null 2>&1 || true
    echo "$name: $(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(f\"test accuracy {100*m['test_accuracy']:.2f} %\")" "$out/$name/metrics.json")"
done
"$bin" compare "${folders[@]}" --out "$out"
