"""Demo Sage 100 companies in SQLite files (issue 6 point 5), and the Sage table subset.

`build_demo_database(path, seed=1, lines=2000, as_of=..., company="BIJOU")`
writes a deterministic jewellery wholesaler with schema.sql's tables:
customers in price categories, items in families (with a total family sharing
a detail family's code), sales reps, quotes, orders, deliveries, invoices and
credit invoices across two fiscal years, ledger entries with opening entries,
banks and a cash box, and a few rows dated after `as_of`.
"""

from __future__ import annotations

# The Sage 100 (v16+) subset bizsync reads: real table and column names, SQL Server types
# (runs unchanged on SQLite; `create_schema` adapts it to PostgreSQL).
SCHEMA_SQL = """
CREATE TABLE P_DOSSIER (D_RaisonSoc varchar(35), D_Siret varchar(15),
  D_DebutExo01 datetime, D_DebutExo02 datetime, D_DebutExo03 datetime, D_DebutExo04 datetime, D_DebutExo05 datetime,
  D_FinExo01 datetime, D_FinExo02 datetime, D_FinExo03 datetime, D_FinExo04 datetime, D_FinExo05 datetime,
  N_DeviseCompte smallint, N_DeviseEquival smallint, JO_NumAN varchar(7), cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE P_DEVISE (D_Intitule varchar(35), D_CodeISO varchar(3), D_Sigle varchar(5), cbIndice smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE P_CATTARIF (CT_Intitule varchar(35), CT_PrixTTC smallint, cbIndice smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE P_PARAMETRECIAL (P_LigneNeg smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_COLLABORATEUR (CO_No int NOT NULL UNIQUE, CO_Nom varchar(35), CO_Prenom varchar(35), CO_Vendeur smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_COMPTET (CT_Num varchar(17) NOT NULL UNIQUE, CT_Intitule varchar(69), CT_Type smallint, CG_NumPrinc varchar(13),
  CT_Qualite varchar(17), CO_No int, N_CatTarif smallint, N_CatCompta smallint, CT_Encours numeric(24,6), CT_Sommeil smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_FAMILLE (FA_CodeFamille varchar(11) NOT NULL, FA_Type smallint NOT NULL, FA_Intitule varchar(69), FA_Central varchar(11),
  cbMarq int NOT NULL PRIMARY KEY, UNIQUE (FA_CodeFamille, FA_Type));
CREATE TABLE F_ARTICLE (AR_Ref varchar(19) NOT NULL UNIQUE, AR_Design varchar(69), FA_CodeFamille varchar(11), AR_Sommeil smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_DOCENTETE (DO_Domaine smallint, DO_Type smallint, DO_Piece varchar(13), DO_Date datetime, DO_Ref varchar(17),
  DO_Tiers varchar(17), CO_No int, DE_No int, CT_NumPayeur varchar(17), DO_Tarif smallint, N_CatCompta smallint, DO_Statut smallint,
  DO_Cloture smallint, DO_Provenance smallint, DO_DateLivr datetime, DO_TotalHT numeric(24,6), DO_TotalHTNet numeric(24,6),
  DO_TotalTTC numeric(24,6), DO_NetAPayer numeric(24,6), cbMarq int NOT NULL PRIMARY KEY, UNIQUE (DO_Type, DO_Piece));
CREATE TABLE F_DOCLIGNE (DO_Domaine smallint, DO_Type smallint, CT_Num varchar(17), DO_Piece varchar(13), DO_Date datetime,
  DL_Ligne int, AR_Ref varchar(19), DL_Design varchar(69), DL_Qte numeric(24,6), DL_PrixUnitaire numeric(24,6), DL_PrixRU numeric(24,6),
  DL_MontantHT numeric(24,6), DL_MontantTTC numeric(24,6), DL_Valorise smallint, DL_TNomencl smallint, CO_No int, DE_No int,
  DL_PieceBC varchar(13), DL_DateBC datetime, DL_PieceBL varchar(13), DL_DateBL datetime, DL_No int UNIQUE, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_COMPTEG (CG_Num varchar(13) NOT NULL UNIQUE, CG_Type smallint, CG_Intitule varchar(35), N_Nature smallint, CG_Sommeil smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_JOURNAUX (JO_Num varchar(7) NOT NULL UNIQUE, JO_Intitule varchar(35), CG_Num varchar(13), JO_Type smallint, JO_Sommeil smallint, cbMarq int NOT NULL PRIMARY KEY);
CREATE TABLE F_ECRITUREC (JO_Num varchar(7), EC_No int UNIQUE, JM_Date datetime, EC_Jour smallint, EC_Date datetime, EC_Piece varchar(13),
  EC_RefPiece varchar(17), CG_Num varchar(13), CT_Num varchar(17), EC_Intitule varchar(69), EC_Echeance datetime, EC_Sens smallint,
  EC_Montant numeric(24,6), EC_Lettre smallint, EC_Lettrage varchar(5), EC_ANType smallint, N_Devise smallint, cbMarq int NOT NULL PRIMARY KEY);
"""

