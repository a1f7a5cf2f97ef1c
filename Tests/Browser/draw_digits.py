#!/usr/bin/env python3
"""Draws digits on `perceptron serve`'s page in a real browser: headless Chromium driven by Selenium.

    python3 Tests/Browser/draw_digits.py --binary .build/release/perceptron --model MODEL \
        [--data DIR] [--screenshots DIR]

Starts the binary (`perceptron serve --port 0`, so on a free loopback port it reports), loads the
page at 1280 x 800 and checks, one line each:
  - the page loads with the model's description and no console error;
  - strokes drawn on the canvas with real pointer input (WebDriver actions: pointer down, moves,
    up) are read as the digit drawn: 0 (a tall ellipse), 1 (a vertical line), 7 (a bar and a
    diagonal); the page asks while drawing too (throttled), shows the 28 x 28 input it sent;
  - pressing `c` clears the canvas, the answer and the bars;
  - with --data (or data/mnist present), the strip of test digits shows and a click reads one;
  - an uploaded picture (a PNG of a 0 in dark ink on grey paper) is read as 0;
  - screenshots at 1280 x 800 and 390 x 844 go to the screenshots folder (default: a new
    temporary folder), and at both sizes the canvas, the bars and the 28 x 28 view do not overlap
    and the page is no wider than the screen; at 390 x 844 a digit drawn by touch is read too;
  - the server logged one line per request and stopped when asked.

Ends with `draw-digits: N passed, M failed`; the exit code is 1 when a check failed, 2 when the
server or the browser could not be started. Needs `chromium`, `chromium-driver` and the Python
package `selenium` (Tests/Browser/setup.sh installs them).
"""

import argparse
import math
import re
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {
    # Strokes in pad coordinates (0..1 across and down), drawn as MNIST writers draw them.
    "0": [[(0.5 + 0.21 * math.sin(2 * math.pi * k / 44), 0.5 - 0.31 * math.cos(2 * math.pi * k / 44)) for k in range(47)]],
    "1": [[(0.52 - 0.04 * k / 12, 0.18 + 0.64 * k / 12) for k in range(13)]],
    "7": [[(0.27 + 0.45 * k / 10, 0.22) for k in range(11)]
          + [(0.72 - 0.30 * k / 14, 0.22 + 0.60 * k / 14) for k in range(1, 15)]],
}


from chromium import Checks, set_viewport, start_browser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "EndToEnd"))
from serve_process import ServeProcess  # noqa: E402


def console_errors(driver):
    """The SEVERE browser log entries since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def page_state(driver):
    return driver.execute_script(
        "const b = document.body; return {predictions: +b.dataset.predictions, busy: b.dataset.busy,"
        " state: b.dataset.state, digit: document.getElementById('digit').textContent,"
        " status: document.getElementById('status').textContent};")


def wait_for(driver, condition, timeout=15):
    """Polls `condition(page_state)` until it holds; returns the last state."""
    deadline = time.monotonic() + timeout
    while True:
        state = page_state(driver)
        if condition(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def wait_for_answer(driver, before, timeout=15):
    """Waits until a prediction newer than `before` is shown and nothing more is on its way."""
    return wait_for(driver, lambda s: s["predictions"] > before and s["busy"] == "0"
                    and s["state"] in ("ready", "blank", "error"), timeout)


def draw(driver, strokes, pointer="mouse", pause=0.0):
    """Draws `strokes` on the pad with WebDriver pointer actions (real pointer events)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.actions import interaction

    pad = driver.find_element("id", "pad")
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height];", pad)
    left, top, width, height = box
    kind = interaction.POINTER_TOUCH if pointer == "touch" else interaction.POINTER_MOUSE
    for stroke in strokes:
        builder = ActionBuilder(driver, mouse=PointerInput(kind, pointer), duration=max(1, int(pause * 1000)))
        action = builder.pointer_action

        def point(p):
            return int(left + p[0] * width), int(top + p[1] * height)

        x, y = point(stroke[0])
        action.move_to_location(x, y)
        action.pointer_down()
        for p in stroke[1:]:
            x, y = point(p)
            action.move_to_location(x, y)
        action.pointer_up()
        builder.perform()


