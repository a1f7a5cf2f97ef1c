#!/usr/bin/env bash
# Builds and runs examples/swift against this checkout (make test calls it); PASS/FAIL lines.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here"
swift build -c release --scratch-path "$here/.build" > "$out/build.log" 2>&1 || { tail -20 "$out/build.log"; echo "FAIL  examples/swift: does not build"; exit 1; }
"$here/.build/release/experiments" "$root/data/mnist" "$out" > "$out/run.log" 2>&1 || { cat "$out/run.log"; echo "FAIL  examples/swift: exits non-zero"; exit 1; }
grep -q "^clipped gradient descent: test accuracy 0\.[89]" "$out/run.log" || { cat "$out/run.log"; echo "FAIL  examples/swift: the custom optimiser did not learn"; exit 1; }
grep -q "<polyline" "$out/history.svg" && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/diagnoses.json" \
    || { echo "FAIL  examples/swift: no plot or no diagnoses.json"; exit 1; }
grep -q "^doctor, question: .*weight_decay (epoch [123])" "$out/run.log" && ! grep -q "^doctor, momentum: .*weight_decay" "$out/run.log" \
    || { cat "$out/run.log"; echo "FAIL  examples/swift: the doctor did not name the question's weight decay within 3 epochs (or named it in a healthy run)"; exit 1; }
echo "PASS  examples/swift: the doctor names the question's update rule: $(grep '^doctor, question' "$out/run.log");  $(grep '^momentum:' "$out/run.log" | tr -s ' '); $(grep '^clipped' "$out/run.log" | tr -s ' ')"