import datetime as _dt
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

TABLE_COLUMNS: dict[str, list[str]] = {}


def _parse_columns() -> None:
    import re

    for stmt in SCHEMA_SQL.split(";"):
        m = re.search(r"CREATE TABLE (\w+) \((.*)\)\s*$", stmt.strip(), re.S)
        if not m:
            continue
        cols = []
        for part in re.split(r",(?![^()]*\))", m.group(2)):
            word = part.strip().split(" ")[0]
            if word and word != "UNIQUE" and word != "PRIMARY":
                cols.append(word)
        TABLE_COLUMNS[m.group(1)] = cols


_parse_columns()


def create_schema(conn, kind: str = "sqlite") -> None:
    """Create the Sage tables on a DB-API connection (sqlite3 or pyodbc).
    kind "postgresql": datetime columns become timestamp."""
    cur = conn.cursor()
    for stmt in SCHEMA_SQL.split(";"):
        if not stmt.strip():
            continue
        if kind == "postgresql":
            stmt = stmt.replace(" datetime", " timestamp")
        cur.execute(stmt)
    cur.close()


def sql_value(value, kind: str = "sqlite"):
    """A Python value as a Sage copy stores it: dates as 'YYYY-MM-DD HH:MM:SS' text and
    amounts as REAL in SQLite; datetime and Decimal elsewhere."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if kind == "sqlite" else value
    if isinstance(value, Decimal):
        return float(value) if kind == "sqlite" else value
    return value


def insert_rows(conn, table: str, rows: list[dict], kind: str = "sqlite") -> None:
    """Insert dict rows (missing columns take Sage's empty values: '' / 0 / 1900-01-01)."""
    if not rows:
        return
    cols = TABLE_COLUMNS[table]
    placeholders = ", ".join("?" for _ in cols)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})"
    data = []
    for i, row in enumerate(rows, 1):
        unknown = set(row) - set(cols)
        if unknown:
            raise KeyError(f"{table} has no column {sorted(unknown)}")
        data.append(tuple(sql_value(row.get(c, _empty(table, c, i)), kind) for c in cols))
    cur = conn.cursor()
    cur.executemany(sql, data)
    cur.close()


_EMPTY_DATE = _dt.datetime(1900, 1, 1)


def _empty(table: str, col: str, index: int):
    if col == "cbMarq" or col in ("DL_No", "EC_No"):
        return index
    if col.startswith(("DO_Date", "DL_Date", "EC_Echeance", "EC_Date", "JM_Date")) or col.startswith("D_DebutExo") \
            or col.startswith("D_FinExo"):
        return _EMPTY_DATE
    if col in ("DO_Domaine", "DO_Type", "DO_Cloture", "DO_Provenance", "CO_No", "EC_ANType", "EC_Sens",
               "EC_Lettre", "DL_Valorise", "FA_Type", "CT_Type", "JO_Type", "N_CatTarif", "N_DeviseCompte",
               "DL_Ligne", "EC_Jour", "DE_No", "DO_Tarif", "DO_Statut", "N_CatCompta", "CG_Type", "N_Nature",
               "CT_Sommeil", "AR_Sommeil", "CG_Sommeil", "JO_Sommeil", "N_Devise", "cbIndice", "DL_TNomencl",
               "CO_Vendeur", "CT_PrixTTC", "P_LigneNeg", "N_DeviseEquival"):
        return 0
    if col.startswith(("DO_Total", "DO_NetAPayer", "DL_Qte", "DL_Prix", "DL_Montant", "EC_Montant", "CT_Encours")):
        return Decimal(0)
    return ""


# -- the demo company -------------------------------------------------------------------------

