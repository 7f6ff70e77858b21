"""A tiny hand-made Sage 100 company (and two siblings) for the acceptance tests.

The tables are created from the Sage schema text (../shared/sage100/schema.sql when it
is beside the repository, else the engine's copy of it), and every column a row does
not name gets Sage's empty value ('' / 0 / 1900-01-01), as a real Sage database has no
NULLs. The rows are few on purpose: every expected figure of tests/e2e is worked out
by hand from them (see EXPECTED_* below, with the arithmetic).

AS_OF = 2026-11-28: month = 2026-11-01..2026-11-28, fiscal year 2026-01-01..2026-12-31.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

AS_OF = "2026-11-28"
SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "sage100" / "schema.sql"


def schema_text() -> str:
    if SHARED_SCHEMA.exists():
        return SHARED_SCHEMA.read_text()
    from bizsync_tui.demo.data import SCHEMA_SQL  # the same text, kept in the package

    return SCHEMA_SQL


def _tables(text: str) -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, type), ...]} parsed from the CREATE TABLE statements."""
    out = {}
    for m in re.finditer(r"CREATE TABLE (\w+) \((.*?)\);", text, re.S):
        cols = []
        for part in re.split(r",\s*(?![^()]*\))", m.group(2)):
            words = part.split()
            if words and words[0] not in ("UNIQUE", "PRIMARY"):
                cols.append((words[0], words[1]))
        out[m.group(1)] = cols
    return out


def _empty(sql_type: str, kind: str):
    if sql_type.startswith("varchar"):
        return ""
    if sql_type == "datetime":
        return "1900-01-01 00:00:00" if kind == "sqlite" else dt.datetime(1900, 1, 1)
    return 0


def _value(v, kind: str):
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d 00:00:00") if kind == "sqlite" else dt.datetime(v.year, v.month, v.day)
    if isinstance(v, Decimal):
        return float(v) if kind == "sqlite" else v
    return v


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---------------------------------------------------------------- the data

REFERENCE = {
    "P_DEVISE": [{"D_Intitule": "Euro", "D_CodeISO": "EUR", "cbIndice": 1},
                 {"D_Intitule": "Dollar", "D_CodeISO": "USD", "cbIndice": 2}],
    "P_CATTARIF": [{"CT_Intitule": "Grossistes", "cbIndice": 1}, {"CT_Intitule": "Détaillants", "cbIndice": 2}],
    "F_COLLABORATEUR": [{"CO_No": 1, "CO_Nom": "Martin", "CO_Prenom": "Paul"},
                        {"CO_No": 2, "CO_Nom": "Durand", "CO_Prenom": "Anne"}],
    "F_COMPTET": [{"CT_Num": "C1", "CT_Intitule": "Alpha", "CT_Type": 0, "CO_No": 1, "N_CatTarif": 1},
                  {"CT_Num": "C2", "CT_Intitule": "Beta", "CT_Type": 0, "CO_No": 2, "N_CatTarif": 2},
                  {"CT_Num": "C3", "CT_Intitule": "Gamma", "CT_Type": 0, "CO_No": 0, "N_CatTarif": 1},
                  {"CT_Num": "F1", "CT_Intitule": "Fourn One", "CT_Type": 1}],
    "F_FAMILLE": [{"FA_CodeFamille": "BAG", "FA_Type": 0, "FA_Intitule": "Bagues"},
                  {"FA_CodeFamille": "COL", "FA_Type": 0, "FA_Intitule": "Colliers"}],
    "F_ARTICLE": [{"AR_Ref": "A1", "AR_Design": "Bague or", "FA_CodeFamille": "BAG"},
                  {"AR_Ref": "A2", "AR_Design": "Collier", "FA_CodeFamille": "COL"},
                  {"AR_Ref": "A3", "AR_Design": "Bague argent", "FA_CodeFamille": "BAG"}],
    "F_COMPTEG": [{"CG_Num": "401000", "CG_Intitule": "Fournisseurs"}, {"CG_Num": "411000", "CG_Intitule": "Clients"},
                  {"CG_Num": "512000", "CG_Intitule": "Banque"}, {"CG_Num": "601000", "CG_Intitule": "Achats"},
                  {"CG_Num": "701000", "CG_Intitule": "Ventes"}, {"CG_Num": "706000", "CG_Intitule": "Services"}],
    "F_JOURNAUX": [{"JO_Num": "VTE", "JO_Type": 1}, {"JO_Num": "ACH", "JO_Type": 0},
                   {"JO_Num": "BQ", "JO_Type": 2, "CG_Num": "512000"}, {"JO_Num": "AN", "JO_Type": 3},
                   {"JO_Num": "SIT", "JO_Type": 4}],
}

