"""Small writers for the file formats Perceptron reads, and a small JPEG, shared by Fuzz/make-corpus.py
and Tests/Malformed/make.py. Standard library only (zlib, struct, json)."""
import json
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data, crc=None):
    """A PNG chunk; `crc` overrides the right CRC (for broken files)."""
    body = kind + data
    value = zlib.crc32(body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(data)) + body + struct.pack(">I", value)


def ihdr(width, height, depth, colour, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filtered(rows, stride, filters):
    """The scanlines `rows` (lists of bytes), each filtered with the next type of `filters`."""
    out = bytearray()
    previous = [0] * len(rows[0])
    for number, row in enumerate(rows):
        kind = filters[number % len(filters)]
        out.append(kind)
        for i, x in enumerate(row):
            a = row[i - stride] if i >= stride else 0
            b = previous[i]
            c = previous[i - stride] if i >= stride else 0
            predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            out.append((x - predictor) & 0xFF)
        previous = row
    return bytes(out)


def pack(samples, depth):
    """Samples of one row as bytes: packed from the high bit for depths < 8, big-endian for 16."""
    if depth == 8:
        return list(samples)
    if depth == 16:
        return [b for s in samples for b in (s >> 8, s & 0xFF)]
    out, bits, count = [], 0, 0
    for s in samples:
        bits = bits << depth | s
        count += depth
        if count == 8:
            out.append(bits)
            bits, count = 0, 0
    if count:
        out.append(bits << (8 - count))
    return out


def png(width, height, depth, colour, sample, palette=None, trns=None, filters=(0, 1, 2, 3, 4), extra=()):
    """A PNG whose sample (x, y, channel) is `sample(x, y, c)`."""
    channels = CHANNELS[colour]
    rows = [pack([sample(x, y, c) for x in range(width) for c in range(channels)], depth) for y in range(height)]
    stride = max(1, depth * channels // 8)
    data = zlib.compress(filtered(rows, stride, list(filters)), 9)
    out = PNG_SIGNATURE + ihdr(width, height, depth, colour)
    for kind, body in extra:
        out += chunk(kind, body)
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    # Split the image data over two IDAT chunks, as encoders often do.
    half = len(data) // 2
    return out + chunk(b"IDAT", data[:half]) + chunk(b"IDAT", data[half:]) + chunk(b"IEND", b"")


def idx_images(images, rows, columns, magic=0x803):
    return struct.pack(">IIII", magic, len(images), rows, columns) + b"".join(images)


def idx_labels(labels, magic=0x801):
    return struct.pack(">II", magic, len(labels)) + bytes(labels)


def safetensors(tensors, metadata, pad=True):
    """tensors: {name: (dtype, shape, bytes)}; laid out in name order, as Perceptron writes them."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        dtype, shape, data = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    while pad and len(text) % 8:
        text += b" "
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def model(sizes, activations, dtype="F32", value=lambda l, i: 0.01 * ((i * 7 + l) % 11 - 5), metadata=None):
    """A Perceptron model file: layers.l.weight [out, in], layers.l.bias [out]."""
    code = {"F32": "<f", "F64": "<d"}[dtype]
    tensors = {}
    for l in range(len(sizes) - 1):
        inputs, outputs = sizes[l], sizes[l + 1]
        weight = b"".join(struct.pack(code, value(l, i)) for i in range(inputs * outputs))
        bias = b"".join(struct.pack(code, 0.0) for _ in range(outputs))
        tensors[f"layers.{l}.weight"] = (dtype, [outputs, inputs], weight)
        tensors[f"layers.{l}.bias"] = (dtype, [outputs], bias)
    meta = {"format": "perceptron", "format_version": "1", "sizes": ",".join(map(str, sizes)),
            "activations": ",".join(activations)}
    meta.update(metadata or {})
    return safetensors(tensors, meta)


def read_idx(path):
    """(dimensions, data) of an IDX file."""
    with open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return list(shape), raw[4 + 4 * dims:]


# An 8 × 8 grey baseline JPEG (Pillow, quality 50): the seed when Pillow is not installed, and the
# base of the malformed JPEG cases (kept here so that both are made with the standard library alone).
SMALL_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d"
    "3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b080008000801011100ffc4001f0000"
    "010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d0102030004110512"
    "2131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4"
    "b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00e9"
    "2bffd9")
