#!/usr/bin/env bash
# End-to-end checks of the real `perceptron` binary: gradient check, MNIST fetched and verified,
# learning far above chance, same seed → same history, and one clear line (never a crash) for bad data.
#   usage: Tests/EndToEnd/run.sh path/to/perceptron
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [[ -n "${2:-}" ]] && printf '%s\n' "$2" | sed 's/^/      /'; }

json() {  # json FILE EXPRESSION: evaluates a Python expression over the parsed file `m`
    python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print($2)" "$1"
}

# 1. Backpropagation agrees with finite differences.
if out=$("$bin" gradcheck 2>&1); then pass "gradcheck: every relative error below 1e-6"; else fail "gradcheck" "$out"; fi

# 2. MNIST is fetched (or found) and verified by SHA-256.
if out=$("$bin" fetch 2>&1); then pass "fetch: MNIST present and verified"; else fail "fetch" "$out"; fi

# 3. One epoch of a small sigmoid network learns far above chance (10 %).
if out=$("$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --seed 3 --out "$work/a" 2>&1) \
    && acc=$(json "$work/a/metrics.json" 'm["test_accuracy"]') \
    && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.9 else 1)" "$acc"; then
    pass "train: 784-100-10 sigmoid, 1 epoch, test accuracy $acc ≥ 0.9"
else
    fail "train: 784-100-10 sigmoid learns" "$out"
fi

# 4. metrics.json has the promised shape, and the model file is there.
keys='all(k in m for k in ["config","history","best_epoch","best_val_loss","test_loss","test_accuracy","test10k_accuracy","backend"]) and all(all(k in h for k in ["epoch","train_loss","val_loss","val_accuracy","train_seconds","eval_seconds"]) for h in m["history"]) and m["history"][0]["epoch"] == 0'
if [[ -f "$work/a/model.safetensors" ]] && [[ $(json "$work/a/metrics.json" "$keys" 2>&1) == True ]]; then
    pass "metrics.json has every key; model.safetensors written"
else
    fail "metrics.json shape" "$(cat "$work/a/metrics.json" 2>&1 | head -20)"
fi

# 5. The same seed gives the same history (seconds aside).
"$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --seed 3 --out "$work/b" >/dev/null 2>&1
strip='[{k: v for k, v in h.items() if not k.endswith("seconds")} for h in m["history"]]'
if [[ -f "$work/b/metrics.json" ]] && [[ "$(json "$work/a/metrics.json" "$strip")" == "$(json "$work/b/metrics.json" "$strip")" ]] \
    && python3 - "$work/a/model.safetensors" "$work/b/model.safetensors" <<'PY'
import struct, sys
def tensors(path):  # the bytes after the header (the header names the run's own folder)
    data = open(path, "rb").read()
    return data[8 + struct.unpack("<Q", data[:8])[0]:]
sys.exit(0 if tensors(sys.argv[1]) == tensors(sys.argv[2]) else 1)
PY
then
    pass "same seed: identical history and tensor bytes"
else
    fail "same seed: identical history and tensor bytes"
fi

# 6. Bad data: one clear line naming the file and the problem; non-zero exit, but no trap or crash
#    (a trap exits 132–134 or 139). The files are tiny IDX files made here, read as --dataset fashion
#    (no checksums, so each problem is met as itself).
make_idx() {  # make_idx DIR CASE
    python3 - "$1" "$2" <<'PY'
import gzip, os, struct, sys
folder, case = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)
def images(n, magic=2051, extra=b"", cut=0):
    data = struct.pack(">IIII", magic, n, 28, 28) + bytes(n * 784) + extra
    return data[:len(data) - cut]
def labels(n, value=1, magic=2049):
    return struct.pack(">II", magic, n) + bytes([value]) * n
files = {"train-images-idx3-ubyte": images(20), "train-labels-idx1-ubyte": labels(20),
         "t10k-images-idx3-ubyte": images(10), "t10k-labels-idx1-ubyte": labels(10)}
if case == "magic": files["train-images-idx3-ubyte"] = images(20, magic=2049)
if case == "truncated": files["train-images-idx3-ubyte"] = images(20, cut=100)
if case == "counts": files["train-labels-idx1-ubyte"] = labels(19)
if case == "label": files["t10k-labels-idx1-ubyte"] = labels(10, value=11)
if case == "missing": del files["t10k-images-idx3-ubyte"]
for name, data in files.items():
    open(os.path.join(folder, name), "wb").write(data)
PY
}
check_bad() {  # check_bad CASE FILE WORD…: the one line names FILE and every WORD
    local case=$1 file=$2; shift 2
    make_idx "$work/bad-$case" "$case"
    out=$("$bin" train --dataset fashion --data "$work/bad-$case" --epochs 1 --out "$work/out-$case" 2>&1)
    local status=$? lines ok=1
    lines=$(printf '%s\n' "$out" | grep -c .)
    [[ $status -ne 0 && $status -lt 128 && $status -ne 132 && $status -ne 133 && $status -ne 134 ]] || ok=0
    [[ $lines -eq 1 ]] || ok=0
    [[ "$out" == *"$file"* ]] || ok=0
    for word in "$@"; do [[ "${out,,}" == *"${word,,}"* ]] || ok=0; done
    if ((ok)); then pass "bad data ($case): exit $status, \"$out\""; else fail "bad data ($case): exit $status" "$out"; fi
}
check_bad missing t10k-images-idx3-ubyte missing
check_bad magic train-images-idx3-ubyte magic 2051
check_bad truncated train-images-idx3-ubyte truncated
check_bad counts train-labels-idx1-ubyte 19 20
check_bad label t10k-labels-idx1-ubyte 11