# (piece, type, date, customer, header rep, provenance, closed, [(item, amount, valued, bc piece, bc date)])
DOCS_A = [
    ("F1", 6, "2026-11-05", "C1", 0, 0, 0, [("A1", "1000.00", 1, "", None), ("A2", "200.50", 1, "", None),
                                             ("A2", "999.00", 0, "", None)]),          # not valued
    ("F2", 7, "2026-11-10", "C2", 2, 0, 0, [("A2", "300.00", 1, "BC0", "2026-11-02"), ("A3", "50.00", 1, "", None)]),
    ("AV1", 6, "2026-11-12", "C1", 1, 2, 0, [("A1", "100.00", 1, "", None)]),          # credit invoice: -100
    ("F3", 6, "2026-03-15", "C3", 0, 0, 0, [("A3", "400.00", 1, "", None)]),           # no rep anywhere
    ("F4", 6, "2026-11-29", "C2", 2, 0, 0, [("A1", "5000.00", 1, "", None)]),          # after as_of
    ("BC1", 1, "2026-11-20", "C3", 1, 0, 0, [("A2", "250.00", 1, "", None)]),          # open order
]
# (journal, date, account, third party, sens 0=debit 1=credit, amount, opening)
LEDGER_A = [
    ("VTE", "2026-11-05", "701000", "", 1, "1200.50", 0), ("VTE", "2026-11-05", "411000", "C1", 0, "1200.50", 0),
    ("VTE", "2026-11-12", "701000", "", 0, "100.00", 0), ("VTE", "2026-11-12", "411000", "C1", 1, "100.00", 0),
    ("VTE", "2026-03-15", "706000", "", 1, "400.00", 0), ("VTE", "2026-03-15", "411000", "C3", 0, "400.00", 0),
    ("ACH", "2026-11-08", "601000", "", 0, "600.00", 0), ("ACH", "2026-11-08", "401000", "F1", 1, "600.00", 0),
    ("BQ", "2026-11-20", "512000", "", 0, "500.00", 0), ("BQ", "2026-11-20", "411000", "C1", 1, "500.00", 0),
    ("AN", "2026-01-01", "512000", "", 0, "1000.00", 1), ("AN", "2026-01-01", "411000", "C3", 0, "50.00", 1),
    ("AN", "2026-01-01", "701000", "", 1, "999.00", 1),                                # opening: not revenue
    ("SIT", "2026-11-10", "701000", "", 1, "7777.00", 0),                              # situation: never
    ("VTE", "2026-11-29", "701000", "", 1, "3000.00", 0),                              # after as_of
]
# Company B: one invoice of 900 to C2 (also a customer of A), paid 100 by bank.
DOCS_B = [("G1", 6, "2026-11-06", "C2", 2, 0, 0, [("A2", "900.00", 1, "", None)])]
LEDGER_B = [
    ("VTE", "2026-11-06", "701000", "", 1, "900.00", 0), ("VTE", "2026-11-06", "411000", "C2", 0, "900.00", 0),
    ("BQ", "2026-11-07", "512000", "", 0, "100.00", 0), ("BQ", "2026-11-07", "411000", "C2", 1, "100.00", 0),
]


