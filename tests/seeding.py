"""Records for tests, in one place: a company, a group and a mobile user with the usual defaults.

    company(ws, "BIJOU")                                 # Bijou SA, dossier BIJOU01, sales_revenue
    group(ws, "BOTH", ["BIJOU", "CAFE"])
    user(ws, "marie", grants={"BIJOU": "all"})

They go through engine.admin.config, as the TUI and the CLI do, so what a test seeds is
checked like anything an admin saves.
"""

from __future__ import annotations

from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user

ACCOUNTING = "sqlite:/srv/a.db"  # never opened by the tests that only list or edit companies
COMMERCIAL = "sqlite:/srv/c.db"


def company(ws, code: str, name: str | None = None, *, dossier: str | None = None,
            views=("sales_revenue",), accounting: str = ACCOUNTING, commercial: str = COMMERCIAL,
            **fields) -> CompanyData:
    return save_company(ws, CompanyData(short_code=code, name=name or f"{code.title()} SA",
                                        dossier=dossier if dossier is not None else f"{code}01",
                                        accounting_source=accounting, commercial_source=commercial,
                                        views=list(views), **fields))


def group(ws, code: str, members, name: str | None = None, *, views=("sales_revenue",), **fields) -> CompanyData:
    return save_company(ws, CompanyData(short_code=code, name=name or code.title(), is_group=True,
                                        members=list(members), views=list(views), **fields))


def user(ws, login: str, name: str | None = None, *, password: str = "secret-pass-1",
         grants: dict | None = None) -> UserData:
    return save_user(ws, UserData(login=login, name=name or login.title(), password=password,
                                  grants=grants or {}))
