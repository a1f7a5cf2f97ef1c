#!/usr/bin/env bash
# Builds the fuzz targets and runs each for FUZZ_SECONDS, one after the other.
#
#     Fuzz/run.sh [TARGET...]          TARGET: idx csv png pgm jpeg safetensors config body (default: all)
#     make fuzz FUZZ_SECONDS=60        the same through make
#
# Environment:
#   FUZZ_SECONDS   seconds per target (default 600)
#   FUZZ_SANITIZE  sanitizers for -sanitize= (default fuzzer,address; "fuzzer" alone is ~2x faster)
#   FUZZ_NO_BUILD  1: use the binaries already in Fuzz/.build
#   FUZZ_FORK      1: libFuzzer's fork mode, which goes on after a crash, OOM or timeout
#                  (default: each target stops at its first finding)
#   FUZZ_ARGS      more libFuzzer flags
#   FUZZ_LIBJPEG_TURBO  a libjpeg-turbo source tree of the installed version (Debian 12: 2.1.5): it is
#                  built with the same sanitizers (and coverage for libFuzzer) into
#                  Fuzz/.build/libjpeg-turbo and linked statically in place of the system's
#                  library, so that FuzzJPEG explores and checks the decoder itself, not only our
#                  wrapper. Needs cmake. Without it, the system's uninstrumented libturbojpeg is used.
#
# Each target runs with -rss_limit_mb=512 -timeout=10 on its corpus Fuzz/corpus/NAME (seeded by
# Fuzz/make-corpus.py; libFuzzer adds what it finds there) with the dictionary Fuzz/dicts/*.dict.
# Findings (crash-*, oom-*, timeout-*, leak-*) land in Fuzz/findings/NAME/, each followed by a
# minimised copy (minimized-*, from -minimize_crash=1); the log is Fuzz/findings/NAME/fuzz.log.
# Exits 1 if any target had a finding.
set -uo pipefail

cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
all=(idx csv png pgm jpeg safetensors config body)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

declare -A binary=([idx]=FuzzIDX [csv]=FuzzCSV [png]=FuzzPNG [pgm]=FuzzPGM [jpeg]=FuzzJPEG [safetensors]=FuzzSafetensors
                   [config]=FuzzConfig [body]=FuzzPredictBody)
declare -A dict=([idx]=idx [csv]=csv [png]=png [pgm]=pgm [jpeg]=jpeg [safetensors]=json [config]=json [body]=body)
for target in "${targets[@]}"; do
    [[ -n ${binary[$target]:-} ]] || { echo "fuzz: unknown target '$target' (one of: ${all[*]})" >&2; exit 2; }
done

link=()
if [[ -n ${FUZZ_LIBJPEG_TURBO:-} ]]; then
    jpeg_build=Fuzz/.build/libjpeg-turbo
    link=(-Xlinker -L"$(pwd)/$jpeg_build")
    if [[ ${FUZZ_NO_BUILD:-0} != 1 ]]; then
        echo "fuzz: building libjpeg-turbo from $FUZZ_LIBJPEG_TURBO (-fsanitize=$sanitize)"
        flags="-O1 -g -fsanitize=${sanitize/fuzzer/fuzzer-no-link}"
        cmake -S "$FUZZ_LIBJPEG_TURBO" -B "$jpeg_build/cmake" -DCMAKE_C_COMPILER="$(command -v clang)" \
            -DCMAKE_C_FLAGS="$flags" -DENABLE_SHARED=0 -DWITH_SIMD=0 -DWITH_TURBOJPEG=1 -DCMAKE_BUILD_TYPE=Release >/dev/null \
            && cmake --build "$jpeg_build/cmake" --target turbojpeg-static -j 2 >/dev/null \
            && cp "$jpeg_build/cmake/libturbojpeg.a" "$jpeg_build/" \
            || { echo "fuzz: building libjpeg-turbo failed" >&2; exit 2; }
    fi
fi