def _rows(name: str, currency: int, docs, ledger) -> dict[str, list[dict]]:
    rows = {k: [dict(r) for r in v] for k, v in REFERENCE.items()}
    rows["P_DOSSIER"] = [{"D_RaisonSoc": name, "D_DebutExo01": d("2026-01-01"), "D_FinExo01": d("2026-12-31"),
                          "N_DeviseCompte": currency}]
    rows["F_DOCENTETE"], rows["F_DOCLIGNE"], rows["F_ECRITUREC"] = [], [], []
    for piece, typ, date, tiers, rep, prov, closed, lines in docs:
        rows["F_DOCENTETE"].append({"DO_Domaine": 0, "DO_Type": typ, "DO_Piece": piece, "DO_Date": d(date),
                                    "DO_Tiers": tiers, "CO_No": rep, "DO_Provenance": prov, "DO_Cloture": closed})
        for n, (item, amount, valued, bc, bc_date) in enumerate(lines, 1):
            rows["F_DOCLIGNE"].append({
                "DO_Domaine": 0, "DO_Type": typ, "DO_Piece": piece, "DO_Date": d(date), "CT_Num": tiers,
                "DL_Ligne": n * 1000, "AR_Ref": item, "DL_MontantHT": Decimal(amount), "DL_Valorise": valued,
                "DL_PieceBC": bc, "DL_DateBC": d(bc_date) if bc_date else d("1900-01-01"),
                "DL_No": len(rows["F_DOCLIGNE"]) + 1})
    for journal, date, account, tiers, sens, amount, opening in ledger:
        day = d(date)
        rows["F_ECRITUREC"].append({"JO_Num": journal, "JM_Date": day.replace(day=1), "EC_Jour": day.day,
                                    "CG_Num": account, "CT_Num": tiers, "EC_Sens": sens,
                                    "EC_Montant": Decimal(amount), "EC_ANType": opening,
                                    "EC_No": len(rows["F_ECRITUREC"]) + 1})
    return rows


COMPANIES = {
    "A": lambda: _rows("Tiny SA", 1, DOCS_A, LEDGER_A),
    "B": lambda: _rows("Tiny Nord", 1, DOCS_B, LEDGER_B),
    "USD": lambda: _rows("Tiny US", 2, DOCS_B, LEDGER_B),   # same as B, books in dollars
}


def write(conn, company: str, kind: str = "sqlite") -> None:
    """Create the Sage tables and the company's rows on a DB-API connection."""
    tables = _tables(schema_text())
    cur = conn.cursor()
    text = "\n".join(line for line in schema_text().splitlines() if not line.startswith("--"))
    for stmt in text.split(";"):
        if stmt.strip():
            cur.execute(stmt.replace(" datetime", " timestamp") if kind == "postgresql" else stmt)
    for table, rows in COMPANIES[company]().items():
        cols = tables[table]
        sql = f"INSERT INTO {table} ({', '.join(c for c, _ in cols)}) VALUES ({', '.join('?' for _ in cols)})"
        for i, row in enumerate(rows, 1):
            row.setdefault("cbMarq", i)
            cur.execute(sql, [_value(row[c], kind) if c in row else _empty(t, kind) for c, t in cols])
    conn.commit()


def sqlite_file(path: Path, company: str) -> Path:
    conn = sqlite3.connect(str(path))
    write(conn, company)
    conn.close()
    return path


# ---------------------------------------------------------------- hand-worked figures
# Company A, as of 2026-11-28.
# Sales lines of the month: F1 1000.00 + 200.50 (999 not valued) ; F2 300.00 + 50.00 ;
#   AV1 credit invoice -100.00  -> 1200.50 + 350.00 - 100.00 = 1450.50
# Year adds F3 400.00 (March)   -> 1850.50 ; F4 is after as_of.
# Customers month: C1 1200.50 - 100 = 1100.50 ; C2 350.00.  Year: + C3 400.00.
# Categories: 1 = C1 + C3, 2 = C2.  Items month: A1 1000 - 100 = 900 ; A2 200.50 + 300 = 500.50 ;
#   A3 50.  Year: A3 + 400 = 450.  Families: BAG = A1 + A3, COL = A2.
# Reps: F1 has none -> C1's rep 1 (1200.50); AV1 rep 1 (-100); F2 rep 2 (350); F3: C3 has none -> left out.
# Portfolio of the month: open order BC1 250.00.
# Order book: BC1's line (DO_Date 11-20) 250 + F2's A2 line ordered BC0 on 11-02 300 = 550.00.
# Accounting revenue (70*): month 1200.50 - 100 = 1100.50 ; year + 706000's 400 = 1500.50
#   (opening 999, situation 7777 and the 3000 of 11-29 never count).
# Customers' outstanding: C1 1200.50 - 100 - 500 = 600.50 ; C3 opening 50 + 400 = 450.00 ; total 1050.50.
# Suppliers': F1 credit 600.00.  Cash: 512000 (journal BQ) opening 1000 + 500 = 1500.00.
M = ("2026-11-01", "2026-11-28")
Y = ("2026-01-01", "2026-11-28")


