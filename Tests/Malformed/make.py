#!/usr/bin/env python3
"""Writes the malformed-input corpus into Tests/Malformed/cases/, and the valid model the image
cases are predicted with (Tests/Malformed/base-model.safetensors).

    python3 Tests/Malformed/make.py [--data data/mnist]

Every case is a small file that is wrong in one way; Tests/Malformed/expected.tsv says which
`perceptron` command reads it and what its one-line error must say, and Tests/Malformed/run.sh
checks that. Valid parts come from MNIST's test files (--data) where a real digit is needed.
The output is deterministic, so the generated files are committed (well under 100 KB).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import zlib

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, os.path.join(root, "Fuzz"))
import pngtools as t  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(root, "data", "mnist"))
    args = parser.parse_args()
    _, pixels = t.read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte"))
    _, tags = t.read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte"))
    digits = [pixels[i * 784:(i + 1) * 784] for i in range(10)]
    labels = list(tags[:10])

    cases = {}

    # ---- IDX (and gzip) -------------------------------------------------------------------------
    three = t.idx_images(digits[:3], 28, 28)
    cases["idx-images-wrong-magic"] = t.idx_images(digits[:3], 28, 28, magic=0x801)  # a label magic
    cases["idx-labels-wrong-magic"] = t.idx_labels(labels, magic=0x802)
    cases["idx-images-truncated"] = three[:-100]
    cases["idx-labels-truncated"] = t.idx_labels(labels)[:-3]
    cases["idx-images-trailing-bytes"] = three + b"\x00\x00\x00"
    cases["idx-shorter-than-header"] = three[:12]
    # Headers that claim far more than the file holds: must fail before allocating for the claim.
    cases["idx-images-huge-count"] = (struct.pack(">IIII", 0x803, 1 << 31, 28, 28) + bytes(84))[:100]
    cases["idx-labels-huge-count"] = (struct.pack(">II", 0x801, 1 << 31) + bytes(92))[:100]
    cases["idx-images-size-overflow"] = struct.pack(">IIII", 0x803, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(84)
    cases["idx-images-zero-rows"] = struct.pack(">IIII", 0x803, 5, 0, 28)
    cases["idx-images-none"] = t.idx_images([], 28, 28)
    cases["idx-images-wrong-size"] = t.idx_images([bytes(400)] * 2, 20, 20)
    cases["idx-labels-count-mismatch"] = t.idx_labels(labels[:5])
    cases["idx-labels-label-11"] = t.idx_labels(labels[:2] + [11] + labels[3:])
    good_gz = gzip.compress(t.idx_images(digits[:2], 28, 28), mtime=0)
    corrupt = bytearray(good_gz)
    for i in range(20, 40):  # garble the deflate stream
        corrupt[i] ^= 0x5A
    cases["idx-corrupt-gzip.gz"] = bytes(corrupt)
    cases["idx-truncated-gzip.gz"] = good_gz[: len(good_gz) // 2]
    cases["idx-gzip-bad-crc.gz"] = good_gz[:-8] + bytes(4) + good_gz[-4:]
    cases["idx-gzip-trailing-garbage.gz"] = good_gz + b"not gzip"

    # ---- CSV (read by MNISTFetcher only: no command takes a CSV file) -----------------------------
    row = lambda label, image: ",".join([str(label)] + [str(p) for p in image])  # noqa: E731
    good = row(labels[0], digits[0])
    cases["csv-bad-field.csv"] = (good + "\n" + row(labels[1], digits[1]).replace(",0,", ",0x,", 1) + "\n").encode()
    cases["csv-short-row.csv"] = (good + "\n" + ",".join(good.split(",")[:700]) + "\n").encode()
    cases["csv-long-row.csv"] = (good + ",0\n").encode()
    cases["csv-label-10.csv"] = ("10" + good[1:] + "\n").encode()
    cases["csv-pixel-256.csv"] = (good.rsplit(",", 1)[0] + ",256\n").encode()
    cases["csv-empty-field.csv"] = (good.replace(",", ",,", 1) + "\n").encode()
    # Blank lines only (4 MB of them, gzip-compressed as CSVReader.read accepts): no examples.
    cases["csv-blank-lines.csv.gz"] = gzip.compress(b"\n" * (4 << 20), 9, mtime=0)
    cases["csv-header-only.csv"] = ("label," + ",".join(f"p{i}" for i in range(784)) + "\n").encode()

    # ---- PNG ------------------------------------------------------------------------------------
    ink = lambda x, y, c: 255 - digits[0][y * 28 + x]  # noqa: E731
    valid = t.png(28, 28, 8, 0, ink)
    cases["png-bad-signature.png"] = b"\x89PNG\r\n\x1a\x0b" + valid[8:]
    broken = bytearray(valid)
    broken[29] ^= 0xFF  # a byte of the IHDR CRC
    cases["png-crc-mismatch.png"] = bytes(broken)
    cases["png-truncated.png"] = valid[: len(valid) - 40]
    # Adam7 over 28 × 28: pass 1 is 4 × 4, pass 2 is 3 × 4; the data ends after 2 rows of pass 2.
    passes = b"".join(b"\x00" + bytes(4) for _ in range(4)) + b"".join(b"\x00" + bytes(3) for _ in range(2))
    cases["png-interlaced-ends-in-pass.png"] = (t.PNG_SIGNATURE + t.ihdr(28, 28, 8, 0, interlace=1)
                                                + t.chunk(b"IDAT", zlib.compress(passes)) + t.chunk(b"IEND", b""))
    one_row = zlib.compress(b"\x00" + bytes(100000 // 8 + 1))
    cases["png-huge-dimensions.png"] = (t.PNG_SIGNATURE + t.ihdr(100000, 100000, 1, 0)
                                        + t.chunk(b"IDAT", one_row) + t.chunk(b"IEND", b""))
    # 8192 × 8192 interlaced: decoded whole, it would be 537 MB of pixels; refused from its header.
    zero_rows = zlib.compress(b"".join(b"\x00" + bytes(1024) for _ in range(1024)))
    cases["png-interlaced-bomb.png"] = (t.PNG_SIGNATURE + t.ihdr(8192, 8192, 8, 0, interlace=1)
                                        + t.chunk(b"IDAT", zero_rows) + t.chunk(b"IEND", b""))
    cases["png-zero-width.png"] = t.PNG_SIGNATURE + t.ihdr(0, 28, 8, 0) + valid[33:]
    cases["png-bad-bit-depth.png"] = t.PNG_SIGNATURE + t.ihdr(28, 28, 4, 2) + valid[33:]
    cases["png-chunk-too-long.png"] = t.PNG_SIGNATURE + struct.pack(">I", 0x80000000) + b"IHDR" + bytes(20)
    cases["png-no-ihdr.png"] = t.PNG_SIGNATURE + t.chunk(b"IDAT", b"") + t.chunk(b"IEND", b"")
    cases["png-no-idat.png"] = t.PNG_SIGNATURE + t.ihdr(28, 28, 8, 0) + t.chunk(b"IEND", b"")
    cases["png-unknown-critical-chunk.png"] = valid[:33] + t.chunk(b"ABCD", b"x") + valid[33:]
    rows = b"".join(b"\x00" + bytes(28) for _ in range(10))
    cases["png-image-data-ends-early.png"] = (t.PNG_SIGNATURE + t.ihdr(28, 28, 8, 0)
                                              + t.chunk(b"IDAT", zlib.compress(rows)) + t.chunk(b"IEND", b""))
    cases["png-bad-filter-type.png"] = (t.PNG_SIGNATURE + t.ihdr(4, 2, 8, 0)
                                        + t.chunk(b"IDAT", zlib.compress(b"\x00" + bytes(4) + b"\x07" + bytes(4)))
                                        + t.chunk(b"IEND", b""))
    cases["png-corrupt-zlib.png"] = (t.PNG_SIGNATURE + t.ihdr(4, 2, 8, 0)
                                     + t.chunk(b"IDAT", b"\x78\x9c\xff\xff\xff\xff\xff") + t.chunk(b"IEND", b""))
    cases["png-missing-palette.png"] = t.PNG_SIGNATURE + t.ihdr(4, 2, 8, 3) + t.png(4, 2, 8, 0, lambda x, y, c: 0)[33:]
    cases["png-palette-index-out-of-range.png"] = t.png(4, 2, 8, 3, lambda x, y, c: 5 * x, palette=[0, 0, 0, 255, 255, 255])
    cases["png-bad-palette-length.png"] = t.png(4, 2, 8, 3, lambda x, y, c: 0, palette=[0, 0, 0, 255])

    # ---- JPEG, BMP, WebP ---------------------------------------------------------------------------
    jpeg = t.SMALL_JPEG
    cases["jpeg-truncated.jpg"] = jpeg[:len(jpeg) - 3]  # inside the entropy-coded data, before EOI
    cases["jpeg-bad-header.jpg"] = b"\xff\xd8\xff\xe0" + bytes(40)
    frame = jpeg.index(b"\xff\xc0")  # SOF0: length (2), precision (1), height (2), width (2)
    cases["jpeg-huge-dimensions.jpg"] = jpeg[:frame + 5] + b"\xea\x60\xea\x60" + jpeg[frame + 9:]  # 60000 × 60000
    cases["webp-photo.webp"] = b"RIFF" + struct.pack("<I", 40) + b"WEBPVP8 " + bytes(32)
    bmp_header = lambda bits, compression, size: (b"BM" + struct.pack("<IIIIiiHHIIiiII", 54 + size, 0, 54, 40, 28, 28,  # noqa: E731
                                                                     1, bits, compression, size, 2835, 2835, 0, 0))
    cases["bmp-truncated.bmp"] = bmp_header(24, 0, 28 * 84) + bytes(28 * 84 // 2)
    cases["bmp-rle.bmp"] = bmp_header(8, 1, 100) + bytes(4 * 256) + bytes(100)

    # ---- PGM ------------------------------------------------------------------------------------
    raster = bytes(255 - p for p in digits[0])
    cases["pgm-maxval-0.pgm"] = b"P5\n28 28\n0\n" + raster
    cases["pgm-maxval-70000.pgm"] = b"P5\n28 28\n70000\n" + raster + raster
    cases["pgm-p5-truncated.pgm"] = b"P5\n28 28\n255\n" + raster[:500]
    cases["pgm-p2-truncated.pgm"] = b"P2\n3 2\n255\n0 10 20\n30 40\n"
    cases["pgm-huge-dimensions.pgm"] = b"P5\n100000 100000\n255\n" + bytes(60)
    cases["pgm-sample-above-maxval.pgm"] = b"P2 2 2 100 0 50 101 7\n"
    cases["pgm-bad-width.pgm"] = b"P5\nwide 28\n255\n" + raster
    cases["pgm-zero-height.pgm"] = b"P5 28 0 255\n"
    cases["pgm-missing-maxval.pgm"] = b"P2\n# only a size\n3 3\n"

    # ---- safetensors ----------------------------------------------------------------------------
    # The image cases are predicted with a 784-1-10 model (small, valid); the safetensors cases
    # break a 6-2-10 one (the checks they reach come before the input size matters).
    base = t.model([784, 1, 10], ["relu", "identity"])
    small = t.model([6, 2, 10], ["relu", "identity"])
    header_length = struct.unpack("<Q", small[:8])[0]
    header = json.loads(small[8:8 + header_length])
    data = small[8 + header_length:]

    def rewrite(change, length=None):
        h = json.loads(json.dumps(header))
        change(h)
        text = json.dumps(h, sort_keys=True).encode()
        return struct.pack("<Q", len(text) if length is None else length) + text + data

    def tensor(name, **fields):
        return lambda h: h[name].update(fields)

    def meta(**fields):
        return lambda h: h["__metadata__"].update(fields)

    cases["st-shorter-than-length.safetensors"] = b"\x10\x00\x00"
    cases["st-header-length-past-end.safetensors"] = struct.pack("<Q", 1 << 20) + small[8:200]
    cases["st-header-length-huge.safetensors"] = struct.pack("<Q", (1 << 64) - 1) + small[8:100]
    cases["st-header-not-json.safetensors"] = struct.pack("<Q", 16) + b"{not json at all" + data[:64]
    cases["st-header-json-array.safetensors"] = struct.pack("<Q", 8) + b"[1,2,3] " + data[:64]
    cases["st-offsets-past-end.safetensors"] = rewrite(tensor("layers.1.bias", data_offsets=[len(data) - 40, len(data) + 4000]))
    cases["st-offsets-reversed.safetensors"] = rewrite(tensor("layers.1.bias", data_offsets=[40, 0]))
    cases["st-absurd-shape.safetensors"] = rewrite(tensor("layers.1.bias", shape=[1 << 40, 1 << 40]))
    cases["st-shape-offsets-disagree.safetensors"] = rewrite(tensor("layers.1.bias", shape=[1000000, 1000000]))
    cases["st-negative-shape.safetensors"] = rewrite(tensor("layers.1.bias", shape=[-10, -1]))
    cases["st-bad-dtype.safetensors"] = rewrite(tensor("layers.1.bias", dtype="I32"))
    cases["st-shape-not-integers.safetensors"] = rewrite(tensor("layers.1.bias", shape=["10"]))
    cases["st-not-perceptron.safetensors"] = rewrite(lambda h: h.pop("__metadata__"))
    cases["st-metadata-not-string.safetensors"] = rewrite(meta(format_version=1))
    cases["st-format-version-2.safetensors"] = rewrite(meta(format_version="2"))
    cases["st-sizes-garbage.safetensors"] = rewrite(meta(sizes="784,x,10"))
    cases["st-sizes-huge.safetensors"] = rewrite(meta(sizes="6,1048576,10"))
    cases["st-weight-wrong-shape.safetensors"] = rewrite(meta(sizes="3,4,10"))
    cases["st-missing-tensor.safetensors"] = rewrite(lambda h: h.pop("layers.0.bias"))
    cases["st-unknown-activation.safetensors"] = rewrite(meta(activations="relu,softmax"))
    cases["st-three-outputs.safetensors"] = t.model([6, 2, 3], ["relu", "identity"])

    # ---- configuration files (train --config; its --epochs 0 overrides a file's epochs) ----------
    cases["config-unknown-key.json"] = b'{"epoch": 3}'
    cases["config-wrong-type.json"] = b'{"batch_size": "ten"}'
    cases["config-hidden-not-list.json"] = b'{"hidden": 800}'
    cases["config-negative-seed.json"] = b'{"seed": -1}'
    cases["config-fractional-batch.json"] = b'{"batch_size": 2.5}'
    cases["config-bad-init.json"] = b'{"init": "normal:0"}'
    cases["config-bad-activation.json"] = b'{"activation": "softplus"}'
    cases["config-not-object.json"] = b"[1, 2, 3]"
    cases["config-not-json.json"] = b"{epochs: 3"
    cases["config-empty.json"] = b""
    cases["config-hidden-zero.json"] = b'{"hidden": [0]}'
    cases["config-threads-huge.json"] = b'{"threads":3000000000}'  # more than Int32 holds (minimised by libFuzzer)
    cases["config-lr-huge.json"] = b'{"lr": 1e400}'
    cases["config-deep-nesting.json"] = b'{"data": ' + b"[" * 4000 + b"]" * 4000 + b"}"

    out = os.path.join(here, "cases")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):  # cases no longer made
        if name not in cases:
            os.remove(os.path.join(out, name))
    for name, content in sorted(cases.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(content)
    with open(os.path.join(here, "base-model.safetensors"), "wb") as f:
        f.write(base)
    size = sum(len(c) for c in cases.values()) + len(base)
    print(f"malformed: {len(cases)} cases in {os.path.relpath(out, root)}/ ({size // 1024} KB with the base model)")


if __name__ == "__main__":
    main()