DEMO_COMPANIES = (
    # short code, dossier, name, seed: same fiscal years and currency, so they can form a group
    ("BIJOU", "BIJOU01", "Bijou SA", 1),
    ("BIJNORD", "BIJNORD01", "Bijou Nord", 2),
)

_NLINES = (1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8)
_QTYS = (1, 1, 2, 3, 5, 10, 12, 24)
_DISCOUNTS = (0, 0, 0, 5, 10, 15)
_CATEGORIES = ("Détaillants", "Grossistes", "Export", "Revendeurs")
_REPS = (("Martin", "Paul"), ("Durand", "Anne"), ("Bernard", "Luc"), ("Petit", "Chloé"), ("Moreau", "Hugo"),
         ("Leroy", "Inès"))
_FAMILIES = (("BAG", "Bagues"), ("COL", "Colliers"), ("BRA", "Bracelets"), ("BOU", "Boucles d'oreilles"),
             ("MON", "Montres"), ("PEN", "Pendentifs"))
_METALS = ("or jaune", "or blanc", "argent", "platine", "vermeil", "acier")
_CITIES = ("Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Nice", "Genève", "Bruxelles", "Rennes")
_SHOPS = ("Bijouterie", "Joaillerie", "Maison", "Atelier", "Comptoir", "Galerie")


def _day_texts(start: _dt.date, end: _dt.date) -> list[tuple[_dt.date, str, str, int]]:
    out = []
    day = start
    while day <= end:
        out.append((day, day.strftime("%Y-%m-%d 00:00:00"), day.strftime("%Y-%m-01 00:00:00"), day.day))
        day += _dt.timedelta(days=1)
    return out


