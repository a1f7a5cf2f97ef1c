#!/usr/bin/env python3
"""scikit-learn's bundled digits in the three layouts `perceptron train --data` reads.

    Tests/Datasets/make_digits.py OUT

writes, from `sklearn.datasets.load_digits()` (1,797 images of 8 × 8, values 0–16, scaled here to
0–255 as round(v · 255 / 16)):

    OUT/digits.csv                 Kaggle's layout: a header label,pixel0,…,pixel63, one image per line
    OUT/idx/train-images-idx3-ubyte and train-labels-idx1-ubyte    the same images as IDX files
    OUT/folders/0 … OUT/folders/9  one 8 × 8 greyscale PNG per image, NNNN.png by its line in the CSV

in the same order everywhere (so the images of each class come in the same order in all three,
and a seeded stratified holdout picks the same ones). The PNGs hold the bytes as they are: light
ink on a black background, as MNIST's files do.
"""
import os
import struct
import sys
import zlib


def png(width, height, grey):
    """An 8-bit greyscale PNG of `grey` (row-major bytes), each row with filter type 0."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(grey[r * width:(r + 1) * width]) for r in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = [[round(int(v) * 255 / 16) for v in image] for image in digits.data]
    labels = [int(label) for label in digits.target]
    side = 8

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "digits.csv"), "w") as csv:
        csv.write(",".join(["label"] + [f"pixel{k}" for k in range(side * side)]) + "\n")
        for label, image in zip(labels, images):
            csv.write(",".join(map(str, [label] + image)) + "\n")

    os.makedirs(os.path.join(out, "idx"), exist_ok=True)
    with open(os.path.join(out, "idx", "train-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, len(images), side, side) + bytes(v for image in images for v in image))
    with open(os.path.join(out, "idx", "train-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, len(labels)) + bytes(labels))

    for index, (label, image) in enumerate(zip(labels, images)):
        folder = os.path.join(out, "folders", str(label))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{index:04d}.png"), "wb") as f:
            f.write(png(side, side, image))
    print(f"{len(images)} images of {side}×{side} in {out}: digits.csv, idx/, folders/0…9")


if __name__ == "__main__":
    main()
