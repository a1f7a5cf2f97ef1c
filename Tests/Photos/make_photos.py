#!/usr/bin/env python3
"""Renders MNIST test digits as phone photos and as dark-bordered scans, for checking how
`perceptron predict` reads pictures that are not clean drawings.

    make_photos.py T10K_IMAGES T10K_LABELS OUT_DIR [--first 5000] [--count 100] [--scans 100]
                   [--side 4000] [--seed 1]

OUT_DIR/photos/NNNNN.jpg   phone-photo-like: --side × 3/4·--side (4000 × 3000, 12 MP, at the default),
                           off-white paper, uneven light from a random side (a gradient, a vignette,
                           sometimes a soft shadow), blue or black ink, the digit rotated up to ±8°,
                           sensor noise, JPEG quality 78–92; 3 in 7 are portrait (3000 × 4000), stored
                           as the sensor's landscape picture with EXIF orientation 6 or 8 as phones do,
                           1 in 7 is stored upside down (orientation 3), and a third show the desk along
                           one or two edges
OUT_DIR/scans/NNNNN.png    a black digit on a white card inside a dark border of about 10 pixels
OUT_DIR/blank.jpg          paper with uneven light and noise, no digit
OUT_DIR/no-digit.jpg       a page lying on a desk (its edges, a shadow), no digit
OUT_DIR/index.json         {"photos": [{"file", "index", "label", ...}], "scans": [...], "unsure": [files]}

The digits are test images --first … --first + count − 1 of MNIST's t10k file (by default 5000–5099,
not the first of any set). Deterministic for a given --seed. Needs numpy and Pillow.
"""
import argparse
import json
import math
import os

import numpy as np
from PIL import Image


def mnist(images_path, labels_path):
    images = np.frombuffer(open(images_path, "rb").read()[16:], dtype=np.uint8).reshape(-1, 28, 28)
    labels = np.frombuffer(open(labels_path, "rb").read()[8:], dtype=np.uint8)
    return images, labels


def ink_patch(digit, height, angle, crisp=True):
    """The digit's ink (0…1) scaled so that its 28 rows become `height` pixels, rotated by `angle`°.

    MNIST's grey levels are anti-aliasing; a contrast curve makes the strokes look like a pen's
    while keeping MNIST's stroke width."""
    image = Image.fromarray(digit.astype(np.float32) / 255, mode="F")
    image = image.resize((height, height), Image.BICUBIC)
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=0)
    ink = np.clip(np.asarray(image, dtype=np.float32), 0, 1)
    if crisp:
        ink = np.clip((ink - 0.25) / 0.5, 0, 1)
    return ink


