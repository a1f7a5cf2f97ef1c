#!/usr/bin/env python3
"""MNIST's IDX files written in the layout of Kaggle's "Digit Recognizer".

    Tests/Datasets/make_kaggle_mnist.py MNIST_DIR OUT

writes OUT/train.csv (a header label,pixel0,…,pixel783, then the 60,000 training images, one per
line), OUT/test.csv (pixel0,…,pixel783: the 10,000 test images without their labels) and
OUT/test-labels.csv (ImageId,Label: the true answers, ImageId from 1, to score a submission with).
"""
import gzip
import os
import struct
import sys


def read(path):
    for name in (path, path + ".gz"):
        if os.path.exists(name):
            data = open(name, "rb").read()
            return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    sys.exit(f"{path}: no such file (nor {path}.gz)")


def images(path):
    data = read(path)
    magic, count, rows, columns = struct.unpack(">IIII", data[:16])
    assert magic == 2051, f"{path} is not an IDX image file"
    size = rows * columns
    return [data[16 + k * size:16 + (k + 1) * size] for k in range(count)], size


def labels(path):
    data = read(path)
    magic, count = struct.unpack(">II", data[:8])
    assert magic == 2049, f"{path} is not an IDX label file"
    return list(data[8:8 + count])


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mnist, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    train, size = images(os.path.join(mnist, "train-images-idx3-ubyte"))
    train_labels = labels(os.path.join(mnist, "train-labels-idx1-ubyte"))
    test, _ = images(os.path.join(mnist, "t10k-images-idx3-ubyte"))
    test_labels = labels(os.path.join(mnist, "t10k-labels-idx1-ubyte"))
    pixels = [f"pixel{k}" for k in range(size)]
    with open(os.path.join(out, "train.csv"), "w") as f:
        f.write(",".join(["label"] + pixels) + "\n")
        for label, image in zip(train_labels, train):
            f.write(str(label) + "," + ",".join(map(str, image)) + "\n")
    with open(os.path.join(out, "test.csv"), "w") as f:
        f.write(",".join(pixels) + "\n")
        for image in test:
            f.write(",".join(map(str, image)) + "\n")
    with open(os.path.join(out, "test-labels.csv"), "w") as f:
        f.write("ImageId,Label\n")
        for index, label in enumerate(test_labels):
            f.write(f"{index + 1},{label}\n")
    print(f"{out}: train.csv ({len(train)} images), test.csv ({len(test)}), test-labels.csv")


if __name__ == "__main__":
    main()
