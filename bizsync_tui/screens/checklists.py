"""Checklists: `Checklist` (a SelectionList whose box shows X only when ticked),
`ViewsChecklist` (view ids, a/n for all / none), and the Views tab of the company and group
forms (compose_views_tab, show_views, selected_views, require_views).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, SelectionList, TabPane
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.i18n import _, language
from bizsync_tui.screens.dialogs import translate_bindings
from bizsync_tui.screens.forms import FieldMessage


class Checklist(SelectionList[str]):
    """A SelectionList whose box shows X only when ticked: Textual draws an X in every box and
    tells ticked from not by colour alone, which NO_COLOR or a monochrome terminal loses."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self._selected or len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
        return Strip(segments, strip.cell_length)


class ViewsChecklist(Checklist):
    """A checklist of view ids; a ticks all, n unticks all, space toggles."""

    BINDINGS = [
        Binding("a", "select_all_views", "Select all", id="views.all"),
        Binding("n", "deselect_all_views", "Select none", id="views.none"),
    ]

    def __init__(self, views: list[catalogue.View], selected: list[str] | tuple[str, ...] = (), *,
                 id: str | None = None) -> None:
        lang = language()
        super().__init__(*[(v.label(lang), v.id, v.id in selected) for v in views], id=id)
        translate_bindings(self)
        self.view_ids = [v.id for v in views]

    def show_views(self, view_ids) -> None:
        """Tick exactly these views (ids of other checklists are ignored)."""
        self.deselect_all()
        for view_id in view_ids:
            if view_id in self.view_ids:
                self.select(view_id)

    def action_select_all_views(self) -> None:
        self.select_all()

    def action_deselect_all_views(self) -> None:
        self.deselect_all()


def compose_views_tab() -> ComposeResult:
    """The Views tab of the company and group forms: accounting and commercial checklists."""
    with TabPane(_("Views"), id="tab-views"):
        yield Label(_("Tick the views to publish (space ticks, a all, n none)."), classes="hint")
        yield Label(_("Accounting views"), classes="section-title")
        yield ViewsChecklist(list(catalogue.views_of(catalogue.ACCOUNTING)), id="views-accounting")
        yield Label(_("Commercial views"), classes="section-title")
        yield ViewsChecklist(list(catalogue.views_of(catalogue.COMMERCIAL)), id="views-commercial")
        yield FieldMessage("", id="views-error", classes="field-error", markup=False)


def show_views(screen: Widget, view_ids) -> None:
    for checklist in screen.query(ViewsChecklist):
        checklist.show_views(view_ids)


def selected_views(screen: Widget) -> list[str]:
    """The ticked view ids of the screen's checklists, in catalogue order."""
    selected: set[str] = set()
    for checklist in screen.query(ViewsChecklist):
        selected.update(checklist.selected)
    return [v for v in catalogue.VIEW_IDS if v in selected]


def require_views(model) -> None:
    """A company or group switched on for publishing needs a view: with none it would publish
    nothing while the wizard counts it as ready (issue 11 item 6)."""
    if not model.views and model.enabled:
        raise ValidationError("views", _("Tick at least one view in this tab: with none, {code} would publish "
                                         "nothing to the phones.").format(code=model.short_code or "-"))


__all__ = ["Checklist", "ViewsChecklist", "compose_views_tab", "require_views", "selected_views", "show_views"]
