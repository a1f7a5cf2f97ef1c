#!/usr/bin/env python3
"""Checks the page of `perceptron compare` (or of a sweep) in headless Chromium.

    python3 Tests/Browser/check_compare.py PAGE_DIR RUN_DIR...

PAGE_DIR holds index.html; the RUN_DIRs are the compared runs, in the order given to compare.
Checks, one line each: the page loads with no console error; its loss plot has, for every run,
one validation-loss point per epoch of that run's metrics.json (run N's points have class run-N),
and a validation-loss line per run; the table of differing options lists exactly the options whose
values differ among the runs' configs (out and data aside), one column per run. Ends with
`compare-in-browser: N passed, M failed`; exit 1 when a check failed, 2 without a browser.
"""

import json
import sys
from pathlib import Path

from chromium import Checks, start_browser

NAMING = {"out", "data"}


def main(arguments):
    if len(arguments) < 2:
        print(__doc__)
        return 2
    page = Path(arguments[0]) / "index.html"
    runs = [Path(a) for a in arguments[1:]]
    metrics = [json.loads((run / "metrics.json").read_text()) for run in runs]
    checks = Checks()
    try:
        driver = start_browser("--allow-file-access-from-files")
    except Exception as error:
        checks.record(False, "start headless Chromium", f"{type(error).__name__}: {error}".splitlines()[0])
        checks.summary("compare-in-browser")
        return 2
    try:
        driver.get(page.resolve().as_uri())
        errors = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        checks.record(not errors, "the page has no console errors", "; ".join(errors)[:500])
        for index, (run, m) in enumerate(zip(runs, metrics)):
            points = driver.execute_script(
                f"return document.querySelectorAll('figure.loss .point.run-{index}.val-loss').length;")
            lines = driver.execute_script(
                f"return document.querySelectorAll('figure.loss .line.run-{index}.val-loss').length;")
            expected = len(m["history"])
            checks.record(points == expected and lines == 1, f"run {index} ({run.name}) is overlaid",
                          f"{points} validation-loss points for {expected} epochs, {lines} line")
        configs = [m["config"] for m in metrics]
        keys = sorted({k for c in configs for k in c} - NAMING)
        differing = [k for k in keys if len({json.dumps(c.get(k)) for c in configs}) > 1]
        rows = driver.execute_script(
            "const t = document.querySelector('table.differences'); if (!t) return null;"
            "return {names: Array.from(t.querySelectorAll('tbody tr')).map(r => r.cells[0].textContent),"
            " columns: t.querySelectorAll('thead th').length};")
        shown = sorted(rows["names"]) if rows else []
        checks.record(rows is not None and shown == differing and rows["columns"] == len(runs) + 1,
                      "the table lists the differing options, one column per run",
                      f"shown {shown}, differing {differing}, {rows['columns'] if rows else 0} columns")
    except Exception as error:
        checks.record(False, "browser session", f"{type(error).__name__}: {error}".splitlines()[0])
    finally:
        driver.quit()
    checks.summary("compare-in-browser")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