out=$("$bin" train --dataset fashion --data "$work/does-not-exist" 2>&1)
status=$?
if [[ $status -ne 0 && $status -lt 128 && $(printf '%s\n' "$out" | grep -c .) -eq 1 && "$out" == *does-not-exist* ]]; then
    pass "missing data folder: exit $status, \"$out\""
else
    fail "missing data folder: exit $status" "$out"
fi

# 7. A model to read digits with: 784-800-10 ReLU, 3 epochs.
"$bin" train --epochs 3 --seed 5 --out "$work/model" --quiet >/dev/null 2>&1
model="$work/model/model.safetensors"
"$bin" evaluate --model "$model" --split test10k --json > "$work/evaluate.json" 2>&1

# 8. `evaluate` reproduces the training run's test accuracy exactly.
if [[ "$("$bin" evaluate --model "$model" --json 2>&1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])')" \
      == "$(json "$work/model/metrics.json" 'm["test_accuracy"]')" ]]; then
    pass "evaluate reproduces metrics.json's test_accuracy ($(json "$work/model/metrics.json" 'm["test_accuracy"]'))"
else
    fail "evaluate reproduces metrics.json's test_accuracy"
fi
if [[ $(json "$work/evaluate.json" 'sum(map(sum, m["confusion"]))') == 10000 ]]; then
    pass "the confusion matrix of test10k sums to 10000"
else
    fail "the confusion matrix of test10k sums to 10000"
fi

