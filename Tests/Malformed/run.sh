#!/usr/bin/env bash
# Runs every case of the malformed-input corpus through the command that reads it and checks the
# answer: a clean failure (exit status 1..127, not a signal or trap), exactly one line of output
# containing the expected text, and, where expected.tsv gives one, a peak RSS under the limit.
#
#     Tests/Malformed/run.sh BINARY        e.g. Tests/Malformed/run.sh .build/release/perceptron
#
# Environment: MALFORMED_DATA, the folder of MNIST's t10k-* files for the DIR= cases (default
# data/mnist; the cases are skipped without it); FUZZ_BIN, the folder of the fuzz executables for
# the `fuzz` cases (default: Fuzz's release build; skipped if not built); MALFORMED_TIMEOUT,
# seconds per case (default 60). Ends with "malformed: N passed, M failed"; exits 1 on a failure.
set -uo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 BINARY" >&2; exit 2; }
binary=$(realpath "$1") || exit 2
[[ -x $binary ]] || { echo "malformed: $1 is not an executable" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=$(realpath -m "${MALFORMED_DATA:-$root/data/mnist}")
fuzz_bin=${FUZZ_BIN:-$root/Fuzz/.build/release}
limit=${MALFORMED_TIMEOUT:-60}
model=$here/base-model.safetensors
time_tool=/usr/bin/time
[[ -x $time_tool ]] || { echo "malformed: $time_tool is missing (apt-get install time): peak RSS is not checked" >&2; time_tool=; }

# A trap is seen as its signal (exit status 128+N); Swift's backtracer would only slow it down.
export SWIFT_BACKTRACE=enable=no
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0 skipped=0
fail() { echo "FAIL $1: $2"; [[ -n ${3:-} ]] && printf '     | %s\n' "${3:0:400}"; failed=$((failed + 1)); }

# A folder with MNIST's test files under all four names (a valid Fashion-MNIST-style dataset,
# 10,000 images for training and testing) and the case file in place of one of them.
make_dataset() {  # folder, slot, file
    mkdir -p "$1"
    ln -s "$data/t10k-images-idx3-ubyte" "$1/train-images-idx3-ubyte"
    ln -s "$data/t10k-labels-idx1-ubyte" "$1/train-labels-idx1-ubyte"
    ln -s "$data/t10k-images-idx3-ubyte" "$1/t10k-images-idx3-ubyte"
    ln -s "$data/t10k-labels-idx1-ubyte" "$1/t10k-labels-idx1-ubyte"
    rm -f "$1/${2%.gz}"  # NAME.gz replaces NAME (the loader prefers the plain file)
    cp "$3" "$1/$2"
}

number=0
while IFS=$'\t' read -r file command expected max_rss || [[ -n $file ]]; do
    [[ -z $file || $file == \#* || $file == file ]] && continue
    number=$((number + 1))
    case=$here/cases/$file
    name="$file [${command%% *}]"
    [[ -f $case ]] || { fail "$name" "no file cases/$file (run Tests/Malformed/make.py)"; continue; }
    dir=$work/$number
    mkdir -p "$dir"

    if [[ $command == fuzz\ * ]]; then
        read -r _ target label _ <<<"$command"
        exe=$fuzz_bin/$target
        if [[ ! -x $exe ]]; then echo "SKIP $name: $exe is not built (make fuzz, or FUZZ_BIN)"; skipped=$((skipped + 1)); continue; fi
        # The limits of `make fuzz`: 512 MB (RSS, and any one allocation), 10 s.
        output=$(FUZZ_PRINT_ERRORS=1 ASAN_OPTIONS=detect_leaks=0 timeout "$limit" "$exe" -rss_limit_mb=512 -timeout=10 "$case" 2>&1)
        status=$?
        lines=$(grep -F "error[$label]: " <<<"$output" | sort -u | sed "s/^error\[$label\]: //")
        if ((status != 0)); then
            fail "$name" "the fuzz target exited with $status: $(grep -oE 'ERROR: libFuzzer: .*|Fatal error: .*' <<<"$output" | head -1)"
            continue
        fi
        if [[ -z $lines ]]; then fail "$name" "the parser accepted the file (no error[$label] line)"; continue; fi
        if [[ $lines != *"$expected"* ]]; then fail "$name" "the error does not contain \"$expected\"" "$lines"; continue; fi
        echo "ok   $name"; passed=$((passed + 1)); continue
    fi

    args=()
    skip=
    for word in $command; do
        case $word in
            FILE) args+=("$case") ;;
            MODEL) args+=("$model") ;;
            OUT) args+=("$dir/out") ;;
            NODATA) args+=("$dir/no-such-folder") ;;
            DIR=*)
                if [[ ! -f $data/t10k-images-idx3-ubyte || ! -f $data/t10k-labels-idx1-ubyte ]]; then skip="no MNIST test files in $data"; break; fi
                make_dataset "$dir/data" "${word#DIR=}" "$case"
                args+=("$dir/data") ;;
            *) args+=("$word") ;;
        esac
    done
    if [[ -n $skip ]]; then echo "SKIP $name: $skip"; skipped=$((skipped + 1)); continue; fi

    if [[ -n $time_tool ]]; then
        (cd "$dir" && timeout "$limit" "$time_tool" -f '%M' -o "$dir/rss" "$binary" "${args[@]}" >"$dir/output" 2>&1)
    else
        (cd "$dir" && timeout "$limit" "$binary" "${args[@]}" >"$dir/output" 2>&1)
    fi
    status=$?
    # /usr/bin/time reports a signal in its output file and exits 128+N; timeout exits 124.
    rss_kb=$(grep -E '^[0-9]+$' "$dir/rss" 2>/dev/null | tail -1)
    output=$(cat "$dir/output")
    count=$(grep -c . <<<"$output")
    if ((status == 124)); then fail "$name" "no answer within ${limit}s (a hang?)" "$output"; continue; fi
    if ((status == 0)); then fail "$name" "exit status 0: the file was accepted" "$output"; continue; fi
    if ((status >= 128)); then fail "$name" "exit status $status: killed by signal $((status - 128)) (a trap or crash)" "$output"; continue; fi
    if ((count != 1)); then fail "$name" "$count lines of output, expected exactly one" "$output"; continue; fi
    if [[ $output != *"$expected"* ]]; then fail "$name" "the error does not contain \"$expected\"" "$output"; continue; fi
    if [[ -n $max_rss && -n $rss_kb ]] && ((rss_kb > max_rss * 1024)); then
        fail "$name" "peak RSS $((rss_kb / 1024)) MB, more than the $max_rss MB allowed for a header's claim" "$output"; continue
    fi
    echo "ok   $name${max_rss:+ (peak RSS $((${rss_kb:-0} / 1024)) MB < $max_rss MB)}"
    passed=$((passed + 1))
done <"$here/expected.tsv"

echo "malformed: $passed passed, $failed failed${skipped:+$( ((skipped)) && echo ", $skipped skipped")}"
((failed == 0))
