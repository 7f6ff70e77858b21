"""The reference platform, served for real by uvicorn on loopback, driven with requests."""

from __future__ import annotations

import copy
import gzip
import json
import threading
import time
import uuid

import pytest
import requests

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.contract import MAX_BODY_BYTES, make_verifier
from bizsync_tui.platform.server import start_platform
from tests.platform_server import platform_server, platform_server_module, run_platform  # noqa: F401

API = "/api/v1"
TIMEOUT = 10


# --- bodies ------------------------------------------------------------------

def view_data(view_id: str, base: int = 100) -> dict:
    """Hand-written view data of the right shape; `base` makes two publications differ."""
    view = catalogue.get(view_id)
    shape = view.shape
    if shape == catalogue.AMOUNT:
        month = {"month": {"from": "2026-11-01", "to": "2026-11-28", "amount": f"{base}.10"}}
        if view.period == "month":  # the month's portfolio and order book: month only
            return month
        return {**month, "year": {"from": "2026-01-01", "to": "2026-11-28", "amount": f"{base * 10}.20"}}
    if shape == catalogue.RANKING:
        return {"from": "2026-11-01", "to": "2026-11-28",
                "rows": [{"rank": i, "code": f"C{i}", "label": f"Customer {i}", "amount": f"{base - i}.00"}
                         for i in range(1, 6)]}
    return {"as_of": "2026-11-28",
            "rows": [{"code": "512000", "label": "Bank", "amount": f"{base}.00"},
                     {"code": "530000", "label": "Cash", "amount": "-1.50"}],
            "total": f"{base - 2}.50"}


def publication(short_code: str, views=catalogue.VIEW_IDS, base: int = 100, pub_id: str | None = None) -> dict:
    return {
        "publication_id": pub_id or str(uuid.uuid4()),
        "company": {"short_code": short_code, "dossier": short_code + "01", "name": f"{short_code} SA",
                    "currency": "EUR"},
        "as_of": "2026-11-28",
        "extracted_at": "2026-11-28T06:00:03Z",
        "fiscal_year": {"start": "2026-01-01", "end": "2026-12-31"},
        "views": {v: view_data(v, base) for v in views},
    }


VERIFIERS: dict[str, str] = {}


def verifier(password: str) -> str:
    if password not in VERIFIERS:  # scrypt is slow on purpose: make each one once
        VERIFIERS[password] = make_verifier(password)
    return VERIFIERS[password]


def user(login: str, password: str, grants: dict) -> dict:
    return {"login": login, "name": login.title(), "password_verifier": verifier(password), "grants": grants}


# --- calls -------------------------------------------------------------------

def put_pub(p, body, auth=None, **kw):
    return requests.put(f"{p.url}{API}/companies/{body['company']['short_code']}/publication",
                        json=body, auth=auth or p.auth, timeout=TIMEOUT, **kw)


def put_users(p, users, auth=None):
    return requests.put(f"{p.url}{API}/users", json={"users": users}, auth=auth or p.auth, timeout=TIMEOUT)


def login(p, company, who, password, client=None):
    return requests.post(f"{p.url}{API}/mobile/login", timeout=TIMEOUT,
                         json={"client_code": client or p.client_code, "company_code": company,
                               "login": who, "password": password})


def views(p, token):
    return requests.get(f"{p.url}{API}/mobile/views", headers={"Authorization": f"Bearer {token}"},
                        timeout=TIMEOUT)


def read_as(p, company, who, password, client=None):
    r = login(p, company, who, password, client)
    assert r.status_code == 200, r.text
    return views(p, r.json()["token"])


def current(answer: dict) -> dict:
    """The publication part of a GET /mobile/views answer (without `previous`)."""
    assert "previous" in answer, answer
    return {k: v for k, v in answer.items() if k != "previous"}


AMOUNT_IDS = ("sales_revenue", "sales_portfolio_month", "order_book_month", "accounting_revenue")


