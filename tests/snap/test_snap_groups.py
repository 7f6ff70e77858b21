"""Snapshots of the Groups section: list empty and filled, the form, and one member refused."""

from __future__ import annotations

from bizsync_tui.engine.admin.config import CompanyData, save_company
from tests.snap.app_factory import SIZE, after_keys, make_app, open_ws, settle


def seed(data_dir, group: bool = True) -> None:
    ws = open_ws(data_dir)
    for code, name in (("BIJOU", "Bijou SA"), ("CAFE", "Cafe du Port SARL"), ("DELTA", "Delta Negoce")):
        save_company(ws, CompanyData(short_code=code, name=name, dossier=code, accounting_source="sqlite:/srv/a.db",
                                     commercial_source="sqlite:/srv/c.db", views=["sales_revenue"]))
    if group:
        save_company(ws, CompanyData(short_code="FAMILLE", name="Famille Bijou-Cafe", is_group=True,
                                     members=["BIJOU", "CAFE"], views=["sales_revenue", "top_customers_year"]))


def test_groups_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "data", start="groups"), terminal_size=SIZE, run_before=settle)


def test_groups_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")
    assert snap_compare(make_app(tmp_path / "data", start="groups"), terminal_size=SIZE, run_before=settle)


def test_group_form_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")


    assert snap_compare(make_app(tmp_path / "data", start="groups"), terminal_size=SIZE, run_before=after_keys("enter"))


def test_group_form_one_member_refused(snap_compare, tmp_path):
    seed(tmp_path / "data", group=False)

    async def one_member(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("F", "a", "m", "tab", "F", "A", "M", "tab", "space", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="groups"), terminal_size=SIZE, run_before=one_member)
