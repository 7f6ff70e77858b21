"""Mobile sessions on the real platform: logout, sessions that end for good, `previous`, ETag.

PLATFORM_API.md: a session ends for good when its user is removed, its password
changes or the grant it was opened for is withdrawn; putting the same user,
verifier or grant back does not bring an old token back to life.
"""

from __future__ import annotations

import requests

from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.unit.test_platform_service import (API, TIMEOUT, assert_error, current, login, publication, put_pub,
                                              put_users, user, views)


def token_of(p, company, who, password):
    r = login(p, company, who, password)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def test_logout_ends_the_token_for_good(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    token = token_of(p, "BIJOU", "marie", "marie-pw")
    other = token_of(p, "BIJOU", "marie", "marie-pw")  # a second phone of the same user
    assert views(p, token).status_code == 200

    r = requests.post(f"{p.api}/mobile/logout", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    assert r.status_code == 204 and r.content == b""
    assert r.headers["Cache-Control"] == "no-store"
    assert_error(views(p, token), 401, "session_invalid")
    # Logging out again: that token is no session any more (401), and it stays dead.
    r = requests.post(f"{p.api}/mobile/logout", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    assert_error(r, 401, "session_invalid")
    assert_error(views(p, token), 401, "session_invalid")
    # The other session of the same user is untouched.
    assert views(p, other).status_code == 200
    # Without a token: 401, nothing ended.
    r = requests.post(f"{p.api}/mobile/logout", timeout=TIMEOUT)
    assert_error(r, 401, "session_invalid")
    assert views(p, other).status_code == 200


def test_a_removed_user_put_back_does_not_revive_the_token(platform_server):
    p = platform_server
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    marie = user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})
    paul = user("paul", "paul-pw", {"BIJOU": ["sales_revenue"]})
    put_users(p, [marie, paul]).raise_for_status()
    token = token_of(p, "BIJOU", "marie", "marie-pw")
    kept = token_of(p, "BIJOU", "paul", "paul-pw")

    put_users(p, [paul]).raise_for_status()  # marie removed
    assert_error(views(p, token), 401, "session_invalid")
    put_users(p, [marie, paul]).raise_for_status()  # the very same user (same verifier) back
    assert_error(views(p, token), 401, "session_invalid")
    assert views(p, kept).status_code == 200  # paul was never touched
    assert views(p, token_of(p, "BIJOU", "marie", "marie-pw")).status_code == 200  # a new login works


def test_a_changed_password_put_back_does_not_revive_the_token(platform_server):
    p = platform_server
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    old = user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})
    put_users(p, [old]).raise_for_status()
    token = token_of(p, "BIJOU", "marie", "marie-pw")

    put_users(p, [user("marie", "new-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    assert_error(views(p, token), 401, "session_invalid")
    put_users(p, [old]).raise_for_status()  # the old verifier, byte for byte
    assert_error(views(p, token), 401, "session_invalid")


def test_a_withdrawn_grant_put_back_does_not_revive_the_token(platform_server):
    p = platform_server
    put_pub(p, publication("BIJOU", views=["sales_revenue", "cash_position"])).raise_for_status()
    put_pub(p, publication("MODE", views=["sales_revenue"])).raise_for_status()
    both = user("marie", "marie-pw", {"BIJOU": ["sales_revenue", "cash_position"], "MODE": ["sales_revenue"]})
    put_users(p, [both]).raise_for_status()
    bijou = token_of(p, "BIJOU", "marie", "marie-pw")
    mode = token_of(p, "MODE", "marie", "marie-pw")

    # One view less: the session goes on, with one view.
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["cash_position"], "MODE": ["sales_revenue"]})])
    assert list(views(p, bijou).json()["views"]) == ["cash_position"]
    # BIJOU withdrawn (an empty list grants nothing): that session ends, the MODE one goes on.
    put_users(p, [user("marie", "marie-pw", {"BIJOU": [], "MODE": ["sales_revenue"]})]).raise_for_status()
    assert_error(views(p, bijou), 401, "session_invalid")
    assert views(p, mode).status_code == 200
    put_users(p, [both]).raise_for_status()  # granted again
    assert_error(views(p, bijou), 401, "session_invalid")
    assert views(p, mode).status_code == 200
    assert sorted(views(p, token_of(p, "BIJOU", "marie", "marie-pw")).json()["views"]) == \
        ["cash_position", "sales_revenue"]


