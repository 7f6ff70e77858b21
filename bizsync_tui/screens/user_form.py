"""The mobile-user form: tabs Identification (name, login, password typed
twice, a generated strong password shown once) and Views (choose a company or
group, then tick the views it publishes that this user may see).
Returns the saved UserData, or None if abandoned.
"""

from __future__ import annotations

import secrets
import string

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, SelectionList, TabPane
from textual.widgets.option_list import Option

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.admin.config import CompanyData, UserData
from bizsync_tui.i18n import _, language, pgettext
from bizsync_tui.screens.dialogs import MessageDialog
from bizsync_tui.screens.checklists import Checklist
from bizsync_tui.screens.forms import EngineValidator, FieldMessage
from bizsync_tui.screens.record_form import RecordFormScreen, field_row


#: letters and digits without the look-alikes 0 O o 1 l I, plus a few symbols easy to type on a phone
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0Oo1lI") + "-_.!"


def generate_password(length: int = 16) -> str:
    """A strong random password (secrets module): ~95 bits for 16 characters, with at least
    one lower-case letter, one upper-case letter and one digit."""
    while True:
        pw = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(length))
        if any(c.islower() for c in pw) and any(c.isupper() for c in pw) and any(c.isdigit() for c in pw):
            return pw


class GrantsChecklist(Checklist):
    BINDINGS = [
        Binding("a", "select_all_views", "Select all", id="grants.all"),
        Binding("n", "deselect_all_views", "Select none", id="grants.none"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        from bizsync_tui.screens.dialogs import translate_bindings

        translate_bindings(self)

    def action_select_all_views(self) -> None:
        self.select_all()

    def action_deselect_all_views(self) -> None:
        self.deselect_all()


class UserFormScreen(RecordFormScreen[UserData]):
    """New (model None) or existing user; `companies` = companies and groups that may be granted."""

    FIELD_TABS = {"name": "tab-identification", "login": "tab-identification", "password": "tab-identification",
                  "password_confirm": "tab-identification", "grants": "tab-views"}
    FIELD_WIDGETS = {"grants": "grant-companies"}

    BINDINGS = [Binding("ctrl+g,f3", "generate_password", "Generate password", id="user.generate")]

    def __init__(self, model: UserData | None = None, companies: list[CompanyData] | None = None) -> None:
        super().__init__(model)
        self.companies = companies or []
        self.grants: dict[str, list[str]] = {k: list(v) for k, v in (model.grants if model else {}).items()}
        self.current_code: str | None = None

    def form_title(self) -> str:
        if self.model is None or self.model.id is None:
            return _("New mobile user")
        return _("User {login}").format(login=self.model.login)

    def compose_tabs(self) -> ComposeResult:
        on_blur = ["blur", "submitted"]
        existing = self.model is not None and self.model.id is not None
        with TabPane(_("Identification"), id="tab-identification"):
            yield field_row(pgettext("user", "Name"), Input(
                compact=True, id="name", max_length=69, validate_on=on_blur,
                validators=[EngineValidator(lambda v: validation.name(v, what="user name"))]), "name")
            yield field_row(_("Login"), Input(
                compact=True, id="login", max_length=64, placeholder=_("letters, digits and . _ @ -"), validate_on=on_blur,
                validators=[EngineValidator(validation.login)]), "login")
            hint = _("leave empty to keep the current password") if existing else _("at least 8 characters")
            yield field_row(_("Password"), Input(compact=True, id="password", password=True, placeholder=hint),
                            "password", extra=Button(_("Generate"), id="generate", compact=True))
            yield field_row(_("Password again"), Input(compact=True, id="password-confirm", password=True),
                            "password_confirm")
        with TabPane(_("Views"), id="tab-views"):
            with Horizontal(id="grants-panes"):
                with Vertical(id="grant-companies-box"):
                    yield Label(_("Company or group"), classes="section-title")
                    yield OptionList(*[Option(f"{c.short_code}  {c.name}", id=c.short_code) for c in self.companies],
                                     id="grant-companies")
                with Vertical(id="grant-views-box"):
                    yield Label(_("Views this user may see"), id="grant-views-title", classes="section-title")
                    yield Label(_("Space ticks, a all, n none."), classes="hint")
                    yield GrantsChecklist(id="grant-views")
                    yield FieldMessage("" if self.companies else _("No company yet: add a company first."),
                                       id="grants-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        if self.companies:
            self.query_one("#grant-companies", OptionList).highlighted = 0

    # -- grants ---------------------------------------------------------------------------------
    def _company(self, code: str) -> CompanyData | None:
        return next((c for c in self.companies if c.short_code == code), None)

    def _keep_current(self) -> None:
        if self.current_code is not None:
            chosen = list(self.query_one("#grant-views", SelectionList).selected)
            company = self._company(self.current_code)
            order = list(company.views) if company else catalogue.VIEW_IDS
            self.grants[self.current_code] = [v for v in order if v in chosen]

    @on(OptionList.OptionHighlighted, "#grant-companies")
    def _company_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_company(event.option.id)

    def show_company(self, code: str | None) -> None:
        self._keep_current()
        self.current_code = code
        checklist = self.query_one("#grant-views", SelectionList)
        checklist.clear_options()
        company = self._company(code) if code else None
        message = self.query_one("#grants-error", FieldMessage)
        if company is None:
            return
        lang = language()
        granted = set(self.grants.get(code, []))
        checklist.add_options([(catalogue.get(v).label(lang), v, v in granted) for v in company.views])
        if company.views:  # rebuilt options start with no highlight: Space would tick nothing
            checklist.highlighted = 0
        self.query_one("#grant-views-title", Label).update(
            _("Views of {code} this user may see").format(code=code))
        message.update("" if company.views else
                       _("{code} publishes no view yet: tick its views in its form first.").format(code=code))

    # -- model <-> widgets -------------------------------------------------------------------
    def load(self, model: UserData) -> None:
        self.query_one("#name", Input).value = model.name or ""
        self.query_one("#login", Input).value = model.login or ""

    def to_model(self) -> UserData:
        if self.is_mounted:
            self._keep_current()
        base = self.model or UserData(login="", name="")
        password = self.query_one("#password", Input).value
        grants = {code: ids for code, ids in sorted(self.grants.items()) if ids}
        return UserData(id=base.id, login=self.query_one("#login", Input).value.strip(),
                        name=self.query_one("#name", Input).value.strip(),
                        password=password or None, grants=grants)

    def validate(self, model: UserData) -> None:
        validation.name(model.name, what="user name")
        validation.login(model.login)
        confirm = self.query_one("#password-confirm", Input).value
        if model.password or confirm or model.id is None:
            validation.user_password(model.password or "", confirm)

    def save_in_engine(self, model: UserData) -> UserData:
        from bizsync_tui.engine.admin.config import save_user

        return save_user(self.app.workspace, model)  # type: ignore[attr-defined]

    # -- generated password ----------------------------------------------------------------------
    @on(Button.Pressed, "#generate")
    def _generate_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_generate_password()

    def action_generate_password(self) -> None:
        password = generate_password()
        self.query_one("#password", Input).value = password
        self.query_one("#password-confirm", Input).value = password
        for field in ("password", "password_confirm"):
            self.query_one(f"#{field}-error", FieldMessage).update("")
        self.app.push_screen(MessageDialog(
            _("Generated password"),
            _("The new password of this user is:\n\n    {password}\n\nWrite it down or copy it now and give it to "
              "the user: it will not be shown again. It is saved when you save the form.").format(password=password),
            copy_text=password))


__all__ = ["UserFormScreen", "generate_password"]
