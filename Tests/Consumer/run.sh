#!/usr/bin/env bash
# The consumer check: Perceptron as another project uses it.
#
# A throwaway package outside the tree depends on a tagged clone of this repository by URL and
# version (file://…, `from:` the version in the README) — never by path, so that SwiftPM applies
# every rule of a versioned dependency (no unsafe flags, declared products) — and compiles the
# README's library example, unchanged, as its main.swift; then runs it on MNIST (data/mnist).
#
#   Tests/Consumer/run.sh            # from the repository's root; prints PASS/FAIL lines
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL  consumer: $*"; exit 1; }

version=$(sed -n 's/^Version \([0-9][0-9.]*\) .*/\1/p' "$root/README.md" | head -1)
[[ -n "$version" ]] || fail "the README states no version ('Version X.Y.Z' on a line of its own)"

# The clone: the committed tree at HEAD, tagged with the README's version.
git clone -q "$root" "$work/perceptron"
git -C "$work/perceptron" tag -f "$version" >/dev/null

# The README's example: the second ```swift block after "## Use Perceptron as a library".
mkdir -p "$work/consumer/Sources/consumer"
awk '/^## Use Perceptron as a library/ { section = 1; next }
     section && /^## / { exit }
     section && /^```swift/ { blocks++; if (blocks == 2) { inside = 1; next } }
     inside && /^```/ { exit }
     inside { print }' "$root/README.md" > "$work/consumer/Sources/consumer/main.swift"
[[ -s "$work/consumer/Sources/consumer/main.swift" ]] || fail "no library example found in the README"
lines=$(wc -l < "$work/consumer/Sources/consumer/main.swift")
(( lines <= 30 )) || fail "the README's example has $lines lines (at most 30)"

cat > "$work/consumer/Package.swift" <<SWIFT
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$work/perceptron", from: "$version")],
    targets: [
        .executableTarget(name: "consumer", dependencies: [
            .product(name: "Perceptron", package: "perceptron"),
            .product(name: "PerceptronData", package: "perceptron"),
        ]),
    ]
)
SWIFT

cd "$work/consumer"
swift build -c release > build.log 2>&1 || { tail -20 build.log; fail "the package that depends on perceptron $version does not build"; }
echo "PASS  consumer: a package depending on perceptron $version by URL builds the README's example ($lines lines)"

# Run it where data/mnist is this repository's (fetched and verified by the example itself if missing).
mkdir -p "$root/data/mnist" data
ln -s "$root/data/mnist" data/mnist
.build/release/consumer > run.log 2>&1 || { tail -20 run.log; fail "the example exits non-zero"; }
accuracy=$(sed -n 's/^test accuracy \([0-9.]*\)$/\1/p' run.log)
[[ -n "$accuracy" ]] || { cat run.log; fail "the example printed no test accuracy"; }
python3 -c "import sys; sys.exit(0 if float('$accuracy') >= 0.9 else 1)" || fail "test accuracy $accuracy < 0.9"
grep -q '^digit.png is a ' run.log || { cat run.log; fail "the example read no digit from digit.png"; }
[[ -s model.safetensors && -s digit.png ]] || fail "model.safetensors or digit.png not written"
seconds=$(sed -n 's/^epoch [1-9][0-9]*: .*, \([0-9.]*\) s$/\1/p' run.log | python3 -c "import sys; print(', '.join(f'{float(l):.3f}' for l in sys.stdin))")
echo "PASS  consumer: the example trains to $accuracy on the test split (epochs of $seconds s), saves, loads and reads $(grep '^digit.png' run.log | sed 's/digit.png is a \([0-9]\).*(label \([0-9]\))/digit.png as \1, label \2/')"