def test_previous_holds_the_amount_views_this_user_may_see(platform_server):
    p = platform_server
    # marie may see two amounts, a ranking and a balance; paul one amount only.
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue", "order_book_month", "top_items_year",
                                                        "cash_position"]}),
                  user("paul", "paul-pw", {"BIJOU": ["accounting_revenue"]})]).raise_for_status()
    everything = ["sales_revenue", "order_book_month", "accounting_revenue", "top_items_year", "cash_position"]
    first = dict(publication("BIJOU", views=everything, base=100), as_of="2026-10-31")
    put_pub(p, first).raise_for_status()
    marie, paul = token_of(p, "BIJOU", "marie", "marie-pw"), token_of(p, "BIJOU", "paul", "paul-pw")
    assert views(p, marie).json()["previous"] is None

    second = publication("BIJOU", views=["sales_revenue", "top_items_year"], base=200)
    put_pub(p, second).raise_for_status()
    got = views(p, marie).json()
    assert current(got)["views"] == {v: second["views"][v] for v in ("sales_revenue", "top_items_year")}
    # previous: first's amounts among marie's grants (sales_revenue, order_book_month): not the ranking,
    # not the balance, not paul's accounting_revenue.
    assert got["previous"] == {"as_of": "2026-10-31",
                               "views": {"sales_revenue": first["views"]["sales_revenue"],
                                         "order_book_month": first["views"]["order_book_month"]}}
    assert got["previous"]["views"]["sales_revenue"]["month"]["amount"] == "100.10"
    # paul: no view of the current publication, and accounting_revenue from the previous one.
    got = views(p, paul).json()
    assert got["views"] == {}
    assert got["previous"] == {"as_of": "2026-10-31",
                               "views": {"accounting_revenue": first["views"]["accounting_revenue"]}}

    # A third publication: previous is now the second (only the last one before is kept).
    third = publication("BIJOU", views=["sales_revenue"], base=300)
    put_pub(p, third).raise_for_status()
    got = views(p, marie).json()
    assert got["previous"] == {"as_of": "2026-11-28", "views": {"sales_revenue": second["views"]["sales_revenue"]}}
    # A retry of the third changes nothing, previous included.
    assert put_pub(p, third).json()["status"] == "unchanged"
    assert views(p, marie).json() == got

    # A delete removes both: nothing published, and a new publication has no previous.
    assert requests.delete(f"{p.api}/companies/BIJOU/publication", auth=p.auth, timeout=TIMEOUT).status_code == 204
    assert_error(views(p, marie), 404, "no_publication")
    put_pub(p, publication("BIJOU", views=["sales_revenue"], base=400)).raise_for_status()
    assert views(p, marie).json()["previous"] is None


def test_an_unchanged_publication_answers_304_to_its_etag(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]}),
                  user("paul", "paul-pw", {"BIJOU": ["sales_revenue", "cash_position"]})]).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue", "cash_position"])).raise_for_status()
    token = token_of(p, "BIJOU", "marie", "marie-pw")
    first = views(p, token)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    r = requests.get(f"{p.api}/mobile/views", timeout=TIMEOUT,
                     headers={"Authorization": f"Bearer {token}", "If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    # Another user's grants give another answer, so another tag.
    assert views(p, token_of(p, "BIJOU", "paul", "paul-pw")).headers["ETag"] != etag
    # A new publication: the old tag no longer matches.
    put_pub(p, publication("BIJOU", views=["sales_revenue"], base=7)).raise_for_status()
    r = requests.get(f"{p.api}/mobile/views", timeout=TIMEOUT,
                     headers={"Authorization": f"Bearer {token}", "If-None-Match": etag})
    assert r.status_code == 200 and r.json()["views"]["sales_revenue"]["month"]["amount"] == "7.10"
    # An ended session never gets a 304.
    put_users(p, [user("paul", "paul-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    r = requests.get(f"{p.api}/mobile/views", timeout=TIMEOUT,
                     headers={"Authorization": f"Bearer {token}", "If-None-Match": r.headers["ETag"]})
    assert_error(r, 401, "session_invalid")
