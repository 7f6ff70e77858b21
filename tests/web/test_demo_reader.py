"""The issue's "done when": `bizsync demo` prints the mobile page's address; a demo user opens it in a
phone-sized browser (from the QR code's address of `bizsync user card`), logs in and reads exactly their
granted views, right to the cent. Real processes: `bizsync demo --no-tui --serve` and `bizsync user card`."""

from __future__ import annotations

import os
import re
import queue
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import requests
from selenium.webdriver.common.by import By

from tests.e2e.cli import REPO, bizsync, env_for
from tests.web.test_mobile_reader import cards, js, text_of, visible, wait

# paul's grants in bizsync_tui/demo/build.py, in the catalogue's order
PAUL_VIEWS = ["sales_revenue", "order_book_month", "top_customers_month"]


class Lines:
    """The demo's output, read by a thread (a pipe read must never block the test past its deadline)."""

    def __init__(self, stream):
        self.queue: queue.Queue = queue.Queue()
        self.seen = ""
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)

    def until(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.queue.get(timeout=max(0.01, left)) if left > 0 else None
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError(f"the demo never printed {pattern!r}; it printed: {self.seen!r}")
            self.seen += line
            found = re.search(pattern, line)
            if found:
                return found


def euros_en(amount: str) -> str:
    """en-GB currency text of a decimal string, written out here: '-€1,234.50'."""
    value = Decimal(amount)
    text = f"{abs(value):,.2f}"
    return ("-€" if value < 0 else "€") + text


def test_demo_page_and_card_open_the_users_granted_views(browser, tmp_path):
    folder = tmp_path / "demo"
    process = subprocess.Popen(
        [sys.executable, "-m", "bizsync_tui", "demo", "--no-tui", "--serve", "--data-dir", str(folder),
         "--lines", "400"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_for(),
        cwd=str(REPO), start_new_session=True)
    try:
        lines = Lines(process.stdout)
        page = lines.until(r"^Mobile page: (http://127\.0\.0\.1:\d+/) ", 120).group(1)
        lines.until(r"^Serving the platform", 30)
        passwords = dict(re.findall(r"^  (\w+): (\S+)$", (folder / "demo-credentials.txt").read_text(), re.M))

        card = bizsync(folder, "user", "card", "paul")
        assert card.returncode == 0, card.stdout + card.stderr
        link = re.search(r"^(http://\S+#client_code=\S+)$", card.stdout, re.M).group(1)
        assert link == f"{page}#client_code=DEMO&company_code=BIJNORD&login=paul"
        assert passwords["paul"] not in card.stdout

        browser.get(page)
        js(browser, "localStorage.clear(); sessionStorage.clear();")
        browser.get("about:blank")
        browser.get(link)
        wait(browser, lambda d: d.find_element(By.NAME, "login").get_attribute("value") == "paul", "the prefill")
        assert [browser.find_element(By.NAME, n).get_attribute("value") for n in
                ("client_code", "company_code", "login")] == ["DEMO", "BIJNORD", "paul"]
        browser.find_element(By.NAME, "password").send_keys(passwords["paul"])
        browser.find_element(By.ID, "login-submit").click()
        wait(browser, lambda d: cards(d), "paul's figures", 20)
        assert cards(browser) == PAUL_VIEWS
        assert visible(browser, "figures-view") and not visible(browser, "stale")

        # right to the cent: every amount on the page is the published one
        token = requests.post(f"{page}api/v1/mobile/login", timeout=10, json={
            "client_code": "DEMO", "company_code": "BIJNORD", "login": "paul",
            "password": passwords["paul"]}).json()["token"]
        views = requests.get(f"{page}api/v1/mobile/views", headers={"Authorization": f"Bearer {token}"},
                             timeout=10).json()["views"]
        assert sorted(views) == sorted(PAUL_VIEWS)
        sales = views["sales_revenue"]
        assert text_of(browser, '[data-view="sales_revenue"] [data-part="month"] .value') == euros_en(
            sales["month"]["amount"])
        assert text_of(browser, '[data-view="sales_revenue"] [data-part="year"] .value') == euros_en(
            sales["year"]["amount"])
        assert text_of(browser, '[data-view="order_book_month"] [data-part="month"] .value') == euros_en(
            views["order_book_month"]["month"]["amount"])
        shown = js(browser, """return Array.from(document.querySelectorAll(
            '[data-view="top_customers_month"] li .value')).map(function (e) { return e.textContent; });""")
        rows = views["top_customers_month"]["rows"]
        assert shown == [euros_en(r["amount"]) for r in rows]
        if not rows:  # early in a month the demo may have no sale yet: the card says so
            assert text_of(browser, '[data-view="top_customers_month"] .empty') == "Nothing for this period."
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
