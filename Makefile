# Perceptron: the two commands of the README are `make train` and `make test`.
SWIFT ?= swift
BIN := .build/release/perceptron

.PHONY: setup build train test unit-test page-script end-to-end consumer examples onednn3 docs fetch gradcheck bench bench-serve soak clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c release --product perceptron

## Train the default model (fetching and verifying MNIST on first use).
train: build
	$(BIN) train $(ARGS)

fetch: build
	$(BIN) fetch

gradcheck: build
	$(BIN) gradcheck

## Every test: the page's script parsed by node, unit tests (Swift Testing), the end-to-end checks of the real binary on real MNIST,
## and the consumer check (a package that depends on this one by URL and version builds and runs
## the README's library example).
test: page-script unit-test end-to-end consumer examples onednn3

unit-test: setup
	$(SWIFT) test

## The draw-a-digit page's script parses (`node --check`); skipped, with a message, without node.
PAGE_SCRIPT := Sources/PerceptronServer/Resources/page.js
page-script:
	@if command -v node >/dev/null 2>&1; then \
	    node --check $(PAGE_SCRIPT) && echo "page-script: node --check $(PAGE_SCRIPT): it parses"; \
	else \
	    echo "page-script: skipped: no node on this machine to check $(PAGE_SCRIPT)"; \
	fi

end-to-end: build
	Tests/EndToEnd/run.sh $(BIN)

consumer: setup
	Tests/Consumer/run.sh

## The library against oneDNN 3.2 (PyPI's wheels, unzipped): a step of backpropagation against Double, one epoch that learns.
onednn3: setup
	Tests/OneDNN3/run.sh

## examples/swift: a program of its own on the library (a custom optimiser, the doctor as data, a plot).
examples: setup
	examples/swift/run.sh

## The DocC catalogs of Perceptron and PerceptronData, with no warnings (swift-docc-plugin).
docs: setup
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation \
	    --target Perceptron --target PerceptronData --warnings-as-errors \
	    --output-path .build/docs --transform-for-static-hosting

clean:
	rm -rf .build runs

## Speed against JAX, PyTorch and numpy on this machine (a report, not a test): see BENCHMARKS.md.
bench: build
	@bench/setup.sh
	python3 bench/run.py --perceptron $(BIN) $(ARGS)

## Load on the draw-a-digit server: 30 s of wrk at 64 connections on /api/predict (a report, not a test).
bench-serve: build
	PERCEPTRON=$(BIN) bench/serve/load.sh $(MODEL)

## The server under load for 5 minutes (not part of `make test`): wrk at 64 connections on
## /api/predict; fails unless there was no error and the server's RSS stayed flat within 10 %;
## prints p50/p99. MODEL=… (default: a 784-800-10 model of one epoch, trained into .build/soak-model).
SOAK_DURATION ?= 5m
soak: build
	@model="$(MODEL)"; \
	if [ -z "$$model" ]; then model=.build/soak-model/model.safetensors; \
	    [ -f "$$model" ] || $(BIN) train --epochs 1 --seed 1 --out .build/soak-model --quiet || exit 1; fi; \
	PERCEPTRON=$(BIN) DURATION=$(SOAK_DURATION) CONNECTIONS=64 CHECK=1 bench/serve/load.sh "$$model"

## Fuzz the file parsers and the server's body reader with libFuzzer (the separate package Fuzz/): FUZZ_SECONDS per target,
## findings in Fuzz/findings/NAME/; FUZZ_TARGETS="png pgm" for some only. See Fuzz/run.sh.
FUZZ_SECONDS ?= 600
.PHONY: fuzz
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh $(FUZZ_TARGETS)
