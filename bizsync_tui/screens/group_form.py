"""The group form (Sage 1000 "families"): tabs Identification (name, short code,
the member checklist of companies, two or more) and Views. Returns the saved
CompanyData (is_group=True), or None if abandoned.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, SelectionList, TabPane

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.admin.config import CompanyData
from bizsync_tui.i18n import _
from bizsync_tui.screens.company_form import publish_switch_row
from bizsync_tui.screens.checklists import Checklist, compose_views_tab, require_views, selected_views, show_views
from bizsync_tui.screens.forms import EngineValidator, FieldMessage
from bizsync_tui.screens.record_form import RecordFormScreen, field_row


class GroupFormScreen(RecordFormScreen[CompanyData]):
    """New (model None) or existing group; `companies` = the companies that may be members."""

    FIELD_TABS = {"name": "tab-identification", "short_code": "tab-identification",
                  "members": "tab-identification", "views": "tab-views"}
    FIELD_WIDGETS = {"views": "views-accounting"}

    def __init__(self, model: CompanyData | None = None, companies: list[CompanyData] | None = None) -> None:
        super().__init__(model)
        self.companies = companies or []

    def form_title(self) -> str:
        if self.model is None or self.model.id is None:
            return _("New group")
        return _("Group {code}").format(code=self.model.short_code)

    def compose_tabs(self) -> ComposeResult:
        on_blur = ["blur", "submitted"]
        with TabPane(_("Identification"), id="tab-identification"):
            yield field_row(_("Group name"), Input(
                compact=True, id="name", max_length=69, validate_on=on_blur,
                validators=[EngineValidator(lambda v: validation.name(v, what="group name"))]), "name")
            yield field_row(_("Short code (on the phone)"), Input(
                compact=True, id="short-code", placeholder="GROUPE", max_length=17, validate_on=on_blur,
                validators=[EngineValidator(validation.short_code)]), "short_code")
            yield Label(_("Member companies (two or more; space ticks)"), classes="section-title")
            yield Checklist(*[(f"{c.short_code}  {c.name}", c.short_code, False) for c in self.companies],
                            id="members")
            yield FieldMessage("" if self.companies else _("No company yet: add companies first, then group them."),
                               id="members-error", classes="field-error", markup=False)
            yield publish_switch_row()
            yield Label(_("The group publishes the sum of its members; they must share fiscal year and currency."),
                        classes="hint")
        yield from compose_views_tab()

    def load(self, model: CompanyData) -> None:
        self.query_one("#name", Input).value = model.name or ""
        self.query_one("#short-code", Input).value = model.short_code or ""
        self.query_one("#enabled", Checkbox).value = model.enabled
        members = self.query_one("#members", SelectionList)
        known = {c.short_code for c in self.companies}
        for code in model.members:
            if code in known:
                members.select(code)
        show_views(self, model.views)

    def to_model(self) -> CompanyData:
        base = self.model or CompanyData(short_code="", name="", is_group=True)
        members = self.query_one("#members", SelectionList).selected
        return CompanyData(
            id=base.id, short_code=self.query_one("#short-code", Input).value.strip(),
            name=self.query_one("#name", Input).value.strip(), dossier="", accounting_source="",
            commercial_source="", views=selected_views(self),
            revenue_prefixes="", cash_prefixes="", enabled=self.query_one("#enabled", Checkbox).value, is_group=True,
            members=sorted(members))

    def validate(self, model: CompanyData) -> None:
        require_views(model)  # the Views tab: checked first, shown with the other refusals
        validation.name(model.name, what="group name")
        validation.short_code(model.short_code)
        # members: checked by engine.config.save_company, whose refusal shows beside the checklist

    def save_in_engine(self, model: CompanyData) -> CompanyData:
        from bizsync_tui.engine.admin.config import save_company

        return save_company(self.app.workspace, model)  # type: ignore[attr-defined]


__all__ = ["GroupFormScreen"]
