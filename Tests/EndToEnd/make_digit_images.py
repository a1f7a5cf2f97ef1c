#!/usr/bin/env python3
"""Writes MNIST test digits as image files, for the end-to-end checks of `perceptron predict`.

    make_digit_images.py T10K_IMAGES T10K_LABELS OUT_DIR COUNT

OUT_DIR/mnist/NNNNN.png and .pgm   the digit exactly as in MNIST (28×28, white ink on black)
OUT_DIR/drawn/NNNNN.png            the digit as a person might draw it: black ink on white paper,
                                   three times larger (84×84, bilinear), off-centre in a 200×150 canvas
OUT_DIR/index.json                 the test-set indices and labels used
Only the standard library: PNG is written with zlib, PGM by hand.
"""
import json
import os
import struct
import sys
import zlib


def png(path, pixels, width, height):
    """8-bit greyscale PNG, filter 0 on every row."""
    raw = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pgm(path, pixels, width, height):
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (width, height) + bytes(pixels))


def enlarge(digit, factor):
    """Bilinear enlargement of a 28×28 digit by an integer factor."""
    side = 28 * factor
    out = []
    for y in range(side):
        sy = min(max((y + 0.5) / factor - 0.5, 0), 27)
        y0, fy = int(sy), sy - int(sy)
        y1 = min(y0 + 1, 27)
        for x in range(side):
            sx = min(max((x + 0.5) / factor - 0.5, 0), 27)
            x0, fx = int(sx), sx - int(sx)
            x1 = min(x0 + 1, 27)
            top = digit[y0 * 28 + x0] * (1 - fx) + digit[y0 * 28 + x1] * fx
            bottom = digit[y1 * 28 + x0] * (1 - fx) + digit[y1 * 28 + x1] * fx
            out.append(round(top * (1 - fy) + bottom * fy))
    return out, side


def main():
    images_path, labels_path, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    images = open(images_path, "rb").read()[16:]
    labels = open(labels_path, "rb").read()[8:]
    os.makedirs(os.path.join(out, "mnist"), exist_ok=True)
    os.makedirs(os.path.join(out, "drawn"), exist_ok=True)
    step = len(labels) // count
    indices = [i * step for i in range(count)]
    for n, index in enumerate(indices):
        digit = list(images[index * 784:(index + 1) * 784])
        png(os.path.join(out, "mnist", f"{index:05d}.png"), digit, 28, 28)
        pgm(os.path.join(out, "mnist", f"{index:05d}.pgm"), digit, 28, 28)
        big, side = enlarge(digit, 3)
        width, height = 200, 150
        left, top = 10 + (n * 37) % (width - side - 10), 5 + (n * 23) % (height - side - 5)
        canvas = [255] * (width * height)
        for y in range(side):
            for x in range(side):
                canvas[(top + y) * width + left + x] = 255 - big[y * side + x]
        png(os.path.join(out, "drawn", f"{index:05d}.png"), canvas, width, height)
    json.dump({"indices": indices, "labels": [labels[i] for i in indices]}, open(os.path.join(out, "index.json"), "w"))


if __name__ == "__main__":
    main()
