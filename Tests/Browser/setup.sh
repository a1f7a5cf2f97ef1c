#!/bin/sh
# Installs what the browser tests (check_report.py, draw_digits.py) need, when missing: Chromium and its WebDriver
# (Debian packages chromium and chromium-driver) and the Python package selenium.
# Idempotent: when everything is there it only checks and exits.
#
#     sh Tests/Browser/setup.sh && python3 Tests/Browser/check_report.py REPORT_DIR
set -eu

PYTHON=${PYTHON:-python3}
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi

have_browser() {
    { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } &&
        { command -v chromedriver >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromedriver ]; }
}

if have_browser; then
    echo "setup: chromium and chromedriver present"
else
    if [ "$SUDO" = none ]; then echo "setup: chromium is missing and there is no root or sudo to install it" >&2; exit 1; fi
    echo "setup: installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when the install fails without it.
    $SUDO apt-get install -y -q chromium chromium-driver ||
        { $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium chromium-driver; }
    have_browser || { echo "setup: chromium or chromedriver still missing" >&2; exit 1; }
fi

if "$PYTHON" -c "import selenium" >/dev/null 2>&1; then
    echo "setup: selenium present ($("$PYTHON" -c "import selenium; print(selenium.__version__)"))"
else
    echo "setup: installing selenium for $PYTHON"
    # A Debian-managed Python refuses plain pip installs (PEP 668); fall back to --user, then to
    # --break-system-packages, and for Debian's own python3 without pip to its python3-selenium.
    "$PYTHON" -m pip install -q selenium ||
        "$PYTHON" -m pip install -q --user selenium ||
        "$PYTHON" -m pip install -q --break-system-packages selenium ||
        { [ "$(command -v "$PYTHON")" = /usr/bin/python3 ] && [ "$SUDO" != none ] &&
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-selenium; } || true
    "$PYTHON" -c "import selenium" || { echo "setup: selenium still not importable" >&2; exit 1; }
fi