def build_demo_database(path, *, seed: int = 1, lines: int = 2000, as_of: _dt.date | None = None,
                        company: str = "BIJOU", name: str | None = None, entries: int | None = None,
                        overwrite: bool = True) -> dict:
    """Write a demo Sage 100 company (a jewellery wholesaler) into a new SQLite file.

    Deterministic for a (seed, lines, as_of, company). `lines` document lines (about),
    `entries` ledger entries (default: about as many as lines). Two fiscal years: the
    calendar year of `as_of` and the one before; a few documents and entries are dated
    after `as_of`. Returns counts of what was written."""
    as_of = as_of or _dt.date.today()
    name = name or ("Bijou SA" if company == "BIJOU" else company.title())
    entries = lines if entries is None else entries
    rnd = random.Random(f"{company}:{seed}")
    path = Path(path)
    if path.exists():
        if not overwrite:
            raise FileExistsError(str(path))
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-200000")
    conn.execute("BEGIN")
    create_schema(conn, "sqlite")

    fy_prev = (_dt.date(as_of.year - 1, 1, 1), _dt.date(as_of.year - 1, 12, 31))
    fy_cur = (_dt.date(as_of.year, 1, 1), _dt.date(as_of.year, 12, 31))
    empty = "1900-01-01 00:00:00"
    dt_text = lambda day: day.strftime("%Y-%m-%d 00:00:00")  # noqa: E731
    # Slots out of order, unused ones in 1900 (as Sage stores them).
    conn.execute("INSERT INTO P_DOSSIER (D_RaisonSoc, D_Siret, D_DebutExo01, D_DebutExo02, D_DebutExo03, D_DebutExo04,"
                 " D_DebutExo05, D_FinExo01, D_FinExo02, D_FinExo03, D_FinExo04, D_FinExo05, N_DeviseCompte,"
                 " N_DeviseEquival, JO_NumAN, cbMarq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                 (name, f"{rnd.randrange(10**8, 10**9)}00017", dt_text(fy_cur[0]), dt_text(fy_prev[0]), empty, empty,
                  empty, dt_text(fy_cur[1]), dt_text(fy_prev[1]), empty, empty, empty, 1, 0, "AN"))
    conn.executemany("INSERT INTO P_DEVISE VALUES (?, ?, ?, ?, ?)",
                     [("Euro", "EUR", "€", 1, 1), ("Dollar US", "USD", "$", 2, 2), ("Franc suisse", "CHF", "CHF", 3, 3)])
    conn.executemany("INSERT INTO P_CATTARIF VALUES (?, 0, ?, ?)",
                     [(t, i, i) for i, t in enumerate(_CATEGORIES, 1)])
    conn.execute("INSERT INTO P_PARAMETRECIAL VALUES (0, 1)")
    conn.executemany("INSERT INTO F_COLLABORATEUR VALUES (?, ?, ?, 1, ?)",
                     [(i, n, p, i) for i, (n, p) in enumerate(_REPS, 1)])

    # third parties
    n_customers = max(25, min(3000, lines // 40))
    n_suppliers = max(8, n_customers // 10)
    customers = [f"CL{i:05d}" for i in range(1, n_customers + 1)]
    suppliers = [f"FR{i:04d}" for i in range(1, n_suppliers + 1)]
    tiers_rows = []
    cust_rep = {}
    for i, code in enumerate(customers, 1):
        rep = rnd.choice((0, 1, 2, 3, 4, 5, 6)) if i % 7 else 0  # some customers have no rep
        cust_rep[code] = rep
        tiers_rows.append((code, f"{rnd.choice(_SHOPS)} {rnd.choice(_CITIES)} {i}", 0, "411000", "", rep,
                           rnd.randint(1, len(_CATEGORIES)), 1, rnd.choice((5000, 10000, 20000)), 0, i))
    for j, code in enumerate(suppliers, 1):
        tiers_rows.append((code, f"Fonderie {rnd.choice(_CITIES)} {j}", 1, "401000", "", 0, 0, 1, 0, 0,
                           n_customers + j))
    conn.executemany("INSERT INTO F_COMPTET VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", tiers_rows)

    # families: detail families (type 0) and a total family sharing the code of one of them
    fam_rows = [(code, 0, label, "", i) for i, (code, label) in enumerate(_FAMILIES, 1)]
    fam_rows.append(("BAG", 1, "Total bagues et alliances", "", len(fam_rows) + 1))
    conn.executemany("INSERT INTO F_FAMILLE VALUES (?, ?, ?, ?, ?)", fam_rows)
    items = []
    prices = {}
    for i in range(1, 121):
        fam, label = _FAMILIES[i % len(_FAMILIES)]
        ref = f"{fam}{i:04d}"
        items.append((ref, f"{label[:-1] if label.endswith('s') else label} {rnd.choice(_METALS)} {i}", fam, 0, i))
        prices[ref] = rnd.randrange(1500, 250000)  # cents
    conn.executemany("INSERT INTO F_ARTICLE VALUES (?, ?, ?, ?, ?)", items)
    refs = [r[0] for r in items]
    n_refs = len(refs)

    # accounts and journals
    accounts = [("401000", "Fournisseurs"), ("411000", "Clients"), ("445660", "TVA déductible"),
                ("445710", "TVA collectée"), ("512000", "Banque BNP Paribas"), ("512100", "Banque Crédit Agricole"),
                ("531000", "Caisse"), ("601000", "Achats de matières"), ("607000", "Achats de marchandises"),
                ("626000", "Frais postaux"), ("701000", "Ventes de produits finis"),
                ("707000", "Ventes de marchandises"), ("709000", "RRR accordés")]
    conn.executemany("INSERT INTO F_COMPTEG VALUES (?, 0, ?, 0, 0, ?)",
                     [(n, t, i) for i, (n, t) in enumerate(accounts, 1)])
    journals = [("ACH", "Achats", "", 0), ("VTE", "Ventes", "", 1), ("BNP", "Banque BNP", "512000", 2),
                ("CA", "Crédit Agricole", "512100", 2), ("CAI", "Caisse", "531000", 2), ("OD", "Opérations diverses", "", 3),
                ("AN", "A nouveaux", "", 3), ("SIT", "Situation", "", 4)]
    conn.executemany("INSERT INTO F_JOURNAUX VALUES (?, ?, ?, ?, 0, ?)",
                     [(n, t, cg, ty, i) for i, (n, t, cg, ty) in enumerate(journals, 1)])

    # -- documents -------------------------------------------------------------------------
    days = _day_texts(fy_prev[0], as_of + _dt.timedelta(days=20))
    n_days = len(days)
    future_from = n_days - 20
    header_rows, line_rows = [], []
    counters = {t: 0 for t in range(8)}
    prefixes = {0: "DE", 1: "BC", 2: "PL", 3: "BL", 6: "FA", 7: "FC"}
    open_orders: list[tuple[str, str]] = []  # (piece, date text) of recent orders, for DL_PieceBC
    n_lines = 0
    doc_no = 0
    while n_lines < lines:
        doc_no += 1
        r = rnd.random()
        prov = 0
        if r < 0.08:
            do_type = 0
        elif r < 0.22:
            do_type = 1
        elif r < 0.26:
            do_type = 2
        elif r < 0.40:
            do_type = 3
        elif r < 0.95:
            do_type = 6 if rnd.random() < 0.3 else 7
        else:
            do_type, prov = 6, 2  # credit invoice
        # mostly in the past, about 1 in 200 dated after as_of
        k = int(rnd.random() * future_from) if rnd.random() > 0.005 else rnd.randrange(future_from, n_days)
        day, day_text = days[k][0], days[k][1]
        counters[do_type] += 1
        piece = f"{'AV' if prov else prefixes[do_type]}{counters[do_type]:07d}"
        tiers = customers[int(rnd.random() ** 1.6 * n_customers)]  # a few big customers
        rep = cust_rep[tiers] if rnd.random() < 0.5 else int(rnd.random() * 7)
        closed = 1 if do_type in (1, 2, 3) and day < as_of - _dt.timedelta(days=45) else 0
        n = _NLINES[int(rnd.random() * 12)]
        total = 0
        negative = prov == 2 and rnd.random() < 0.5  # credit invoices stored either way
        bc_piece, bc_date = "", empty
        if do_type in (2, 3, 6, 7) and open_orders and rnd.random() < 0.6:
            bc_piece, bc_date = open_orders[int(rnd.random() * len(open_orders))]
            if bc_date > day_text:
                bc_piece, bc_date = "", empty
        for ln in range(1, n + 1):
            n_lines += 1
            r2 = rnd.random()
            if r2 < 0.03:  # comment line
                ref, design, qty, price, amount, valued = "", "Livraison soignée", 0, 0, 0, 1
            else:
                ref = refs[int(rnd.random() ** 1.3 * n_refs)]
                qty = _QTYS[int(rnd.random() * 8)]
                price = prices[ref]
                # cents, discount 0/5/10/15 %, rounded half up to the cent
                amount = (qty * price * (100 - _DISCOUNTS[int(rnd.random() * 6)]) + 50) // 100
                valued = 0 if r2 > 0.98 else 1
                design = ref
            if negative:
                amount = -amount
            total += amount if valued else 0
            line_rows.append((0, do_type, tiers, piece, day_text, ln * 1000, ref, design, qty, price / 100,
                              price / 100, amount / 100, amount * 12 / 1000, valued, 0, rep, 0,
                              bc_piece, bc_date, "", empty, n_lines, n_lines))
        header_rows.append((0, do_type, piece, day_text, "", tiers, rep, 0, tiers, 1, 1, 0, closed, prov, day_text,
                            total / 100, total / 100, total * 12 / 1000, total * 12 / 1000, doc_no))
        if do_type == 1:
            open_orders.append((piece, day_text))
            if len(open_orders) > 400:
                open_orders.pop(0)
        if len(line_rows) >= 50000:
            conn.executemany(f"INSERT INTO F_DOCLIGNE VALUES ({', '.join('?' * 23)})", line_rows)
            line_rows.clear()
    # a few purchase documents (domain 1): never in the sales views
    for p in range(1, 6):
        day_text = days[rnd.randrange(future_from)][1]
        doc_no += 1
        n_lines += 1
        piece = f"FAF{p:06d}"
        header_rows.append((1, 16, piece, day_text, "", suppliers[p % n_suppliers], 0, 0, "", 1, 1, 0, 0, 0,
                            day_text, 1000.0, 1000.0, 1200.0, 1200.0, doc_no))
        line_rows.append((1, 16, suppliers[p % n_suppliers], piece, day_text, 1000, refs[p], refs[p], 10.0, 100.0,
                          100.0, 1000.0, 1200.0, 1, 0, 0, 0, "", empty, "", empty, n_lines, n_lines))
    conn.executemany(f"INSERT INTO F_DOCLIGNE VALUES ({', '.join('?' * 23)})", line_rows)
    conn.executemany(f"INSERT INTO F_DOCENTETE VALUES ({', '.join('?' * 20)})", header_rows)

    # -- ledger --------------------------------------------------------------------------------
    ec_rows = []
    ec_no = 0

    day_index = {d[0]: d for d in days}

    def entry(journal, day, account, tiers, sens, cents, opening=0, piece=""):
        nonlocal ec_no
        ec_no += 1
        _, text, jm, dom = day if isinstance(day, tuple) else day_index.get(day) or (
            day, dt_text(day), dt_text(day.replace(day=1)), day.day)
        ec_rows.append((journal, ec_no, jm, dom, text, piece, "", account, tiers, "", text, sens, cents / 100, 0, "",
                        opening, 0, ec_no))

    # opening entries at each fiscal-year start
    for fy in (fy_prev, fy_cur):
        for code in customers[: max(5, n_customers // 5)]:
            entry("AN", fy[0], "411000", code, 0, rnd.randrange(10000, 500000), opening=1)
        for code in suppliers[: max(3, n_suppliers // 2)]:
            entry("AN", fy[0], "401000", code, 1, rnd.randrange(10000, 800000), opening=1)
        entry("AN", fy[0], "512000", "", 0, rnd.randrange(2000000, 9000000), opening=1)
        entry("AN", fy[0], "512100", "", 0, rnd.randrange(500000, 3000000), opening=1)
        entry("AN", fy[0], "531000", "", 0, rnd.randrange(10000, 200000), opening=1)
    while ec_no < entries:
        r = rnd.random()
        k = int(rnd.random() * future_from) if rnd.random() > 0.005 else rnd.randrange(future_from, n_days)
        day = days[k]
        tiers = customers[int(rnd.random() ** 1.6 * n_customers)]
        ht = 5000 + int(rnd.random() * 1495000)  # cents
        tva = (ht * 2 + 5) // 10
        if r < 0.40:  # a sales invoice (or a credit note, 1 in 20)
            credit_note = rnd.random() < 0.05
            acc = "707000" if rnd.random() < 0.7 else "701000"
            entry("VTE", day, "411000", tiers, 1 if credit_note else 0, ht + tva)
            entry("VTE", day, acc, "", 0 if credit_note else 1, ht)
            entry("VTE", day, "445710", "", 0 if credit_note else 1, tva)
        elif r < 0.65:  # a customer payment, by bank or cash
            bank = ("512000", "512000", "512100", "531000")[int(rnd.random() * 4)]
            journal = {"512000": "BNP", "512100": "CA", "531000": "CAI"}[bank]
            amount = ht if bank != "531000" else ht // 20
            entry(journal, day, bank, "", 0, amount)
            entry(journal, day, "411000", tiers, 1, amount)
        elif r < 0.82:  # a purchase invoice
            sup = suppliers[int(rnd.random() * n_suppliers)]
            entry("ACH", day, ("601000", "607000")[int(rnd.random() * 2)], "", 0, ht)
            entry("ACH", day, "445660", "", 0, tva)
            entry("ACH", day, "401000", sup, 1, ht + tva)
        elif r < 0.95:  # a supplier payment
            sup = suppliers[int(rnd.random() * n_suppliers)]
            entry("BNP", day, "401000", sup, 0, ht)
            entry("BNP", day, "512000", "", 1, ht)
        elif r < 0.99:  # bank charges
            entry("OD", day, "626000", "", 0, ht // 100)
            entry("OD", day, "512000", "", 1, ht // 100)
        else:  # an interim (situation) entry: never counted
            entry("SIT", day, "707000", "", 1, ht)
            entry("SIT", day, "411000", tiers, 0, ht)
        if len(ec_rows) >= 50000:
            conn.executemany(f"INSERT INTO F_ECRITUREC VALUES ({', '.join('?' * 18)})", ec_rows)
            ec_rows.clear()
    conn.executemany(f"INSERT INTO F_ECRITUREC VALUES ({', '.join('?' * 18)})", ec_rows)
    conn.execute("COMMIT")
    conn.close()
    return {"path": str(path), "company": company, "name": name, "lines": n_lines, "documents": doc_no,
            "entries": ec_no, "customers": n_customers, "fiscal_year": (fy_cur[0], fy_cur[1])}


def build_demo_companies(folder, *, lines: int = 2000, as_of: _dt.date | None = None) -> list[dict]:
    """The demo's companies (DEMO_COMPANIES), one SQLite file each, in `folder`:
    [{"short_code", "dossier", "name", "path", ...}]."""
    out = []
    for short, dossier, name, seed in DEMO_COMPANIES:
        info = build_demo_database(Path(folder) / f"{short.lower()}.sqlite", seed=seed, lines=lines,
                                   as_of=as_of, company=short, name=name)
        out.append({"short_code": short, "dossier": dossier, **info})
    return out
