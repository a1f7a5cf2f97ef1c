#!/usr/bin/env bash
# End-to-end checks of the real `perceptron` binary: gradient check, MNIST fetched and verified,
# learning far above chance, same seed → same history, one clear line (never a crash) for bad data,
# and the server under a careless client and an attacker.
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

at_least() {  # at_least VALUE FLOOR: succeeds when the number VALUE is at least FLOOR
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$1" "$2" 2>/dev/null
}

same_tensors() {  # same_tensors A B: two model files hold the same tensor bytes (the header names the run's own folder)
    python3 - "$1" "$2" <<'PY'
import struct, sys
def tensors(path):  # the bytes after the header
    data = open(path, "rb").read()
    return data[8 + struct.unpack("<Q", data[:8])[0]:]
sys.exit(0 if tensors(sys.argv[1]) == tensors(sys.argv[2]) else 1)
PY
}

# 1. Backpropagation agrees with finite differences.
if out=$("$bin" gradcheck 2>&1); then pass "gradcheck: every relative error below 1e-6"; else fail "gradcheck" "$out"; fi

# 2. MNIST is fetched (or found) and verified by SHA-256.
if out=$("$bin" fetch 2>&1); then pass "fetch: MNIST present and verified"; else fail "fetch" "$out"; fi

# 3. One epoch of a small sigmoid network learns far above chance (10 %).
if out=$("$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --seed 3 --out "$work/a" 2>&1) \
    && acc=$(json "$work/a/metrics.json" 'm["test_accuracy"]') \
    && at_least "$acc" 0.9; then
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

# 4b. The papers' protocol: --validation-from train selects the epoch on 10,000 training images and
#     tests on all 10,000 test images once; metrics.json says so, and evaluate finds the same images.
if out=$("$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --seed 3 --validation-from train --out "$work/papers" 2>&1) \
    && grep -q "mnist: 50000 training, 10000 validation, 10000 test images" <<<"$out" \
    && [[ $(json "$work/papers/metrics.json" 'm["protocol"] == {"validation": "train", "validation_size": 10000, "test_size": 10000} and m["test_accuracy"] == m["test10k_accuracy"]') == True ]] \
    && acc=$(json "$work/papers/metrics.json" 'm["test_accuracy"]') \
    && evaluated=$("$bin" evaluate --model "$work/papers/model.safetensors" --split test 2>&1) && [[ $evaluated == *"(10000 images)"* ]] \
    && [[ $("$bin" evaluate --model "$work/papers/model.safetensors" --split test --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])') == "$acc" ]]; then
    pass "--validation-from train: 50,000 train, 10,000 validate, all 10,000 test images test once (accuracy $acc, evaluate agrees)"
else
    fail "--validation-from train: the papers' protocol" "$out"
fi

# 5. The same seed gives the same history (seconds aside).
"$bin" train --hidden 100 --activation sigmoid --lr 0.5 --epochs 1 --seed 3 --out "$work/b" >/dev/null 2>&1
strip='[{k: v for k, v in h.items() if not k.endswith("seconds")} for h in m["history"]]'
if [[ -f "$work/b/metrics.json" ]] && [[ "$(json "$work/a/metrics.json" "$strip")" == "$(json "$work/b/metrics.json" "$strip")" ]] \
    && same_tensors "$work/a/model.safetensors" "$work/b/model.safetensors"
then
    pass "same seed: identical history and tensor bytes"
else
    fail "same seed: identical history and tensor bytes"
fi

# 5b. A run folder is never silently replaced or mixed: a second run into it is refused (its model
#     untouched) unless --force, and a run holds its folder's lock for its whole life.
before=$(sha256sum "$work/a/model.safetensors" | cut -d' ' -f1)
out=$("$bin" train --hidden 100 --epochs 1 --out "$work/a" --quiet 2>&1); status=$?
if [[ $status -eq 1 && "$out" == *"already holds a run"* && "$out" == *"--resume"* && "$out" == *"--force"* \
      && $(sha256sum "$work/a/model.safetensors" | cut -d' ' -f1) == "$before" ]]; then
    pass "a run folder is refused without --force, its model untouched: \"$out\""
else
    fail "a run folder is refused without --force (exit $status)" "$out"
fi
if out=$("$bin" train --hidden 100 --epochs 0 --out "$work/a" --force --quiet 2>&1) \
    && [[ $(json "$work/a/metrics.json" 'len(m["history"]), m["config"]["epochs"]') == "1 0" ]]; then
    pass "--force replaces the run: the folder holds the new run's files only"
else
    fail "--force replaces the run" "$out"
fi
"$bin" train --hidden 800 --epochs 20 --out "$work/busy" --quiet >/dev/null 2>&1 &
busy=$!
for _ in $(seq 100); do [[ -s "$work/busy/.lock" ]] && break; sleep 0.1; done
out=$("$bin" train --hidden 100 --epochs 1 --out "$work/busy" --force --quiet 2>&1); status=$?
out2=$("$bin" train --resume "$work/busy" --quiet 2>&1); status2=$?
kill -INT $busy 2>/dev/null; wait $busy 2>/dev/null
if [[ $status -eq 1 && "$out" == *"in use by another run"* && "$out" == *"pid $busy"* && $status2 -eq 1 && "$out2" == *"pid $busy"* ]]; then
    pass "a second run on a folder in use exits 1 naming the other's pid: \"$out\""
else
    fail "a second run on a folder in use (exit $status, $status2)" "$out"$'\n'"$out2"
fi

# 5c. A model whose tensor bytes were damaged is refused, naming the tensor.
cp "$work/a/model.safetensors" "$work/damaged.safetensors"
python3 - "$work/damaged.safetensors" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
start = 8 + struct.unpack("<Q", data[:8])[0]
for i in range(start + 2000, start + 4000): data[i] ^= 0x5A
open(path, "wb").write(data)
PY
out=$("$bin" evaluate --model "$work/damaged.safetensors" 2>&1); status=$?
if [[ $status -eq 1 && "$out" == *"is damaged"* && "$out" == *"tensor 'layers."* ]]; then
    pass "a model with 2,000 damaged tensor bytes is refused, naming the tensor: \"$out\""
else
    fail "a damaged model is refused (exit $status)" "$out"
fi

# 5d. A full disk (a 600 KB tmpfs as --out) stops the run with the file, the cause and the sizes named.
mkdir -p "$work/full"
if mount -t tmpfs -o size=600k tmpfs "$work/full" 2>/dev/null; then
    out=$("$bin" train --hidden 800 --epochs 1 --out "$work/full/run" --quiet 2>&1); status=$?
    umount "$work/full"
    if [[ $status -eq 1 && "$out" == *"cannot write $work/full/run/"* && "$out" == *"disk is full"* && "$out" == *"were to be written"* \
          && "$out" != *NSCocoaErrorDomain* ]]; then
        pass "a full disk: exit 1, \"$out\""
    else
        fail "a full disk (exit $status)" "$out"
    fi
else
    pass "a full disk: skipped (mounting a tmpfs needs root)"
fi

# 5e. A model and a config.json written by release 0.2.0 load and give the same results as then
#     (0.2.0's `evaluate --json`: accuracy 0.9218, loss 0.27841508769989015 on the test split). The
#     loss is compared to 1e-6 relative: float32 products sum in another order on another CPU (an AVX2
#     AMD EPYC gives 0.27841509063…, an AVX-512 one the digits above).
fixtures="$(dirname "$0")/../PerceptronRunTests/Fixtures"
if out=$("$bin" evaluate --model "$fixtures/model.safetensors" --json 2>"$work/old-model.err") \
    && [[ $(printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['accuracy'] == 0.9218 and abs(d['loss'] / 0.27841508769989015 - 1) < 1e-6)") == "True" ]] \
    && grep -q "carries no checksums" "$work/old-model.err" \
    && "$bin" train --config "$fixtures/config.json" --epochs 0 --out "$work/old-config" --quiet >/dev/null 2>&1 \
    && [[ $(json "$work/old-config/config.json" 'm["hidden"], m["seed"], m["schedule"], m["dropout"]') == "[16] 3 cosine [0.1]" ]]; then
    pass "0.2.0's model evaluates as it did (accuracy 0.9218, loss 0.278415…) and its config.json runs"
else
    fail "0.2.0's files" "$out"$'\n'"$(cat "$work/old-model.err")"
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

# 10b. predict goes on past a bad file: the others are read, the bad one is named, exit 1 at the end;
#      with --json, one record per file, with "error" where it failed.
good="$work/digits/mnist/00000.png"
out=$("$bin" predict --model "$model" "$good" "$work/bad.png" "$good" 2>&1); status=$?
json_out=$("$bin" predict --model "$model" --json "$good" "$work/bad.png" "$good" 2>/dev/null)
records=$(printf '%s\n' "$json_out" | python3 -c "import json,sys; r=[json.loads(l) for l in sys.stdin if l.strip()]; print(len(r), sum('error' in x for x in r), r[1].get('file','').endswith('bad.png'))")
if [[ $status -eq 1 && $(printf '%s\n' "$out" | grep -c "00000.png: ") -eq 2 && "$out" == *"bad.png"* && "$out" == *"1 of 3 files could not be read"* \
      && "$records" == "3 1 True" ]]; then
    pass "predict a.png bad.png c.png: both good files read, bad.png named, exit 1; --json: 3 records, 1 with an error"
else
    fail "predict goes on past a bad file (exit $status, json: $records)" "$out"
fi

# 10b2. A PNG of a few kilobytes that inflates to 8192 × 8192 pixels (blank): predict shrinks it as it is
#       read, says the page is blank, and stays small (whole, it would be 537 MB of pixels).
python3 - "$work/bomb.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
rows = zlib.compress(b"".join(b"\x00" + b"\xff" * 8192 for _ in range(8192)), 9)  # white paper
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8192, 8192, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
PY
bomb_rss=$(/usr/bin/time -f %M "$bin" predict --model "$model" --json "$work/bomb.png" 2>&1 >"$work/bomb.json" | tail -1)
if [[ $(stat -c %s "$work/bomb.png") -lt 300000 ]] && [[ $(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r.get('blank'))" "$work/bomb.json" 2>&1) == True ]] \
    && ((bomb_rss < 150000)); then
    pass "a $(($(stat -c %s "$work/bomb.png") / 1024)) KB PNG of 8192×8192 blank pixels: read as blank, peak RSS $((bomb_rss / 1024)) MB"
else
    fail "a small PNG of 8192×8192 pixels is shrunk as read (peak RSS ${bomb_rss} KB)" "$(cat "$work/bomb.json" 2>&1)"
fi

# 10c. Photos and scans (Tests/Photos/make_photos.py, other test digits than those above): 20 phone-photo-like
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
    for _ in $(seq 1 100); do grep -qs "serving" "$port_file" && break; sleep 0.1; done
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

# 11b. sweep trains a 2 × 2 grid for one epoch into four run folders and compares them; run again,
#      it finishes at once; the comparison of three runs renders in Chromium with every curve.
if out=$("$bin" sweep --out "$work/sweep" --lr 0.05,0.2 --hidden 16,32 --epochs 1 2>&1) \
    && [[ $(ls -d "$work/sweep"/*/ | wc -l) -eq 4 && -f "$work/sweep/index.html" ]] \
    && again=$("$bin" sweep --out "$work/sweep" --lr 0.05,0.2 --hidden 16,32 --epochs 1 2>&1) \
    && [[ $(printf '%s\n' "$again" | grep -c 'done before, skipped') -eq 4 ]]; then
    pass "sweep: 4 runs and the page; run again, all 4 skipped"
else
    fail "sweep of a 2 × 2 grid" "$out"$'\n'"${again:-}"
fi
if sh "$(dirname "$0")/../Browser/setup.sh" > "$work/compare-setup.log" 2>&1; then
    runs=("$work/sweep/lr-0.05_hidden-16" "$work/sweep/lr-0.2_hidden-32" "$work/sweep/lr-0.2_hidden-16")
    if "$bin" compare "${runs[@]}" --out "$work/compare" > "$work/compare.log" 2>&1 \
        && out=$(python3 "$(dirname "$0")/../Browser/check_compare.py" "$work/compare" "${runs[@]}" 2>&1); then
        pass "compare in Chromium: $(printf '%s\n' "$out" | tail -1)"
    else
        fail "compare in Chromium" "$(cat "$work/compare.log")"$'\n'"${out:-}"
    fi
else
    fail "compare in Chromium: the browser could not be installed" "$(tail -5 "$work/compare-setup.log")"
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
    && whole "$work/killed/model.safetensors" && [[ -z $(find "$work/killed" -maxdepth 1 -name '*.tmp') ]]; then
    pass "kill -9 at each write, fsync and rename ($killed kills, $done_epochs epochs done): every model file whole, the run resumed and completed"
else
    fail "kill -9 during checkpoint writes" "broken:${broken:- none}; $out"
fi

# 18. perceptron serve as a careless client and an attacker would try it, over real sockets on
#     loopback: every refused request with its status, JSON and one log line; abandoned uploads;
#     the header, body and idle timeouts; the cap on connections; large images decoded while
#     /healthz answers; a half-open flood of 2,000 connections (Tests/EndToEnd/serve_limits.py).
if out=$(python3 "$(dirname "$0")/serve_limits.py" --binary "$bin" --model "$model" 2>&1); then
    pass "serve limits: $(printf '%s\n' "$out" | tail -1)"
else
    fail "serve limits" "$(printf '%s\n' "$out" | grep -E '^FAIL' -A1 | head -40; printf '%s\n' "$out" | tail -1)"
fi

# 19. Data of your own: scikit-learn's digits (1,797 images of 8×8) as a Kaggle-style CSV, as IDX
#     files and as class folders of PNGs (Tests/Datasets/make_digits.py). Each holds out a stratified
#     10 % to validate and 10 % to test; the CSV reaches ≥ 95 %, the IDX files train to the same bits,
#     the class folders (preprocessed to 28×28 like predict's input) to ≥ 95 % too; evaluate finds the
#     same held-out images again; predict --csv writes a submission; bad CSV files get one clear line.
python3 -c "import sklearn" 2>/dev/null || python3 -m pip install --quiet scikit-learn >/dev/null 2>&1
if ! python3 -c "import sklearn" 2>/dev/null; then
    echo "SKIP  data of your own: scikit-learn is not installed and could not be installed with pip"
elif ! out=$(python3 "$(dirname "$0")/../Datasets/make_digits.py" "$work/sk" 2>&1); then
    fail "make_digits.py writes scikit-learn's digits" "$out"
else
    for layout in digits.csv idx folders; do
        "$bin" train --data "$work/sk/$layout" --hidden 100 --epochs 40 --quiet --out "$work/sk-run-$layout" > "$work/sk-$layout.log" 2>&1
    done
    read -r csv idx folders < <(for layout in digits.csv idx folders; do json "$work/sk-run-$layout/metrics.json" 'm["test_accuracy"]' 2>/dev/null || echo 0; done | xargs)
    shape=$(json "$work/sk-run-digits.csv/metrics.json" 'm["architecture"], m["protocol"]["validation"], m["protocol"]["validation_size"], m["protocol"]["test_size"], m.get("test10k_accuracy")' 2>&1)
    if [[ "$shape" == "64-100-10 holdout 180 180 None" ]] && at_least "$csv" 0.95; then
        pass "digits.csv: 64-100-10, 180 validation and 180 test images held out, test accuracy $csv ≥ 0.95"
    else
        fail "digits.csv trains to ≥ 95 % on its held-out test share ($csv; $shape)" "$(cat "$work/sk-digits.csv.log")"
    fi
    if same_tensors "$work/sk-run-digits.csv/model.safetensors" "$work/sk-run-idx/model.safetensors"; then
        pass "the same digits as IDX files train to the same tensor bytes (test accuracy $idx)"
    else
        fail "the digits as IDX files train as the CSV does ($idx vs $csv)" "$(cat "$work/sk-idx.log")"
    fi
    if [[ $(json "$work/sk-run-folders/metrics.json" 'm["architecture"], m["classes"]' 2>&1) == "784-100-10 ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']" ]] \
        && at_least "$folders" 0.95; then
        pass "the digits as class folders of PNGs, preprocessed to 28×28: test accuracy $folders (the CSV: $csv)"
    else
        fail "the digits as class folders train to ≥ 95 % ($folders)" "$(cat "$work/sk-folders.log")"
    fi
    evaluated=$("$bin" evaluate --model "$work/sk-run-folders/model.safetensors" --json 2>&1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])' 2>&1)
    if [[ "$evaluated" == "$folders" ]]; then
        pass "evaluate finds the class folders' held-out test images again ($evaluated)"
    else
        fail "evaluate reproduces the class folders' test accuracy ($evaluated vs $folders)"
    fi
    if out=$("$bin" predict --model "$work/sk-run-digits.csv/model.safetensors" --csv "$work/sk/digits.csv" --out "$work/sk-submission.csv" 2>&1) \
        && right=$(python3 - "$work/sk-submission.csv" "$work/sk/digits.csv" <<'PY'
import csv, sys
answers = list(csv.reader(open(sys.argv[1])))
truth = [row[0] for row in list(csv.reader(open(sys.argv[2])))[1:]]
assert answers[0] == ["ImageId", "Label"] and [row[0] for row in answers[1:]] == [str(k) for k in range(1, len(truth) + 1)]
right = sum(row[1] == label for row, label in zip(answers[1:], truth))
assert right >= 0.95 * len(truth)
print(f"{right} of {len(truth)}")
PY
); then
        pass "predict --csv writes ImageId,Label for all 1,797 images ($right right)"
    else
        fail "predict --csv writes a submission" "$out"
    fi
    printf 'label,pixel0,pixel1,pixel2\n1,0,0,0\n' > "$work/odd.csv"
    for bad in "$work/odd.csv:do not make a square image" "$work/none.csv:no such file"; do
        out=$("$bin" train --data "${bad%%:*}" --epochs 1 --out "$work/out-bad-csv" --force 2>&1); status=$?
        if [[ $status -ne 0 && $status -lt 128 && $(printf '%s\n' "$out" | grep -c .) -eq 1 && "$out" == *"${bad#*:}"* ]]; then
            pass "a bad CSV file: exit $status, \"$out\""
        else
            fail "a bad CSV file gets one clear line (exit $status)" "$out"
        fi
    done
fi

# 19b. Kaggle's "Digit Recognizer" layout made from the real MNIST files (Tests/Datasets/make_kaggle_mnist.py):
#      the first 10,000 training images as train.csv and the first 2,000 test images as test.csv. 784-300-10
#      for 5 epochs holds out 1,000 + 1,000 and tests at ≥ 88 %; the same images as IDX files train to the same
#      tensor bytes; predict --csv writes ImageId,Label for all 2,000 (ImageId from 1) scoring ≥ 88 % against
#      the true labels. (The full files, 60,000 and 10,000 lines, are measured in docs/reading-your-handwriting.md.)
if ! out=$(python3 "$(dirname "$0")/../Datasets/make_kaggle_mnist.py" "$data" "$work/kaggle" --train 10000 --test 2000 2>&1); then
    fail "make_kaggle_mnist.py writes MNIST in Kaggle's layout" "$out"
else
    for layout in train.csv idx; do
        "$bin" train --data "$work/kaggle/$layout" --hidden 300 --epochs 5 --seed 1 --quiet --out "$work/kaggle-run-$layout" \
            > "$work/kaggle-$layout.log" 2>&1
    done
    shape=$(json "$work/kaggle-run-train.csv/metrics.json" 'm["architecture"], m["protocol"]["validation_size"], m["protocol"]["test_size"], m["test_accuracy"]' 2>&1)
    read -r architecture validation test accuracy <<< "$shape"
    if [[ "$architecture $validation $test" == "784-300-10 1000 1000" ]] && at_least "$accuracy" 0.88; then
        pass "Kaggle train.csv of 10,000 MNIST digits: 784-300-10, 1,000 + 1,000 held out, test accuracy $accuracy ≥ 0.88"
    else
        fail "Kaggle train.csv of MNIST trains to ≥ 88 % ($shape)" "$(cat "$work/kaggle-train.csv.log")"
    fi
    if same_tensors "$work/kaggle-run-train.csv/model.safetensors" "$work/kaggle-run-idx/model.safetensors"; then
        pass "the same 10,000 digits as IDX files train to the same tensor bytes as train.csv"
    else
        fail "the same digits as IDX files train as train.csv does" "$(cat "$work/kaggle-idx.log")"
    fi
    if out=$("$bin" predict --model "$work/kaggle-run-train.csv/model.safetensors" --csv "$work/kaggle/test.csv" --out "$work/kaggle/submission.csv" 2>&1) \
        && score=$(python3 - "$work/kaggle/submission.csv" "$work/kaggle/test-labels.csv" 2>&1 <<'PY'
import csv, sys
answers = list(csv.reader(open(sys.argv[1])))
truth = list(csv.reader(open(sys.argv[2])))
assert answers[0] == ["ImageId", "Label"] and len(answers) == len(truth) == 2001, (answers[0], len(answers))
assert [row[0] for row in answers[1:]] == [str(k) for k in range(1, 2001)]
right = sum(row[1] == label for row, (_, label) in zip(answers[1:], truth[1:]))
assert right >= 0.88 * 2000, f"{right} of 2000 right"
print(f"{right} of 2000 right")
PY
); then
        pass "predict --csv test.csv writes a submission of 2,000 rows, ImageId from 1: $score"
    else
        fail "predict --csv writes a valid submission scoring ≥ 88 %" "$out $score"
    fi
fi

# 20. A committee: two 784-30-10 networks of seeds 1 and 2 under the papers' protocol, joined by
#     `perceptron ensemble`; evaluate reads the committee's file and the same two as repeated --model
#     alike, predict agrees with evaluate on the 200 test digits of 9, serve reads digits with it; a
#     committee of runs that split t10k with other seeds is refused, and so is a committee's file
#     where one network is needed.
for seed in 1 2; do
    "$bin" train --hidden 30 --epochs 1 --seed $seed --validation-from train --out "$work/member$seed" --quiet >/dev/null 2>&1
done
committee="$work/committee.safetensors"
if out=$("$bin" ensemble "$work/member1/model.safetensors" "$work/member2/model.safetensors" --out "$committee" --json 2>&1) \
    && read -r members error size < <(printf '%s\n' "$out" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m["members"]), m["test_error"], m["test_size"])') \
    && [[ $members == 2 && $size == 10000 ]]; then
    pass "ensemble: a committee of 2 written, test error $error on all $size test images"
else
    fail "ensemble writes a committee of two" "$out"
fi
from_file=$("$bin" evaluate --model "$committee" --json 2>&1 | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["members"], m["accuracy"])' 2>&1)
from_two=$("$bin" evaluate --model "$work/member1/model.safetensors" --model "$work/member2/model.safetensors" --json 2>&1 \
    | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["members"], m["accuracy"])' 2>&1)
recorded=$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["test_accuracy"])' 2>&1)
if [[ "$from_file" == "2 $recorded" && "$from_two" == "$from_file" ]]; then
    pass "evaluate: the committee's file and the two --model options give the same accuracy as ensemble recorded ($recorded)"
else
    fail "evaluate a committee: the file ($from_file), two --model ($from_two), ensemble's record ($recorded)"
fi
"$bin" evaluate --model "$committee" --json > "$work/evaluate-committee.json" 2>&1
"$bin" predict --model "$committee" --json "$work"/digits/mnist/*.png > "$work/predict-committee.json" 2>&1
agree=$(python3 - "$work/evaluate-committee.json" "$work/predict-committee.json" "$work/digits/index.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["predictions"]  # the test split of the papers' protocol: all 10,000, in order
predicted = [json.loads(line)["digit"] for line in open(sys.argv[2])]
indices = json.load(open(sys.argv[3]))["indices"]
print(sum(p == ours[i] for p, i in zip(predicted, indices)), len(indices))
PY
)
if [[ "$agree" == "200 200" ]]; then pass "predict with the committee's file agrees with evaluate on 200 of 200 digits"; else fail "predict with a committee agrees with evaluate: $agree"; fi
served=$(cd "$(dirname "$0")" && python3 - "$bin" "$committee" "$work/digits/mnist/00000.png" "$work/predict-committee.json" <<'PY' 2>&1
import base64, json, sys, urllib.request
from serve_process import ServeProcess
binary, model, png, predicted = sys.argv[1:]
server = ServeProcess(binary, model)
try:
    url = server.wait_ready()
    assert url, "serve did not start: " + " | ".join(server.lines)
    info = json.load(urllib.request.urlopen(url + "api/model"))
    body = json.dumps({"image": base64.b64encode(open(png, "rb").read()).decode()}).encode()
    request = urllib.request.Request(url + "api/predict", body, {"Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(request))
    ours = next(json.loads(line) for line in open(predicted) if json.loads(line)["file"].endswith("/00000.png"))
    close = max(abs(a - b) for a, b in zip(answer["probabilities"], ours["probabilities"])) < 1e-5
    print(info["architecture"], answer["digit"] == ours["digit"] and close)
finally:
    server.stop()
PY
)
if [[ "$served" == "2 × 784-30-10 True" ]]; then
    pass "serve reads a digit with the committee's file as predict does ($served)"
else
    fail "serve a committee's file" "$served"
fi
out=$("$bin" ensemble "$model" "$work/b/model.safetensors" --out "$work/mixed.safetensors" 2>&1); status=$?
if [[ $status -eq 1 && $(printf '%s\n' "$out" | grep -c .) -eq 1 && "$out" == *"seed 3, not 5"* && "$out" == *"--validation-from train"* \
      && ! -e "$work/mixed.safetensors" ]]; then
    pass "members that split t10k with other seeds are refused: \"$out\""
else
    fail "members of other t10k seeds are refused (exit $status)" "$out"
fi
out=$("$bin" ensemble "$work/member1/model.safetensors" "$work/member2/model.safetensors" "$work/member1/model.safetensors" \
          --out "$work/twice.safetensors" 2>&1); status=$?
out2=$("$bin" evaluate --model "$committee" --model "$work/member2/model.safetensors" 2>&1); status2=$?
if [[ $status -eq 1 && $(printf '%s\n' "$out" | grep -c .) -eq 1 && "$out" == *"same network as"*"members 1 and 3"* \
      && ! -e "$work/twice.safetensors" && $status2 -eq 1 && "$out2" == *"same network as"*"members 2 and 3"* ]]; then
    pass "a network named twice (a file twice, a member beside its committee) is refused: \"$out\""
else
    fail "a network named twice is refused (exit $status, $status2)" "$out | $out2"
fi
out=$("$bin" diagnose --model "$committee" 2>&1); status=$?
if [[ $status -eq 1 && "$out" == *"holds a committee of 2 networks"* && "$out" == *"one member's own model file"* ]]; then
    pass "a committee's file where one network is needed: \"$out\""
else
    fail "a committee's file where one network is needed (exit $status)" "$out"
fi

echo
echo "end-to-end: $passed passed, $failed failed"
((failed == 0))