def smooth_noise(rng, height, width, cells, amplitude):
    """Low-frequency noise: a coarse random grid enlarged bicubically."""
    grid = rng.normal(0, 1, (cells, max(2, cells * width // height))).astype(np.float32)
    image = Image.fromarray(grid, mode="F").resize((width, height), Image.BICUBIC)
    return np.asarray(image, dtype=np.float32) * amplitude


def lighting(rng, height, width):
    """A multiplicative light field in about [0.4, 1]: a gradient from a random direction, a
    vignette, and sometimes a soft-edged shadow."""
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    angle = rng.uniform(0, 2 * math.pi)
    direction = (xs - 0.5) * math.cos(angle) + (ys - 0.5) * math.sin(angle)  # in about [-0.7, 0.7]
    strength = rng.uniform(0.25, 0.5)
    light = 1 - strength * (direction - direction.min()) / (direction.max() - direction.min())
    vignette = rng.uniform(0.05, 0.2)
    light = light * (1 - vignette * ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) / 0.5)
    if rng.random() < 0.4:  # the shadow of the phone or a hand: a half-plane with a blurred edge
        shadow_angle = rng.uniform(0, 2 * math.pi)
        along = (xs - 0.5) * math.cos(shadow_angle) + (ys - 0.5) * math.sin(shadow_angle)
        edge = rng.uniform(0.25, 0.45)
        softness = rng.uniform(0.02, 0.08)
        light = light * (1 - rng.uniform(0.15, 0.3) / (1 + np.exp(-(along - edge) / softness)))
    return light


def paper_colour(rng):
    base = rng.uniform(225, 245)
    return np.array([base + rng.uniform(0, 8), base + rng.uniform(-2, 4), base - rng.uniform(5, 20)], dtype=np.float32)


def ink_colour(rng, blue):
    if blue:
        return np.array([rng.uniform(15, 45), rng.uniform(30, 70), rng.uniform(110, 170)], dtype=np.float32)
    grey = rng.uniform(15, 40)
    return np.array([grey, grey, grey + rng.uniform(0, 8)], dtype=np.float32)


def photo(rng, digit, side, desk=False, blank=False, portrait=False):
    """A phone photo (side × 3/4 side, or 3/4 side × side in portrait; RGB uint8) of the digit
    written on paper, as it is seen upright."""
    width, height = (side * 3 // 4, side) if portrait else (side, side * 3 // 4)
    paper = paper_colour(rng)
    rgb = np.empty((height, width, 3), dtype=np.float32)
    rgb[:] = paper
    rgb += smooth_noise(rng, height, width, 24, 2.5)[:, :, None]  # paper texture

    if desk:  # the page does not fill the picture: the desk shows along one or two edges
        desk_colour = np.array([rng.uniform(50, 90), rng.uniform(35, 60), rng.uniform(25, 45)], dtype=np.float32)
        mask = np.zeros((height, width), dtype=bool)
        sides = rng.choice(4, size=rng.integers(1, 3), replace=False)
        for edge in sides:
            share = rng.uniform(0.03, 0.12)
            if edge == 0: mask[:, : int(width * share)] = True
            if edge == 1: mask[:, width - int(width * share):] = True
            if edge == 2: mask[: int(height * share), :] = True
            if edge == 3: mask[height - int(height * share):, :] = True
        rgb[mask] = desk_colour + smooth_noise(rng, height, width, 16, 6)[mask][:, None]

    if not blank:
        short = min(width, height)
        digit_height = int(short * rng.uniform(0.3, 0.55))
        ink = ink_patch(digit, digit_height, rng.uniform(-8, 8))
        h, w = ink.shape
        cx = int(width / 2 + rng.uniform(-0.12, 0.12) * width)
        cy = int(height / 2 + rng.uniform(-0.1, 0.1) * height)
        top, left = max(0, cy - h // 2), max(0, cx - w // 2)
        top, left = min(top, height - h), min(left, width - w)
        colour = ink_colour(rng, blue=rng.random() < 0.5)
        opacity = rng.uniform(0.85, 1.0)
        region = rgb[top:top + h, left:left + w]
        alpha = (ink * opacity)[:, :, None]
        region[:] = region * (1 - alpha) + colour * alpha

    rgb *= lighting(rng, height, width)[:, :, None]
    rgb *= np.array([1, rng.uniform(0.96, 1.0), rng.uniform(0.88, 1.0)], dtype=np.float32)  # white balance
    rgb += rng.normal(0, rng.uniform(2, 5), rgb.shape).astype(np.float32)  # sensor noise
    return np.clip(rgb, 0, 255).astype(np.uint8)


def save_jpeg(rgb, path, rng, orientation):
    """Saves the upright picture `rgb` as JPEG at quality 78–92, stored turned so that the EXIF
    `orientation` (3, 6 or 8) turns it upright again: a portrait photo is stored as the sensor's
    landscape picture with orientation 6 or 8, as phones do."""
    if orientation == 6:  # shown after turning 90° clockwise: stored turned 90° counter-clockwise
        rgb = np.rot90(rgb, 1)
    elif orientation == 8:
        rgb = np.rot90(rgb, -1)
    elif orientation == 3:
        rgb = np.rot90(rgb, 2)
    image = Image.fromarray(np.ascontiguousarray(rgb))
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=int(rng.integers(78, 93)), exif=exif.tobytes())


def scan(rng, digit):
    """A scan of a card: a black digit on white, inside a dark border of about 10 pixels (grey uint8)."""
    width, height = int(rng.integers(220, 420)), int(rng.integers(220, 420))
    card = np.full((height, width), rng.uniform(235, 252), dtype=np.float32)
    ink = ink_patch(digit, int(min(width, height) * rng.uniform(0.55, 0.8)), rng.uniform(-3, 3), crisp=False)
    h, w = ink.shape
    top = (height - h) // 2 + int(rng.integers(-8, 9))
    left = (width - w) // 2 + int(rng.integers(-8, 9))
    top, left = min(max(top, 14), height - h - 14), min(max(left, 14), width - w - 14)
    level = rng.uniform(0, 40)
    card[top:top + h, left:left + w] = card[top:top + h, left:left + w] * (1 - ink) + level * ink
    border = int(rng.integers(8, 13))
    frame = rng.uniform(10, 70)
    card[:border, :] = frame
    card[-border:, :] = frame
    card[:, :border] = frame
    card[:, -border:] = frame
    card += rng.normal(0, 2, card.shape)
    return np.clip(card, 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("images")
    parser.add_argument("labels")
    parser.add_argument("out")
    parser.add_argument("--first", type=int, default=5000)
    parser.add_argument("--count", type=int, default=100, help="photos")
    parser.add_argument("--scans", type=int, default=None, help="scans (default: as many as photos)")
    parser.add_argument("--side", type=int, default=4000, help="the photos' longer side")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scans = args.count if args.scans is None else args.scans

    images, labels = mnist(args.images, args.labels)
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.join(args.out, "photos"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "scans"), exist_ok=True)
    index = {"photos": [], "scans": [], "unsure": []}

    for n in range(args.count):
        number = args.first + n
        orientation = [1, 6, 1, 8, 1, 6, 3][n % 7]
        desk = n % 3 == 2
        path = os.path.join(args.out, "photos", f"{number:05d}.jpg")
        upright = photo(rng, images[number], args.side, desk=desk, portrait=orientation in (6, 8))
        save_jpeg(upright, path, rng, orientation)
        index["photos"].append({"file": path, "index": number, "label": int(labels[number]),
                                "orientation": orientation, "desk": desk})
    for n in range(scans):
        number = args.first + n
        path = os.path.join(args.out, "scans", f"{number:05d}.png")
        Image.fromarray(scan(rng, images[number])).save(path)
        index["scans"].append({"file": path, "index": number, "label": int(labels[number])})
    for name, desk in (("blank.jpg", False), ("no-digit.jpg", True)):
        path = os.path.join(args.out, name)
        save_jpeg(photo(rng, None, args.side, desk=desk, blank=True), path, rng, 1)
        index["unsure"].append(path)
    json.dump(index, open(os.path.join(args.out, "index.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
