"""Settings > Schedule: the frequency, and the fields that frequency needs; the next
five planned runs are shown as the admin types (engine.scheduler.next_runs)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from bizsync_tui.i18n import _
from bizsync_tui.screens.forms import Field, FormPane
from bizsync_tui.screens.widgets import focus_now, translate_bindings


FREQUENCIES = (("none", "none"), ("daily", "every day"), ("workdays", "every working day"),
               ("weekly", "every week"))
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES_FR = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


class SchedulePane(FormPane):
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="schedule.save")]

    def __init__(self) -> None:
        super().__init__(id="schedule-pane")
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield Field("schedule.frequency", _("Frequency"), Select(
            [(_(label), key) for key, label in FREQUENCIES], value="none", allow_blank=False, compact=True,
            id="schedule-frequency"))
        yield Field("schedule.weekday", _("Weekday"), Select(
            [(_(d), d) for d in WEEKDAYS], value="monday", allow_blank=False, compact=True, id="schedule-weekday"),
            id="weekday-row")
        yield Field("schedule.times_per_day", _("Times per day"), id="schedule-times", max_length=2)
        yield Field("schedule.start", _("From (HH:MM)"), id="schedule-start", max_length=5)
        yield Field("schedule.interval_hours", _("Every (hours)"), id="schedule-interval", max_length=2)
        yield Field("schedule.holidays", _("Holidays (country)"), id="schedule-holidays",
                    placeholder="FR / none")
        with Horizontal(classes="form-buttons"):
            yield Button(_("Save"), id="schedule-save", variant="primary")
        yield Label(_("Next runs"), classes="help-heading")
        yield Static("", id="next-runs")

    def focus_first(self) -> None:
        focus_now(self.query_one("#schedule-frequency", Select))

    # -- form <-> settings ---------------------------------------------------
    def values(self) -> dict[str, str]:
        return {"schedule.frequency": str(self.query_one("#schedule-frequency", Select).value),
                "schedule.weekday": str(self.query_one("#schedule-weekday", Select).value),
                **super().values()}

    def changes(self) -> dict[str, str]:
        out = super().changes()
        if "schedule.holidays" in out and out["schedule.holidays"].strip() == "":
            out["schedule.holidays"] = "none"  # emptied by the admin; an untouched field is not sent
        return out

    def apply_loaded(self, data: dict[str, str]) -> None:
        self.query_one("#schedule-frequency", Select).value = data.get("schedule.frequency") or "none"
        self.query_one("#schedule-weekday", Select).value = data.get("schedule.weekday") or "monday"
        self._arrange()

    # a value the schedule's rule accepts, to find the next bad field once one is known
    _GOOD = {"schedule.times_per_day": "1", "schedule.start": "06:00", "schedule.interval_hours": "1"}

    def errors(self, changes: dict[str, str]) -> list[tuple[str, str]]:
        """Each field's own refusal, then the schedule's rule (engine.admin.validation.schedule)
        asked again with every field it refused set aside, so that three bad fields are
        shown after one Save."""
        from bizsync_tui.engine.admin.validation import ValidationError, schedule

        found = super().errors(changes)
        values = self.values()
        if values["schedule.frequency"] == "none":
            return found
        trial = {k: values[k] for k in ("schedule.frequency", "schedule.times_per_day", "schedule.start",
                                        "schedule.interval_hours")}
        if trial["schedule.times_per_day"].strip() in ("", "1") and not trial["schedule.interval_hours"].strip():
            trial["schedule.interval_hours"] = "1"  # hidden for one run a day: not the admin's to fix
        for _attempt in range(len(self._GOOD) + 1):
            try:
                schedule(*trial.values())
                break
            except ValidationError as exc:
                if exc.field not in self._GOOD or any(key == exc.field for key, _m in found):
                    if all(key != exc.field for key, _m in found):
                        found.append((exc.field, exc.message))
                    break
                found.append((exc.field, exc.message))
                trial[exc.field] = self._GOOD[exc.field]
        order = list(self.setting_keys())
        return sorted(found, key=lambda e: order.index(e[0]) if e[0] in order else len(order))

    # -- the fields that the frequency needs -----------------------------------
    def _arrange(self) -> None:
        values = self.values()
        frequency = values["schedule.frequency"]
        planned = frequency != "none"
        self.query_one("#weekday-row").display = frequency == "weekly"
        for fid in ("#schedule-times", "#schedule-start"):
            self.query_one(fid).display = planned
        try:
            several = int(values["schedule.times_per_day"] or "1") > 1
        except ValueError:
            several = True
        self.query_one("#schedule-interval").display = planned and several
        self.query_one("#schedule-holidays").display = frequency == "workdays"
        self._preview(values)

    @on(Select.Changed)
    def _select_changed(self) -> None:
        if self.ready:
            self._arrange()

    @on(Input.Changed)
    def _typed(self) -> None:
        if self.ready:
            self._arrange()

    @work(thread=True, exclusive=True, group="schedule-preview", exit_on_error=False)
    def _preview(self, values: dict[str, str]) -> None:
        from bizsync_tui.engine.admin.validation import ValidationError

        values = dict(values)
        if not values.get("schedule.holidays", "").strip():
            values["schedule.holidays"] = "none"
        try:
            from bizsync_tui.engine.schedule.plan import next_runs

            runs = next_runs(values, self.app.clock.now(), 5, self.app.tz)
            text = "\n".join(self._when(r) for r in runs) or _("No publication is planned.")
        except ValidationError as exc:
            text = exc.message
        self.app.call_from_thread(self.query_one("#next-runs", Static).update, Text(text))

    @staticmethod
    def _when(instant) -> str:
        from bizsync_tui.i18n import language

        day = DAY_NAMES_FR[instant.weekday()] if language() == "fr" else instant.strftime("%a")
        return f"{day} {instant.strftime('%Y-%m-%d %H:%M')}"

    def action_save(self) -> None:
        self.save()

    @on(Button.Pressed, "#schedule-save")
    def _save_pressed(self) -> None:
        self.save()
