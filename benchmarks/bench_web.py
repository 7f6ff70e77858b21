"""The mobile reader on a slow phone: first paint of the login page, and its weight (issue 13).

    python3 benchmarks/bench_web.py [--runs 7]

Serves the real platform on loopback and opens `/` in headless Chromium (Debian's, as the browser
tests) with a fresh profile each run (no cache, no service worker yet: a first visit), the CPU
slowed 4x (Emulation.setCPUThrottlingRate) and the network of a slow phone: Lighthouse's mobile
profile (150 ms round trip, 1.6 Mbit/s down), then a slow 3G one (400 ms, 400 kbit/s). Prints the
median and worst first contentful paint, DOMContentLoaded and the bytes transferred. The baseline
is the issue's budget: first paint under 1 s on a slow phone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.platform_server import run_platform  # noqa: E402
from tests.web.conftest import quit_browser, start_browser  # noqa: E402

# Lighthouse's "slow 4G" mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (with CPU / 4)
SLOW_PHONE = {"offline": False, "latency": 150, "downloadThroughput": 1_638_400 // 8,
              "uploadThroughput": 768_000 // 8}
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 // 8,
           "uploadThroughput": 400 * 1024 // 8}


def one_visit(url: str, network: dict) -> tuple[float, float, int]:
    driver = start_browser("en-GB")
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", network)
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        driver.get(url + "/")
        paint = driver.execute_script(
            "var p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null;")
        nav = driver.execute_script("var n = performance.getEntriesByType('navigation')[0];"
                                    "return [n.domContentLoadedEventEnd, n.transferSize];")
        resources = driver.execute_script(
            "return performance.getEntriesByType('resource').reduce(function (s, r) {"
            " return s + (r.transferSize || 0); }, 0);")
        return float(paint), float(nav[0]), int(nav[1]) + int(resources)
    finally:
        quit_browser(driver)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    platform = run_platform(Path(tempfile.mkdtemp()) / "platform")
    try:
        for name, network in (("slow 4G (150 ms, 1.6 Mbit/s)", SLOW_PHONE), ("slow 3G (400 ms, 400 kbit/s)", SLOW_3G)):
            paints, ready, sizes = [], [], []
            for _ in range(args.runs):
                paint, dcl, size = one_visit(platform.url, network)
                paints.append(paint)
                ready.append(dcl)
                sizes.append(size)
            print(f"{name}, CPU / 4, {args.runs} first visits: first contentful paint median "
                  f"{statistics.median(paints):.0f} ms, worst {max(paints):.0f} ms; DOMContentLoaded median "
                  f"{statistics.median(ready):.0f} ms; {max(sizes)} bytes transferred")
    finally:
        platform.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
