"""Sage 100 companies of several shapes for the extraction benchmark (issue 15).

    build_shape(path, "many", lines=1_000_000, as_of=date(2026, 11, 28))

The demo generator (bizsync_tui.demo.data) makes one shape, a jewellery wholesaler; this
one varies what changes the work of a query: how many customers, items, reps and general
accounts there are (the size of every grouping), how long the fiscal year is, and whether
the documents and entries sit mostly in the current month or spread over years (how many
rows each period keeps). Every shape keeps what the views must get right: credit invoices
stored positive and negative, returns, lines without item or not valued, order lines that
later sit on delivery notes and invoices (DL_PieceBC/DL_DateBC), closed orders, a purchase
domain, documents and entries after as_of, opening entries, a situation journal, banks and
a cash box. Deterministic for (shape, lines, as_of).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bizsync_tui.demo.data import create_schema


@dataclass(frozen=True)
class Shape:
    name: str
    about: str
    customers: int
    items: int
    reps: int
    accounts: int          # revenue accounts (70x) and expense accounts (60x), each
    history_days: int      # documents and entries dated as_of - history_days .. as_of (+ a few after)
    current_share: float   # of the documents and entries dated in as_of's month
    fiscal_years: tuple    # ((start, end), ...) as offsets from as_of's year: (year delta, month, day)
    entries_per_line: float = 1.3


SHAPES = {
    "mixed": Shape("mixed", "3,000 customers, 500 items, 12 reps; 2 calendar years of history",
                   3000, 500, 12, 20, 700, 0.05, (((-1, 1, 1), (-1, 12, 31)), ((0, 1, 1), (0, 12, 31)))),
    "many": Shape("many", "100,000 customers, 30,000 items, 400 reps, 600 accounts; 2 years",
                  100_000, 30_000, 400, 300, 700, 0.05, (((-1, 1, 1), (-1, 12, 31)), ((0, 1, 1), (0, 12, 31)))),
    "few": Shape("few", "12 customers, 8 items, 2 reps, 4 accounts; 2 years",
                 12, 8, 2, 2, 700, 0.05, (((-1, 1, 1), (-1, 12, 31)), ((0, 1, 1), (0, 12, 31)))),
    "month": Shape("month", "80 % of the documents and entries in the current month",
                   3000, 500, 12, 20, 330, 0.80, (((0, 1, 1), (0, 12, 31)),)),
    "years": Shape("years", "documents spread over 8 years (the year views read 1/8 of them)",
                   3000, 500, 12, 20, 2920, 0.01,
                   tuple(((-k, 1, 1), (-k, 12, 31)) for k in range(7, -1, -1))),
    "long-fy": Shape("long-fy", "an 18-month fiscal year from July of the year before",
                     3000, 500, 12, 20, 700, 0.05, (((-2, 7, 1), (-1, 6, 30)), ((-1, 7, 1), (0, 12, 31)))),
    "short-fy": Shape("short-fy", "a 3-month fiscal year starting mid-September (mid-month bounds)",
                      3000, 500, 12, 20, 700, 0.05, (((-1, 9, 15), (0, 9, 14)), ((0, 9, 15), (0, 12, 14)))),
}


def _fy(as_of: dt.date, spec) -> tuple[dt.date, dt.date]:
    (ys, ms, ds), (ye, me, de) = spec
    return dt.date(as_of.year + ys, ms, ds), dt.date(as_of.year + ye, me, de)


def _text(day: dt.date) -> str:
    return day.strftime("%Y-%m-%d 00:00:00")


def build_shape(path, shape: str | Shape, *, lines: int, as_of: dt.date, seed: int = 1) -> dict:
    """Write a company of `shape` with about `lines` document lines into a new SQLite file."""
    sh = SHAPES[shape] if isinstance(shape, str) else shape
    rnd = random.Random(f"{sh.name}:{seed}:{lines}")
    path = Path(path)
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=MEMORY", "cache_size=-200000"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    create_schema(conn, "sqlite")
    empty = "1900-01-01 00:00:00"

    years = [_fy(as_of, spec) for spec in sh.fiscal_years][-5:]
    slots = [(_text(s), _text(e)) for s, e in reversed(years)] + [(empty, empty)] * (5 - len(years))
    conn.execute("INSERT INTO P_DOSSIER VALUES (?, ?, " + ", ".join("?" * 10) + ", 1, 0, 'AN', 1)",
                 (f"Shape {sh.name}", "12345678900017", *[s for s, _ in slots], *[e for _, e in slots]))
    conn.executemany("INSERT INTO P_DEVISE VALUES (?, ?, ?, ?, ?)", [("Euro", "EUR", "€", 1, 1)])
    conn.executemany("INSERT INTO P_CATTARIF VALUES (?, 0, ?, ?)", [(f"Catégorie {i}", i, i) for i in range(1, 6)])
    conn.executemany("INSERT INTO F_COLLABORATEUR VALUES (?, ?, ?, 1, ?)",
                     [(i, f"Nom{i}", f"Prénom{i}" if i % 5 else "", i) for i in range(1, sh.reps + 1)])
    customers = [f"C{i:07d}" for i in range(1, sh.customers + 1)]
    n_sup = max(3, sh.customers // 20)
    suppliers = [f"F{i:06d}" for i in range(1, n_sup + 1)]
    conn.executemany("INSERT INTO F_COMPTET VALUES (?, ?, 0, '411000', '', ?, ?, 1, 0, 0, ?)",
                     [(c, f"Client {i}", (i % (sh.reps + 1)) if i % 6 else 0, i % 5 + 1, i)
                      for i, c in enumerate(customers, 1)])
    conn.executemany("INSERT INTO F_COMPTET VALUES (?, ?, 1, '401000', '', 0, 0, 1, 0, 0, ?)",
                     [(s, f"Fournisseur {i}", sh.customers + i) for i, s in enumerate(suppliers, 1)])
    n_fam = max(2, min(60, sh.items // 10))
    conn.executemany("INSERT INTO F_FAMILLE VALUES (?, ?, ?, '', ?)",
                     [(f"FA{i:03d}", 0, f"Famille {i}", i) for i in range(1, n_fam + 1)]
                     + [("FA001", 1, "Total famille 1", n_fam + 1)])
    items = [f"AR{i:06d}" for i in range(1, sh.items + 1)]
    conn.executemany("INSERT INTO F_ARTICLE VALUES (?, ?, ?, 0, ?)",
                     [(a, f"Article {i}", f"FA{i % n_fam + 1:03d}" if i % 9 else "", i) for i, a in enumerate(items, 1)])
    prices = [rnd.randrange(100, 500000) for _ in items]  # cents
    revenue = [f"70{i:04d}" for i in range(1, sh.accounts + 1)]
    expense = [f"60{i:04d}" for i in range(1, sh.accounts + 1)]
    banks = ["512000", "512100", "531000"]
    accounts = ["401000", "411000", "445660", "445710", *banks, "626000", *revenue, *expense]
    conn.executemany("INSERT INTO F_COMPTEG VALUES (?, 0, ?, 0, 0, ?)",
                     [(a, f"Compte {a}", i) for i, a in enumerate(accounts, 1)])
    journals = [("ACH", "", 0), ("VTE", "", 1), ("BQ1", "512000", 2), ("BQ2", "512100", 2), ("CAI", "531000", 2),
                ("OD", "", 3), ("AN", "", 3), ("SIT", "", 4)]
    conn.executemany("INSERT INTO F_JOURNAUX VALUES (?, ?, ?, ?, 0, ?)",
                     [(j, j, cg, t, i) for i, (j, cg, t) in enumerate(journals, 1)])

    month_start = as_of.replace(day=1)
    first = as_of - dt.timedelta(days=sh.history_days)
    span = (month_start - first).days
    in_month = (as_of - month_start).days + 1

    def a_day() -> dt.date:
        r = rnd.random()
        if r < 0.005:
            return as_of + dt.timedelta(days=rnd.randint(1, 20))  # after as_of: never counted
        if r < 0.005 + sh.current_share or span <= 0:
            return month_start + dt.timedelta(days=int(rnd.random() * in_month))
        return first + dt.timedelta(days=int(rnd.random() * span))

    texts: dict[dt.date, str] = {}

    def text(day: dt.date) -> str:
        t = texts.get(day)
        if t is None:
            t = texts[day] = _text(day)
        return t

    n_cust, n_items, n_reps = len(customers), len(items), sh.reps
    heads, rows = [], []
    orders: list[tuple[str, dt.date]] = []
    counters = {t: 0 for t in (0, 1, 2, 3, 6, 7)}
    prefix = {0: "DE", 1: "BC", 2: "PL", 3: "BL", 6: "FA", 7: "FC"}
    n_lines = doc = 0
    cols_l = f"INSERT INTO F_DOCLIGNE VALUES ({', '.join('?' * 23)})"
    while n_lines < lines:
        doc += 1
        r = rnd.random()
        prov = 0
        do_type = 0 if r < 0.06 else 1 if r < 0.2 else 2 if r < 0.24 else 3 if r < 0.38 else 7 if r < 0.6 else 6
        if do_type == 6 and rnd.random() < 0.08:
            prov = 2 if rnd.random() < 0.7 else 1  # credit or return invoice
        day = a_day()
        counters[do_type] += 1
        piece = f"{prefix[do_type]}{counters[do_type]:08d}"
        tiers = customers[int(rnd.random() ** 1.5 * n_cust)]
        rep = int(rnd.random() * (n_reps + 1)) if rnd.random() < 0.6 else 0
        closed = 1 if do_type in (1, 2, 3) and rnd.random() < 0.5 else 0
        negative = prov and rnd.random() < 0.5
        bc, bc_day = "", None
        if do_type in (2, 3, 6, 7) and orders and rnd.random() < 0.5:
            bc, bc_day = orders[int(rnd.random() * len(orders))]
            if bc_day > day:
                bc, bc_day = "", None
        dtext = text(day)
        for ln in range(1, 1 + (1 + int(rnd.random() * 6))):
            n_lines += 1
            r2 = rnd.random()
            if r2 < 0.03:
                ref, amount, valued = "", 0, 1
            else:
                k = int(rnd.random() ** 1.3 * n_items)
                ref = items[k]
                amount = prices[k] * (1 + int(rnd.random() * 12))
                if r2 > 0.985:
                    valued = 0
                else:
                    valued = 1
                if rnd.random() < 0.02:
                    amount += 0.5  # a half cent
            if negative:
                amount = -amount
            rows.append((0, do_type, tiers, piece, dtext, ln * 1000, ref, ref, 1, 0.0, 0.0, amount / 100,
                         amount / 100 * 1.2, valued, 0, rep, 0, bc, text(bc_day) if bc_day else empty, "", empty,
                         n_lines, n_lines))
        heads.append((0, do_type, piece, dtext, "", tiers, rep, 0, tiers, 1, 1, 0, closed, prov, dtext,
                      0.0, 0.0, 0.0, 0.0, doc))
        if do_type == 1:
            orders.append((piece, day))
            if len(orders) > 2000:
                orders.pop(0)
        if len(rows) >= 50000:
            conn.executemany(cols_l, rows)
            rows.clear()
    for p in range(1, 4):  # purchases (domain 1): never in the sales views
        doc += 1
        n_lines += 1
        day = a_day()
        heads.append((1, 16, f"FAF{p:05d}", text(day), "", suppliers[0], 0, 0, "", 1, 1, 0, 0, 0, text(day),
                      0.0, 0.0, 0.0, 0.0, doc))
        rows.append((1, 16, suppliers[0], f"FAF{p:05d}", text(day), 1000, items[0], items[0], 1, 0.0, 0.0, 5000.0,
                     6000.0, 1, 0, 0, 0, "", empty, "", empty, n_lines, n_lines))
    conn.executemany(cols_l, rows)
    conn.executemany(f"INSERT INTO F_DOCENTETE VALUES ({', '.join('?' * 20)})", heads)

    # -- ledger
    ec = []
    n_ec = 0
    cols_e = f"INSERT INTO F_ECRITUREC VALUES ({', '.join('?' * 18)})"

    def entry(journal, day, account, tiers, sens, cents, opening=0):
        nonlocal n_ec
        n_ec += 1
        ec.append((journal, n_ec, text(day.replace(day=1)), day.day, text(day), "", "", account, tiers, "",
                   text(day), sens, cents / 100, 0, "", opening, 0, n_ec))

    for start, _ in years:
        for c in customers[:max(3, min(5000, n_cust // 4))]:
            entry("AN", start, "411000", c, 0, rnd.randrange(100, 900000), 1)
        for s in suppliers[:max(2, len(suppliers) // 2)]:
            entry("AN", start, "401000", s, 1, rnd.randrange(100, 900000), 1)
        for bank in banks:
            entry("AN", start, bank, "", 0, rnd.randrange(100000, 9000000), 1)
        entry("AN", start, revenue[0], "", 1, 12345, 1)  # an opening entry on a revenue account
    target = int(lines * sh.entries_per_line)
    while n_ec < target:
        r = rnd.random()
        day = a_day()
        tiers = customers[int(rnd.random() ** 1.5 * n_cust)]
        ht = 100 + int(rnd.random() * 2000000)
        if rnd.random() < 0.02:
            ht += 0.5
        tva = ht // 5
        if r < 0.40:
            cn = rnd.random() < 0.05
            entry("VTE", day, "411000", tiers, 1 if cn else 0, ht + tva)
            entry("VTE", day, revenue[int(rnd.random() ** 2 * len(revenue))], "", 0 if cn else 1, ht)
            entry("VTE", day, "445710", "", 0 if cn else 1, tva)
        elif r < 0.65:
            bank = banks[int(rnd.random() * 3)]
            entry({"512000": "BQ1", "512100": "BQ2", "531000": "CAI"}[bank], day, bank, "", 0, ht)
            entry({"512000": "BQ1", "512100": "BQ2", "531000": "CAI"}[bank], day, "411000", tiers, 1, ht)
        elif r < 0.85:
            sup = suppliers[int(rnd.random() * len(suppliers))]
            entry("ACH", day, expense[int(rnd.random() * len(expense))], "", 0, ht)
            entry("ACH", day, "445660", "", 0, tva)
            entry("ACH", day, "401000", sup, 1, ht + tva)
        elif r < 0.97:
            sup = suppliers[int(rnd.random() * len(suppliers))]
            entry("BQ1", day, "401000", sup, 0, ht)
            entry("BQ1", day, "512000", "", 1, ht)
        else:
            entry("SIT", day, revenue[0], "", 1, ht)
            entry("SIT", day, "411000", tiers, 0, ht)
        if len(ec) >= 50000:
            conn.executemany(cols_e, ec)
            ec.clear()
    conn.executemany(cols_e, ec)
    conn.execute("COMMIT")
    conn.close()
    return {"path": str(path), "shape": sh.name, "lines": n_lines, "documents": doc, "entries": n_ec,
            "fiscal_years": years}
