"""The mobile reader in a real browser (headless Chromium) against the real platform on loopback.

The fixture publishes, through the publisher API, two publications of BIJOU (the
previous one and the current one), one of NORD (a second company of the same
user) and one of OLD (extracted five days ago), and a users set where marie has
some of BIJOU's views and not the others. Every number below is worked out by
hand from those bodies:

  sales_revenue      month 1 234 567.89 (before 1 000 000.00) -> +23.456789 % -> "+23.5%"
                     year 12 000 000.00 (before 10 000 000.00) -> +20.0 %
  accounting_revenue month 500.00 (before 800.00) -> -300/800 = -37.5 %
                     year 9 000.00 (before 9 000.00) -> unchanged
  top_customers_month 5 000.00 / 2 500.00 / 1 250.00 -> bars 100 %, 50 %, 25 %
  cash_position      1 500.50 + 99.50 = 1 600.00 (the published total)
  not granted        order_book_month 4 242.42, top_items_month, top_supplier_outstanding ("SECRET")
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bizsync_tui.engine.contract import make_verifier
from tests.platform_server import platform_server, run_platform  # noqa: F401  (fixture)

API = "/api/v1"
TIMEOUT = 10
PASSWORD = "marie-pass-1"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "snapshots" / "web"
XSS_LABEL = 'Dupont & Fils <script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
GRANTED_BIJOU = ["sales_revenue", "top_customers_month", "accounting_revenue", "cash_position"]
NOT_GRANTED = ["order_book_month", "top_items_month", "top_supplier_outstanding"]
NNBSP, NBSP = "\u202f", "\u00a0"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def amount(month: str, year: str | None = None, month_from: str = "2026-11-01") -> dict:
    data = {"month": {"from": month_from, "to": "2026-11-28", "amount": month}}
    if year is not None:
        data["year"] = {"from": "2026-01-01", "to": "2026-11-28", "amount": year}
    return data


def bijou(previous: bool, extracted: datetime) -> dict:
    if previous:
        views = {"sales_revenue": amount("1000000.00", "10000000.00"),
                 "accounting_revenue": amount("800.00", "9000.00"),
                 "order_book_month": amount("1000.00")}
        as_of = "2026-11-27"
    else:
        views = {
            "sales_revenue": amount("1234567.89", "12000000.00"),
            "accounting_revenue": amount("500.00", "9000.00"),
            "order_book_month": amount("4242.42"),
            "top_customers_month": {"from": "2026-11-01", "to": "2026-11-28", "rows": [
                {"rank": 1, "code": "C001", "label": XSS_LABEL, "amount": "5000.00"},
                {"rank": 2, "code": "C002", "label": "L'Atelier \"Or\"", "amount": "2500.00"},
                {"rank": 3, "code": "C003", "label": "Bijoux Nord", "amount": "1250.00"}]},
            "top_items_month": {"from": "2026-11-01", "to": "2026-11-28", "rows": [
                {"rank": 1, "code": "RING", "label": "SECRET ring", "amount": "999.00"}]},
            "cash_position": {"as_of": "2026-11-28", "rows": [
                {"code": "512000", "label": "Banque <b>BNP</b>", "amount": "1500.50"},
                {"code": "530000", "label": "Caisse", "amount": "99.50"}], "total": "1600.00"},
            "top_supplier_outstanding": {"as_of": "2026-11-28", "rows": [
                {"code": "F001", "label": "SECRET supplier", "amount": "777777.77"}], "total": "777777.77"},
        }
        as_of = "2026-11-28"
    return {"publication_id": str(uuid.uuid4()),
            "company": {"short_code": "BIJOU", "dossier": "BIJOU01", "name": "Bijou & Fils <SA>", "currency": "EUR"},
            "as_of": as_of, "extracted_at": _iso(extracted),
            "fiscal_year": {"start": "2026-01-01", "end": "2026-12-31"}, "views": views}


def simple(code: str, name: str, month: str, year: str, extracted: datetime, as_of: str = "2026-11-28") -> dict:
    return {"publication_id": str(uuid.uuid4()),
            "company": {"short_code": code, "dossier": code + "01", "name": name, "currency": "EUR"},
            "as_of": as_of, "extracted_at": _iso(extracted),
            "fiscal_year": {"start": "2026-01-01", "end": "2026-12-31"},
            "views": {"sales_revenue": {"month": {"from": "2026-11-01", "to": as_of, "amount": month},
                                        "year": {"from": "2026-01-01", "to": as_of, "amount": year}}}}


def publish(p, body) -> None:
    r = requests.put(f"{p.api}/companies/{body['company']['short_code']}/publication", json=body, auth=p.auth,
                     timeout=TIMEOUT)
    assert r.status_code == 200, r.text


def put_users(p, grants: dict) -> None:
    users = [{"login": "marie", "name": "Marie Lefèvre", "password_verifier": make_verifier(PASSWORD),
              "grants": grants}]
    r = requests.put(f"{p.api}/users", json={"users": users}, auth=p.auth, timeout=TIMEOUT)
    assert r.status_code == 200, r.text


def api_login(p, company: str, password: str = PASSWORD):
    return requests.post(f"{p.api}/mobile/login", timeout=TIMEOUT, json={
        "client_code": p.client_code, "company_code": company, "login": "marie", "password": password})


def api_views(p, token: str):
    return requests.get(f"{p.api}/mobile/views", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    p = run_platform(tmp_path_factory.mktemp("platform"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        publish(p, bijou(True, now - timedelta(days=1)))
        publish(p, bijou(False, now - timedelta(minutes=5)))
        publish(p, simple("NORD", "Bijou Nord", "100.00", "200.00", now - timedelta(minutes=5)))
        publish(p, simple("OLD", "Ancienne SARL", "1.00", "2.00", now - timedelta(days=5, hours=1), "2026-11-20"))
        put_users(p, {"BIJOU": GRANTED_BIJOU, "NORD": ["sales_revenue"], "OLD": ["sales_revenue"]})
        yield p
    finally:
        p.stop()


# --- browser helpers ----------------------------------------------------------------------------

def wait(driver, condition, what: str, timeout: float = TIMEOUT):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"timed out waiting for {what}; page text: {body_text(driver)[:800]!r}") from None


def body_text(driver) -> str:
    return driver.execute_script("return document.body ? document.body.innerText : ''")


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def visible(driver, element_id: str) -> bool:
    return bool(js(driver, "var e = document.getElementById(arguments[0]); return !!e && !e.hidden "
                           "&& e.getClientRects().length > 0;", element_id))


def text_of(driver, selector: str) -> str:
    """The exact textContent (Selenium's .text turns no-break spaces into spaces)."""
    value = js(driver, "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector)
    assert value is not None, f"nothing matches {selector}; page text: {body_text(driver)[:800]!r}"
    return value


def fresh(driver, url: str) -> None:
    """The page with nothing remembered (the service worker, if any, stays registered)."""
    driver.get(url + "/")
    js(driver, "localStorage.clear(); sessionStorage.clear();")
    driver.get(url + "/")
    wait(driver, lambda d: visible(d, "login-view"), "the login form")


def fill_login(driver, client: str, company: str, login: str, password: str) -> None:
    for name, value in (("client_code", client), ("company_code", company), ("login", login),
                        ("password", password)):
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    driver.find_element(By.ID, "login-submit").click()


def log_in(driver, p, company: str = "BIJOU", password: str = PASSWORD) -> None:
    fill_login(driver, p.client_code, company, "marie", password)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#groups article.card"), "the figures")


def cards(driver) -> list[str]:
    return js(driver, "return Array.from(document.querySelectorAll('#groups article.card'))"
                      ".map(function (a) { return a.getAttribute('data-view'); });")


def screenshot(driver, name: str, tmp_path: Path) -> Path:
    """snapshots/web/<name>.png when BIZSYNC_WEB_SCREENSHOTS=1 (to renew them), else a temporary file."""
    folder = SCREENSHOTS if os.environ.get("BIZSYNC_WEB_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    js(driver, "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
    width = 390
    height = min(4000, int(js(driver, "return document.documentElement.scrollHeight")))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    try:
        assert driver.save_screenshot(str(path))
    finally:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


# --- the page as served ----------------------------------------------------------------------------

def test_page_and_files_are_served_with_a_strict_policy(platform):
    r = requests.get(platform.url + "/", timeout=TIMEOUT)
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'none'" in csp
    # the one inline style block (the login paints without fetching app.css) is allowed by its hash only
    import base64
    import hashlib
    style = r.text.split("<style>", 1)[1].split("</style>", 1)[0].encode()
    assert f"style-src 'self' 'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'" in csp
    assert "<script>" not in r.text and " style=" not in r.text and "onclick" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    for name in ("client_code", "company_code", "login", "password"):
        assert f'name="{name}"' in r.text
    assert "http://" not in r.text and "https://" not in r.text  # nothing from another site
    build = r.text.split("/app.js?v=", 1)[1].split('"', 1)[0]
    kinds = {"/app.js": "text/javascript", "/app.css": "text/css", "/sw.js": "text/javascript",
             "/manifest.webmanifest": "application/manifest+json", "/icon-192.png": "image/png",
             "/icon-512.png": "image/png", "/icon.svg": "image/svg+xml", "/catalogue.json": "application/json"}
    total = len(r.content)
    for path, kind in kinds.items():
        got = requests.get(f"{platform.url}{path}?v={build}", timeout=TIMEOUT)
        assert got.status_code == 200 and got.headers["content-type"].startswith(kind), path
        assert got.headers["x-content-type-options"] == "nosniff"
        if path != "/sw.js":
            assert "immutable" in got.headers["cache-control"], path
        total += len(got.content)
        again = requests.get(f"{platform.url}{path}", headers={"If-None-Match": got.headers["etag"]},
                             timeout=TIMEOUT)
        assert again.status_code == 304, path
    assert requests.get(f"{platform.url}/app.js?v=old", timeout=TIMEOUT).headers["cache-control"] == "no-cache"
    assert total < 100_000, total  # the whole app, icons included
    manifest = requests.get(platform.url + "/manifest.webmanifest", timeout=TIMEOUT).json()
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    labels = requests.get(platform.url + "/catalogue.json", timeout=TIMEOUT).json()
    assert [g["id"] for g in labels["groups"]] == ["commercial", "accounting"]
    assert labels["groups"][1]["views"][-1] == {"id": "cash_position", "shape": "balances", "period": None,
                                                "label": {"en": "Cash position", "fr": "Situation de trésorerie"}}


# --- login, figures, grants ----------------------------------------------------------------------

def test_wrong_login_gives_one_generic_sentence(browser, platform, tmp_path):
    fresh(browser, platform.url)
    screenshot(browser, "login-en", tmp_path)
    fill_login(browser, platform.client_code, "BIJOU", "marie", "not-the-password")
    wait(browser, lambda d: visible(d, "login-error"), "the error")
    assert text_of(browser, "#login-error") == ("Login refused: check the client code, company code, login and "
                                                "password, or ask your administrator.")
    assert js(browser, "return document.getElementById('login-error').getAttribute('role')") == "alert"
    assert browser.find_element(By.NAME, "password").get_attribute("value") == ""
    # an unknown company gives the very same sentence
    fill_login(browser, platform.client_code, "NOPE", "marie", PASSWORD)
    wait(browser, lambda d: "Login refused" in text_of(d, "#login-error") and
         d.find_element(By.ID, "login-submit").is_enabled(), "the same error")
    assert visible(browser, "login-view") and not visible(browser, "figures-view")
    assert "marie-pass" not in js(browser, "return JSON.stringify(localStorage)")


def test_granted_views_only_with_hand_worked_amounts_and_changes(browser, platform, tmp_path):
    fresh(browser, platform.url)
    log_in(browser, platform)
    # the catalogue's order, grouped: commercial first, then accounting; nothing else
    assert cards(browser) == ["sales_revenue", "top_customers_month", "accounting_revenue", "cash_position"]
    assert js(browser, "return Array.from(document.querySelectorAll('#groups h2')).map(h => h.textContent)") == [
        "Commercial", "Accounting"]
    html = js(browser, "return document.documentElement.outerHTML")
    for absent in ("4,242.42", "SECRET", "777,777.77", "order_book_month", "top_items_month"):
        assert absent not in html, absent
    # the platform's own answer holds only the granted views, and `previous` only granted amounts
    answer = api_views(platform, api_login(platform, "BIJOU").json()["token"]).json()
    assert sorted(answer["views"]) == sorted(GRANTED_BIJOU)
    assert sorted(answer["previous"]["views"]) == ["accounting_revenue", "sales_revenue"]
    assert answer["previous"]["as_of"] == "2026-11-27"

    assert text_of(browser, "#company-name") == "Bijou & Fils <SA> BIJOU"
    sales = '[data-view="sales_revenue"] [data-part="%s"] '
    assert text_of(browser, sales % "month" + ".value") == "€1,234,567.89"
    assert text_of(browser, sales % "month" + ".period") == "1 – 28 November 2026"
    assert text_of(browser, sales % "month" + ".change") == "▲ up +23.5% since 27 Nov 2026"
    assert text_of(browser, sales % "year" + ".value") == "€12,000,000.00"
    assert text_of(browser, sales % "year" + ".period") == "1 January – 28 November 2026"
    assert text_of(browser, sales % "year" + ".change") == "▲ up +20.0% since 27 Nov 2026"
    assert "up" in js(browser, "return document.querySelector(arguments[0]).className", sales % "month" + ".change")
    accounting = '[data-view="accounting_revenue"] [data-part="%s"] '
    assert text_of(browser, accounting % "month" + ".value") == "€500.00"
    assert text_of(browser, accounting % "month" + ".change") == "▼ down -37.5% since 27 Nov 2026"
    assert text_of(browser, accounting % "year" + ".change") == "= unchanged since 27 Nov 2026"

    ranking = js(browser, """return Array.from(document.querySelectorAll('[data-view="top_customers_month"] li'))
        .map(function (li) { return [li.querySelector('.rank').textContent, li.querySelector('.value').textContent,
                                     li.querySelector('.bar-fill').style.width]; });""")
    assert ranking == [["1", "€5,000.00", "100%"], ["2", "€2,500.00", "50%"], ["3", "€1,250.00", "25%"]]
    cash = js(browser, """return Array.from(document.querySelectorAll('[data-view="cash_position"] tr'))
        .map(function (tr) { return Array.from(tr.children).map(function (c) { return c.textContent; }); });""")
    assert cash == [["Name", "Amount"], ["Banque <b>BNP</b> 512000", "€1,500.50"], ["Caisse 530000", "€99.50"],
                    ["Total", "€1,600.00"]]
    assert "as of 28 November 2026" in text_of(browser, "#as-of")
    assert not visible(browser, "stale")
    screenshot(browser, "figures-en", tmp_path)


def test_labels_are_shown_as_text_never_run(browser, platform):
    fresh(browser, platform.url)
    log_in(browser, platform)
    first = '[data-view="top_customers_month"] li .name'
    assert text_of(browser, first) == XSS_LABEL + " C001"
    assert js(browser, "return window.__xss === undefined")
    assert js(browser, "return document.querySelectorAll('#groups script, #groups img, #groups b').length") == 0
    assert text_of(browser, '[data-view="top_customers_month"] li:nth-child(2) .name') == "L'Atelier \"Or\" C002"


def test_a_session_survives_a_reload_and_logout_ends_it(browser, platform):
    fresh(browser, platform.url)
    log_in(browser, platform)
    token = js(browser, "var s = JSON.parse(localStorage.getItem('bizsync.sessions'));"
                        "return s[Object.keys(s)[0]].token;")
    assert token and token not in browser.current_url
    browser.refresh()
    wait(browser, lambda d: visible(d, "figures-view") and cards(d), "the figures after a reload")
    assert not visible(browser, "login-view")
    assert api_views(platform, token).status_code == 200

    browser.find_element(By.ID, "logout").click()
    wait(browser, lambda d: visible(d, "login-view"), "the login form after logging out")
    assert text_of(browser, "#login-error") == "You are logged out."
    wait(browser, lambda d: api_views(platform, token).status_code == 401, "the platform to end the token")
    stored = js(browser, "return JSON.stringify(localStorage)")
    assert token not in stored and "1,234,567.89" not in stored and "1234567.89" not in stored
    # the codes and the login are remembered, never the password
    assert [browser.find_element(By.NAME, n).get_attribute("value") for n in ("client_code", "company_code", "login",
                                                                              "password")] == [
        platform.client_code, "BIJOU", "marie", ""]
    browser.refresh()
    wait(browser, lambda d: visible(d, "login-view"), "the login form after a reload")
    assert browser.find_element(By.NAME, "login").get_attribute("value") == "marie"


def test_switching_between_granted_companies(browser, platform):
    fresh(browser, platform.url)
    log_in(browser, platform, "BIJOU")
    js(browser, "var s = document.getElementById('company-switch'); s.value = ''; "
                "s.dispatchEvent(new Event('change'));")
    wait(browser, lambda d: visible(d, "login-view"), "the login form for another company")
    assert browser.switch_to.active_element.get_attribute("name") == "company_code"
    assert browser.find_element(By.NAME, "login").get_attribute("value") == "marie"
    browser.find_element(By.NAME, "company_code").send_keys("NORD")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    wait(browser, lambda d: "Bijou Nord" in text_of(d, "#company-name") and cards(d) == ["sales_revenue"], "NORD")
    assert text_of(browser, '[data-view="sales_revenue"] [data-part="month"] .value') == "€100.00"
    options = js(browser, "return Array.from(document.querySelectorAll('#company-switch option')).map(o => o.value)")
    assert options == ["BIJOU", "NORD", ""]
    # back to BIJOU: its session is still open, no password asked
    js(browser, "var s = document.getElementById('company-switch'); s.value = 'BIJOU'; "
                "s.dispatchEvent(new Event('change'));")
    wait(browser, lambda d: "Bijou & Fils" in text_of(d, "#company-name") and len(cards(d)) == 4, "BIJOU again")
    assert not visible(browser, "login-view")


def test_figures_older_than_two_days_are_flagged(browser, platform):
    fresh(browser, platform.url)
    log_in(browser, platform, "OLD")
    wait(browser, lambda d: visible(d, "stale"), "the stale warning")
    assert text_of(browser, "#stale") == ("These figures are 5 days old: the publication may have stopped; "
                                          "tell your administrator.")


def test_320_px_wide_without_horizontal_scrolling(browser, platform):
    fresh(browser, platform.url)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": True})
    try:  # (a navigation would bring back the phone metrics of the browser's options: none below)
        wait(browser, lambda d: js(d, "return window.innerWidth") == 320, "the 320 px viewport")
        assert visible(browser, "login-view")
        assert js(browser, "return document.documentElement.scrollWidth <= window.innerWidth")
        log_in(browser, platform)
        assert js(browser, "return document.documentElement.scrollWidth") <= 320
        widest = js(browser, "return Math.max.apply(null, Array.from(document.querySelectorAll('#main *'))"
                             ".map(function (e) { return e.getBoundingClientRect().right; }))")
        assert widest <= 320, widest
    finally:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})


def test_offline_after_a_first_visit_shows_the_last_figures(browser, platform):
    fresh(browser, platform.url)
    log_in(browser, platform)
    # the service worker has the page's files once it is active; it controls the page from then on
    # (it claims the open page; a page opened before it activated is controlled after a reload)
    assert browser.execute_async_script(
        "var done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(function (r) {"
        " done(r.active ? r.active.state : 'none'); });") in ("activating", "activated")
    if not js(browser, "return !!navigator.serviceWorker.controller"):
        browser.refresh()
    wait(browser, lambda d: js(d, "return !!navigator.serviceWorker.controller") and cards(d), "the service worker", 20)
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    try:
        assert requests.get(platform.url + "/", timeout=TIMEOUT).status_code == 200  # only the browser is offline
        browser.refresh()
        wait(browser, lambda d: visible(d, "offline"), "the offline notice")
        assert text_of(browser, "#offline").startswith("You are offline: these are the figures fetched on ")
        assert cards(browser) == ["sales_revenue", "top_customers_month", "accounting_revenue", "cash_position"]
        assert text_of(browser, '[data-view="sales_revenue"] [data-part="month"] .value') == "€1,234,567.89"
    finally:
        browser.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    # back online: fresh figures and no notice
    browser.find_element(By.ID, "refresh").click()
    wait(browser, lambda d: not visible(d, "offline"), "the notice to go")


def test_too_many_attempts_says_when_to_try_again(browser, platform_server):  # noqa: F811
    p = platform_server
    publish(p, simple("BIJOU", "Bijou", "1.00", "2.00", datetime.now(timezone.utc)))
    put_users(p, {"BIJOU": ["sales_revenue"]})
    for _ in range(30):
        r = api_login(p, "BIJOU", "wrong-password")
        if r.status_code == 429:
            break
        assert r.status_code == 401, r.text
    assert r.status_code == 429, "the platform never throttled"
    fresh(browser, p.url)
    fill_login(browser, p.client_code, "BIJOU", "marie", PASSWORD)
    wait(browser, lambda d: visible(d, "login-error") and "Too many" in text_of(d, "#login-error"), "the 429")
    text = text_of(browser, "#login-error")
    assert text.startswith("Too many attempts: try again in ") and "minutes (at " in text, text
    assert not browser.find_element(By.ID, "login-submit").is_enabled()


# --- the QR code's address prefills the form ---------------------------------------------------

def test_the_card_address_prefills_the_form_and_leaves_the_url(browser, platform):
    fresh(browser, platform.url)
    browser.get(f"{platform.url}/#client_code={platform.client_code}&company_code=BIJOU&company_code=NORD"
                f"&login=marie")
    wait(browser, lambda d: d.find_element(By.NAME, "login").get_attribute("value") == "marie", "the prefill")
    values = [browser.find_element(By.NAME, n).get_attribute("value")
              for n in ("client_code", "company_code", "login", "password")]
    assert values == [platform.client_code, "BIJOU", "marie", ""]
    assert browser.switch_to.active_element.get_attribute("name") == "password"
    assert "#" not in browser.current_url
    assert js(browser, "return JSON.parse(localStorage.getItem('bizsync.profile')).companies") == ["BIJOU", "NORD"]


# --- French -------------------------------------------------------------------------------------

def test_french_phone_reads_french_with_french_amounts(browser_fr, platform, tmp_path):
    driver = browser_fr
    fresh(driver, platform.url)
    assert js(driver, "return document.documentElement.lang") == "fr"
    assert text_of(driver, "label[for=password]") == "Mot de passe"
    screenshot(driver, "login-fr", tmp_path)
    log_in(driver, platform)
    sales = '[data-view="sales_revenue"] [data-part="%s"] '
    # Intl's French: narrow no-break spaces between thousands, a no-break space before the euro sign and
    # the percent sign (checked in Chromium: "1\u202f234\u202f567,89\xa0€", "+23,5\xa0%", range "1–28 novembre")
    assert text_of(driver, sales % "month" + ".value") == f"1{NNBSP}234{NNBSP}567,89{NBSP}€"
    assert text_of(driver, sales % "month" + ".change") == f"▲ en hausse +23,5{NBSP}% depuis le 27 nov. 2026"
    assert text_of(driver, sales % "month" + ".period") == "1–28 novembre 2026"
    assert text_of(driver, '[data-view="sales_revenue"] h3') == "CA commercial"
    assert text_of(driver, '[data-view="cash_position"] h3') == "Situation de trésorerie"
    assert js(driver, "return Array.from(document.querySelectorAll('#groups h2')).map(h => h.textContent)") == [
        "Commercial", "Comptabilité"]
    assert text_of(driver, '[data-view="cash_position"] tfoot td') == f"1{NNBSP}600,00{NBSP}€"
    screenshot(driver, "figures-fr", tmp_path)
    # the switch: English at once, and remembered
    driver.find_element(By.ID, "lang").click()
    wait(driver, lambda d: text_of(d, '[data-view="sales_revenue"] h3') == "Sales revenue", "English")
    assert js(driver, "return document.documentElement.lang") == "en"
    driver.refresh()
    wait(driver, lambda d: cards(d) and text_of(d, '[data-view="cash_position"] h3') == "Cash position",
         "English after a reload")
    driver.find_element(By.ID, "lang").click()
    wait(driver, lambda d: text_of(d, '[data-view="cash_position"] h3') == "Situation de trésorerie", "French again")


# --- dark mode and contrast --------------------------------------------------------------------

CONTRAST = """
function rgb(text) { var m = text.match(/[\\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m; }
function lum(c) { var v = c.slice(0, 3).map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function background(e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c) { return c; } }
  return [255, 255, 255]; }
var worst = [99, ''];
document.querySelectorAll('h1, h2, h3, label, p, span, td, th, dt, button, input').forEach(function (e) {
  if (!e.getClientRects().length || !e.textContent.trim() && e.tagName !== 'INPUT') { return; }
  var s = getComputedStyle(e); if (s.visibility === 'hidden' || e.closest('.sr') || e.closest('[aria-hidden=true]')) { return; }
  var a = lum(rgb(s.color)), b = lum(background(e));
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < worst[0]) { worst = [ratio, e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40)]; }
});
return [worst[0], worst[1], getComputedStyle(document.body).backgroundColor];
"""


def test_light_and_dark_modes_keep_text_contrast(browser, platform, tmp_path):
    fresh(browser, platform.url)
    log_in(browser, platform)
    try:
        for scheme, background in (("light", "rgb(243, 245, 248)"), ("dark", "rgb(14, 19, 26)")):
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            ratio, where, body = js(browser, CONTRAST)
            assert body == background, scheme
            assert ratio >= 4.5, (scheme, ratio, where)  # WCAG AA for text
            if scheme == "dark":
                screenshot(browser, "figures-en-dark", tmp_path)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_every_field_has_a_label_and_the_page_has_its_headings(browser, platform):
    fresh(browser, platform.url)
    unlabelled = js(browser, "return Array.from(document.querySelectorAll('input, select, button'))"
                             ".filter(function (e) { return !(e.labels && e.labels.length) && !e.textContent.trim()"
                             " && !e.getAttribute('aria-label'); }).map(function (e) { return e.id; });")
    assert unlabelled == []
    assert js(browser, "return document.querySelector('h1').textContent") == "Your company's figures"
    log_in(browser, platform)
    # one h1 (the company), an h2 per group, an h3 per card; every card named by its heading
    assert js(browser, "return Array.from(document.querySelectorAll('#figures-view h1, #groups h2, #groups h3'))"
                       ".map(function (h) { return h.tagName; }).join(' ')") == "H1 H2 H3 H3 H2 H3 H3"
    assert js(browser, "return Array.from(document.querySelectorAll('#groups article')).every(function (a) {"
                       " return document.getElementById(a.getAttribute('aria-labelledby')); })")


def test_without_the_labels_the_granted_views_still_show(browser, platform_server):  # noqa: F811
    p = platform_server  # a new origin: no service worker holds the labels there yet
    publish(p, simple("BIJOU", "Bijou", "1234.50", "99999.99", datetime.now(timezone.utc)))
    put_users(p, {"BIJOU": ["sales_revenue"]})
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*catalogue.json*"]})
    try:
        fresh(browser, p.url)
        log_in(browser, p)
        assert cards(browser) == ["sales_revenue"]
        assert text_of(browser, '[data-view="sales_revenue"] h3') == "sales_revenue"
        assert text_of(browser, '[data-view="sales_revenue"] [data-part="month"] .value') == "€1,234.50"
        assert text_of(browser, '[data-view="sales_revenue"] [data-part="year"] .value') == "€99,999.99"
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
