#!/bin/sh
# Load test of `perceptron serve`: 30 s of wrk, 64 connections, 2 threads, POST /api/predict with a
# valid {"pixels": [784 numbers]} body, on loopback only. Prints requests/s, p50/p99 latency and
# errors (non-2xx responses, socket errors), with the machine's load average before and after, and
# the server's RSS (sampled every 5 s: after the first 30 s, the least, the most and the last).
#
#     bench/serve/load.sh MODEL            (MODEL: a model.safetensors)
#
# Environment: PERCEPTRON (the binary; default .build/release/perceptron), DURATION (30s),
# CONNECTIONS (64), THREADS (2); CHECK=1 (`make soak`): exit 1 unless there was no error and every
# RSS sample after the first 30 s is within 10 % of the first of them. Installs Debian's wrk if it
# is missing. The server is always stopped.
set -eu

MODEL=${1:?usage: bench/serve/load.sh MODEL}
BIN=${PERCEPTRON:-.build/release/perceptron}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)

[ -x "$BIN" ] || { echo "load: no executable $BIN (build with: swift build -c release, or set PERCEPTRON)" >&2; exit 2; }
[ -f "$MODEL" ] || { echo "load: no model file $MODEL" >&2; exit 2; }
if ! command -v wrk >/dev/null 2>&1; then
    echo "load: installing wrk"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q wrk || { $SUDO apt-get update -q && $SUDO apt-get install -y -q wrk; }
fi

WORK=$(mktemp -d)
SERVER=""
SAMPLER=""
cleanup() {
    [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill -TERM "$SERVER" 2>/dev/null || true
        i=0; while kill -0 "$SERVER" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
        kill -KILL "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The body: a 0 as a ring of ink, 28 x 28, values k/255 written as the server writes them.
awk 'BEGIN {
    printf "{\"pixels\":["
    for (i = 0; i < 784; i++) {
        x = (i % 28) - 13.5; y = int(i / 28) - 13.5
        r = sqrt((x / 6) ^ 2 + (y / 9) ^ 2); v = 1 - (r > 1 ? r - 1 : 1 - r) * 4
        k = v > 0 ? int(v * 255 + 0.5) : 0
        printf "%s%s", (i ? "," : ""), (k ? sprintf("%.7g", k / 255) : "0")
    }
    printf "]}"
}' > "$WORK/body.json"

: > "$WORK/server.log"
"$BIN" serve --model "$MODEL" --host 127.0.0.1 --port 0 > "$WORK/server.log" 2>&1 &
SERVER=$!
URL=""
i=0
while [ -z "$URL" ] && [ $i -lt 100 ]; do
    URL=$(sed -n 's|.* at \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' "$WORK/server.log" | head -n 1)
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "load: the server stopped" >&2; exit 2; }
    [ -n "$URL" ] || sleep 0.1
    i=$((i + 1))
done
[ -n "$URL" ] || { cat "$WORK/server.log" >&2; echo "load: the server did not start" >&2; exit 2; }

status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$WORK/body.json" "${URL}api/predict" || true)
[ "$status" = 200 ] || { echo "load: POST ${URL}api/predict answered $status, not 200" >&2; exit 1; }

echo "load: $(grep -m 1 '^serving' "$WORK/server.log")"
echo "load: before: $(uptime)"
# The server's RSS in KB every 5 s, with the seconds since the load began.
(start=$(date +%s); while kill -0 "$SERVER" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(ps -o rss= -p "$SERVER" 2>/dev/null | tr -d ' ')" >> "$WORK/rss.txt"; sleep 5
done) &
SAMPLER=$!
BODY_FILE="$WORK/body.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/predict.lua" "${URL}api/predict" | tee "$WORK/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=""
echo "load: after: $(uptime)"

logged=$(grep -c 'POST /api/predict 200' "$WORK/server.log" || true)
awk -v logged="$logged" -v check="${CHECK:-0}" -v rssfile="$WORK/rss.txt" '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { sub(/.*Socket errors: /, ""); socket = $0 }
    / requests in / { total = $1 }
    END {
        printf "load: %s requests/s, p50 %s, p99 %s, %d non-2xx, socket errors: %s (%s requests; the server logged %s)\n",
            rps, p50, p99, non2xx + 0, socket == "" ? "none" : socket, total, logged
        # RSS after the first 30 s: the first sample is the reference.
        n = 0
        while ((getline line < rssfile) > 0) {
            split(line, f, " ")
            if (f[1] >= 30 && f[2] != "") { n++; v = f[2] + 0; if (n == 1) { first = v; lo = v; hi = v } last = v; if (v < lo) lo = v; if (v > hi) hi = v }
        }
        if (n > 0) {
            flat = (hi <= first * 1.1 && lo >= first * 0.9)
            printf "load: RSS after 30 s: %.1f MB first, %.1f least, %.1f most, %.1f last (%d samples): %s\n",
                first / 1024, lo / 1024, hi / 1024, last / 1024, n, flat ? "flat within 10 %" : "NOT flat within 10 %"
        } else {
            flat = 0
            print "load: RSS: no sample after 30 s (a run shorter than 35 s)"
        }
        if (check == 1) {
            ok = (non2xx + 0 == 0 && socket == "" && total > 0 && flat)
            printf "load: %s (0 errors: %s; RSS flat: %s)\n", ok ? "PASS" : "FAIL", (non2xx + 0 == 0 && socket == "") ? "yes" : "no", flat ? "yes" : "no"
            exit ok ? 0 : 1
        }
    }' "$WORK/wrk.txt"
