"""Issue 7 "Done when": two companies with the same fiscal year and currency publish as one
group whose figures are their sums (hand-worked in tests/e2e/tiny_sage.py: customer C2 is
in both, and the month's customer ranking changes order once merged); a group whose
member keeps its books in another currency is refused with a sentence naming that
member, while everything else of the run is still published; a user granted the group's
views sees them through the real platform (`platform serve`), logging in with the
group's short code.
"""

from __future__ import annotations

import json

from tests.e2e import tiny_sage as sage
from tests.e2e.cli import bizsync, configure_portal, journal, mobile_views, ok, serve_platform

CLIENT, PORTAL_PW = "GRPCO", "portal-pass-groups"
GROUP_VIEWS = list(sage.EXPECTED_GROUP)


def test_group_publishes_the_sums_and_a_mismatched_group_is_refused(tmp_path):
    dbs = {code: sage.sqlite_file(tmp_path / f"{code}.sqlite", company)
           for code, company in (("TINYA", "A"), ("TINYB", "B"), ("TINYUS", "USD"))}
    admin = tmp_path / "admin"
    with serve_platform(tmp_path / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        configure_portal(admin, platform.url, CLIENT, PORTAL_PW)
        for code, db in dbs.items():
            ok(admin, "company", "add", code, "--dossier", code, "--name", code, "--accounting", f"sqlite:{db}",
               "--commercial", f"sqlite:{db}", "--views", "sales_revenue,top_customers_month")
        ok(admin, "group", "add", "GRP", "--name", "Groupe Tiny", "--members", "TINYA,TINYB",
           "--views", ",".join(GROUP_VIEWS))
        ok(admin, "group", "add", "BADGRP", "--name", "Mixed currencies", "--members", "TINYA,TINYUS",
           "--views", "sales_revenue")
        ok(admin, "user", "add", "gina", "--name", "Gina", "--grant", "GRP:all", "--grant",
           "TINYA:top_customers_month", stdin="gina-pass-1\n")
        assert "GRP" in ok(admin, "group", "list") and "TINYA" in ok(admin, "group", "list")

        # the group's body: the members summed, as if one database
        body = json.loads(ok(admin, "extract", "--group", "GRP", "--as-of", sage.AS_OF))
        assert body["company"]["short_code"] == "GRP" and body["company"]["currency"] == "EUR"
        assert body["views"] == sage.EXPECTED_GROUP
        # TINYA alone ranks C1 first; merged, C2 (350.00 + 900.00) passes it
        alone = json.loads(ok(admin, "extract", "--company", "TINYA", "--as-of", sage.AS_OF))
        assert [r["code"] for r in alone["views"]["top_customers_month"]["rows"]] == ["C1", "C2"]
        assert [r["code"] for r in body["views"]["top_customers_month"]["rows"]] == ["C2", "C1"]

        r = bizsync(admin, "publish", "--as-of", sage.AS_OF)
        assert r.returncode != 0  # one operation failed: the mismatched group
        outcome = {(e["operation"], e["company"]): e for e in journal(admin)}
        for code in ("TINYA", "TINYB", "TINYUS", "GRP"):
            assert outcome[("publish", code)]["success"], outcome[("publish", code)]["message"]
        assert outcome[("users", "")]["success"]
        bad = outcome[("publish", "BADGRP")]
        assert not bad["success"]
        # one sentence naming the member to fix and how it differs
        assert "TINYUS" in bad["message"] and "USD" in bad["message"] and "EUR" in bad["message"]
        assert "TINYUS" in r.stdout

        # the phone: gina logs in with the group's short code and sees the group's sums
        status, views_status, served = mobile_views(platform.url, CLIENT, "GRP", "gina", "gina-pass-1")
        assert (status, views_status) == (200, 200)
        assert served["company"]["short_code"] == "GRP"
        assert served["views"] == sage.EXPECTED_GROUP
        # and on TINYA only what she was granted there (TINYA's own figures)
        status, views_status, served = mobile_views(platform.url, CLIENT, "TINYA", "gina", "gina-pass-1")
        assert (status, views_status) == (200, 200)
        assert served["views"] == {"top_customers_month": sage.EXPECTED_A["top_customers_month"]}
        # nothing of the refused group reached the platform
        status, _, err = mobile_views(platform.url, CLIENT, "BADGRP", "gina", "gina-pass-1")
        assert status == 401 and err["error"]["code"] == "login_failed"

        # a group added without --views publishes every view of the catalogue
        ok(admin, "group", "add", "ALLV", "--name", "Every view", "--members", "TINYA,TINYB")
        r = bizsync(admin, "extract", "--group", "ALLV", "--as-of", "2026-11-28")
        assert r.returncode == 0, r.stderr
        assert len(json.loads(r.stdout)["views"]) == 17
