"""Small hand-made Sage 100 companies for the extraction tests.

`write_company_a(conn, kind)` writes company A (the main fixture), `write_company_b`
the second member of a group; both on any DB-API connection (sqlite3, pyodbc on
SQLite or PostgreSQL). Every expected number of the tests is worked out by hand
from the rows below (see the comments in tests/unit/test_extract_views.py).

AS_OF = 2026-11-28: month = 2026-11-01..2026-11-28, year = 2026-01-01..2026-11-28.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from bizsync_tui.demo.data import create_schema, insert_rows

AS_OF = dt.date(2026, 11, 28)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _dossier(name: str, devise: int, years: list[tuple]) -> dict:
    row = {"D_RaisonSoc": name, "N_DeviseCompte": devise, "cbMarq": 1}
    for i, (start, end) in enumerate(years, 1):
        row[f"D_DebutExo0{i}"] = start
        row[f"D_FinExo0{i}"] = end
    return row


class Docs:
    """Collects headers and lines."""

    def __init__(self):
        self.headers, self.lines = [], []

    def doc(self, piece, date, tiers, *lines, domaine=0, type=6, rep=0, closed=0, prov=0):
        self.headers.append({"DO_Domaine": domaine, "DO_Type": type, "DO_Piece": piece, "DO_Date": d(date),
                             "DO_Tiers": tiers, "CO_No": rep, "DO_Cloture": closed, "DO_Provenance": prov,
                             "cbMarq": len(self.headers) + 1})
        for n, line in enumerate(lines, 1):
            item, amount = line[0], line[1]
            opts = line[2] if len(line) > 2 else {}
            row = {"DO_Domaine": domaine, "DO_Type": type, "DO_Piece": piece, "DO_Date": d(date), "CT_Num": tiers,
                   "DL_Ligne": n * 1000, "AR_Ref": item, "DL_MontantHT": D(amount),
                   "DL_Valorise": opts.get("valorise", 1), "DL_PieceBC": opts.get("bc", ""),
                   "DL_DateBC": d(opts["bc_date"]) if "bc_date" in opts else dt.date(1900, 1, 1),
                   "DL_No": len(self.lines) + 1, "cbMarq": len(self.lines) + 1}
            self.lines.append(row)


class Ledger:
    def __init__(self):
        self.rows = []

    def entry(self, journal, date, account, sens, amount, tiers="", opening=0):
        day = d(date)
        self.rows.append({"JO_Num": journal, "JM_Date": day.replace(day=1), "EC_Jour": day.day, "CG_Num": account,
                          "CT_Num": tiers, "EC_Sens": sens, "EC_Montant": D(amount), "EC_ANType": opening,
                          "EC_No": len(self.rows) + 1, "cbMarq": len(self.rows) + 1})


DEBIT, CREDIT = 0, 1

COMMON_REFERENCE = {
    "P_DEVISE": [{"D_Intitule": "Dollar", "D_CodeISO": "USD", "cbIndice": 1, "cbMarq": 1},
                 {"D_Intitule": "Euro", "D_CodeISO": "EUR", "cbIndice": 2, "cbMarq": 2}],
    "P_CATTARIF": [{"CT_Intitule": "Grossistes", "cbIndice": 1, "cbMarq": 1},
                   {"CT_Intitule": "Détaillants", "cbIndice": 2, "cbMarq": 2}],  # category 3 has no row
    "F_COLLABORATEUR": [{"CO_No": 1, "CO_Nom": "Martin", "CO_Prenom": "Paul", "cbMarq": 1},
                        {"CO_No": 2, "CO_Nom": "Durand", "CO_Prenom": "Anne", "cbMarq": 2},
                        {"CO_No": 3, "CO_Nom": "Solo", "CO_Prenom": "", "cbMarq": 3}],
    "F_COMPTET": [
        {"CT_Num": "C1", "CT_Intitule": "Alpha", "CT_Type": 0, "CO_No": 1, "N_CatTarif": 1, "cbMarq": 1},
        {"CT_Num": "C2", "CT_Intitule": "Beta", "CT_Type": 0, "CO_No": 2, "N_CatTarif": 2, "cbMarq": 2},
        {"CT_Num": "C3", "CT_Intitule": "Gamma", "CT_Type": 0, "CO_No": 0, "N_CatTarif": 1, "cbMarq": 3},
        {"CT_Num": "C4", "CT_Intitule": "Delta", "CT_Type": 0, "CO_No": 2, "N_CatTarif": 3, "cbMarq": 4},
        {"CT_Num": "C5", "CT_Intitule": "Epsilon", "CT_Type": 0, "CO_No": 1, "N_CatTarif": 2, "cbMarq": 5},
        {"CT_Num": "C6", "CT_Intitule": "Zeta", "CT_Type": 0, "CO_No": 0, "N_CatTarif": 3, "cbMarq": 6},
        {"CT_Num": "C7", "CT_Intitule": "Eta", "CT_Type": 0, "CO_No": 0, "N_CatTarif": 1, "cbMarq": 7},
        {"CT_Num": "C8", "CT_Intitule": "Theta", "CT_Type": 0, "CO_No": 0, "N_CatTarif": 1, "cbMarq": 8},
        {"CT_Num": "F1", "CT_Intitule": "Fourn One", "CT_Type": 1, "cbMarq": 9},
        {"CT_Num": "F2", "CT_Intitule": "Fourn Two", "CT_Type": 1, "cbMarq": 10},
        {"CT_Num": "F3", "CT_Intitule": "Fourn Three", "CT_Type": 1, "cbMarq": 11},
    ],
    "F_FAMILLE": [{"FA_CodeFamille": "BAG", "FA_Type": 0, "FA_Intitule": "Bagues", "cbMarq": 1},
                  {"FA_CodeFamille": "BAG", "FA_Type": 1, "FA_Intitule": "Total bagues", "cbMarq": 2},
                  {"FA_CodeFamille": "COL", "FA_Type": 0, "FA_Intitule": "Colliers", "cbMarq": 3},
                  {"FA_CodeFamille": "BRA", "FA_Type": 0, "FA_Intitule": "Bracelets", "cbMarq": 4}],
    "F_ARTICLE": [{"AR_Ref": "A1", "AR_Design": "Bague or", "FA_CodeFamille": "BAG", "cbMarq": 1},
                  {"AR_Ref": "A2", "AR_Design": "Collier perles", "FA_CodeFamille": "COL", "cbMarq": 2},
                  {"AR_Ref": "A3", "AR_Design": "Bracelet argent", "FA_CodeFamille": "BRA", "cbMarq": 3},
                  {"AR_Ref": "A4", "AR_Design": "Bague argent", "FA_CodeFamille": "BAG", "cbMarq": 4}],
    "F_COMPTEG": [{"CG_Num": n, "CG_Intitule": t, "cbMarq": i} for i, (n, t) in enumerate([
        ("401000", "Fournisseurs"), ("411000", "Clients"), ("445710", "TVA collectée"),
        ("512000", "Banque BNP"), ("514000", "La Poste"), ("531000", "Caisse"), ("601000", "Achats"),
        ("701000", "Ventes bijoux"), ("706000", "Prestations"), ("707000", "Ventes marchandises")], 1)],
    "F_JOURNAUX": [{"JO_Num": n, "JO_Intitule": n, "CG_Num": cg, "JO_Type": t, "cbMarq": i}
                   for i, (n, cg, t) in enumerate([
                       ("ACH", "", 0), ("VTE", "", 1), ("BNK", "512000", 2), ("CAI", "531000", 2),
                       ("BQ2", "", 2), ("OD", "", 3), ("AN", "", 3), ("SIT", "", 4)], 1)],
}

# Fiscal years stored out of order, with an unused 1900 slot and a NULL slot.
YEARS_A = [(d("2025-01-01"), d("2025-12-31")), (d("2027-01-01"), d("2027-12-31")),
           (d("2026-01-01"), d("2026-12-31")), (d("1900-01-01"), d("1900-01-01")), (None, None)]


def company_a_docs() -> Docs:
    x = Docs()
    # -- sales invoices of the month (2026-11-01..28)
    x.doc("I1", "2026-11-05", "C1",                      # no header rep -> customer's rep 1
          ("A1", "1000.00"), ("A2", "500.00"),
          ("", "25.00"),                                 # a valued line without item (carriage)
          ("", "0"),                                     # a comment line
          ("A3", "300.00", {"valorise": 0}))             # not valued: never counts
    x.doc("I2", "2026-11-20", "C2", ("A2", "800.00", {"bc": "BC7", "bc_date": "2026-11-02"}),
          ("A4", "200.005"), type=7, rep=3)
    x.doc("I3", "2026-11-10", "C1", ("A1", "150.00", {"bc": "BC3", "bc_date": "2026-11-01"}),
          prov=2)                                        # credit invoice stored positive -> -150
    x.doc("I4", "2026-11-12", "C2", ("A2", "-100.00"), type=7, prov=2)  # stored negative -> -100
    x.doc("I9", "2026-11-28", "C5", ("A4", "1000.00", {"bc": "BC9", "bc_date": "2026-10-30"}),
          ("A3", "300.00"), rep=1)                       # dated as_of itself: counts
    x.doc("I10", "2026-11-02", "C4", ("A3", "650.00"), rep=2)
    x.doc("I11", "2026-11-15", "C6", ("A2", "650.00"), rep=1)
    x.doc("I12", "2026-11-25", "C3", ("A1", "100.00"))   # no rep at all -> not in the reps ranking
    # -- earlier in the fiscal year
    x.doc("I5", "2026-10-15", "C3", ("A3", "-40.00"), prov=1)   # return invoice -> -40
    x.doc("I6", "2026-03-10", "C3", ("A3", "2000.00"), ("A1", "700.00"), type=7, rep=2)
    # -- out of the periods
    x.doc("I7", "2025-12-20", "C4", ("A1", "5000.00"))   # previous fiscal year
    x.doc("I8", "2026-11-29", "C5", ("A2", "9999.00", {"bc": "BC8", "bc_date": "2026-11-10"}))  # future
    x.doc("PF1", "2026-11-10", "F1", ("A1", "4444.00"), domaine=1, type=6)  # a purchase (domain 1)
    x.doc("Q1", "2026-11-10", "C1", ("A1", "7777.00"), type=0)              # a quote
    # -- orders, preparations, delivery notes
    x.doc("O1", "2026-11-03", "C1", ("A1", "400.00"), ("A2", "100.00", {"valorise": 0}), type=1)
    x.doc("O2", "2026-11-04", "C2", ("A2", "999.00"), type=1, closed=1)
    x.doc("O3", "2026-11-15", "C2", ("A3", "250.00", {"bc": "O0", "bc_date": "2026-10-28"}), type=3)
    x.doc("O4", "2026-11-27", "C4", ("A4", "60.00", {"bc": "O5", "bc_date": "2026-11-06"}), type=2)
    x.doc("O5", "2026-10-20", "C4", ("A1", "70.00"), type=1)
    x.doc("O6", "2026-11-30", "C5", ("A1", "80.00"), type=1)
    return x


def company_a_ledger() -> Ledger:
    e = Ledger()
    # month
    e.entry("VTE", "2026-11-05", "701000", CREDIT, "1000.00")
    e.entry("VTE", "2026-11-05", "445710", CREDIT, "200.00")
    e.entry("VTE", "2026-11-05", "411000", DEBIT, "1200.00", "C1")
    e.entry("VTE", "2026-11-20", "707000", CREDIT, "800.005")
    e.entry("VTE", "2026-11-20", "411000", DEBIT, "800.005", "C2")
    e.entry("VTE", "2026-11-12", "701000", DEBIT, "100.00")
    e.entry("VTE", "2026-11-12", "411000", CREDIT, "100.00", "C2")
    e.entry("OD", "2026-11-15", "706000", CREDIT, "50.00")
    e.entry("OD", "2026-11-15", "601000", DEBIT, "50.00")
    e.entry("ACH", "2026-11-08", "601000", DEBIT, "600.00")
    e.entry("ACH", "2026-11-08", "401000", CREDIT, "600.00", "F1")
    e.entry("BNK", "2026-11-18", "512000", DEBIT, "1200.00")
    e.entry("BNK", "2026-11-18", "411000", CREDIT, "1200.00", "C1")
    e.entry("CAI", "2026-11-21", "531000", DEBIT, "80.50")
    e.entry("CAI", "2026-11-21", "411000", CREDIT, "80.50", "C5")
    e.entry("BNK", "2026-11-25", "512000", CREDIT, "450.25")
    e.entry("BNK", "2026-11-25", "601000", DEBIT, "450.25")
    e.entry("BQ2", "2026-11-02", "514000", DEBIT, "30.00")
    e.entry("BQ2", "2026-11-02", "411000", CREDIT, "30.00", "C6")
    # earlier in the year
    e.entry("VTE", "2026-03-10", "701000", CREDIT, "2700.00")
    e.entry("VTE", "2026-03-10", "411000", DEBIT, "2700.00", "C3")
    e.entry("OD", "2026-02-01", "411000", DEBIT, "10.00", "C4")      # one-sided: the ledger need not balance
    e.entry("OD", "2026-04-02", "411000", DEBIT, "700.005", "C7")
    e.entry("OD", "2026-05-03", "411000", DEBIT, "5.00", "C8")
    e.entry("ACH", "2026-06-01", "401000", CREDIT, "2000.00", "F2")
    e.entry("BNK", "2026-07-01", "401000", DEBIT, "2000.00", "F2")
    e.entry("OD", "2026-07-02", "401000", DEBIT, "50.00", "F3")
    # opening entries (fiscal-year start)
    e.entry("AN", "2026-01-01", "411000", DEBIT, "300.00", "C1", opening=1)
    e.entry("AN", "2026-01-01", "401000", CREDIT, "450.00", "F1", opening=1)
    e.entry("AN", "2026-01-01", "512000", DEBIT, "10000.00", opening=1)
    e.entry("AN", "2026-01-01", "707000", CREDIT, "123.00", opening=1)
    # never counted
    e.entry("VTE", "2026-11-29", "701000", CREDIT, "5000.00")            # future (JM 11-01, day 29)
    e.entry("VTE", "2026-11-29", "411000", DEBIT, "5000.00", "C1")
    e.entry("BNK", "2026-11-30", "512000", DEBIT, "999.00")              # future
    e.entry("SIT", "2026-11-10", "701000", CREDIT, "9999.00")            # situation journal
    e.entry("SIT", "2026-11-10", "411000", DEBIT, "9999.00", "C1")
    e.entry("SIT", "2026-11-10", "401000", CREDIT, "500.00", "F2")
    e.entry("VTE", "2025-12-15", "701000", CREDIT, "4000.00")            # previous fiscal year
    e.entry("VTE", "2025-12-15", "411000", DEBIT, "4000.00", "C4")
    e.entry("BNK", "2025-12-31", "512000", DEBIT, "777.00")
    return e


def company_b_docs() -> Docs:
    x = Docs()
    x.doc("B1", "2026-11-10", "C6", ("A2", "1000.00"), rep=1)
    x.doc("B2", "2026-11-11", "C2", ("A1", "300.00"), rep=2)
    return x


def company_b_ledger() -> Ledger:
    e = Ledger()
    e.entry("OD", "2026-06-01", "411000", DEBIT, "800.00", "C8")
    e.entry("OD", "2026-06-01", "411000", DEBIT, "100.00", "C5")
    e.entry("BNK", "2026-11-03", "512000", DEBIT, "40.00")
    return e


def write_company(conn, kind: str, *, name: str, docs: Docs, ledger: Ledger, devise: int = 2,
                  years=None, schema: bool = True) -> None:
    if schema:
        create_schema(conn, kind)
    insert_rows(conn, "P_DOSSIER", [_dossier(name, devise, years or YEARS_A)], kind)
    for table, rows in COMMON_REFERENCE.items():
        insert_rows(conn, table, rows, kind)
    insert_rows(conn, "F_DOCENTETE", docs.headers, kind)
    insert_rows(conn, "F_DOCLIGNE", docs.lines, kind)
    insert_rows(conn, "F_ECRITUREC", ledger.rows, kind)
    try:
        conn.commit()
    except Exception:
        pass


def write_company_a(conn, kind: str = "sqlite", **kw) -> None:
    write_company(conn, kind, name="Bijou SA", docs=company_a_docs(), ledger=company_a_ledger(), **kw)


def write_company_b(conn, kind: str = "sqlite", **kw) -> None:
    kw.setdefault("name", "Bijou Nord")
    write_company(conn, kind, docs=company_b_docs(), ledger=company_b_ledger(), **kw)


def sqlite_file(path, writer=write_company_a, **kw) -> str:
    import sqlite3

    conn = sqlite3.connect(str(path))
    writer(conn, "sqlite", **kw)
    conn.commit()
    conn.close()
    return str(path)


def sage_folder(base, *, company_b_dir: str = "", text_file: str = "notes.txt"):
    """A folder as the source picker and `sources discover --dir` find it: bijou.db (company A:
    entries and documents, so both kinds), nord_gc.db (company B "Bijou Nord", documents only:
    commercial; in `company_b_dir` when given), other.db (SQLite, not Sage) and a text file."""
    import sqlite3
    from pathlib import Path

    base = Path(base)
    (base / company_b_dir).mkdir(parents=True, exist_ok=True)
    sqlite_file(base / "bijou.db")
    conn = sqlite3.connect(base / company_b_dir / "nord_gc.db")
    write_company(conn, "sqlite", name="Bijou Nord", docs=company_b_docs(), ledger=Ledger())
    conn.commit()
    conn.close()
    conn = sqlite3.connect(base / "other.db")
    conn.execute("CREATE TABLE t (a int)")
    conn.commit()
    conn.close()
    (base / text_file).write_text("the Sage files\n")
    return base
