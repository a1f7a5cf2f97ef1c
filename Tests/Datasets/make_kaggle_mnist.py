#!/usr/bin/env python3
"""MNIST's IDX files written in the layout of Kaggle's "Digit Recognizer".

    Tests/Datasets/make_kaggle_mnist.py MNIST_DIR OUT [--train N] [--test N]

writes OUT/train.csv (a header label,pixel0,…,pixel783, then the 60,000 training images, one per
line), OUT/test.csv (pixel0,…,pixel783: the 10,000 test images without their labels) and
OUT/test-labels.csv (ImageId,Label: the true answers, ImageId from 1, to score a submission with),
and OUT/idx/train-images-idx3-ubyte and train-labels-idx1-ubyte: the training lines of train.csv as
IDX files (without test files, so that they are split by the same holdout as the CSV file).
--train and --test keep only the first N images of each (for a quick check).
"""
import argparse
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mnist")
    parser.add_argument("out")
    parser.add_argument("--train", type=int, help="only the first N training images")
    parser.add_argument("--test", type=int, help="only the first N test images")
    args = parser.parse_args()
    mnist, out = args.mnist, args.out
    os.makedirs(out, exist_ok=True)
    train, size = images(os.path.join(mnist, "train-images-idx3-ubyte"))
    train_labels = labels(os.path.join(mnist, "train-labels-idx1-ubyte"))
    test, _ = images(os.path.join(mnist, "t10k-images-idx3-ubyte"))
    test_labels = labels(os.path.join(mnist, "t10k-labels-idx1-ubyte"))
    train, train_labels = train[:args.train], train_labels[:args.train]
    test, test_labels = test[:args.test], test_labels[:args.test]
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
    os.makedirs(os.path.join(out, "idx"), exist_ok=True)
    side = int(size ** 0.5)
    with open(os.path.join(out, "idx", "train-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, len(train), side, side) + b"".join(train))
    with open(os.path.join(out, "idx", "train-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, len(train_labels)) + bytes(train_labels))
    print(f"{out}: train.csv ({len(train)} images), test.csv ({len(test)}), test-labels.csv, idx/")


if __name__ == "__main__":
    main()
