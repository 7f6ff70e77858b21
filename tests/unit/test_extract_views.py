"""The 17 views on a small hand-made Sage company (tests/sage_fixture.py), on real engines:
SQLite through the sqlite3 module, SQLite through pyodbc + the SQLite3 ODBC driver,
and PostgreSQL 15 through pyodbc + psqlODBC.

Every expected value below is worked out by hand from the fixture's rows.
as_of = 2026-11-28; month = 2026-11-01..28; fiscal year 2026-01-01..2026-12-31 (stored in
slot 3, slots out of order, 2027 slot in the future, a 1900 slot and a NULL slot unused).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bizsync_tui.engine.sage.extract import build_publication, build_views, extract_figures
from bizsync_tui.engine.sage.source_spec import parse_source
from bizsync_tui.engine.sage.sources import open_source
from tests import sage_fixture as fx
from tests.pg import pg_server  # noqa: F401  (fixture)

MONTH = {"from": "2026-11-01", "to": "2026-11-28"}
YEAR = {"from": "2026-01-01", "to": "2026-11-28"}


def rows(*triples):
    return [{"rank": i, "code": c, "label": l, "amount": a} for i, (c, l, a) in enumerate(triples, 1)]


# Sales lines of the month (valued, invoices type 6/7, credit/return = -|amount|):
#   I1  C1 (rep: none on header -> customer's 1)  A1 1000, A2 500, carriage '' 25, comment 0
#       (A3 300 not valued: out)                                             = 1525
#   I2  C2 rep 3   A2 800, A4 200.005                                        = 1000.005
#   I3  C1 credit stored +150 -> -150 (rep 1 via customer)
#   I4  C2 credit stored -100 -> -100 (rep 2 via customer)
#   I9  C5 rep 1 (dated as_of)  A4 1000, A3 300                              = 1300
#   I10 C4 rep 2   A3 650 ;  I11 C6 rep 1  A2 650 ;  I12 C3 no rep  A1 100
#   out: I8 (2026-11-29), PF1 (purchase), Q1 (quote), orders.
# Month total = 1525 + 1000.005 - 150 - 100 + 1300 + 650 + 650 + 100 = 4975.005 -> 4975.01
# Year adds I6 (C3, rep 2) A3 2000 + A1 700 and I5 return -40: 4975.005 + 2660 = 7635.005 -> 7635.01
EXPECTED = {
    "sales_revenue": {"month": {**MONTH, "amount": "4975.01"}, "year": {**YEAR, "amount": "7635.01"}},
    # open (not closed) type 1/2/3 valued lines dated in the month: O1 400 (A2 100 not valued),
    # O3 250, O4 60 (O2 closed, O5 October, O6 future) = 710
    "sales_portfolio_month": {"month": {**MONTH, "amount": "710.00"}},
    # order date in the month: O1 400 (own date), O2 999 (closed still counts), O4 60 (DL_DateBC 11-06),
    # I2's A2 800 (DL_DateBC 11-02); not I3 (credit), I8 (future document), O3/I9 (October orders) = 2259
    "order_book_month": {"month": {**MONTH, "amount": "2259.00"}},
    # C1 1525-150 = 1375; C5 1300; C2 1000.005-100 = 900.005; C4 650; C6 650 (tie: C4 first); C3 100 cut
    "top_customers_month": {**MONTH, "rows": rows(("C1", "Alpha", "1375.00"), ("C5", "Epsilon", "1300.00"),
                                                  ("C2", "Beta", "900.01"), ("C4", "Delta", "650.00"),
                                                  ("C6", "Zeta", "650.00"))},
    # C3 = 100 - 40 + 2700 = 2760 ; then C1 1375, C5 1300, C2 900.005, C4 650 (C6 650 cut by the tie)
    "top_customers_year": {**YEAR, "rows": rows(("C3", "Gamma", "2760.00"), ("C1", "Alpha", "1375.00"),
                                                ("C5", "Epsilon", "1300.00"), ("C2", "Beta", "900.01"),
                                                ("C4", "Delta", "650.00"))},
    # cat 2 = C2 + C5 = 2200.005 ; cat 1 = C1 + C3 = 1375 + 100 = 1475 ; cat 3 = C4 + C6 = 1300 (no label row)
    "top_customer_categories_month": {**MONTH, "rows": rows(("2", "Détaillants", "2200.01"),
                                                            ("1", "Grossistes", "1475.00"), ("3", "3", "1300.00"))},
    # cat 1 = 1375 + 2760 = 4135
    "top_customer_categories_year": {**YEAR, "rows": rows(("1", "Grossistes", "4135.00"),
                                                          ("2", "Détaillants", "2200.01"), ("3", "3", "1300.00"))},
    # A2 500+800-100+650 = 1850 ; A4 200.005+1000 = 1200.005 ; A1 1000-150+100 = 950 ; A3 300+650 = 950 (tie)
    "top_items_month": {**MONTH, "rows": rows(("A2", "Collier perles", "1850.00"), ("A4", "Bague argent", "1200.01"),
                                              ("A1", "Bague or", "950.00"), ("A3", "Bracelet argent", "950.00"))},
    # A3 950 - 40 + 2000 = 2910 ; A2 1850 ; A1 950 + 700 = 1650 ; A4 1200.005
    "top_items_year": {**YEAR, "rows": rows(("A3", "Bracelet argent", "2910.00"), ("A2", "Collier perles", "1850.00"),
                                            ("A1", "Bague or", "1650.00"), ("A4", "Bague argent", "1200.01"))},
    # BAG = A1 + A4 = 950 + 1200.005 = 2150.005 (label of the detail family, not the total one)
    "top_item_families_month": {**MONTH, "rows": rows(("BAG", "Bagues", "2150.01"), ("COL", "Colliers", "1850.00"),
                                                      ("BRA", "Bracelets", "950.00"))},
    # BRA 2910 ; BAG 1650 + 1200.005 = 2850.005 ; COL 1850
    "top_item_families_year": {**YEAR, "rows": rows(("BRA", "Bracelets", "2910.00"), ("BAG", "Bagues", "2850.01"),
                                                    ("COL", "Colliers", "1850.00"))},
    # rep 1 = I1 1525 + I3 -150 + I9 1300 + I11 650 = 3325 ; rep 3 = I2 1000.005 ; rep 2 = I4 -100 + I10 650 = 550
    "top_sales_reps_month": {**MONTH, "rows": rows(("1", "Martin Paul", "3325.00"), ("3", "Solo", "1000.01"),
                                                   ("2", "Durand Anne", "550.00"))},
    # rep 2 adds I6 2700 (header rep): 3250 ; I5 and I12 have no rep
    "top_sales_reps_year": {**YEAR, "rows": rows(("1", "Martin Paul", "3325.00"), ("2", "Durand Anne", "3250.00"),
                                                 ("3", "Solo", "1000.01"))},
    # 70*: month = 701 +1000 - 100, 707 +800.005, 706 +50 = 1750.005 ; year + 701 2700 = 4450.005
    # (opening 707 123, future 5000, situation 9999, 2025 4000 excluded)
    "accounting_revenue": {"month": {**MONTH, "amount": "1750.01"}, "year": {**YEAR, "amount": "4450.01"}},
    # debit - credit from 2026-01-01: C1 300 (opening) + 1200 - 1200 = 300 (future and situation out);
    # C2 800.005 - 100 = 700.005 ; C3 2700 ; C4 10 ; C7 700.005 ; C8 5 ; C5 -80.50 and C6 -30 out.
    # total = 2700 + 700.005 + 700.005 + 300 + 10 + 5 = 4415.01
    "top_customer_outstanding": {"as_of": "2026-11-28", "rows": [
        {"code": "C3", "label": "Gamma", "amount": "2700.00"}, {"code": "C2", "label": "Beta", "amount": "700.01"},
        {"code": "C7", "label": "Eta", "amount": "700.01"}, {"code": "C1", "label": "Alpha", "amount": "300.00"},
        {"code": "C4", "label": "Delta", "amount": "10.00"}], "total": "4415.01"},
    # credit - debit: F1 450 (opening) + 600 = 1050 ; F2 2000 - 2000 = 0 (situation 500 out) ; F3 -50
    "top_supplier_outstanding": {"as_of": "2026-11-28", "rows": [
        {"code": "F1", "label": "Fourn One", "amount": "1050.00"}], "total": "1050.00"},
    # treasury journal accounts 512000, 531000 (BQ2 has none): 512 = 10000 + 1200 - 450.25 = 10749.75
    # (future 999, 2025 777 out) ; 531 = 80.50 ; total 10830.25
    "cash_position": {"as_of": "2026-11-28", "rows": [
        {"code": "512000", "label": "Banque BNP", "amount": "10749.75"},
        {"code": "531000", "label": "Caisse", "amount": "80.50"}], "total": "10830.25"},
}


@pytest.fixture(scope="module")
def sqlite_a(tmp_path_factory):
    return fx.sqlite_file(tmp_path_factory.mktemp("sage") / "a.db")


@pytest.fixture(scope="module")
def pg_a(pg_server):  # noqa: F811
    name = pg_server.create_database("sage_a")
    conn = pg_server.connect(name)
    conn.autocommit = False
    fx.write_company_a(conn, "postgresql")
    conn.commit()
    conn.close()
    return pg_server, name


@pytest.fixture(params=["sqlite", "odbc-sqlite3", "postgresql"])
def source_a(request, sqlite_a):
    """(spec text, user, password) of company A on each engine."""
    if request.param == "sqlite":
        return f"sqlite:{sqlite_a}", None, None
    if request.param == "odbc-sqlite3":
        return f"odbc:DRIVER=SQLite3;Database={sqlite_a}", None, None
    server, name = request.getfixturevalue("pg_a")
    return f"odbc:{server.odbc_string(name)}", server.superuser, server.password


def test_every_view_to_the_cent(source_a):
    spec, user, password = source_a
    src = parse_source(spec)
    figs = extract_figures(src, src, user=user, password=password, as_of=fx.AS_OF)
    assert (figs.name, figs.currency) == ("Bijou SA", "EUR")
    assert (figs.fy_start, figs.fy_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    views = build_views(figs)
    for view_id, expected in EXPECTED.items():
        assert views[view_id] == expected, view_id
    assert set(views) == set(EXPECTED)


def test_configured_prefixes(source_a):
    spec, user, password = source_a
    src = parse_source(spec)
    figs = extract_figures(src, src, user=user, password=password, as_of=fx.AS_OF,
                           view_ids=["accounting_revenue", "cash_position"],
                           revenue_prefixes=("701",), cash_prefixes=("514",))
    views = build_views(figs, ["accounting_revenue", "cash_position"])
    # 701 only: month 1000 - 100 = 900 ; year 900 + 2700 = 3600
    assert views["accounting_revenue"]["month"]["amount"] == "900.00"
    assert views["accounting_revenue"]["year"]["amount"] == "3600.00"
    # 514000 joins the cash accounts by prefix: debit 30 ; total 10830.25 + 30
    assert [r["code"] for r in views["cash_position"]["rows"]] == ["512000", "514000", "531000"]
    assert views["cash_position"]["rows"][1] == {"code": "514000", "label": "La Poste", "amount": "30.00"}
    assert views["cash_position"]["total"] == "10860.25"


def test_as_of_earlier_in_the_month_and_other_year(sqlite_a):
    src = parse_source(f"sqlite:{sqlite_a}")
    # as_of 2026-11-05: month 11-01..05 holds I1 (1525) and I10 (650) only = 2175
    figs = extract_figures(src, src, as_of=dt.date(2026, 11, 5), view_ids=["sales_revenue", "accounting_revenue"])
    views = build_views(figs, ["sales_revenue", "accounting_revenue"])
    assert views["sales_revenue"]["month"]["amount"] == "2175.00"
    # entries to 11-05: 701 credit 1000 on 11-05 (day 5 of the month) -> month 1000, year 1000 + 2700
    assert views["accounting_revenue"]["month"]["amount"] == "1000.00"
    assert views["accounting_revenue"]["year"]["amount"] == "3700.00"
    # as_of 2025-12-31: fiscal year 2025 (slot 1); I7 5000 is the only 2025 sale
    figs = extract_figures(src, src, as_of=dt.date(2025, 12, 31), view_ids=["sales_revenue"])
    assert (figs.fy_start, figs.fy_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert build_views(figs, ["sales_revenue"])["sales_revenue"]["year"]["amount"] == "5000.00"


@pytest.mark.parametrize("start, sales_year, revenue_year", [
    # fiscal year from 2026-03-10: I6 (03-10, 2700) and the 701 entry of 03-10 (2700) are in:
    # sales 7635.005, revenue 4450.005 as with a January start
    ("2026-03-10", "7635.01", "4450.01"),
    # from 2026-03-11 they are out: sales 7635.005 - 2700 = 4935.005 ; revenue 4450.005 - 2700 = 1750.005
    ("2026-03-11", "4935.01", "1750.01"),
])
def test_fiscal_year_starting_mid_month(tmp_path, start, sales_year, revenue_year):
    begin = dt.date.fromisoformat(start)
    path = fx.sqlite_file(tmp_path / "mid.db", years=[(begin, begin.replace(year=2027) - dt.timedelta(days=1))])
    for text in (f"sqlite:{path}", f"odbc:DRIVER=SQLite3;Database={path}"):
        src = parse_source(text)
        figs = extract_figures(src, src, as_of=fx.AS_OF, view_ids=["sales_revenue", "accounting_revenue"])
        views = build_views(figs, ["sales_revenue", "accounting_revenue"])
        assert views["sales_revenue"]["year"] == {"from": start, "to": "2026-11-28", "amount": sales_year}
        assert views["accounting_revenue"]["year"]["amount"] == revenue_year
        assert views["accounting_revenue"]["month"]["amount"] == "1750.01"


def test_publication_body(sqlite_a):
    src = parse_source(f"sqlite:{sqlite_a}")
    figs = extract_figures(src, src, as_of=fx.AS_OF, view_ids=["cash_position"])
    body = build_publication(figs, short_code="BIJOU", dossier="BIJOU01", name="Bijou SA",
                             view_ids=["cash_position"])
    assert body["company"] == {"short_code": "BIJOU", "dossier": "BIJOU01", "name": "Bijou SA", "currency": "EUR"}
    assert body["as_of"] == "2026-11-28"
    assert body["fiscal_year"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert list(body["views"]) == ["cash_position"]
    assert body["extracted_at"].endswith("Z") and len(body["extracted_at"]) == 20
    import uuid

    assert uuid.UUID(body["publication_id"]).version == 4
    with pytest.raises(ValueError):
        build_views(figs, ["sales_revenue"])  # the commercial source was not read


# -- an as_of after the fiscal years Sage knows (issue 11 item 14) -----------------------------

@pytest.mark.parametrize("years, as_of, fiscal_year, sales_year", [
    # The last fiscal year (2027) has ended and Sage has not opened 2028 yet: the year is the one that
    # follows, 2028-01-01..2028-12-31 (no sale in it), never 2027-01-01..2028-03-01.
    (None, "2028-03-01", ("2028-01-01", "2028-12-31"), "0.00"),
    # A fiscal year from July, the next one not opened: 2026-07-01..2027-06-30. Sales from July to
    # as_of: the month's 4975.005 and I5's return -40 (October) = 4935.005 (I6 in March is out).
    ([("2025-07-01", "2026-06-30")], "2026-11-28", ("2026-07-01", "2027-06-30"), "4935.01"),
    # A gap between two fiscal years (2025 not in Sage): the year after 2024, not 2024 + 2025.
    ([("2024-01-01", "2024-12-31"), ("2026-01-01", "2026-12-31")], "2025-06-30",
     ("2025-01-01", "2025-12-31"), "0.00"),
])
def test_as_of_after_the_last_fiscal_year_is_one_year(tmp_path, years, as_of, fiscal_year, sales_year):
    if years is not None:
        years = [(dt.date.fromisoformat(s), dt.date.fromisoformat(e)) for s, e in years]
    path = fx.sqlite_file(tmp_path / "fy.db", years=years)
    src = parse_source(f"sqlite:{path}")
    figs = extract_figures(src, src, as_of=dt.date.fromisoformat(as_of), view_ids=["sales_revenue"])
    assert (figs.fy_start.isoformat(), figs.fy_end.isoformat()) == fiscal_year
    year = build_views(figs, ["sales_revenue"])["sales_revenue"]["year"]
    assert year == {"from": fiscal_year[0], "to": as_of, "amount": sales_year}


@pytest.mark.parametrize("as_of", ["2029-01-01", "9999-12-31"])
def test_as_of_far_after_the_last_fiscal_year_is_refused(sqlite_a, as_of):
    # The fixture's last fiscal year ends 2027-12-31; 2028 would be the next one. Later than that
    # (or the last day the calendar has) is refused in a sentence, never a "year" of several years
    # nor an OverflowError.
    from bizsync_tui.engine.sage.sources import SourceError

    src = parse_source(f"sqlite:{sqlite_a}")
    with pytest.raises(SourceError) as err:
        extract_figures(src, src, as_of=dt.date.fromisoformat(as_of))
    text = str(err.value)
    assert "2027-12-31" in text and as_of in text and "Traceback" not in text


def test_extract_command_far_date_is_a_sentence(sqlite_a, capsys):
    from bizsync_tui.cli import main

    assert main(["extract", "--accounting", f"sqlite:{sqlite_a}", "--as-of", "9999-12-31"]) == 1
    err = capsys.readouterr().err
    assert "2027-12-31" in err and "9999-12-31" in err
    assert "OverflowError" not in err and "Traceback" not in err


# -- the extraction equals the benchmark's careful one-query-per-view SQL ------------------------

def test_careful_per_view_sql_gives_the_hand_worked_views(source_a):
    # The baseline of benchmarks/bench_extract.py must be right too, or its ratio means nothing.
    from benchmarks.baseline import careful_views

    spec, user, password = source_a
    src = parse_source(spec)
    assert careful_views(src, src, user=user, password=password, as_of=fx.AS_OF) == EXPECTED


@pytest.mark.parametrize("start, as_of", [
    ("2026-01-01", "2026-11-05"),   # as_of early in the month
    ("2026-01-01", "2026-11-30"),   # the month's last day (the next day is a first of month)
    ("2026-03-11", "2026-11-28"),   # fiscal year from mid-March
    ("2026-11-10", "2026-11-28"),   # fiscal year starting inside as_of's month
    ("2025-12-01", "2026-11-28"),   # the fiscal year starts in the previous calendar year
])
def test_extraction_equals_careful_per_view_sql(tmp_path, start, as_of):
    from benchmarks.baseline import careful_views

    begin = dt.date.fromisoformat(start)
    years = [(begin, fx.d(start).replace(year=begin.year + 1) - dt.timedelta(days=1))]
    path = fx.sqlite_file(tmp_path / "x.db", years=years)
    src = parse_source(f"sqlite:{path}")
    day = dt.date.fromisoformat(as_of)
    ours = build_views(extract_figures(src, src, as_of=day, cash_prefixes=("514",)))
    assert ours == careful_views(src, src, as_of=day, cash_prefixes=("514",))
    if start == "2026-11-10":
        # the year 11-10..28 is inside the month: C1's I1 (11-05, 1525) is in the month only
        assert ours["sales_revenue"]["year"]["from"] == "2026-11-10"
        assert ours["sales_revenue"]["month"]["amount"] == "4975.01"
        # year: I2 1000.005 + I3 -150 + I4 -100 + I9 1300 + I11 650 + I12 100 = 2800.005
        assert ours["sales_revenue"]["year"]["amount"] == "2800.01"


def _orders_only_company(conn, kind):
    x = fx.Docs()
    x.doc("S1", "2026-11-03", "C1", ("A1", "100.00"))                       # a sale
    x.doc("S2", "2026-11-04", "C3", ("A2", "30.00"))                        # a sale and its credit:
    x.doc("S3", "2026-11-05", "C3", ("A2", "30.00"), prov=2)                # C3's sales sum to 0
    x.doc("P1", "2026-11-06", "C2", ("A3", "50.00"), type=1)                # C2: an open order only
    fx.write_company(conn, kind, name="Orders", docs=x, ledger=fx.Ledger())


def _company_on(engine: str, writer, tmp_path, request) -> tuple[str, str | None, str | None]:
    """(spec text, user, password) of the company `writer` writes, in a SQLite file or in a new
    database of the test PostgreSQL server."""
    if engine == "sqlite":
        return f"sqlite:{fx.sqlite_file(tmp_path / 'c.db', writer)}", None, None
    server = request.getfixturevalue("pg_server")
    name = server.create_database()
    conn = server.connect(name)
    conn.autocommit = False
    writer(conn, "postgresql")
    conn.commit()
    conn.close()
    return f"odbc:{server.odbc_string(name)}", server.superuser, server.password


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_customer_with_orders_only_is_not_ranked(tmp_path, request, engine):
    # C1 100 ; C3 30 - 30 = 0.00 (it has sales lines) ; C2 has no sale line: not in the ranking,
    # its 50 only in the portfolio and the order book (an order dated in the month).
    spec, user, password = _company_on(engine, _orders_only_company, tmp_path, request)
    src = parse_source(spec)
    views = build_views(extract_figures(src, src, user=user, password=password, as_of=fx.AS_OF))
    assert views["top_customers_month"]["rows"] == rows(("C1", "Alpha", "100.00"), ("C3", "Gamma", "0.00"))
    assert views["top_items_month"]["rows"] == rows(("A1", "Bague or", "100.00"), ("A2", "Collier perles", "0.00"))
    assert views["sales_portfolio_month"]["month"]["amount"] == "50.00"
    # order book: P1, a line still on an order dated in the month (the invoices name no order)
    assert views["order_book_month"]["month"]["amount"] == "50.00"


def _padded_codes_company(conn, kind):
    # company A with codes stored with spaces around them on documents and lines: invoice I1's
    # customer 'C1 ' (no rep on the header: C1's rep 1 counts) and invoice I9's item ' A4'
    fx.write_company_a(conn, kind)
    cur = conn.cursor()
    cur.execute("UPDATE F_DOCENTETE SET DO_Tiers = 'C1 ' WHERE DO_Piece = 'I1'")
    assert cur.rowcount == 1
    cur.execute("UPDATE F_DOCLIGNE SET AR_Ref = ' A4' WHERE DO_Piece = 'I9' AND AR_Ref = 'A4'")
    assert cur.rowcount == 1


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_codes_stored_with_spaces_are_the_same_code(tmp_path, request, engine):
    # The labels, categories, reps and families are joined to the grouped rows on the trimmed
    # code: a customer or item stored with spaces around it on some documents is the same
    # customer or item, with its label, category, rep and family: the hand-worked views again.
    spec, user, password = _company_on(engine, _padded_codes_company, tmp_path, request)
    src = parse_source(spec)
    assert build_views(extract_figures(src, src, user=user, password=password, as_of=fx.AS_OF)) == EXPECTED


def test_a_prefix_not_of_letters_and_digits_reads_every_entry(sqlite_a):
    # The ledger query leaves out entries no view reads (no third party, not a revenue or cash
    # account) with LIKE tests; a prefix holding another character turns that filter off and
    # Python's own prefix test decides: the figures of test_configured_prefixes again.
    from bizsync_tui.engine.sage import queries
    from bizsync_tui.engine.sage.dialect import get

    b = queries.Bounds(fx.AS_OF, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert "LIKE '701%'" in queries.ledger_grain_sql(get("sqlite"), b, ("701",), ("514",))[0]
    assert "LIKE" not in queries.ledger_grain_sql(get("sqlite"), b, ("701", "9-"), ("514",))[0]
    src = parse_source(f"sqlite:{sqlite_a}")
    figs = extract_figures(src, src, as_of=fx.AS_OF, view_ids=["accounting_revenue", "cash_position"],
                           revenue_prefixes=("701", "9-"), cash_prefixes=("514",))
    views = build_views(figs, ["accounting_revenue", "cash_position"])
    assert views["accounting_revenue"]["month"]["amount"] == "900.00"
    assert views["accounting_revenue"]["year"]["amount"] == "3600.00"
    assert [r["code"] for r in views["cash_position"]["rows"]] == ["512000", "514000", "531000"]
    assert views["cash_position"]["total"] == "10860.25"


def test_the_grain_is_streamed(sqlite_a):
    # Source.rows hands a large grouped result over a batch at a time: the same rows as query(),
    # and it refuses what is not a SELECT like query() does.
    from bizsync_tui.engine.sage import queries
    from bizsync_tui.engine.sage.sources import SourceError, open_source

    b = queries.Bounds(fx.AS_OF, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with open_source(parse_source(f"sqlite:{sqlite_a}"), None, None) as src:
        src.stage(queries.SALES_STAGE, queries.sales_lines_sql(src.dialect, b))
        sql = queries.sales_grain_sql(src.dialect, b)
        whole = src.query(sql)
        assert len(whole) > 3
        assert list(src.rows(sql, batch=2)) == whole
        with pytest.raises(SourceError):
            list(src.rows("DELETE FROM F_DOCLIGNE"))


def test_the_sales_lines_are_staged_in_the_connections_own_temp_table(sqlite_a, tmp_path):
    # SQLite: the lines are put once in a TEMP table of the connection, then grouped the two
    # ways. The source's file is not changed by an extraction (same bytes), the staged table is
    # gone with the connection, and stage() takes a SELECT on SQLite only.
    import hashlib
    import shutil

    from bizsync_tui.engine.sage import queries
    from bizsync_tui.engine.sage.dialect import get
    from bizsync_tui.engine.sage.sources import Source, SourceError, open_source

    copy = tmp_path / "a.sqlite"
    shutil.copy(sqlite_a, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    src = parse_source(f"sqlite:{copy}")
    assert build_views(extract_figures(src, src, as_of=fx.AS_OF)) == EXPECTED
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    b = queries.Bounds(fx.AS_OF, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with open_source(src, None, None) as one:
        lines = queries.sales_lines_sql(one.dialect, b)
        one.stage(queries.SALES_STAGE, lines)
        staged = one.query(f"SELECT * FROM temp.{queries.SALES_STAGE}")
        assert len(staged) > 10 and sorted(staged, key=repr) == sorted(one.query(lines), key=repr)
        assert one.query("SELECT * FROM pragma_temp_store()")[0][0] == 1  # FILE: the staged lines are not kept in memory
        with pytest.raises(SourceError):
            one.stage("x", "DELETE FROM F_DOCLIGNE")
    with open_source(src, None, None) as other:  # a new connection: no staged table
        assert other.query("SELECT COUNT(*) FROM sqlite_temp_master")[0][0] == 0
    with pytest.raises(ValueError):
        Source(src, None, get("postgresql"), "odbc").stage("x", "SELECT 1")
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before


def test_journals_passed_as_parameters_or_read_by_subquery_give_the_same_ledger(source_a):
    # The ledger query takes the situation journals and the treasury accounts read first, as
    # parameters (SQLite compares each entry with a few values instead of looking it up in a
    # subquery's result); with None, or more than INLINE_CODES of them, the subqueries. Both give
    # the same rows. With no situation journal the test is left out: SIT's entries then count
    # (the fixture's 2026-11-10 situation entry debits C1's 411000 by 9999.00).
    from bizsync_tui.engine.sage import queries
    from bizsync_tui.engine.sage.sources import open_source

    spec, user, password = source_a
    b = queries.Bounds(fx.AS_OF, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with open_source(parse_source(spec), user, password) as src:
        treasury = tuple(r[0] for r in src.query(queries.TREASURY_JOURNALS_SQL))
        situation = tuple(r[0] for r in src.query(queries.SITUATION_JOURNALS_SQL))
        assert [s.strip() for s in situation] == ["SIT"]
        inline, params = queries.ledger_grain_sql(src.dialect, b, situation=situation, treasury=treasury)
        assert len(params) == 1 + len(treasury) and "SELECT sj.JO_Num" not in inline
        sub, none = queries.ledger_grain_sql(src.dialect, b)
        assert none == () and "SELECT sj.JO_Num" in sub
        many = ("SIT",) + tuple(f"X{i}" for i in range(queries.INLINE_CODES))
        fallback, fb_params = queries.ledger_grain_sql(src.dialect, b, situation=many, treasury=treasury)
        assert "SELECT sj.JO_Num" in fallback and len(fb_params) == len(treasury)
        got = sorted(src.query(inline, params), key=repr)
        assert got == sorted(src.query(sub), key=repr) == sorted(src.query(fallback, fb_params), key=repr)
        no_situation, p2 = queries.ledger_grain_sql(src.dialect, b, situation=(), treasury=treasury)
        assert "NOT IN" not in no_situation

        def c1_receivable(rows):
            (year_net,) = [r[2] for r in rows if (r[0] or "").strip() == "C1" and r[1].strip() == "411000"]
            return src.dialect.to_decimal(src.dialect.partial(year_net))

        assert c1_receivable(src.query(no_situation, p2)) - c1_receivable(got) == 9999


def test_postgresql_sums_millionths_exactly_far_past_32_bits(pg_a):
    """PostgreSQL sums amounts as bigint millionths (Dialect.amount / sum): exact for
    numeric(24,6) values, half-cents and signs kept, far past 2**31 millionths (2,147.48)."""
    server, name = pg_a
    src = open_source(parse_source(f"odbc:{server.odbc_string(name)}"), server.superuser, server.password)
    try:
        d = src.dialect
        assert d.name == "postgresql" and d.millionths
        values = "(CAST('123456789012.345678' AS numeric(24,6))), (CAST('-0.000001' AS numeric(24,6))), " \
                 "(CAST('0.005' AS numeric(24,6))), (CAST('-2147.483649' AS numeric(24,6)))"
        (total,), = src.query(f"SELECT {d.sum(d.amount('v.x'))} FROM (VALUES {values}) v(x)")
        # by hand: 123456789012.345678 - 0.000001 + 0.005 - 2147.483649 = 123456786864.867028
        assert d.to_decimal(d.partial(total)) == Decimal("123456786864.867028")
    finally:
        src.close()
