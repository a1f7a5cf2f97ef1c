"""What the browser tests share: a counter of checks, and headless Chromium driven by Selenium
(Debian's chromium and chromium-driver; Tests/Browser/setup.sh installs them)."""
import os
import shutil


class Checks:
    """Counts and prints the outcome of each check."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, ok, name, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def summary(self, suite):
        """The closing line, `SUITE: N passed, M failed`."""
        print(f"{suite}: {self.passed} passed, {self.failed} failed", flush=True)


def find_executable(names, fallbacks):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    for path in fallbacks:
        if os.path.exists(path):
            return path
    return None


def start_browser(*extra_arguments):
    """Headless Chromium through Selenium, 1280×800, with the browser console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--window-size=1280,800", *extra_arguments]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    binary = find_executable(["chromium", "chromium-browser", "google-chrome"],
                             ["/usr/bin/chromium", "/usr/lib/chromium/chromium"])
    if binary:
        options.binary_location = binary
    driver_path = find_executable(["chromedriver"], ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
    service = Service(executable_path=driver_path) if driver_path else Service()
    return webdriver.Chrome(service=service, options=options)


def set_viewport(driver, width, height, mobile=False):
    """The page's viewport exactly width x height CSS pixels, at scale 1; `mobile` also emulates touch."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile, "maxTouchPoints": 5 if mobile else 1})
