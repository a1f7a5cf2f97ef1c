#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: small valid files of every kind each parser reads.

    python3 Fuzz/make-corpus.py [--data data/mnist] [--out Fuzz/corpus]

Fuzz/corpus/NAME/ for NAME in idx, csv, png, pgm, jpeg, safetensors, config, body. The files are generated
(and git-ignored); libFuzzer adds the inputs it finds interesting to the same folders.
Real digits come from MNIST's test files when --data has them, otherwise from a drawn one. The JPEG
seeds are written by Pillow when it is installed (baseline, progressive, every subsampling, restart
markers, EXIF orientations, CMYK); without it, one small baseline JPEG.
"""
import argparse
import gzip
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pngtools as t  # noqa: E402


def digits(data, count):
    """`count` 28×28 digits (bytes, ink 255 on 0) and their labels."""
    images = os.path.join(data, "t10k-images-idx3-ubyte")
    labels = os.path.join(data, "t10k-labels-idx1-ubyte")
    if os.path.exists(images) and os.path.exists(labels):
        _, pixels = t.read_idx(images)
        _, tags = t.read_idx(labels)
        return [pixels[i * 784:(i + 1) * 784] for i in range(count)], list(tags[:count])
    # A drawn "1" and "7" when MNIST is not there.
    one = bytes(255 if 13 <= x <= 15 and 4 <= y <= 23 else 0 for y in range(28) for x in range(28))
    seven = bytes(255 if (y == 5 and 6 <= x <= 21) or (y > 5 and x == 21 - (y - 5) // 2 and y <= 23) else 0
                  for y in range(28) for x in range(28))
    pool, tags = [one, seven], [1, 7]
    return [pool[i % 2] for i in range(count)], [tags[i % 2] for i in range(count)]


def jpeg_seeds(digit):
    """Small JPEG files of a digit: every kind Pillow writes, or the one above without Pillow."""
    try:
        import io
        from PIL import Image
    except ImportError:
        return {"grey-8x8.jpg": t.SMALL_JPEG}
    grey = Image.frombytes("L", (28, 28), bytes(255 - p for p in digit))
    colour = Image.merge("RGB", [grey, grey.point(lambda v: v // 2), grey.point(lambda v: 255 - v)])
    seeds = {}

    def save(name, image, **options):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", **options)
        seeds[name] = buffer.getvalue()

    save("grey.jpg", grey, quality=75)
    for subsampling in ("4:4:4", "4:2:2", "4:2:0"):
        save(f"colour-{subsampling.replace(':', '')}.jpg", colour, quality=85, subsampling=subsampling)
    save("progressive.jpg", colour, quality=80, progressive=True)
    save("progressive-grey.jpg", grey, quality=60, progressive=True)
    save("optimized.jpg", colour, quality=90, optimize=True)
    save("restart.jpg", colour.resize((40, 24)), quality=70, restart_marker_blocks=1)
    save("cmyk.jpg", colour.convert("CMYK"), quality=70)
    save("tiny-1x1.jpg", Image.new("L", (1, 1), 0))
    save("odd-17x9.jpg", colour.resize((17, 9)), quality=50)
    save("large-300x200.jpg", colour.resize((300, 200)), quality=40)
    for orientation in (3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"exif-{orientation}.jpg", grey, quality=70, exif=exif.tobytes())
    return seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--data", default=os.path.join(root, "data", "mnist"))
    parser.add_argument("--out", default=os.path.join(root, "Fuzz", "corpus"))
    args = parser.parse_args()

    seeds = {name: {} for name in ["idx", "csv", "png", "pgm", "jpeg", "safetensors", "config", "body"]}
    images, labels = digits(args.data, 3)

    # IDX: images and labels, raw and gzip; the edge sizes (no images, 1×1 images).
    idx = seeds["idx"]
    idx["images-3.idx3"] = t.idx_images(images, 28, 28)
    idx["labels-3.idx1"] = t.idx_labels(labels)
    idx["images-1.idx3.gz"] = gzip.compress(t.idx_images(images[:1], 28, 28), mtime=0)
    idx["labels-3.idx1.gz"] = gzip.compress(t.idx_labels(labels), mtime=0)
    idx["images-0.idx3"] = t.idx_images([], 28, 28)
    idx["labels-0.idx1"] = t.idx_labels([])
    idx["images-2x1x1.idx3"] = t.idx_images([b"\x00", b"\xff"], 1, 1)
    idx["images-1x3x2.idx3"] = t.idx_images([bytes(range(0, 240, 40))], 3, 2)
    idx["two-members.gz"] = gzip.compress(t.idx_labels(labels)[:5], mtime=0) + gzip.compress(t.idx_labels(labels)[5:], mtime=0)

    # CSV: MNIST rows (with a header, \n and \r\n), and the 2×2 and 1×3 shapes the target also tries.
    csv = seeds["csv"]
    header = "label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29))
    rows = [",".join([str(label)] + [str(p) for p in image]) for image, label in zip(images[:2], labels)]
    csv["mnist-2.csv"] = ("\n".join([header] + rows) + "\n").encode()
    csv["mnist-1-crlf.csv"] = (rows[0] + "\r\n").encode()
    csv["small-2x2.csv"] = b"label,a,b,c,d\n3,0,255,17,9\n\n7,1,2,3,4"
    csv["small-1x3.csv"] = b"0,0,0,0\r\n9,255,128,1\r\n"

    # PNG: every colour type and bit depth, every filter type, palettes with tRNS, alpha.
    png = seeds["png"]
    digit = images[0]
    png["digit-28-grey8.png"] = t.png(28, 28, 8, 0, lambda x, y, c: 255 - digit[y * 28 + x])
    for depth in (1, 2, 4, 16):
        top = (1 << depth) - 1
        png[f"grey{depth}.png"] = t.png(9, 5, depth, 0, lambda x, y, c, top=top: (x * y * 37) % (top + 1))
    png["grey8-trns.png"] = t.png(6, 4, 8, 0, lambda x, y, c: 40 * x, trns=[0, 80])
    png["rgb8.png"] = t.png(7, 4, 8, 2, lambda x, y, c: (x * 40 + y * 20 + c * 70) % 256)
    png["rgb16-trns.png"] = t.png(5, 3, 16, 2, lambda x, y, c: (x * 9000 + c * 300) % 65536, trns=[0, 0, 1, 44, 2, 88])
    for depth in (1, 2, 4, 8):
        entries = min(1 << depth, 6)
        palette = [v for i in range(entries) for v in (i * 40, 255 - i * 40, i * 20)]
        png[f"palette{depth}.png"] = t.png(8, 4, depth, 3, lambda x, y, c, n=entries: (x + y) % n,
                                           palette=palette, trns=[255, 128, 0][:entries])
    png["grey-alpha8.png"] = t.png(5, 5, 8, 4, lambda x, y, c: 255 - 50 * x if c == 0 else 50 * y)
    png["grey-alpha16.png"] = t.png(3, 3, 16, 4, lambda x, y, c: 20000 * x if c == 0 else 30000 * y)
    png["rgba8.png"] = t.png(4, 4, 8, 6, lambda x, y, c: (60 * x + 30 * c) % 256 if c < 3 else 60 * y,
                             extra=[(b"gAMA", struct.pack(">I", 45455)), (b"tEXt", b"Comment\x00fuzz")])
    png["rgba16.png"] = t.png(2, 2, 16, 6, lambda x, y, c: 65535 * ((x + y + c) % 2))
    png["white-1x1.png"] = t.png(1, 1, 8, 0, lambda x, y, c: 255)

    # PGM: plain and binary, 8 and 16 bits, with comments.
    pgm = seeds["pgm"]
    pgm["digit-p5.pgm"] = b"P5\n28 28\n255\n" + bytes(255 - p for p in digit)
    pgm["p2-comments.pgm"] = b"P2\n# a comment\n4 3 # width, height\n15\n" + b"\n".join(
        " ".join(str((x * y) % 16) for x in range(4)).encode() for y in range(3)) + b"\n"
    pgm["p5-16bit.pgm"] = b"P5 3 2 65535\n" + b"".join(struct.pack(">H", v) for v in (0, 1000, 65535, 30000, 2, 40000))
    pgm["p2-maxval1.pgm"] = b"P2 2 2 1 0 1 1 0"
    pgm["p5-1x1.pgm"] = b"P5\t1\r1\x0b7\n\x05"

    # JPEG: with Pillow, the kinds of files cameras and programs write; without, one made by Pillow once.
    seeds["jpeg"] = jpeg_seeds(images[0])

    # safetensors: Perceptron models (F32, F64, no hidden layer, with optimiser state), plain tensors.
    st = seeds["safetensors"]
    st["model-4-3-2-f32.safetensors"] = t.model([4, 3, 2], ["relu", "identity"])
    st["model-2-2-f64.safetensors"] = t.model([2, 2], ["identity"], dtype="F64")
    st["model-3-2-2-2-tanh.safetensors"] = t.model([3, 2, 2, 2], ["tanh", "sigmoid", "identity"],
                                                   metadata={"config": json.dumps({"dataset": "mnist", "seed": 3})})
    st["model-784-4-10.safetensors"] = t.model([784, 4, 10], ["relu", "identity"])
    checkpoint = t.model([2, 2], ["identity"])
    st["plain-tensors.safetensors"] = t.safetensors(
        {"a": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)), "b": ("F64", [], struct.pack("<d", 5)),
         "velocity.0.weight": ("F32", [1, 1], struct.pack("<f", 0))}, {"k": "v"}, pad=False)
    st["empty-header.safetensors"] = t.safetensors({}, {})
    del checkpoint

    # Configuration files for `train --config`.
    config = seeds["config"]
    config["defaults.json"] = json.dumps({
        "dataset": "mnist", "hidden": [800], "activation": "relu", "init": "he", "epochs": 12, "batch_size": 128,
        "lr": 0.05, "momentum": 0.9, "nesterov": False, "weight_decay": 0, "loss_reduction": "mean", "seed": 1,
        "patience": None, "threads": None, "out": None, "data": None, "doctor": True}, indent=1).encode()
    config["small.json"] = b'{"hidden": [100, 50], "activation": "tanh", "init": "normal:0,0.01", "epochs": 2, "lr": 1e-1}'
    config["uniform.json"] = b'{"init": "uniform:-0.1,0.1", "loss_reduction": "sum", "seed": 18446744073709551615, "patience": 3}'
    config["empty.json"] = b"{}"
    config["schedule.json"] = b'{"optimizer": "adamw", "schedule": "step:3,0.5", "warmup": 1.5}'
    config["schedule-exp.json"] = b'{"optimizer": "adam", "schedule": "exponential:0.95"}\n'
    config["schedule-cos.json"] = b'{"optimizer": "momentum", "schedule": "cosine", "warmup": 0}'
    config["data.json"] = b'{"dataset": "fashion", "data": "/tmp/x", "out": "runs/a", "threads": 2, "doctor": false, "hidden": []}'

    # Bodies of the server's POST /api/predict: pixels as the page and scripts write them, PNGs
    # (plain base64 and data URLs), other keys, escapes, and the near misses the reader names.
    body = seeds["body"]
    fractions = [p / 255 for p in images[0]]
    body["pixels.json"] = json.dumps({"pixels": fractions}).encode()
    body["pixels-short.json"] = json.dumps({"pixels": [round(v, 3) for v in fractions]}, separators=(",", ":")).encode()
    body["pixels-ints.json"] = ("{ \"pixels\" : [" + " , ".join("1" if p > 127 else "0" for p in images[1]) + "] }\n").encode()
    body["pixels-exp.json"] = json.dumps({"pixels": [f"{v:.3e}" for v in fractions]}).replace('"', "").replace("{pixels:", '{"pixels":').encode()
    body["pixels-other-keys.json"] = json.dumps({"note": {"a": [1, -2.5e-3, {"b": None}, True, "\u00e9\""]}, "pixels": fractions,
                                                 "image": None}).encode()
    import base64
    digit_png = t.png(28, 28, 8, 0, lambda x, y, c: 255 - images[0][y * 28 + x])
    small_png = png["palette2.png"]
    body["image.json"] = json.dumps({"image": base64.b64encode(digit_png).decode()}).encode()
    body["image-data-url.json"] = json.dumps({"image": "data:image/png;base64," + base64.b64encode(small_png).decode()}).encode()
    body["image-rgba.json"] = json.dumps({"image": base64.b64encode(png["rgba8.png"]).decode(), "pixels": None}).encode()
    body["image-escaped.json"] = ('{"image":"' + base64.b64encode(png["grey1.png"]).decode().replace("/", "\\/") + '"}').encode()
    body["both.json"] = b'{"pixels": [0], "image": "iVBORw0KGgo="}'
    body["duplicate.json"] = b'{"pixels": [0, 1], "pixels": [1, 0]}'
    body["nested.json"] = b'{"x": [[[[{"y": [true, false, null, "\\ud83d\\ude00"]}]]]], "pixels": []}'
    body["empty-object.json"] = b"{}"

    total = 0
    for name, files in seeds.items():
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        for file, data in files.items():
            with open(os.path.join(folder, file), "wb") as f:
                f.write(data)
            total += 1
    print(f"make-corpus: {total} seed files in {args.out}/" + "{" + ",".join(seeds) + "}")


if __name__ == "__main__":
    main()
