#!/usr/bin/env python3
"""Checks a run's report in a real browser: headless Chromium driven by Selenium.

    python3 Tests/Browser/check_report.py REPORT_DIR

REPORT_DIR is a folder written by `perceptron train --out DIR` (index.html, curves.svg,
confusion.svg, errors.svg, weights.svg, metrics.json). Every file is loaded through file://.

Checks, one line each:
  - each SVG loads as an <svg> document in the SVG namespace with no XML parser error
    (Chromium shows a <parsererror> element for malformed XML) and no console error;
  - curves.svg has one `.val-loss.point` element per history entry of metrics.json whose
    val_loss is a finite number (all entries, for a run that did not diverge);
  - index.html loads with no console error (SEVERE log entry), every <img> has loaded
    (naturalWidth > 0), and it fits a 390 px phone screen without sideways scrolling;
  - a screenshot of index.html at 1280 x 800 is saved as REPORT_DIR/index.png.

Ends with `report-in-browser: N passed, M failed`; the exit code is 1 when a check failed, 2 when
the browser could not be started. Needs `chromium`, `chromium-driver` and the Python package
`selenium` (Tests/Browser/setup.sh installs them).
"""

import json
import math
import struct
import sys
from pathlib import Path

FIGURES = ["curves.svg", "confusion.svg", "errors.svg", "weights.svg"]
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


from chromium import Checks, set_viewport, start_browser


def console_errors(driver):
    """The SEVERE browser log entries since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def png_size(path):
    with open(path, "rb") as file:
        header = file.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", header[16:24])


def check_svg(driver, checks, folder, name):
    path = folder / name
    if not checks.record(path.is_file(), f"{name} exists", str(path)):
        return
    driver.get(path.resolve().as_uri())
    root = driver.execute_script(
        "const r = document.documentElement;"
        "return {name: r.localName, ns: r.namespaceURI,"
        " errors: document.getElementsByTagNameNS('*', 'parsererror').length,"
        " viewBox: r.getAttribute('viewBox'), title: (r.querySelector('title') || {}).textContent || ''};")
    ok = root["name"] == "svg" and root["ns"] == SVG_NAMESPACE and root["errors"] == 0
    checks.record(ok, f"{name} parses as SVG",
                  f"root <{root['name']}> in {root['ns']}, {root['errors']} parser errors, viewBox {root['viewBox']!r}")
    errors = console_errors(driver)
    checks.record(not errors, f"{name} has no console errors", "; ".join(errors)[:500])


def check_curves(driver, checks, folder):
    metrics_path = folder / "metrics.json"
    if not checks.record(metrics_path.is_file(), "metrics.json exists", str(metrics_path)):
        return
    history = json.loads(metrics_path.read_text()).get("history", [])
    expected = sum(1 for record in history if finite_number(record.get("val_loss")))
    driver.get((folder / "curves.svg").resolve().as_uri())
    points = driver.execute_script("return document.querySelectorAll('.val-loss.point').length;")
    detail = f"{points} points for {len(history)} history entries"
    if expected != len(history):
        detail += f" ({len(history) - expected} with a non-finite val_loss, which have no point)"
    checks.record(points == expected and expected > 0, "curves.svg has a val-loss point per epoch", detail)
    console_errors(driver)


def check_page(driver, checks, folder):
    page = folder / "index.html"
    if not checks.record(page.is_file(), "index.html exists", str(page)):
        return
    set_viewport(driver, 1280, 800)
    driver.get(page.resolve().as_uri())
    driver.execute_script("return document.readyState;")
    images = driver.execute_script(
        "return Array.from(document.images).map(i => ({src: i.getAttribute('src'), complete: i.complete,"
        " width: i.naturalWidth, height: i.naturalHeight}));")
    broken = [image["src"] for image in images if not image["complete"] or image["width"] <= 0]
    sources = sorted(image["src"] for image in images)
    checks.record(not broken and sources == sorted(FIGURES), "index.html images all loaded",
                  f"{len(images)} images: " + ", ".join(f"{i['src']} {i['width']}x{i['height']}" for i in images)
                  + (f"; not loaded: {', '.join(broken)}" if broken else ""))
    errors = console_errors(driver)
    checks.record(not errors, "index.html has no console errors", "; ".join(errors)[:500])

    screenshot = folder / "index.png"
    driver.execute_script("window.scrollTo(0, 0);")
    driver.save_screenshot(str(screenshot))
    size = png_size(screenshot) if screenshot.is_file() else None
    checks.record(size == (1280, 800), "screenshot saved", f"{screenshot} {size[0]}x{size[1]}" if size else str(screenshot))

    set_viewport(driver, 390, 844)
    driver.get(page.resolve().as_uri())
    widths = driver.execute_script(
        "return {scroll: document.documentElement.scrollWidth, viewport: window.innerWidth};")
    checks.record(widths["scroll"] <= widths["viewport"], "index.html fits a phone screen",
                  f"page {widths['scroll']} px wide in a {widths['viewport']} px viewport")
    console_errors(driver)
    set_viewport(driver, 1280, 800)


def main(arguments):
    if len(arguments) != 1 or arguments[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2].strip() if len(arguments) != 1 else __doc__)
        return 2
    folder = Path(arguments[0])
    checks = Checks()
    if not checks.record(folder.is_dir(), "report folder exists", str(folder)):
        checks.summary("report-in-browser")
        return 1
    try:
        driver = start_browser("--allow-file-access-from-files")
    except Exception as error:  # no selenium, no browser, no driver
        checks.record(False, "start headless Chromium", f"{type(error).__name__}: {error}".splitlines()[0])
        checks.summary("report-in-browser")
        return 2
    try:
        for name in FIGURES:
            check_svg(driver, checks, folder, name)
        check_curves(driver, checks, folder)
        check_page(driver, checks, folder)
    except Exception as error:
        checks.record(False, "browser session", f"{type(error).__name__}: {error}".splitlines()[0])
    finally:
        driver.quit()
    checks.summary("report-in-browser")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
