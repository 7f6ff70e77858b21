"""The publication wizard: 1. what is ready (each missing item opens its screen),
2. publish or update / delete the platform data, 3. one company or all; Finish runs
engine.runner.run in a worker with a progress bar, then shows the report."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Label, ProgressBar, RadioSet, Static

from bizsync_tui.i18n import _
from bizsync_tui.messages import JournalChanged, NavigateTo, PublishFinished, PublishProgress
from bizsync_tui.screens.dialogs import ConfirmDialog
from bizsync_tui.engine.journal import operation_name
from bizsync_tui.screens.widgets import ChoiceButton, focus_now, translate_bindings


def report_headline(report) -> tuple[str, str]:
    """(headline, kind) of a finished run, from the engine's RunReport: kind 'ok', 'warning'
    (it ran, but the phones get nothing: RunReport.reaches_nobody()) or 'error'."""
    summary = report.summary()
    if not report.ok:
        return _("Failed: {summary}").format(summary=summary), "error"
    nobody = report.reaches_nobody()
    if nobody == "views":
        return _("Nothing was published: no company had a view to send. Tick views in Companies (F5). "
                 "{summary}").format(summary=summary), "warning"
    if nobody == "users":
        return _("Published, but nobody can read it yet: no mobile user was sent. Add them in Users (F7), "
                 "then publish again. {summary}").format(summary=summary), "warning"
    return _("Done: {summary}").format(summary=summary), "ok"


EN = {
    "STEP1_HINT": "Ticked items are ready. Set up opens the screen of a missing item.",
    "DELETE_ALL_NOTE": "With all companies, everything this client published is removed from the platform "
                       "(publications and users).",
}

ITEMS = (("portal", "Portal credentials", "connection"), ("companies", "Companies", "companies"),
         ("database", "Management-database credentials", "connection"), ("users", "Mobile users", "users"),
         ("schedule", "Schedule (optional)", "schedule"))
TITLES = {1: "Step 1 of 3: what is ready", 2: "Step 2 of 3: what to do", 3: "Step 3 of 3: which company",
          4: "Publication"}


def text(key: str) -> str:
    value = _(key)
    return EN.get(key, value) if value == key else value


@dataclass
class WizardState:
    step: int = 1
    ready: dict | None = None  # readiness key -> done
    action: str = "publish"  # publish | delete
    target: str | None = None  # short code, None = all
    running: bool = False
    finished: bool = False

    def validate(self) -> str | None:
        """Why the current step cannot go on, or None."""
        ready = self.ready or {}
        if self.step == 1 and not ready.get("portal"):
            return _("Set the portal credentials first (Set up, beside it).")
        if self.step == 2 and self.action == "publish":
            missing = [_(label) for key, label, _s in ITEMS if key in ("companies", "database") and not ready.get(key)]
            if missing:
                return _("Publishing needs: {missing}. Set them up in step 1.").format(missing=", ".join(missing))
        return None


class WizardPane(Vertical):
    BINDINGS = [
        Binding("b", "back", "Back", id="wizard.back"),
        Binding("n", "next", "Next", id="wizard.next"),
        Binding("f", "finish", "Finish", id="wizard.finish"),
    ]

    def __init__(self) -> None:
        super().__init__(id="wizard-pane")
        translate_bindings(self)
        self.state = WizardState()
        self.companies: list = []
        self.report = None
        self._pending: list[str] = []  # b/n/f typed before the checklist was read
        self._want_focus = False  # focus the step once the checklist is read

    def compose(self) -> ComposeResult:
        yield Label(_(TITLES[1]), id="wizard-title", classes="wizard-title")
        with ContentSwitcher(initial="step-1", id="wizard-steps"):
            with Vertical(id="step-1", classes="wizard-step"):
                yield Static(text("STEP1_HINT"), classes="section-hint")
                for key, label, _section in ITEMS:
                    with Horizontal(classes="check-row", id=f"check-{key}"):
                        yield Label(f"[ ] {_(label)}", id=f"check-label-{key}", markup=False)
                        yield Button(_("Set up"), id=f"go-{key}", classes="go-button")
            with Vertical(id="step-2", classes="wizard-step"):
                with RadioSet(id="wizard-action"):
                    yield ChoiceButton(_("Publish or update the platform data"), id="action-publish", value=True)
                    yield ChoiceButton(_("Delete the platform data"), id="action-delete")
            with Vertical(id="step-3", classes="wizard-step"):
                yield RadioSet(id="wizard-target")
                yield Static("", id="wizard-target-note", classes="section-hint")
            with Vertical(id="step-4", classes="wizard-step"):
                yield Static(_("Publishing..."), id="wizard-running")
                yield ProgressBar(total=None, show_eta=False, id="wizard-progress")
                with VerticalScroll(id="wizard-report"):
                    yield Static("", id="wizard-report-text")
        yield Static("", id="wizard-message", classes="form-message -error")
        with Horizontal(classes="wizard-buttons"):
            yield Button(_("Back"), id="wizard-back")
            yield Button(_("Next"), id="wizard-next", variant="primary")
            yield Button(_("Finish"), id="wizard-finish", variant="success")
            yield Button(_("Start again"), id="wizard-restart")
            yield Button(_("Open the journal"), id="wizard-journal")

    def on_mount(self) -> None:
        self._arrange()
        self.load()

    def focus_first(self) -> None:
        self._want_focus = self.state.ready is None  # focus again once the checklist is known
        self._focus_step()

    def has_unsaved_changes(self) -> bool:
        return self.state.running

    # -- data -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="wizard-load", exit_on_error=False)
    def load(self) -> None:
        from bizsync_tui.engine.admin.config import list_companies, readiness

        ws = self.app.workspace
        ready = {item.key: item.done for item in readiness(ws)}
        companies = [(c.short_code, c.name, c.is_group) for c in list_companies(ws, groups=None)]
        self.app.call_from_thread(self._loaded, ready, companies)

    def _loaded(self, ready: dict, companies: list) -> None:
        self.state.ready = ready
        self.companies = companies
        for key, label, _section in ITEMS:
            done = ready.get(key, False)
            self.query_one(f"#check-label-{key}", Label).update(Text(f"[{'x' if done else ' '}] {_(label)}"))
            self.query_one(f"#go-{key}", Button).display = not done
        self.call_later(self._rebuild_targets, companies)
        self._arrange()
        focused = self.screen.focused
        if self._want_focus or (focused is not None and focused in self.walk_children()
                                                    and not focused.display):
            self._want_focus = False
            self._focus_step()  # at once: the focused Set up button may just have been hidden
        pending, self._pending = self._pending, []
        for action in pending:
            getattr(self, f"action_{action}")()

    async def _rebuild_targets(self, companies: list) -> None:
        """A new RadioSet (its keyboard cursor starts on the pressed button only when built whole)."""
        buttons = [ChoiceButton(_("All companies and groups"), value=self.state.target is None, id="target-all")]
        buttons += [ChoiceButton(Text(f"{code}  {name}"), value=self.state.target == code, id=f"target-{code}")
                    for code, name, _g in companies]
        old = self.query_one("#wizard-target", RadioSet)
        had_focus = self.screen.focused is old
        if had_focus:  # meanwhile on a widget of the wizard (not the tree): b/n/f still work
            focus_now(self.query_one("#wizard-back", Button))
        await old.remove()
        new = RadioSet(*buttons, id="wizard-target")
        await self.query_one("#step-3").mount(new, before=0)
        if self.state.step == 3 and (had_focus or self.screen.focused in (None, self.query_one("#wizard-back"))):
            focus_now(new)

    # -- steps ------------------------------------------------------------------------
    def _arrange(self) -> None:
        st = self.state
        self.query_one("#wizard-title", Label).update(_(TITLES[st.step]))
        self.query_one(ContentSwitcher).current = f"step-{st.step}"
        show = {
            "#wizard-back": st.step in (2, 3),
            "#wizard-next": st.step in (1, 2),
            "#wizard-finish": st.step == 3,
            "#wizard-restart": st.step == 4 and st.finished,
            "#wizard-journal": st.step == 4 and st.finished,
        }
        for selector, visible in show.items():
            self.query_one(selector, Button).display = visible
        reason = st.validate() if st.ready is not None and st.step in (1, 2) else None
        self.query_one("#wizard-next", Button).disabled = reason is not None
        self.query_one("#wizard-message", Static).update(reason or "")
        note = text("DELETE_ALL_NOTE") if st.action == "delete" and st.target is None else ""
        self.query_one("#wizard-target-note", Static).update(note)
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        st = self.state
        if st.ready is None and action in ("back", "next", "finish"):
            return True  # the checklist is being read: the key is kept until it is
        if st.step == 4 and action in ("back", "next", "finish"):
            return False  # the report page: the keys are not offered (Start again / Open the journal)
        if action == "back":
            return st.step in (2, 3) or None
        if action == "next":
            if st.step not in (1, 2):
                return None
            return (st.ready is not None and st.validate() is None) or None
        if action == "finish":
            return st.step == 3 or None
        return True

    def action_back(self) -> None:
        if self.state.ready is None:
            self._pending.append("back")
            return
        if self.state.step in (2, 3):
            self.state.step -= 1
            self._arrange()
            self._focus_step()

    def action_next(self) -> None:
        st = self.state
        if st.ready is None:
            self._pending.append("next")
            return
        if st.step in (1, 2) and st.validate() is None:
            st.step += 1
            self._arrange()
            self._focus_step()

    def _focus_step(self) -> None:
        """Focus the current step at once (not after a refresh): the step just hidden took
        the focus with it, and a key typed before the new step had it would be lost."""
        st = self.state
        if st.step == 1:
            target = next((b for b in self.query(".go-button") if b.display), None) or self.query_one("#wizard-next")
        else:
            target = self.query_one({2: "#wizard-action", 3: "#wizard-target"}.get(st.step, "#wizard-report"))
        focus_now(target)

    @on(RadioSet.Changed, "#wizard-action")
    def _action_changed(self, event: RadioSet.Changed) -> None:
        self.state.action = "delete" if event.pressed.id == "action-delete" else "publish"
        self._arrange()

    @on(RadioSet.Changed, "#wizard-target")
    def _target_changed(self, event: RadioSet.Changed) -> None:
        pid = event.pressed.id or "target-all"
        self.state.target = None if pid == "target-all" else pid.removeprefix("target-")
        self._arrange()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid.startswith("go-"):
            key = bid.removeprefix("go-")
            section = next(s for k, _l, s in ITEMS if k == key)
            self.post_message(NavigateTo(section))
        elif bid == "wizard-back":
            self.action_back()
        elif bid == "wizard-next":
            self.action_next()
        elif bid == "wizard-finish":
            self.action_finish()
        elif bid == "wizard-restart":
            self.state = WizardState()
            self.query_one("#wizard-report-text", Static).update("")
            self._arrange()
            self._want_focus = True
            self._focus_step()
            self.load()
        elif bid == "wizard-journal":
            self.post_message(NavigateTo("journal"))

    # -- the run ------------------------------------------------------------------------
    def action_finish(self) -> None:
        st = self.state
        if st.ready is None:
            self._pending.append("finish")
            return
        if st.step != 3 or st.running:
            return
        if st.action == "delete":  # nothing is deleted on the platform without a question
            if st.target is None:
                title = _("Delete everything on the platform?")
                message = _("Everything this client published is removed from the platform: every company's "
                            "publication and the mobile users. The phones will show nothing until the next "
                            "publication.")
                confirm = _("Delete everything")
            else:
                title = _("Delete the platform data of {code}?").format(code=st.target)
                message = _("The publication of {code} is removed from the platform: its mobile users will see "
                            "nothing for {code} until the next publication.").format(code=st.target)
                confirm = _("Delete data")

            def answered(yes: bool | None) -> None:
                if yes and self.state is st and st.step == 3 and not st.running:
                    self._start_run()

            self.app.push_screen(ConfirmDialog(title, message, confirm=confirm), answered)
            return
        self._start_run()

    def _start_run(self) -> None:
        st = self.state
        st.step, st.running, st.finished = 4, True, False
        self.query_one("#wizard-running", Static).update(_("Publishing..."))
        self.query_one("#wizard-progress", ProgressBar).update(total=None, progress=0)
        self._arrange()
        self._focus_step()
        self.app.pause_scheduler(True)
        self._run(st.action, st.target)

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False, description="publication wizard")
    def _run(self, action: str, target: str | None) -> None:
        try:
            from bizsync_tui.engine.publish.runner import run

            report = run(self.app.workspace, action, target, trigger="wizard",
                         progress=lambda done, total, label: self.post_message(PublishProgress(done, total, label)))
            self.post_message(PublishFinished(report=report))
        except Exception as exc:  # noqa: BLE001 - the runner journals its own failures
            self.post_message(PublishFinished(error=_("The publication could not run: {error}").format(
                error=type(exc).__name__)))

    @on(PublishProgress)
    def _progress(self, message: PublishProgress) -> None:
        bar = self.query_one("#wizard-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        if message.label:
            self.query_one("#wizard-running", Static).update(Text(message.label))

    @on(PublishFinished)
    def _finished(self, message: PublishFinished) -> None:
        self.app.pause_scheduler(False)
        st = self.state
        st.running, st.finished = False, True
        self.report = message.report
        bar = self.query_one("#wizard-progress", ProgressBar)
        if message.report is not None:
            report = message.report
            bar.update(total=max(len(report.results), 1), progress=max(len(report.results), 1))
            head, kind = report_headline(report)
            width = max([len(operation_name(r.operation)) for r in report.results] + [10])
            lines = [f"{' ' if r.success else '✗'} {operation_name(r.operation):{width}} {r.company or '-':9} "
                     f"{r.message}" for r in report.results]
            running = self.query_one("#wizard-running", Static)
            running.update(Text(head))
            running.set_class(kind == "warning", "-warning")
            running.set_class(kind == "error", "-error")
            self.query_one("#wizard-report-text", Static).update(Text("\n".join(lines)))
        else:
            self.query_one("#wizard-running", Static).update(Text(message.error or ""))
        self._arrange()
        self.app.post_message(JournalChanged())
        focus_now(self.query_one("#wizard-journal", Button))
