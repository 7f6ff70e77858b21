"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium, one browser per module.

Nothing is downloaded: the browser and its driver are the Debian packages
(/usr/bin/chromium, /usr/bin/chromedriver; scripts/install-deps.sh --test installs them).
Each browser gets a fresh profile folder, phone metrics (390 x 844, as a current
phone), and no background traffic (sync, component updates, first-run pages).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "pixelRatio": 2.0}


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} is missing: run scripts/install-deps.sh --test (Debian chromium and chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is missing: pip install -e '.[dev]'"
    return None


def start_browser(language: str = "en-GB"):
    """A fresh headless Chromium at phone size speaking `language`; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="bizsync-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--no-default-browser-check", "--disable-features=Translate,MediaRouter,OptimizationHints",
                f"--user-data-dir={profile}", f"--lang={language}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    service = Service(CHROMEDRIVER)
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    driver.bizsync_profile = profile
    return driver


def quit_browser(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver.bizsync_profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    """One English browser for the whole module."""
    missing = _missing()
    if missing:
        pytest.skip(missing)
    driver = start_browser("en-GB")
    try:
        yield driver
    finally:
        quit_browser(driver)


@pytest.fixture(scope="module")
def browser_fr():
    """One browser whose language is French (as a phone set to French)."""
    missing = _missing()
    if missing:
        pytest.skip(missing)
    driver = start_browser("fr-FR")
    try:
        yield driver
    finally:
        quit_browser(driver)