def _rank(period, *rows):
    return {"from": period[0], "to": period[1],
            "rows": [{"rank": i, "code": c, "label": label, "amount": a} for i, (c, label, a) in enumerate(rows, 1)]}


def _amount(month, year=None):
    out = {"month": {"from": M[0], "to": M[1], "amount": month}}
    if year is not None:
        out["year"] = {"from": Y[0], "to": Y[1], "amount": year}
    return out


def _balances(*rows, total):
    return {"as_of": AS_OF, "rows": [{"code": c, "label": label, "amount": a} for c, label, a in rows],
            "total": total}


EXPECTED_A = {
    "sales_revenue": _amount("1450.50", "1850.50"),
    "sales_portfolio_month": _amount("250.00"),
    "order_book_month": _amount("550.00"),
    "top_customers_month": _rank(M, ("C1", "Alpha", "1100.50"), ("C2", "Beta", "350.00")),
    "top_customers_year": _rank(Y, ("C1", "Alpha", "1100.50"), ("C3", "Gamma", "400.00"), ("C2", "Beta", "350.00")),
    "top_customer_categories_month": _rank(M, ("1", "Grossistes", "1100.50"), ("2", "Détaillants", "350.00")),
    "top_customer_categories_year": _rank(Y, ("1", "Grossistes", "1500.50"), ("2", "Détaillants", "350.00")),
    "top_items_month": _rank(M, ("A1", "Bague or", "900.00"), ("A2", "Collier", "500.50"),
                             ("A3", "Bague argent", "50.00")),
    "top_items_year": _rank(Y, ("A1", "Bague or", "900.00"), ("A2", "Collier", "500.50"),
                            ("A3", "Bague argent", "450.00")),
    "top_item_families_month": _rank(M, ("BAG", "Bagues", "950.00"), ("COL", "Colliers", "500.50")),
    "top_item_families_year": _rank(Y, ("BAG", "Bagues", "1350.00"), ("COL", "Colliers", "500.50")),
    "top_sales_reps_month": _rank(M, ("1", "Martin Paul", "1100.50"), ("2", "Durand Anne", "350.00")),
    "top_sales_reps_year": _rank(Y, ("1", "Martin Paul", "1100.50"), ("2", "Durand Anne", "350.00")),
    "accounting_revenue": _amount("1100.50", "1500.50"),
    "top_customer_outstanding": _balances(("C1", "Alpha", "600.50"), ("C3", "Gamma", "450.00"), total="1050.50"),
    "top_supplier_outstanding": _balances(("F1", "Fourn One", "600.00"), total="600.00"),
    "cash_position": _balances(("512000", "Banque", "1500.00"), total="1500.00"),
}

# Group A + B (same fiscal year, same currency), as one database:
# sales month 1450.50 + 900 = 2350.50 ; year 1850.50 + 900 = 2750.50.
# Customers month: C2 350 + 900 = 1250.00 now ahead of C1 1100.50 (A alone: C1 first).
# Accounting revenue: month 1100.50 + 900 = 2000.50 ; year 1500.50 + 900 = 2400.50.
# Outstanding: C2 900 - 100 = 800.00 first, C1 600.50, C3 450.00 ; total 1850.50.
# Cash: 512000 1500 + 100 = 1600.00.
EXPECTED_GROUP = {
    "sales_revenue": _amount("2350.50", "2750.50"),
    "top_customers_month": _rank(M, ("C2", "Beta", "1250.00"), ("C1", "Alpha", "1100.50")),
    "accounting_revenue": _amount("2000.50", "2400.50"),
    "top_customer_outstanding": _balances(("C2", "Beta", "800.00"), ("C1", "Alpha", "600.50"),
                                          ("C3", "Gamma", "450.00"), total="1850.50"),
    "cash_position": _balances(("512000", "Banque", "1600.00"), total="1600.00"),
}
