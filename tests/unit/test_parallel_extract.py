"""Companies of one run are read in parallel, a bounded number at a time, and still published
in order (issue 15 point 3), on real SQLite sources (tests/sage_fixture.py's company B).

Proof of the overlap without timing: company A's file is locked by a writer (BEGIN EXCLUSIVE),
so reading A waits on SQLite's busy handler; B and C are read meanwhile, then A once the lock
is released. Sequentially, B could not be read before A. The reading runs in worker processes
(engine.sage.pool): their messages are in the app's language, and a worker that dies is
replaced by reading its company in the run's own process.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from bizsync_tui import i18n
from bizsync_tui.engine.admin.config import CompanyData, save_company
from bizsync_tui.engine.publish.runner import EXTRACT_WORKERS, Extractor
from bizsync_tui.engine.sage.extract import build_views, extract_figures
from bizsync_tui.engine.sage.pool import extraction_pool
from bizsync_tui.engine.sage.source_spec import parse_source
from bizsync_tui.engine.sage.sources import SourceError
from bizsync_tui.models.tables import Company
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b


@pytest.fixture
def three(ws, tmp_path):
    paths = {}
    for code in ("AAA", "BBB", "CCC"):
        paths[code] = sqlite_file(tmp_path / f"{code.lower()}.db", write_company_b, name=f"Bijou {code}")
        save_company(ws, CompanyData(short_code=code, name=f"Bijou {code}", dossier=f"{code}01",
                                     accounting_source=f"sqlite:{paths[code]}",
                                     commercial_source=f"sqlite:{paths[code]}",
                                     views=["sales_revenue", "top_customer_outstanding"]))
    return [Company.get(Company.short_code == c) for c in ("AAA", "BBB", "CCC")], paths


def _wait(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_companies_are_read_at_the_same_time(ws, three):
    companies, paths = three
    writer = sqlite3.connect(paths["AAA"], isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # readers of AAA wait (busy handler) until COMMIT
    extractor = Extractor(ws.settings.values(), AS_OF)
    try:
        extractor.prefetch(companies)
        assert extractor._pool._max_workers == min(EXTRACT_WORKERS, 3) == 3
        futures = dict(extractor._futures)
        _wait(lambda: futures["BBB"].done() and futures["CCC"].done())
        assert not futures["AAA"].done()  # still waiting for the lock: B and C did not wait for A
        # B's figures, hand-worked in tests/unit/test_publish_engine.py: 1000.00 + 300.00
        views = build_views(extractor.figures(companies[1]), ["sales_revenue"])
        assert views["sales_revenue"]["month"]["amount"] == "1300.00"
    finally:
        writer.execute("COMMIT")
        writer.close()
    figs = extractor.figures(companies[0])  # now read
    extractor.close()
    assert figs.name == "Bijou AAA"
    src = parse_source(f"sqlite:{paths['AAA']}")
    alone = extract_figures(src, src, as_of=AS_OF, view_ids=["sales_revenue", "top_customer_outstanding"])
    assert build_views(figs, ["sales_revenue", "top_customer_outstanding"]) == \
        build_views(alone, ["sales_revenue", "top_customer_outstanding"])


def test_pool_is_bounded_and_errors_stay_with_their_company(ws, tmp_path, three):
    companies, _ = three
    for i in range(3):  # six companies in all, one of them with a missing file
        code = f"D{i}"
        source = f"sqlite:{tmp_path / 'missing.db'}" if i == 1 else companies[0].accounting_source
        save_company(ws, CompanyData(short_code=code, name=code, dossier=code, accounting_source=source,
                                     commercial_source=source, views=["sales_revenue"]))
    everyone = list(Company.select().order_by(Company.short_code))
    extractor = Extractor(ws.settings.values(), AS_OF)
    extractor.prefetch(everyone)
    assert extractor._pool._max_workers == EXTRACT_WORKERS == 4  # min(4, 6)
    with pytest.raises(SourceError) as err:
        extractor.figures(Company.get(Company.short_code == "D1"))
    assert "does not exist" in str(err.value)
    for code in ("AAA", "BBB", "CCC", "D0", "D2"):
        assert extractor.figures(Company.get(Company.short_code == code)).as_of == AS_OF
    extractor.close()
    assert extractor._pool is None


def _missing_company(ws, tmp_path, code="MISS"):
    source = f"sqlite:{tmp_path / 'missing.db'}"
    save_company(ws, CompanyData(short_code=code, name=code, dossier=code, accounting_source=source,
                                 commercial_source=source, views=["sales_revenue"]))
    return Company.get(Company.short_code == code)


def test_a_worker_speaks_the_apps_language(ws, tmp_path, three):
    companies, _ = three
    missing = _missing_company(ws, tmp_path)
    i18n.set_language("fr")
    try:
        extractor = Extractor(ws.settings.values(), AS_OF)
        extractor.prefetch([*companies, missing])
        assert extractor._futures  # read by the workers, not in place
        with pytest.raises(SourceError) as err:
            extractor.figures(missing)
        extractor.close()
    finally:
        i18n.set_language("en")
    assert "n'existe pas" in str(err.value), str(err.value)  # the French of "does not exist"


def test_a_worker_that_dies_is_replaced_by_reading_here(ws, three):
    companies, paths = three
    writer = sqlite3.connect(paths["AAA"], isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # AAA's worker waits on the lock: it is alive when killed
    extractor = Extractor(ws.settings.values(), AS_OF)
    try:
        extractor.prefetch(companies)
        futures = dict(extractor._futures)
        _wait(lambda: futures["BBB"].done() and futures["CCC"].done())
        for pid in list(extractor._pool._processes):
            os.kill(pid, signal.SIGKILL)
        _wait(futures["AAA"].done)  # the pool is broken: AAA's future fails
    finally:
        writer.execute("COMMIT")
        writer.close()
    figs = extractor.figures(companies[0])  # read in this process instead
    extractor.close()
    views = build_views(figs, ["sales_revenue"])
    assert views["sales_revenue"]["month"]["amount"] == "1300.00"  # as B's, same fixture


def test_a_relative_sqlite_path_is_read_from_the_apps_folder(ws, tmp_path, monkeypatch):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for code in ("REL1", "REL2"):
        sqlite_file(folder / f"{code.lower()}.db", write_company_b, name=f"Bijou {code}")
        save_company(ws, CompanyData(short_code=code, name=f"Bijou {code}", dossier=code,
                                     accounting_source=f"sqlite:{code.lower()}.db",
                                     commercial_source=f"sqlite:{code.lower()}.db", views=["sales_revenue"]))
    with extraction_pool(1) as pool:  # the forkserver runs, started from the folder of before
        pool.submit(abs, -1).result()
    monkeypatch.chdir(folder)  # the app's folder now: sqlite:rel1.db is dossiers/rel1.db
    companies = [Company.get(Company.short_code == c) for c in ("REL1", "REL2")]
    extractor = Extractor(ws.settings.values(), AS_OF)
    extractor.prefetch(companies)
    assert extractor._futures
    names = [extractor.figures(c).name for c in companies]
    extractor.close()
    assert names == ["Bijou REL1", "Bijou REL2"]


# -- one company: its two sources read at the same time (engine.sage.extract._read_both) --------

BOTH = ["sales_revenue", "top_customer_outstanding"]  # one commercial view, one accounting view


def _pair(tmp_path):
    acc = sqlite_file(tmp_path / "acc.db", write_company_b)
    com = sqlite_file(tmp_path / "com.db", write_company_b)
    return parse_source(f"sqlite:{acc}"), parse_source(f"sqlite:{com}"), com


def test_a_companys_two_sources_are_read_at_the_same_time(tmp_path, monkeypatch):
    """The commercial file is locked by a writer, which lets go only once the accounting
    source has been read: read one after the other (commercial first, as before), the
    accounting would never be read while the lock is held, and the test would time out."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Event

    from bizsync_tui.engine.sage import extract

    acc, com, com_path = _pair(tmp_path)
    accounting_read = Event()
    real = extract._accounting

    def accounting(*args, **kw):
        real(*args, **kw)
        accounting_read.set()

    monkeypatch.setattr(extract, "_accounting", accounting)
    writer = sqlite3.connect(com_path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # the commercial read waits (busy handler) until COMMIT
    with ThreadPoolExecutor(1) as run:
        try:
            figs = run.submit(extract_figures, acc, com, as_of=AS_OF, view_ids=BOTH, timeout=60)
            assert accounting_read.wait(30), "the accounting source was not read while the commercial one waited"
            assert not figs.done()  # the commercial read is still waiting for the lock
        finally:
            writer.execute("COMMIT")
            writer.close()
        views = build_views(figs.result(timeout=60), BOTH)
    # hand-worked in tests/unit/test_publish_engine.py: sales 1000.00 + 300.00; C8 800.00, C5 100.00
    assert views["sales_revenue"]["month"]["amount"] == "1300.00"
    assert [(r["code"], r["amount"]) for r in views["top_customer_outstanding"]["rows"]] == \
        [("C8", "800.00"), ("C5", "100.00")]
    assert views["top_customer_outstanding"]["total"] == "900.00"


def _drop(path: str, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("broken", ["accounting", "commercial", "both"])
def test_a_failed_source_is_reported_when_both_are_read(tmp_path, broken):
    """Either read may fail while the other goes on: the failure is raised once both have
    ended; when both fail, the commercial source's (it was read first before they were read
    at the same time)."""
    acc, com, com_path = _pair(tmp_path)
    if broken in ("accounting", "both"):
        _drop(str(acc.path), "F_ECRITUREC")
    if broken in ("commercial", "both"):
        _drop(com_path, "F_DOCLIGNE")
    with pytest.raises(SourceError) as err:
        extract_figures(acc, com, as_of=AS_OF, view_ids=BOTH)
    text = str(err.value)
    named = com_path if broken != "accounting" else str(acc.path)
    assert named in text and "Sage 100" in text, text
    assert "Traceback" not in text