# 9. `predict` on 200 MNIST test digits written as PNG and as PGM agrees with `evaluate`, image by image;
#    the same digits drawn black on white, 3× larger and off-centre, are read as well (≥ 95 %).
data=${PERCEPTRON_DATA:-data/mnist}
python3 "$(dirname "$0")/make_digit_images.py" "$data/t10k-images-idx3-ubyte" "$data/t10k-labels-idx1-ubyte" "$work/digits" 200
for kind in png pgm; do
    "$bin" predict --model "$model" --json "$work"/digits/mnist/*.$kind > "$work/predict-$kind.json" 2>&1
    agree=$(python3 - "$work/evaluate.json" "$work/predict-$kind.json" "$work/digits/index.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["predictions"]
predicted = [json.loads(line)["digit"] for line in open(sys.argv[2])]
indices = json.load(open(sys.argv[3]))["indices"]
print(sum(p == ours[i] for p, i in zip(predicted, indices)), len(indices))
PY
)
    if [[ "$agree" == "200 200" ]]; then pass "predict $kind agrees with evaluate on 200 of 200 digits"; else fail "predict $kind agrees with evaluate: $agree"; fi
done
"$bin" predict --model "$model" --json "$work"/digits/drawn/*.png > "$work/predict-drawn.json" 2>&1
read -r right total < <(python3 - "$work/predict-drawn.json" "$work/digits/index.json" <<'PY'
import json, sys
predicted = [json.loads(line)["digit"] for line in open(sys.argv[1])]
labels = json.load(open(sys.argv[2]))["labels"]
print(sum(p == l for p, l in zip(predicted, labels)), len(labels))
PY
)
if ((total == 200 && right >= 190)); then pass "drawn digits (black on white, 3× larger, off-centre): $right of $total right"; else fail "drawn digits: $right of $total right"; fi

# 10. Bad image and model files: one clear line, non-zero exit, no crash.
printf 'not a picture' > "$work/bad.png"
head -c 100 "$work/digits/mnist/00000.png" > "$work/truncated.png"
printf 'P5\n28 28\n255\n' > "$work/truncated.pgm"
head -c 1000 "$model" > "$work/truncated.safetensors"
for args in "--model $model $work/bad.png" "--model $model $work/truncated.png" "--model $model $work/truncated.pgm" \
            "--model $work/truncated.safetensors $work/digits/mnist/00000.png" "--model $work/missing.safetensors $work/digits/mnist/00000.png"; do
    out=$("$bin" predict $args 2>&1)
    status=$?
    file=$(printf '%s\n' $args | grep -v -- --model | tail -1)
    [[ $args == *truncated.safetensors* || $args == *missing.safetensors* ]] && file=$(printf '%s\n' $args | sed -n 2p)
    if [[ $status -ne 0 && $status -lt 128 && $(printf '%s\n' "$out" | grep -c .) -eq 1 && "$out" == *"$(basename "$file")"* ]]; then
        pass "bad input $(basename "$file"): exit $status, \"$out\""
    else
        fail "bad input $(basename "$file"): exit $status" "$out"
    fi
done

# 10b. Photos and scans (Tests/Photos/make_photos.py, other test digits than those above): 20 phone-photo-like
#      JPEGs (1600 × 1200 here, uneven light, blue or black ink, rotated, noisy, portrait ones stored sideways
#      with an EXIF orientation) and 20 dark-bordered scans are each read ≥ 90 % right; blank paper and a
#      page without a digit are unsure in the text, the JSON and the server's answer. (The full sets, 100
#      12-megapixel photos and 100 scans, come from running the generator with its defaults.)
if python3 -c 'import numpy, PIL' 2>/dev/null || python3 -m pip install -q numpy pillow >/dev/null 2>&1; then
    python3 "$(dirname "$0")/../Photos/make_photos.py" "$data/t10k-images-idx3-ubyte" "$data/t10k-labels-idx1-ubyte" \
        "$work/photos" --first 5000 --count 20 --side 1600 --seed 3 > "$work/photos.log" 2>&1
    for kind in photos scans; do
        read -r right total < <("$bin" predict --model "$model" --json "$work/photos/$kind"/* 2>&1 | python3 -c '
import json, sys
labels = [e["label"] for e in json.load(open(sys.argv[1]))[sys.argv[2]]]
predicted = [json.loads(line)["digit"] for line in sys.stdin if line.startswith("{")]
print(sum(p == l for p, l in zip(predicted, labels)) if len(predicted) == len(labels) else 0, len(labels))' "$work/photos/index.json" "$kind")
        if ((total == 20 && right >= 18)); then pass "$kind: $right of $total right"; else fail "$kind: $right of $total right"; fi
    done
    unsure_files=("$work/photos/blank.jpg" "$work/photos/no-digit.jpg")
    text=$("$bin" predict --model "$model" "${unsure_files[@]}" 2>&1)
    unsure_json=$("$bin" predict --model "$model" --json "${unsure_files[@]}" 2>&1 | python3 -c '
import json, sys; print(sum(json.loads(line)["unsure"] for line in sys.stdin))')
    port_file=$work/serve.out
    "$bin" serve --model "$model" --port 0 > "$port_file" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do grep -q "serving" "$port_file" && break; sleep 0.1; done
    port=$(grep -oE ':[0-9]+/' "$port_file" | head -1 | tr -d ':/')
    unsure_server=0
    for file in "${unsure_files[@]}"; do
        python3 -c 'import base64, json, sys; print(json.dumps({"image": base64.b64encode(open(sys.argv[1], "rb").read()).decode()}))' "$file" \
            > "$work/upload.json"
        answer=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$work/upload.json" "http://127.0.0.1:$port/api/predict")
        [[ $(printf '%s' "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("unsure"))' 2>/dev/null) == True ]] \
            && unsure_server=$((unsure_server + 1))
    done
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
    if [[ $(printf '%s\n' "$text" | grep -c "unsure: no ink found") == 2 && $unsure_json == 2 && $unsure_server == 2 ]]; then
        pass "blank paper and a page without a digit: unsure in the text, the JSON and the server"
    else
        fail "blank paper and a page without a digit: unsure in text/JSON/server" "$text; JSON $unsure_json of 2; server $unsure_server of 2"
    fi
else
    fail "photos: cannot install numpy and Pillow with pip"
fi

# 11. The model file loads in Python (safetensors + numpy) and predicts exactly what we predict.
if python3 -c 'import safetensors' 2>/dev/null || python3 -m pip install -q safetensors numpy >/dev/null 2>&1; then
    "$bin" evaluate --model "$model" --split test --json > "$work/evaluate-test.json"
    if out=$(python3 "$(dirname "$0")/../../examples/python/predict.py" "$model" "$data/t10k-images-idx3-ubyte" --compare "$work/evaluate-test.json" 2>&1); then
        pass "python: $out"
    else
        fail "python recipe predicts as we do" "$out"
    fi
else
    fail "python: cannot install safetensors with pip"
fi

# 12. A run made to diverge (784-800-10 ReLU at lr 10) stops with the doctor's diagnosis, keeps the
#     best model on disk and exits non-zero.
"$bin" train --lr 10 --epochs 3 --out "$work/diverge" > "$work/diverge.log" 2>&1
status=$?
if [[ $status -ne 0 && $status -lt 128 && -f "$work/diverge/model.safetensors" ]] \
    && [[ $(json "$work/diverge/metrics.json" '[d["code"] for d in m["diagnoses"]].count("diverged") == 1 and m["outcome"] == "diverged"') == True ]]; then
    pass "lr 10 diverges: exit $status, the diagnosis in metrics.json, the best model kept"
else
    fail "lr 10 diverges: exit $status" "$(tail -5 "$work/diverge.log")"
fi

# 13. Ctrl-C during epoch 3, then --resume: the same history and model bytes as a run never stopped.
settings=(--hidden 100 --activation sigmoid --lr 0.5 --epochs 5 --seed 9)
"$bin" train "${settings[@]}" --out "$work/whole" --quiet >/dev/null 2>&1
"$bin" train "${settings[@]}" --out "$work/stopped" --quiet >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    [[ $(json "$work/stopped/metrics.json" 'len(m["history"])' 2>/dev/null) -ge 3 ]] 2>/dev/null && break
    sleep 0.05
done
kill -INT $pid
wait $pid
stopped=$?
"$bin" train --resume "$work/stopped" --quiet >/dev/null 2>&1
same=$(python3 - "$work/whole" "$work/stopped" <<'PY'
import json, sys
def history(folder):
    return [{k: v for k, v in e.items() if not k.endswith("seconds")} for e in json.load(open(folder + "/metrics.json"))["history"]]
a, b = sys.argv[1], sys.argv[2]
print(history(a) == history(b) and open(a + "/model.safetensors", "rb").read() == open(b + "/model.safetensors", "rb").read())
PY
)
if [[ $stopped -eq 130 && $same == True ]]; then
    pass "Ctrl-C in epoch 3 (exit 130), then --resume: identical history and model bytes"
else
    fail "interrupt and resume: exit $stopped, identical: $same"
fi

# 14. The report of a run opens in headless Chromium without errors, one curve point per epoch.
if sh "$(dirname "$0")/../Browser/setup.sh" > "$work/browser-setup.log" 2>&1; then
    if out=$(python3 "$(dirname "$0")/../Browser/check_report.py" "$work/model" 2>&1); then
        pass "report in Chromium: $(printf '%s\n' "$out" | tail -1)"
    else
        fail "report in Chromium" "$out"
    fi
else
    fail "cannot install Chromium and selenium for the report check" "$(tail -5 "$work/browser-setup.log")"
fi

# 15. perceptron serve in headless Chromium: strokes of 0, 1 and 7 drawn on the canvas are read as such.
mkdir -p "${ARTIFACTS:-$work}/screenshots"
if sh "$(dirname "$0")/../Browser/setup.sh" > "$work/draw-setup.log" 2>&1; then
    if out=$(python3 "$(dirname "$0")/../Browser/draw_digits.py" --binary "$bin" --model "$model" --data "$data" \
                 --screenshots "${ARTIFACTS:-$work}/screenshots" 2>&1); then
        pass "draw a digit in Chromium: $(printf '%s\n' "$out" | tail -1)"
    else
        fail "draw a digit in Chromium" "$(printf '%s\n' "$out" | grep -E 'FAIL|Error|error' | head -20)"
    fi
else
    fail "cannot install Chromium and selenium for the drawing test" "$(tail -5 "$work/draw-setup.log")"
fi

# 16. The malformed-input corpus: every file gives its one-line error, no trap, little memory.
if out=$(bash "$(dirname "$0")/../Malformed/run.sh" "$bin" 2>&1); then
    pass "malformed inputs: $(printf '%s\n' "$out" | tail -1)"
else
    fail "malformed inputs" "$(printf '%s\n' "$out" | grep -E '^FAIL' | head -20)"
fi

# 17. kill -9 in the middle of saving: strace kills the run at its k-th write, fsync or rename
#     system call (k = 1…6: config.json, then each epoch's checkpoint, model and metrics files),
#     resuming the same run each time. Every model file left behind must be whole, and the run must
#     still resume and finish. (A tiny data set and a 784-3000-10 network: 9 MB model files.)
command -v strace >/dev/null || apt-get install -y strace >/dev/null 2>&1 || sudo apt-get install -y strace >/dev/null 2>&1
python3 - "$work/tiny" <<'PY'
import os, random, struct, sys
folder = sys.argv[1]; os.makedirs(folder, exist_ok=True); rng = random.Random(5)
def images(labels):  # a bar at the label's height, plus noise
    out = bytearray()
    for y in labels:
        img = bytearray(rng.randrange(0, 40) for _ in range(784))
        for r in range(4 + 2 * y, 8 + 2 * y):
            for c in range(6, 22): img[r * 28 + c] = 255
        out += img
    return bytes(out)
for prefix, n in (("train", 256), ("t10k", 100)):
    labels = [rng.randrange(10) for _ in range(n)]
    open(f"{folder}/{prefix}-images-idx3-ubyte", "wb").write(struct.pack(">IIII", 2051, n, 28, 28) + images(labels))
    open(f"{folder}/{prefix}-labels-idx1-ubyte", "wb").write(struct.pack(">II", 2049, n) + bytes(labels))
PY
whole() {  # whole FILE: a complete safetensors file (header, every tensor inside, nothing after)
    python3 - "$1" 2>/dev/null <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
sys.exit(0 if ends and 8 + n + max(ends) == len(data) else 1)
PY
}
killed=0 broken="" out=""
if command -v strace >/dev/null; then
    for call in write fsync rename; do
        for k in 1 2 3 4 5 6; do
            if [[ -e "$work/killed/last.safetensors" ]]; then
                run=(train --resume "$work/killed" --quiet)
            else
                rm -rf "$work/killed"  # killed before its first checkpoint: start afresh
                run=(train --dataset fashion --data "$work/tiny" --hidden 3000 --epochs 400 --lr 0.01 --no-doctor --quiet --out "$work/killed")
            fi
            (strace -f -o /dev/null -e trace=$call -e inject=$call:signal=KILL:when=$k "$bin" "${run[@]}"; exit $?) >/dev/null 2>&1
            (($? == 137)) && killed=$((killed + 1))
            for f in model.safetensors last.safetensors; do
                [[ ! -e "$work/killed/$f" ]] || whole "$work/killed/$f" || broken+=" $f($call #$k)"
            done
        done
    done
else
    broken="strace is missing and could not be installed"
fi
done_epochs=$(python3 -c "import json,struct,sys; d=open(sys.argv[1],'rb').read(); n=struct.unpack('<Q',d[:8])[0]; print(json.loads(d[8:8+n])['__metadata__']['epoch'])" "$work/killed/last.safetensors" 2>/dev/null || echo 0)
if [[ -z $broken ]] && out=$("$bin" train --resume "$work/killed" --epochs $((done_epochs + 2)) --quiet 2>&1) \
    && [[ $(json "$work/killed/metrics.json" 'm["outcome"], len(m["history"])') == "completed $((done_epochs + 3))" ]] \
    && whole "$work/killed/model.safetensors" && ! ls -a "$work/killed" | grep -q '\.tmp$'; then
    pass "kill -9 at each write, fsync and rename ($killed kills, $done_epochs epochs done): every model file whole, the run resumed and completed"
else
    fail "kill -9 during checkpoint writes" "broken:${broken:- none}; $out"
fi

echo
echo "end-to-end: $passed passed, $failed failed"
((failed == 0))