if [[ ${FUZZ_NO_BUILD:-0} != 1 ]]; then
    echo "fuzz: building (-sanitize=$sanitize)"
    swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
        -Xswiftc -sanitize="$sanitize" -Xswiftc -parse-as-library "${link[@]}" 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" \
        | grep -v "asan_extra_spill_area" || true
    [[ -x Fuzz/.build/release/FuzzIDX ]] || { echo "fuzz: the build failed" >&2; exit 2; }
fi
bin=$(swift build -c release --package-path Fuzz --scratch-path Fuzz/.build "${link[@]}" --show-bin-path 2>/dev/null || echo Fuzz/.build/release)
python3 Fuzz/make-corpus.py

# ASan: no leak checks (the Swift runtime's and Foundation's caches live until exit), and report
# allocations over the RSS limit as OOMs through libFuzzer rather than as ASan errors.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:handle_abort=1}
# Swift's own crash backtracer would catch a trap first (and can hang, holding the process), so
# that libFuzzer never saw the crash nor saved its input: leave traps to libFuzzer.
export SWIFT_BACKTRACE=enable=no

summary=()
found=0
for target in "${targets[@]}"; do
    exe=$bin/${binary[$target]}
    out=Fuzz/findings/$target
    mkdir -p "$out" "Fuzz/corpus/$target"
    log=$out/fuzz.log
    before=$(ls "$out" | grep -cE '^(crash|oom|timeout|leak|slow-unit)-' || true)
    mode=()
    [[ ${FUZZ_FORK:-0} == 1 ]] && mode=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    # FuzzJPEG frees megabytes per input (libjpeg-turbo's buffers); in ASan's default 256 MB
    # quarantine they add up past the RSS limit over a million runs with no input using much
    # (a run of 1.2 million inputs reached 559 MB with 34 MB live). A smaller quarantine keeps
    # the limit meaningful: an OOM is then one input's doing.
    quarantine=()
    [[ $target == jpeg ]] && quarantine=(env "ASAN_OPTIONS=$ASAN_OPTIONS:quarantine_size_mb=32")
    echo "fuzz: $target for ${seconds}s ($exe)"
    # shellcheck disable=SC2086
    "${quarantine[@]}" "$exe" "Fuzz/corpus/$target" -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 \
        -dict="Fuzz/dicts/${dict[$target]}.dict" -artifact_prefix="$out/" -print_final_stats=1 \
        "${mode[@]}" ${FUZZ_ARGS:-} >"$log" 2>&1
    status=$?

    # Minimise every new finding (crashes and timeouts; an OOM is kept as it is).
    for artifact in "$out"/crash-* "$out"/timeout-*; do
        [[ -e $artifact ]] || continue
        minimized=$out/minimized-$(basename "$artifact")
        [[ -e $minimized ]] && continue
        "$exe" -minimize_crash=1 -max_total_time=60 -timeout=10 -rss_limit_mb=512 \
            -exact_artifact_path="$minimized" "$artifact" >"$minimized.log" 2>&1 || true
    done

    execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
    rate=$(grep -oE 'stat::average_exec_per_sec: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
    if [[ -z $rate ]]; then  # fork mode, or stopped by a finding: the last status line
        rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || echo "?")
    fi
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
    after=$(ls "$out" | grep -cE '^(crash|oom|timeout|leak|slow-unit)-' || true)
    new=$((after - before))
    kinds=$(grep -oE '^==[0-9]+== ERROR: libFuzzer: [a-z-]+|SUMMARY: [A-Za-z]+: [a-z-]+' "$log" | sed -E 's/.*: //' | sort | uniq -c | awk '{printf "%s%s×%s", (NR>1?", ":""), $2, $1}')
    ((new > 0 || status != 0)) && found=1
    summary+=("$(printf '%-12s %10s execs %8s exec/s  cov %-6s findings %s%s' "$target" "${execs:-?}" "${rate:-?}" "$cov" "$new" "${kinds:+ ($kinds)}")")
    echo "fuzz: ${summary[-1]}"
done

echo
echo "fuzz: summary (${seconds}s per target, -sanitize=$sanitize; findings in Fuzz/findings/NAME/)"
printf '  %s\n' "${summary[@]}"
exit $found