def assert_error(r, status, code=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"].endswith("."), body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


# --- publisher account ---------------------------------------------------------

def test_account_checks_the_portal_credentials(platform_server_module):
    p = platform_server_module
    r = requests.get(f"{p.url}{API}/account", auth=p.auth, timeout=TIMEOUT)
    assert r.status_code == 200 and r.json() == {"client_code": p.client_code}

    for auth in [(p.client_code, p.password + "x"), ("NOBODY", p.password)]:
        r = requests.get(f"{p.url}{API}/account", auth=auth, timeout=TIMEOUT)
        err = assert_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"].startswith("Basic")
        assert "portal" in err["message"] and p.password not in err["message"]
    r = requests.get(f"{p.url}{API}/account", timeout=TIMEOUT)
    assert_error(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    r = requests.get(f"{p.url}{API}/account", headers={"Authorization": "Basic !!not base64"}, timeout=TIMEOUT)
    assert_error(r, 401, "unauthorized")


def test_framework_errors_use_the_error_format(platform_server_module):
    p = platform_server_module
    assert_error(requests.get(f"{p.url}{API}/nothing-here", timeout=TIMEOUT), 404, "not_found")
    assert_error(requests.post(f"{p.url}{API}/account", timeout=TIMEOUT), 405, "method_not_allowed")
    r = requests.put(f"{p.url}{API}/users", data=b"{not json", auth=p.auth, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json"})
    assert "not valid JSON" in assert_error(r, 422, "invalid_request")["message"]
    r = requests.put(f"{p.url}{API}/users", data=b"\x1f\x8b garbage", auth=p.auth, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert_error(r, 400, "bad_gzip")
    r = requests.put(f"{p.url}{API}/users", data=b"{}", auth=p.auth, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json", "Content-Encoding": "br"})
    assert_error(r, 415, "unsupported_encoding")


# --- publications --------------------------------------------------------------

def test_publish_republish_retry_and_delete(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": list(catalogue.VIEW_IDS)})]).raise_for_status()

    first = publication("BIJOU", base=100)
    r = put_pub(p, first)
    assert r.status_code == 200, r.text
    assert r.json() == {"publication_id": first["publication_id"], "short_code": "BIJOU",
                        "views": 17, "status": "stored"}
    served = read_as(p, "BIJOU", "marie", "marie-pw").json()
    assert current(served) == first  # stored and served exactly as sent
    assert served["previous"] is None  # nothing before it

    # A new publication_id replaces the whole publication.
    second = publication("BIJOU", views=["sales_revenue", "cash_position"], base=200)
    assert put_pub(p, second).json()["status"] == "stored"
    served = read_as(p, "BIJOU", "marie", "marie-pw").json()
    assert current(served) == second and set(served["views"]) == {"sales_revenue", "cash_position"}
    # The one before, reduced to its four amount views (of the 17 it held).
    assert served["previous"] == {"as_of": "2026-11-28",
                                  "views": {v: first["views"][v] for v in AMOUNT_IDS}}

    # The same publication_id again is one publication: a retry changes nothing ...
    r = put_pub(p, second)
    assert r.status_code == 200 and r.json()["status"] == "unchanged"
    # ... even a late retry of an older one does not bring old data back.
    r = put_pub(p, first)
    assert r.status_code == 200 and r.json()["status"] == "unchanged"
    assert current(read_as(p, "BIJOU", "marie", "marie-pw").json()) == second

    # Delete: 204, and 204 again when there is nothing left.
    for _ in range(2):
        r = requests.delete(f"{p.url}{API}/companies/BIJOU/publication", auth=p.auth, timeout=TIMEOUT)
        assert r.status_code == 204 and r.content == b""
    assert_error(read_as(p, "BIJOU", "marie", "marie-pw"), 404, "no_publication")
    # After a delete, the same id may be published again (a fresh start): the delete took the
    # previous publication too.
    assert put_pub(p, first).json()["status"] == "stored"
    served = read_as(p, "BIJOU", "marie", "marie-pw").json()
    assert current(served) == first and served["previous"] is None


def test_body_short_code_must_match_the_address(platform_server_module):
    p = platform_server_module
    body = publication("MISMATCH")
    r = requests.put(f"{p.url}{API}/companies/OTHER/publication", json=body, auth=p.auth, timeout=TIMEOUT)
    assert "body.company.short_code" in assert_error(r, 422, "invalid_request")["message"]


def test_delete_all_removes_publications_and_users(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"], "MODE": ["sales_revenue"]})])
    put_pub(p, publication("BIJOU")).raise_for_status()
    put_pub(p, publication("MODE")).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]

    r = requests.delete(f"{p.url}{API}/data", auth=p.auth, timeout=TIMEOUT)
    assert r.status_code == 204
    assert_error(views(p, token), 401, "session_invalid")  # the session went with the user
    assert_error(login(p, "BIJOU", "marie", "marie-pw"), 401, "login_failed")
    # The account itself stays: the admin can publish again.
    assert requests.get(f"{p.url}{API}/account", auth=p.auth, timeout=TIMEOUT).status_code == 200
    assert requests.delete(f"{p.url}{API}/data", auth=p.auth, timeout=TIMEOUT).status_code == 204


# --- users, grants and the mobile reader ---------------------------------------

GRANTS = {
    "marie": {"BIJOU": ["sales_revenue", "cash_position"]},
    "paul": {"BIJOU": ["top_customers_month"], "MODE": list(catalogue.VIEW_IDS)},
    # zoe may see a view MODE does not publish, and has an empty list for BIJOU.
    "zoe": {"MODE": ["accounting_revenue", "top_items_year"], "BIJOU": []},
}
PUBLISHED = {
    "BIJOU": ["sales_revenue", "cash_position", "top_customers_month", "top_items_year"],
    "MODE": ["sales_revenue", "accounting_revenue", "top_customer_outstanding"],
}


def test_mobile_users_see_exactly_their_grants(platform_server):
    p = platform_server
    r = put_users(p, [user(name, name + "-pw", grants) for name, grants in GRANTS.items()])
    assert r.status_code == 200 and r.json() == {"users": 3, "grants": 5}
    bodies = {code: publication(code, views) for code, views in PUBLISHED.items()}
    for body in bodies.values():
        put_pub(p, body).raise_for_status()

    for name, grants in GRANTS.items():
        for company in ("BIJOU", "MODE", "NOPE"):
            granted = grants.get(company) or []
            r = login(p, company, name, name + "-pw")
            if not granted:
                assert_error(r, 401, "login_failed")
                continue
            assert r.status_code == 200, (name, company, r.text)
            got = views(p, r.json()["token"]).json()
            expected_views = [v for v in PUBLISHED[company] if v in granted]
            assert sorted(got["views"]) == sorted(expected_views), (name, company)
            assert got["company"]["short_code"] == company
            for v in expected_views:
                assert got["views"][v] == bodies[company]["views"][v]
    # e.g. marie on BIJOU: granted {sales_revenue, cash_position} ∩ published -> both, nothing else;
    # zoe on MODE: granted {accounting_revenue, top_items_year} ∩ {.., accounting_revenue, ..} -> one view.


def test_users_are_replaced_as_a_whole_and_sessions_follow(platform_server):
    p = platform_server
    put_pub(p, publication("BIJOU")).raise_for_status()
    put_users(p, [user("marie", "old-pw", {"BIJOU": ["sales_revenue"]}),
                  user("paul", "paul-pw", {"BIJOU": ["cash_position"]})]).raise_for_status()
    marie = login(p, "BIJOU", "marie", "old-pw").json()["token"]
    paul = login(p, "BIJOU", "paul", "paul-pw").json()["token"]
    assert list(views(p, marie).json()["views"]) == ["sales_revenue"]

    # New set: marie's password and grant change, paul is gone.
    put_users(p, [user("marie", "new-pw", {"BIJOU": ["sales_revenue", "cash_position"]})]).raise_for_status()
    assert_error(views(p, marie), 401, "session_invalid")  # password changed: log in again
    assert_error(views(p, paul), 401, "session_invalid")
    assert_error(login(p, "BIJOU", "paul", "paul-pw"), 401, "login_failed")
    assert_error(login(p, "BIJOU", "marie", "old-pw"), 401, "login_failed")
    token = login(p, "BIJOU", "marie", "new-pw").json()["token"]
    assert sorted(views(p, token).json()["views"]) == ["cash_position", "sales_revenue"]

    # A withdrawn grant ends an open session at once.
    put_users(p, [user("marie", "new-pw", {"MODE": ["sales_revenue"]})]).raise_for_status()
    assert_error(views(p, token), 401, "session_invalid")


def test_every_wrong_login_field_gives_the_same_401(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    other = p.add_client("OTHER")
    assert login(p, "BIJOU", "marie", "marie-pw").status_code == 200
    answers = [
        login(p, "BIJOU", "marie", "marie-pw", client="NOPE"),    # unknown client
        login(p, "BIJOU", "marie", "marie-pw", client="OTHER"),   # another client
        login(p, "MODE", "marie", "marie-pw"),                    # company not granted
        login(p, "BIJOU", "mario", "marie-pw"),                   # unknown login
        login(p, "BIJOU", "marie", "marie-PW"),                   # wrong password
        login(p, "BIJOU", "marie", ""),
    ]
    bodies = {json.dumps(r.json(), sort_keys=True) for r in answers}
    assert {r.status_code for r in answers} == {401} and len(bodies) == 1, bodies
    assert other not in bodies.pop()
    # A bad token and no token give the session message.
    assert_error(views(p, "not-a-token"), 401, "session_invalid")
    r = requests.get(f"{p.url}{API}/mobile/views", timeout=TIMEOUT)
    assert_error(r, 401, "session_invalid")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_tokens_expire(tmp_path):
    p = run_platform(tmp_path / "ttl", token_ttl=1.0)
    try:
        put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
        put_pub(p, publication("BIJOU")).raise_for_status()
        r = login(p, "BIJOU", "marie", "marie-pw")
        token, expires_at = r.json()["token"], r.json()["expires_at"]
        assert expires_at.endswith("Z")
        assert views(p, token).status_code == 200
        time.sleep(1.3)
        assert_error(views(p, token), 401, "session_invalid")
    finally:
        p.stop()


def test_tokens_are_stored_hashed(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]
    raw = (p.data_dir / "platform.db").read_bytes()
    for suffix in ("-wal",):
        wal = p.data_dir / ("platform.db" + suffix)
        if wal.exists():
            raw += wal.read_bytes()
    assert token.encode() not in raw and b"marie-pw" not in raw and p.password.encode() not in raw


# --- isolation -------------------------------------------------------------------

def test_each_client_sees_only_its_own_data(platform_server):
    p = platform_server
    beta_pw = p.add_client("BETA")
    beta = (("BETA", beta_pw))
    acme_body, beta_body = publication("BIJOU", base=100), publication("BIJOU", base=900)
    put_pub(p, acme_body).raise_for_status()
    put_pub(p, beta_body, auth=beta).raise_for_status()
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    put_users(p, [user("marie", "beta-pw", {"BIJOU": ["cash_position"]})], auth=beta).raise_for_status()

    assert requests.get(f"{p.url}{API}/account", auth=beta, timeout=TIMEOUT).json() == {"client_code": "BETA"}
    acme_view = read_as(p, "BIJOU", "marie", "marie-pw").json()
    beta_view = read_as(p, "BIJOU", "marie", "beta-pw", client="BETA").json()
    assert acme_view["views"] == {"sales_revenue": acme_body["views"]["sales_revenue"]}
    assert beta_view["views"] == {"cash_position": beta_body["views"]["cash_position"]}
    # ACME's marie cannot log in under BETA with her password, and the reverse.
    assert_error(login(p, "BIJOU", "marie", "marie-pw", client="BETA"), 401, "login_failed")

    # BETA deletes its publication and then everything: ACME's data is untouched.
    assert requests.delete(f"{p.url}{API}/companies/BIJOU/publication", auth=beta, timeout=TIMEOUT).status_code == 204
    assert requests.delete(f"{p.url}{API}/data", auth=beta, timeout=TIMEOUT).status_code == 204
    assert read_as(p, "BIJOU", "marie", "marie-pw").json() == acme_view


# --- bodies: size, gzip, validation -----------------------------------------------

def test_gzip_bodies_are_accepted(platform_server_module):
    p = platform_server_module
    body = publication("GZIP")
    data = gzip.compress(json.dumps(body).encode())
    r = requests.put(f"{p.url}{API}/companies/GZIP/publication", data=data, auth=p.auth, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text
    users = gzip.compress(json.dumps({"users": [user("gz", "gz-pw", {"GZIP": ["sales_revenue"]})]}).encode())
    r = requests.put(f"{p.url}{API}/users", data=users, auth=p.auth, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 200, r.text
    assert read_as(p, "GZIP", "gz", "gz-pw").json()["views"] == {"sales_revenue": body["views"]["sales_revenue"]}


def test_bodies_over_10_mib_are_refused_with_413(platform_server_module):
    p = platform_server_module
    url = f"{p.url}{API}/companies/BIG/publication"
    headers = {"Content-Type": "application/json"}
    # Plain: 10 MiB + 1 byte of JSON-ish text.
    big = b'{"pad": "' + b"x" * (MAX_BODY_BYTES - 10) + b'"}'
    assert len(big) == MAX_BODY_BYTES + 1
    err = assert_error(requests.put(url, data=big, auth=p.auth, headers=headers, timeout=30), 413, "body_too_large")
    assert "10 MiB" in err["message"]
    # Gzip bomb: about 11 KiB on the wire, 11 MiB once decompressed.
    bomb = gzip.compress(b" " * (11 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    r = requests.put(url, data=bomb, auth=p.auth, timeout=30, headers={**headers, "Content-Encoding": "gzip"})
    assert_error(r, 413, "body_too_large")
    # Chunked upload (no Content-Length) over the limit is cut as well.
    def chunks():
        for _ in range(11):
            yield b" " * (1024 * 1024)
    r = requests.put(url, data=chunks(), auth=p.auth, headers=headers, timeout=30)
    assert_error(r, 413, "body_too_large")
    # The platform is still fine afterwards.
    assert requests.get(f"{p.url}{API}/account", auth=p.auth, timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize("change, field", [
    (lambda b: b["company"].__setitem__("colour", "red"), "body.company.colour"),
    (lambda b: b.__setitem__("extra", 1), "body.extra"),
    (lambda b: b["views"].__setitem__("top_gnomes", {}), "body.views.top_gnomes"),
    (lambda b: b["views"]["sales_revenue"]["month"].__setitem__("amount", 12.5), "body.views.sales_revenue.month.amount"),
    (lambda b: b["views"]["sales_revenue"]["year"].__setitem__("amount", "12.5"), "body.views.sales_revenue.year.amount"),
    (lambda b: b["views"]["top_items_year"]["rows"].append(
        {"rank": 6, "code": "X", "label": "X", "amount": "1.00"}), "body.views.top_items_year.rows"),
    (lambda b: b["views"]["cash_position"].__setitem__("total", None), "body.views.cash_position.total"),
    (lambda b: b.__setitem__("as_of", "2026-02-30"), "body.as_of"),
    (lambda b: b["views"].__setitem__("cash_position", view_data("sales_revenue")),
     "body.views.cash_position"),
    (lambda b: b.pop("fiscal_year"), "body.fiscal_year"),
    (lambda b: b["views"]["sales_revenue"].pop("year"), "body.views.sales_revenue.year"),
])
def test_invalid_publications_name_the_field(platform_server_module, change, field):
    p = platform_server_module
    body = publication("BAD", views=["sales_revenue", "top_items_year", "cash_position"])
    change(body)
    err = assert_error(put_pub(p, body), 422, "invalid_request")
    assert f"'{field}" in err["message"], err


def test_invalid_users_name_the_field(platform_server_module):
    p = platform_server_module
    good = user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})
    cases = [
        ({**good, "password": "clear"}, "body.users.0.password"),
        ({**good, "password_verifier": "md5$abc"}, "body.users.0.password_verifier"),
        ({**good, "password_verifier": "scrypt$1024$8$1$" + good["password_verifier"].split("$", 4)[4]},
         "body.users.0.password_verifier"),
        ({**good, "grants": {"BIJOU": ["no_such_view"]}}, "body.users.0.grants.BIJOU.0"),
    ]
    for bad, field in cases:
        err = assert_error(put_users(p, [bad]), 422, "invalid_request")
        assert f"'{field}" in err["message"], (field, err)
    err = assert_error(put_users(p, [good, copy.deepcopy(good)]), 422, "invalid_request")
    assert "marie" in err["message"] and "twice" in err["message"]


# --- consistency and availability ---------------------------------------------------

def test_readers_see_the_old_or_the_new_publication_never_a_mix(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": list(catalogue.VIEW_IDS)})]).raise_for_status()
    a, b = publication("BIJOU", base=100), publication("BIJOU", base=500)
    sent = {a["publication_id"]: a}  # every body, recorded before it is sent
    put_pub(p, a).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]
    stop = threading.Event()
    seen, bad = set(), []

    def reader():
        with requests.Session() as s:
            while not stop.is_set():
                answer = s.get(f"{p.url}{API}/mobile/views", headers={"Authorization": f"Bearer {token}"},
                               timeout=TIMEOUT).json()
                got = current(answer)
                if got == sent.get(got["publication_id"]):
                    seen.add(got["views"]["sales_revenue"]["month"]["amount"])
                else:
                    bad.append(got)
                prev = answer["previous"]
                if prev is not None and prev["views"]["sales_revenue"] == got["views"]["sales_revenue"]:
                    bad.append(answer)  # the previous publication always has the other amounts

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for i in range(12):
            body = dict(b if i % 2 == 0 else a, publication_id=str(uuid.uuid4()))
            sent[body["publication_id"]] = body
            put_pub(p, body).raise_for_status()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not bad
    assert seen <= {"100.10", "500.10"} and seen  # the readers did read, whole publications only


def test_platform_down_then_back_keeps_its_data(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    body = publication("BIJOU", views=["sales_revenue"])
    put_pub(p, body).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]
    url = p.url
    p.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}{API}/account", auth=p.auth, timeout=2)
    p.start()
    assert p.url == url
    assert current(views(p, token).json()) == body  # tokens live in the database, not in the worker


def test_two_workers_share_one_database(platform_server):
    p = platform_server
    second = start_platform(p.data_dir)  # another server on the same platform.db
    try:
        put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
        put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
        token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]
        r = requests.get(f"{second.url}{API}/mobile/views", headers={"Authorization": f"Bearer {token}"},
                         timeout=TIMEOUT)
        assert r.status_code == 200 and list(r.json()["views"]) == ["sales_revenue"]
    finally:
        second.stop()


def test_openapi_document_is_served(platform_server_module):
    p = platform_server_module
    doc = requests.get(f"{p.url}{API}/openapi.json", timeout=TIMEOUT).json()
    assert {"/api/v1/account", "/api/v1/companies/{short_code}/publication", "/api/v1/users", "/api/v1/data",
            "/api/v1/mobile/login", "/api/v1/mobile/views"} <= set(doc["paths"])
    views_schema = doc["components"]["schemas"]["Views"]
    assert set(views_schema["properties"]) == set(catalogue.VIEW_IDS)
    assert views_schema["additionalProperties"] is False


# --- HTTPS ---------------------------------------------------------------------------

def _self_signed(folder):
    """A test certificate for 127.0.0.1 and localhost, made with cryptography; it is its own CA."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bizsync test platform")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_with_a_certificate(tmp_path):
    cert, key = _self_signed(tmp_path)
    p = run_platform(tmp_path / "tls", certfile=cert, keyfile=key)
    try:
        assert p.url.startswith("https://127.0.0.1:")
        r = requests.get(f"{p.url}{API}/account", auth=p.auth, verify=str(cert), timeout=TIMEOUT)
        assert r.status_code == 200 and r.json() == {"client_code": p.client_code}
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{p.url}{API}/account", auth=p.auth, timeout=TIMEOUT)  # unknown CA
    finally:
        p.stop()


def test_a_locked_database_gives_503_busy(tmp_path, monkeypatch):
    import sqlite3

    from bizsync_tui.platform import store as store_module

    monkeypatch.setitem(store_module._SQLITE_PRAGMAS, "busy_timeout", 200)  # wait 0.2 s, not 10 s
    p = run_platform(tmp_path / "locked")
    lock = sqlite3.connect(p.data_dir / "platform.db", isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")  # another writer holds the database
        r = put_pub(p, publication("BIJOU"))
        assert_error(r, 503, "busy")
        assert r.headers["Retry-After"] == "2"
        lock.execute("ROLLBACK")
        assert put_pub(p, publication("BIJOU")).status_code == 200
    finally:
        lock.close()
        p.stop()
