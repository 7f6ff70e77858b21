"""The company form: tabs Identification (dossier, name, short code, the two
Sage sources each with a Test button, account prefixes) and Views (checklists,
accounting / commercial). Returns the saved CompanyData, or None if abandoned.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, Input, Static, TabPane

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.admin.config import CompanyData
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.i18n import _
from bizsync_tui.screens.checklists import compose_views_tab, require_views, selected_views, show_views
from bizsync_tui.screens.forms import EngineValidator
from bizsync_tui.screens.record_form import RecordFormScreen, field_row
from bizsync_tui.screens.source_picker import PickButton, SourceButtons, SourceInput, open_source_picker


class PublishSwitch(Checkbox):
    """The "À extraire" switch: its X shows only when it is on (Textual tells on from off by
    colour alone, which NO_COLOR or a monochrome terminal loses)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # per instance: on or off
        return "X" if self.value else " "


def publish_switch_row():
    """The form row of the switch (off: left out of publish-all and of the schedule)."""
    return field_row(_("Publish (À extraire)"), PublishSwitch(
        _("with every publication and the schedule"), value=True, compact=True, id="enabled"), "enabled")


def _source_field(value: str, field: str) -> None:
    validation.source(value, field)


class CompanyFormScreen(RecordFormScreen[CompanyData]):
    """New (model None) or existing company."""

    FIELD_TABS = {
        "dossier": "tab-identification", "name": "tab-identification", "short_code": "tab-identification",
        "accounting_source": "tab-identification", "commercial_source": "tab-identification",
        "revenue_prefixes": "tab-identification", "cash_prefixes": "tab-identification",
        "views": "tab-views",
    }
    FIELD_WIDGETS = {"views": "views-accounting"}

    def form_title(self) -> str:
        if self.model is None or self.model.id is None:
            return _("New company")
        return _("Company {code}").format(code=self.model.short_code)

    def compose_tabs(self) -> ComposeResult:
        on_blur = ["blur", "submitted"]
        with TabPane(_("Identification"), id="tab-identification"):
            yield field_row(_("Dossier number"), Input(
                compact=True, id="dossier", placeholder=_("e.g. BIJOU01"), max_length=17, validate_on=on_blur,
                validators=[EngineValidator(validation.dossier)]), "dossier")
            yield field_row(_("Company name"), Input(
                compact=True, id="name", max_length=69, validate_on=on_blur,
                validators=[EngineValidator(lambda v: validation.name(v, what="company name"))]), "name")
            yield field_row(_("Short code (on the phone)"), Input(
                compact=True, id="short-code", placeholder=_("e.g. BIJOU"), max_length=17, validate_on=on_blur,
                validators=[EngineValidator(validation.short_code)]), "short_code")
            for field, label in (("accounting_source", _("Accounting file (source)")),
                                 ("commercial_source", _("Commercial file (source)"))):
                wid = field.replace("_", "-")
                yield field_row(label, SourceInput(
                    compact=True, id=wid, placeholder=_("e.g. sqlite:/path/file.db or mssql://host/db"),
                    validate_on=on_blur, validators=[EngineValidator(lambda v, f=field: _source_field(v, f))]),
                    field, extra=SourceButtons(Button(_("Test"), id=f"test-{wid}", compact=True),
                                               PickButton(_("Pick"), id=f"pick-{wid}", compact=True)))
            yield field_row(_("Revenue account prefixes"), Input(
                compact=True, id="revenue-prefixes", value="70", placeholder=_("e.g. 70 or 70,71"), validate_on=on_blur,
                validators=[EngineValidator(lambda v: validation.prefixes(v, "revenue_prefixes"))]), "revenue_prefixes")
            yield field_row(_("Cash account prefixes"), Input(
                compact=True, id="cash-prefixes", placeholder=_("optional, e.g. 53,54"), validate_on=on_blur,
                validators=[EngineValidator(lambda v: validation.prefixes(v, "cash_prefixes"))]), "cash_prefixes")
            yield publish_switch_row()
        yield from compose_views_tab()

    # -- model <-> widgets -------------------------------------------------------------------
    def load(self, model: CompanyData) -> None:
        for wid, value in (("dossier", model.dossier), ("name", model.name), ("short-code", model.short_code),
                           ("accounting-source", model.accounting_source),
                           ("commercial-source", model.commercial_source),
                           ("revenue-prefixes", model.revenue_prefixes), ("cash-prefixes", model.cash_prefixes)):
            self.query_one(f"#{wid}", Input).value = value or ""
        self.query_one("#enabled", Checkbox).value = model.enabled
        show_views(self, model.views)

    def _value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def to_model(self) -> CompanyData:
        base = self.model or CompanyData(short_code="", name="")
        return CompanyData(
            id=base.id, short_code=self._value("short-code"), name=self._value("name"),
            dossier=self._value("dossier"), accounting_source=self._value("accounting-source"),
            commercial_source=self._value("commercial-source"),
            views=selected_views(self),
            revenue_prefixes=self._value("revenue-prefixes").replace(" ", ""),
            cash_prefixes=self._value("cash-prefixes").replace(" ", ""),
            enabled=self.query_one("#enabled", Checkbox).value, is_group=False, members=[])

    def validate(self, model: CompanyData) -> None:
        require_views(model)  # the Views tab: checked first, shown with the other refusals
        validation.dossier(model.dossier)
        validation.name(model.name, what="company name")
        validation.short_code(model.short_code)
        validation.source(model.accounting_source, "accounting_source")
        validation.source(model.commercial_source, "commercial_source")
        validation.prefixes(model.revenue_prefixes, "revenue_prefixes")
        validation.prefixes(model.cash_prefixes, "cash_prefixes")

    def save_in_engine(self, model: CompanyData) -> CompanyData:
        from bizsync_tui.engine.admin.config import save_company

        return save_company(self.app.workspace, model)  # type: ignore[attr-defined]

    # -- Test buttons ------------------------------------------------------------------------
    @on(Button.Pressed, "#test-accounting-source")
    def _test_accounting(self, event: Button.Pressed) -> None:
        event.stop()
        self.test_source("accounting_source")

    @on(Button.Pressed, "#test-commercial-source")
    def _test_commercial(self, event: Button.Pressed) -> None:
        event.stop()
        self.test_source("commercial_source")

    @on(Button.Pressed, "#pick-accounting-source, #pick-commercial-source")
    def _pick_source(self, event: Button.Pressed) -> None:  # the picker (Ctrl+O in the field)
        event.stop()
        open_source_picker(self, (event.button.id or "")[len("pick-"):].replace("-", "_"))

    def test_source(self, field: str) -> None:
        wid = field.replace("_", "-")
        label = self.query_one(f"#{field}-error", Static)
        value = self._value(wid)
        try:
            spec = validation.source(value, field)
        except ValidationError as exc:
            self.show_error(field, _(exc.message))
            return
        self.query_one(f"#{wid}", Input).remove_class("-invalid")
        label.remove_class("-ok")
        label.update(_("Testing the source..."))
        self._test_worker(field, spec)

    @work(thread=True, group="test-source", exit_on_error=False, description="test source")
    def _test_worker(self, field: str, spec) -> None:
        from bizsync_tui.engine.checks import test_source
        from bizsync_tui.engine.sage.sources import SourceError

        ws = self.app.workspace  # type: ignore[attr-defined]
        user = ws.settings.get("database.user") or None
        password = ws.settings.get_secret("database.password") or None
        try:
            text = test_source(spec, user, password)
            ok = True
        except SourceError as exc:
            text, ok = str(exc), False
        except Exception as exc:  # anything unexpected still ends in words, not a crash
            text, ok = str(exc), False
        self.app.call_from_thread(self._tested, field, ok, text)

    def _tested(self, field: str, ok: bool, text: str) -> None:
        label = self.query_one(f"#{field}-error", Static)
        label.set_class(ok, "-ok")
        label.update(text)


__all__ = ["CompanyFormScreen"]