def write_png(path, width, height, grey):
    """A greyscale 8-bit PNG of `grey(x, y)` (0 black … 255 white), written with zlib alone."""
    import struct
    import zlib
    rows = b"".join(b"\x00" + bytes(grey(x, y) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def photo_of_zero(x, y, width=240, height=180):
    """A 0 in dark ink on light grey paper, off centre in a wide picture, like a photo of a note."""
    dx, dy = (x - width * 0.4) / 34, (y - height * 0.5) / 56
    return 40 if abs(math.hypot(dx, dy) - 1) < 0.17 else 222


def pad_is_blank(driver):
    return driver.execute_script(
        "const c = document.getElementById('pad'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "for (let i = 0; i < d.length; i += 4) { if (d[i] < 250 || d[i+1] < 250 || d[i+2] < 250) return false; } return true;")


def bar_heights(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#bars .fill')).map(f => f.getBoundingClientRect().height);")


def settled_bar_heights(driver, timeout=3):
    """The bars' heights once their 120 ms transition has ended (two reads 150 ms apart agree):
    read at once, they can still show the answer to the half-drawn stroke."""
    heights = bar_heights(driver)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.15)
        latest = bar_heights(driver)
        if all(abs(a - b) < 0.5 for a, b in zip(heights, latest)):
            return latest
        heights = latest
    return heights


def seen_has_ink(driver):
    return driver.execute_script(
        "const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;"
        "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 128) n++; } return n;")


def check_layout(driver, checks, label):
    """The canvas, the bars and the 28x28 view are visible, do not overlap, and fit the screen's width."""
    rects = driver.execute_script(
        "const r = id => { const b = document.getElementById(id).getBoundingClientRect();"
        " return {left: b.left + scrollX, top: b.top + scrollY, right: b.right + scrollX, bottom: b.bottom + scrollY,"
        " width: b.width, height: b.height}; };"
        "return {pad: r('pad'), bars: r('bars'), seen: r('seen'), digit: r('digit'),"
        " scroll: document.documentElement.scrollWidth, viewport: innerWidth};")
    names = ["pad", "bars", "seen", "digit"]
    overlaps = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ra, rb = rects[a], rects[b]
            if ra["left"] < rb["right"] and rb["left"] < ra["right"] and ra["top"] < rb["bottom"] and rb["top"] < ra["bottom"]:
                overlaps.append(f"{a}/{b}")
    sizes = ", ".join(f"{n} {rects[n]['width']:.0f}x{rects[n]['height']:.0f} at ({rects[n]['left']:.0f},{rects[n]['top']:.0f})"
                      for n in names)
    visible = all(rects[n]["width"] > 20 and rects[n]["height"] > 20 for n in names)
    checks.record(not overlaps and visible, f"{label}: canvas, bars and 28x28 view do not overlap",
                  (f"overlapping: {', '.join(overlaps)}; " if overlaps else "") + sizes)
    inside = all(rects[n]["right"] <= rects["viewport"] + 0.5 and rects[n]["left"] >= -0.5 for n in names)
    checks.record(rects["scroll"] <= rects["viewport"] and inside, f"{label}: the page fits the screen's width",
                  f"page {rects['scroll']} px wide in a {rects['viewport']} px viewport")
    square = abs(rects["pad"]["width"] - rects["pad"]["height"]) < 1.5 and rects["pad"]["width"] >= 260
    checks.record(square, f"{label}: the canvas is a large square", f"{rects['pad']['width']:.0f}x{rects['pad']['height']:.0f}")


def read_digit(driver, checks, digit, label, pointer="mouse", pause=0.0, expect_while_drawing=False):
    before = page_state(driver)["predictions"]
    draw(driver, SHAPES[digit], pointer=pointer, pause=pause)
    state = wait_for_answer(driver, before)
    shown = state["digit"]
    checks.record(shown == digit and state["state"] == "ready", f"{label}: a drawn {digit} is read as {digit}",
                  f"shows {shown!r} ({state['state']}) after {state['predictions'] - before} answers; {state['status']}")
    if expect_while_drawing:
        checks.record(state["predictions"] - before >= 2, f"{label}: predicts while drawing, then after the stroke",
                      f"{state['predictions'] - before} answers for one slow stroke")
    return state


def clear_with_key(driver, checks, label):
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(driver).send_keys("c").perform()
    state = wait_for(driver, lambda s: s["state"] == "empty", 5)
    deadline = time.monotonic() + 3  # the bars shrink with a short transition
    while max(bar_heights(driver)) >= 0.5 and time.monotonic() < deadline:
        time.sleep(0.05)
    heights = bar_heights(driver)
    ok = state["state"] == "empty" and not state["digit"].isdigit() and pad_is_blank(driver) \
        and max(heights) < 0.5 and seen_has_ink(driver) == 0
    checks.record(ok, f"{label}: pressing c clears", f"state {state['state']}, digit {state['digit']!r}, "
                  f"blank pad {pad_is_blank(driver)}, tallest bar {max(heights):.1f} px")


def run(driver, server, checks, screenshots, with_samples):
    url = server.url
    set_viewport(driver, 1280, 800)
    driver.get(url)
    model = wait_for_model(driver)
    checks.record(bool(model["facts"]) and "784" in model["line"], "the page shows the model",
                  f"{model['line']!r}; {model['facts'][:160]!r}")

    # Draw 0, 1 and 7; the 0 slowly, so that answers come while drawing too.
    for digit in ["0", "1", "7"]:
        read_digit(driver, checks, digit, "1280x800", pause=0.03 if digit == "0" else 0.0,
                   expect_while_drawing=digit == "0")
        checks.record(seen_has_ink(driver) > 20, f"1280x800: the 28x28 input of the {digit} is shown",
                      f"{seen_has_ink(driver)} light pixels of 784")
        heights = settled_bar_heights(driver)
        top = max(range(10), key=lambda d: heights[d])
        checks.record(str(top) == digit, f"1280x800: the tallest bar is {digit}", " ".join(f"{h:.0f}" for h in heights))
        if digit == "7":
            check_layout(driver, checks, "1280x800")
            shot(driver, checks, screenshots / "desktop-1280x800.png", (1280, 800))
        clear_with_key(driver, checks, "1280x800")

    if with_samples:
        visible = wait_for_samples(driver)
        checks.record(visible == 12, "the test digits strip shows 12 digits", f"{visible} shown")
        if visible:
            before = page_state(driver)["predictions"]
            label = driver.execute_script("const b = document.querySelector('.sample'); b.click(); return b.querySelector('span').textContent;")
            state = wait_for_answer(driver, before)
            checks.record(state["state"] == "ready" and state["digit"].isdigit(), "clicking a test digit reads it",
                          f"{label}: read as {state['digit']!r}; {state['status']}")
            shot(driver, checks, screenshots / "desktop-sample.png", (1280, 800))
            clear_with_key(driver, checks, "after the test digit")
    else:
        hidden = driver.execute_script("return document.getElementById('samples-card').hidden;")
        checks.record(hidden, "without test data the strip is hidden")

    # Upload a picture: the page turns it into a PNG and the server reads it.
    picture = screenshots / "upload-zero.png"
    write_png(picture, 240, 180, photo_of_zero)
    before = page_state(driver)["predictions"]
    driver.find_element("id", "upload").send_keys(str(picture.resolve()))
    state = wait_for_answer(driver, before)
    checks.record(state["state"] == "ready" and state["digit"] == "0" and picture.name in state["status"],
                  "an uploaded picture of a 0 is read as 0", f"shows {state['digit']!r}; {state['status']}")
    clear_with_key(driver, checks, "after the upload")

    errors = console_errors(driver)
    checks.record(not errors, "1280x800: no console errors", "; ".join(errors)[:500])

    # A phone: 390 x 844 with touch; draw a 1 with a finger.
    set_viewport(driver, 390, 844, mobile=True)
    driver.get(url)
    wait_for_model(driver)
    if with_samples:
        wait_for_samples(driver)
    read_digit(driver, checks, "1", "390x844 touch", pointer="touch")
    check_layout(driver, checks, "390x844")
    scrolled = driver.execute_script("return scrollY;")
    checks.record(scrolled == 0, "390x844: drawing does not scroll the page", f"scrollY {scrolled}")
    shot(driver, checks, screenshots / "phone-390x844.png", (390, 844))
    clear_with_key(driver, checks, "390x844")
    errors = console_errors(driver)
    checks.record(not errors, "390x844: no console errors", "; ".join(errors)[:500])
    set_viewport(driver, 1280, 800)


def wait_for_model(driver, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        model = driver.execute_script(
            "return {line: document.getElementById('model-line').textContent, facts: document.getElementById('facts').textContent};")
        if model["facts"] or time.monotonic() > deadline:
            return model
        time.sleep(0.05)


def wait_for_samples(driver, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        count = driver.execute_script(
            "return document.getElementById('samples-card').hidden ? 0 : document.querySelectorAll('.sample').length;")
        if count or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def shot(driver, checks, path, size):
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(str(path))
    with open(path, "rb") as file:
        header = file.read(24)
    actual = (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) if header[:4] == b"\x89PNG" else None
    checks.record(actual == size, f"screenshot {path.name}", f"{path} {actual}")


def main():
    parser = argparse.ArgumentParser(description="Draw digits on perceptron serve's page in headless Chromium.")
    parser.add_argument("--binary", required=True, help="the perceptron executable")
    parser.add_argument("--model", required=True, help="a model.safetensors (a decent one: the digits must be read right)")
    parser.add_argument("--data", help="the MNIST folder for the test digits strip (default: data/mnist if present)")
    parser.add_argument("--screenshots", help="where to save screenshots (default: a new temporary folder)")
    args = parser.parse_args()

    data = args.data or ("data/mnist" if Path("data/mnist/t10k-images-idx3-ubyte").exists()
                         or Path("data/mnist/t10k-images-idx3-ubyte.gz").exists() else None)
    screenshots = Path(args.screenshots or tempfile.mkdtemp(prefix="draw-digits-"))
    screenshots.mkdir(parents=True, exist_ok=True)
    checks = Checks()

    server = ServeProcess(args.binary, args.model, data=data or "/nonexistent-mnist")
    try:
        url = server.wait_ready()
        if not checks.record(url is not None, "the server starts and prints its URL",
                             f"{url} in {getattr(server, 'startup_seconds', float('nan')):.2f} s" if url
                             else "; ".join(server.lines[-5:])):
            checks.summary("draw-digits")
            return 2
        checks.record(server.startup_seconds < 2.0, "the server starts quickly", f"{server.startup_seconds:.2f} s")
        try:
            driver = start_browser()
        except Exception as error:  # no selenium, no browser, no driver
            checks.record(False, "start headless Chromium", f"{type(error).__name__}: {error}".splitlines()[0])
            checks.summary("draw-digits")
            return 2
        try:
            run(driver, server, checks, screenshots, with_samples=data is not None)
        except Exception as error:
            checks.record(False, "browser session", f"{type(error).__name__}: {error}".splitlines()[0])
        finally:
            driver.quit()
    finally:
        code = server.stop()
    checks.record(code == 0, "the server stops on SIGTERM", f"exit code {code}")
    requests = [line for line in server.lines if re.search(r"\b(GET|POST) /\S* \d{3} ", line)]
    predicts = [line for line in requests if "POST /api/predict 200" in line]
    checks.record(len(predicts) >= 5, "the server logs one line per request",
                  f"{len(requests)} request lines, {len(predicts)} predictions; e.g. {predicts[0] if predicts else '-'}")
    print(f"screenshots in {screenshots}")
    checks.summary("draw-digits")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
