#!/usr/bin/env python3
"""Load a Perceptron model.safetensors with safetensors + numpy and classify MNIST test images.

    pip install safetensors numpy
    python3 examples/python/predict.py runs/RUN/model.safetensors data/mnist/t10k-images-idx3-ubyte

Prints one predicted digit per image. With --compare OURS.json (the output of
`perceptron evaluate --model M --split test --json`) it checks that numpy predicts exactly what
Perceptron predicted, image by image, and exits non-zero if any differs.

The model file holds, for each layer l from the input, layers.l.weight [out, in] and
layers.l.bias [out]; its metadata names each layer's activation. A layer computes
    a = f(x @ W.T + b)
and the last layer's outputs are logits: softmax turns them into probabilities.
"""
import argparse
import gzip
import json
import sys

import numpy as np
from safetensors import safe_open

ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "identity": lambda z: z,
}


def load_model(path):
    """[(W, b, f)] for each layer, and the file's metadata."""
    with safe_open(path, framework="np") as f:
        metadata = f.metadata()
        activations = metadata["activations"].split(",")
        layers = [(f.get_tensor(f"layers.{l}.weight"), f.get_tensor(f"layers.{l}.bias"), ACTIVATIONS[name])
                  for l, name in enumerate(activations)]
    return layers, metadata


def logits(layers, x):
    """x: [batch, 784] in [0, 1] → logits [batch, 10]."""
    a = x
    for weight, bias, f in layers:
        a = f(a @ weight.T + bias)
    return a


def read_idx_images(path):
    """An idx3-ubyte file (raw or .gz) → [count, rows*columns] floats in [0, 1]."""
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, count, rows, columns = np.frombuffer(data[:16], dtype=">u4")
    assert magic == 2051, f"{path}: not an IDX image file (magic {magic})"
    pixels = np.frombuffer(data[16:], dtype=np.uint8).reshape(count, rows * columns)
    return pixels.astype(np.float32) / 255


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("images")
    parser.add_argument("--compare", help="perceptron evaluate --json output to compare with")
    args = parser.parse_args()

    layers, _ = load_model(args.model)
    images = read_idx_images(args.images)
    if not args.compare:
        for digit in logits(layers, images).argmax(axis=1):
            print(digit)
        return

    ours = json.load(open(args.compare))
    indices = np.array(ours["indices"])
    predicted = logits(layers, images[indices]).argmax(axis=1)
    differ = np.flatnonzero(predicted != np.array(ours["predictions"]))
    print(f"numpy and perceptron agree on {len(indices) - len(differ)} of {len(indices)} images")
    if len(differ):
        print(f"they differ at test images {indices[differ][:20].tolist()}")
        sys.exit(1)


if __name__ == "__main__":
    main()
