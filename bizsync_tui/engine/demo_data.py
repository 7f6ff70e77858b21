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
