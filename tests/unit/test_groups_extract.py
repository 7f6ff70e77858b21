"""Company groups on two real Sage-shaped SQLite databases (tests/sage_fixture.py):
company A (the 17-view fixture) and company B, a small second member.
Expected values worked out by hand; A's own figures are derived in test_extract_views.py."""

from __future__ import annotations

import datetime as dt

import pytest

from bizsync_tui.engine.sage.extract import build_publication, build_views, extract_figures
from bizsync_tui.engine.sage.groups import GroupMismatch, check_group_consistency, merge_figures
from bizsync_tui.engine.sage.source_spec import parse_source
from tests import sage_fixture as fx


def _figs(path):
    src = parse_source(f"sqlite:{path}")
    return extract_figures(src, src, as_of=fx.AS_OF)


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    base = tmp_path_factory.mktemp("group")
    a = fx.sqlite_file(base / "a.db")
    b = fx.sqlite_file(base / "b.db", fx.write_company_b)
    return _figs(a), _figs(b)


def test_group_views_are_sums_before_ranking(members):
    a, b = members
    check_group_consistency([("BIJOU", a), ("NORD", b)])
    views = build_views([a, b])
    # B adds B1 (C6, rep 1) 1000 and B2 (C2, rep 2) 300 in the month.
    # month: A 4975.005 + 1300 = 6275.005 ; year: A 7635.005 + 1300 = 8935.005
    assert views["sales_revenue"]["month"]["amount"] == "6275.01"
    assert views["sales_revenue"]["year"]["amount"] == "8935.01"
    # Customers of the month, merged before ranking: C6 650 + 1000 = 1650 goes from 5th to 1st;
    # C2 900.005 + 300 = 1200.005 ; C1 1375 ; C5 1300 ; C4 650 (A alone: C1, C5, C2, C4, C6)
    assert [(r["code"], r["amount"]) for r in views["top_customers_month"]["rows"]] == [
        ("C6", "1650.00"), ("C1", "1375.00"), ("C5", "1300.00"), ("C2", "1200.01"), ("C4", "650.00")]
    assert [r["rank"] for r in views["top_customers_month"]["rows"]] == [1, 2, 3, 4, 5]
    # Outstanding: B adds C8 +800 (A: 5 -> 805) and C5 +100 (A: -80.50 -> 19.50, now positive).
    # rows C3 2700, C8 805, C2 700.005, C7 700.005, C1 300 ; total also counts C4 10 and C5 19.50:
    # 2700 + 805 + 700.005 + 700.005 + 300 + 10 + 19.50 = 5234.51
    out = views["top_customer_outstanding"]
    assert [(r["code"], r["amount"]) for r in out["rows"]] == [
        ("C3", "2700.00"), ("C8", "805.00"), ("C2", "700.01"), ("C7", "700.01"), ("C1", "300.00")]
    assert out["total"] == "5234.51"
    # cash: B's bank 512000 +40 -> 10789.75 ; 531000 80.50 ; total 10870.25
    assert views["cash_position"]["rows"][0]["amount"] == "10789.75"
    assert views["cash_position"]["total"] == "10870.25"
    # B has no 70* entries: accounting revenue is A's (1750.005 / 4450.005)
    assert views["accounting_revenue"]["year"]["amount"] == "4450.01"


def test_group_publication_and_members_untouched(members):
    a, b = members
    body = build_publication([a, b], short_code="GRP", dossier="GRP", name="Groupe Bijou",
                             view_ids=["sales_revenue"])
    assert body["company"] == {"short_code": "GRP", "dossier": "GRP", "name": "Groupe Bijou", "currency": "EUR"}
    assert body["fiscal_year"] == {"start": "2026-01-01", "end": "2026-12-31"}
    # merging twice gives the same and leaves the members as they were (A month 4975.005)
    assert build_views(merge_figures([a, b]), ["sales_revenue"]) == {"sales_revenue": body["views"]["sales_revenue"]}
    assert build_views(a, ["sales_revenue"])["sales_revenue"]["month"]["amount"] == "4975.01"


def test_currency_mismatch_refused(tmp_path, members):
    a, _ = members
    usd = _figs(fx.sqlite_file(tmp_path / "usd.db", fx.write_company_b, devise=1))  # P_DEVISE 1 = USD
    assert usd.currency == "USD"
    with pytest.raises(GroupMismatch) as err:
        check_group_consistency([("BIJOU", a), ("NORD", usd)])
    msg = str(err.value)
    assert "NORD" in msg and "USD" in msg and "EUR" in msg


def test_fiscal_year_mismatch_refused(tmp_path, members):
    a, _ = members
    other = _figs(fx.sqlite_file(tmp_path / "fy.db", fx.write_company_b,
                                 years=[(dt.date(2026, 4, 1), dt.date(2027, 3, 31))]))
    with pytest.raises(GroupMismatch) as err:
        check_group_consistency([("BIJOU", a), ("NORD", other)])
    msg = str(err.value)
    assert "NORD" in msg and "2026-04-01" in msg and "2027-03-31" in msg
    with pytest.raises(GroupMismatch):
        check_group_consistency([("BIJOU", a)])
