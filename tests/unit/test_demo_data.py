"""The demo Sage companies: deterministic, Sage-shaped, and extracted the same way as the
benchmark's careful one-query-per-view SQL (benchmarks/baseline.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest

from bizsync_tui.demo.data import DEMO_COMPANIES, build_demo_companies, build_demo_database
from benchmarks.baseline import careful_views
from bizsync_tui.engine.sage.extract import build_views, extract_figures
from bizsync_tui.engine.sage.groups import check_group_consistency
from bizsync_tui.engine.sage.source_spec import parse_source

AS_OF = dt.date(2026, 11, 28)


def _digest(path) -> str:
    conn = sqlite3.connect(path)
    h = hashlib.sha256()
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY cbMarq"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo_companies(tmp_path_factory.mktemp("demo"), lines=3000, as_of=AS_OF)


def test_deterministic(tmp_path):
    a = build_demo_database(tmp_path / "a.db", seed=7, lines=500, as_of=AS_OF)
    b = build_demo_database(tmp_path / "b.db", seed=7, lines=500, as_of=AS_OF)
    c = build_demo_database(tmp_path / "c.db", seed=8, lines=500, as_of=AS_OF)
    assert _digest(a["path"]) == _digest(b["path"]) != _digest(c["path"])
    assert a["lines"] >= 500 and a["entries"] >= 500


def test_sage_shape(demo):
    conn = sqlite3.connect(demo[0]["path"])
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    types = {r[0] for r in conn.execute("SELECT DISTINCT DO_Type FROM F_DOCENTETE WHERE DO_Domaine = 0")}
    assert {0, 1, 2, 3, 6, 7} <= types
    assert one("SELECT COUNT(*) FROM F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Piece = l.DO_Piece AND "
               "h.DO_Type = l.DO_Type WHERE h.DO_Provenance = 2 AND l.DL_MontantHT < 0") > 0
    assert one("SELECT COUNT(*) FROM F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Piece = l.DO_Piece AND "
               "h.DO_Type = l.DO_Type WHERE h.DO_Provenance = 2 AND l.DL_MontantHT > 0") > 0
    assert one("SELECT COUNT(*) FROM F_DOCENTETE WHERE DO_Date > '2026-11-28 23:59:59'") > 0
    assert one("SELECT COUNT(*) FROM F_ECRITUREC WHERE EC_ANType <> 0") > 0
    assert one("SELECT COUNT(*) FROM F_ECRITUREC WHERE JO_Num = 'SIT'") >= 0
    assert one("SELECT COUNT(*) FROM F_FAMILLE WHERE FA_CodeFamille = 'BAG'") == 2  # detail + total
    assert one("SELECT COUNT(*) FROM F_DOCLIGNE WHERE AR_Ref = ''") > 0
    assert one("SELECT COUNT(*) FROM F_DOCLIGNE WHERE DL_Valorise = 0") > 0
    assert one("SELECT COUNT(*) FROM F_DOCLIGNE WHERE DL_PieceBC <> ''") > 0
    assert one("SELECT COUNT(*) FROM F_JOURNAUX WHERE JO_Type = 2 AND CG_Num <> ''") == 3
    assert one("SELECT D_DebutExo01 FROM P_DOSSIER") == "2026-01-01 00:00:00"
    assert one("SELECT D_DebutExo03 FROM P_DOSSIER") == "1900-01-01 00:00:00"


@pytest.mark.parametrize("driver", ["sqlite", "odbc"])
def test_extraction_matches_one_query_per_view(demo, driver):
    path = demo[0]["path"]
    text = f"sqlite:{path}" if driver == "sqlite" else f"odbc:DRIVER=SQLite3;Database={path}"
    src = parse_source(text)
    ours = build_views(extract_figures(src, src, as_of=AS_OF, cash_prefixes=("531",)))
    careful = careful_views(src, src, as_of=AS_OF, cash_prefixes=("531",))
    assert ours == careful
    assert ours["sales_revenue"]["year"]["amount"] != "0.00"
    assert len(ours["top_customers_year"]["rows"]) == 5


def test_two_demo_companies_form_a_group(demo):
    figs = []
    for info in demo:
        src = parse_source(f"sqlite:{info['path']}")
        figs.append((info["short_code"], extract_figures(src, src, as_of=AS_OF)))
    check_group_consistency(figs)
    assert [f.name for _, f in figs] == [c[2] for c in DEMO_COMPANIES]
    merged = build_views([f for _, f in figs], ["top_customers_month"])
    assert len(merged["top_customers_month"]["rows"]) == 5
