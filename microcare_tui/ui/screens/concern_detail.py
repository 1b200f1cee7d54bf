"""One concern, complaint or compliment: its details in words; `v` shows the restricted notes
after saying they are restricted; `c` closes it with an outcome and a date."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Select, Static

from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.domain.parse import format_date
from microcare_tui.services import concerns
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField

RESTRICTED_WARNING = (
    "These notes are restricted: they may name members of the public or hold details of a "
    "safeguarding matter. Show them only if you need them for this work, with nobody "
    "looking over your shoulder. Show them now?"
)


class CloseConcernDialog(AppAccess, ModalScreen[concerns.ConcernLine | None]):
    """The outcome (type a letter) and the date it was closed; enter closes it (a problem is
    explained in place and nothing is saved), escape cancels."""

    DEFAULT_CSS = """
    CloseConcernDialog { align: center middle; }
    CloseConcernDialog > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    CloseConcernDialog #close-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "close_it", "Close it", priority=True),
    ]

    def __init__(self, concern_id: str, what: str, today: str) -> None:
        super().__init__()
        self.concern_id = concern_id
        self.what = what
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Close: {self.what}", classes="page-title", markup=False)
            yield Static("Outcome (u upheld, p partly upheld, n not upheld / no further action)",
                         classes="muted")  # fmt: skip
            yield KeySelect(concerns.outcome_choices(), id="close-outcome", prompt="(choose)",
                            compact=True)  # fmt: skip
            yield Static("Closed on", classes="muted")
            yield TextField(self.today, id="close-date", compact=True)
            yield Static("", id="close-error", markup=False)
            yield Static("Enter on the date (or ctrl+s) closes it; escape cancels.",
                         classes="muted")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#close-outcome", Select).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_close_it()

    def action_close_it(self) -> None:
        value = self.query_one("#close-outcome", Select).value
        outcome = None if value is Select.NULL else str(value)
        closed_on = self.query_one("#close-date", Input).value
        try:
            closed = concerns.close_concern(
                self.mc.store, self.concern_id, outcome, closed_on, self.mc.today()
            )
        except ValidationFailed as exc:
            self.query_one("#close-error", Static).update(
                "\n".join(f"! {message}" for message in exc.errors.values())
            )
            self.app.bell()
            return
        self.dismiss(closed)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConcernDetailScreen(AppAccess, Screen[None]):
    """A concern's details; restricted notes stay hidden until asked for and confirmed."""

    HELP = (
        "A concern, complaint or compliment. v shows the restricted notes (after a warning: "
        "they are restricted, and never go into reports or exports); c closes an open one "
        "with its outcome and the date; q starts a complaint-triggered QA check of the "
        "provider; escape goes back."
    )
    title_text = "Concern"
    DEFAULT_CSS = """
    ConcernDetailScreen #concern-page { height: 1fr; padding: 0 1; }
    ConcernDetailScreen #concern-notes { margin-top: 1; height: auto; }
    """
    BINDINGS = [
        Binding("v", "reveal", "Restricted notes"),
        Binding("c", "close_concern", "Close"),
        Binding("q", "qa_check", "QA check"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, concern_id: str) -> None:
        super().__init__()
        self.concern_id = concern_id
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(id="concern-page"):
            yield Static("", id="concern-title", classes="page-title", markup=False)
            yield Static("", id="concern-fields")
            yield Static("", id="concern-notes")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            line = concerns.concern_line(self.mc.store, self.concern_id)
        except NotFound as exc:
            self.notify(exc.message, severity="warning")
            self.dismiss(None)
            return
        self.line = line
        self.query_one("#concern-title", Static).update(f"{line.kind_text}: {line.summary}")
        fields = [
            ("Status", line.status_text),
            ("Raised on", line.raised_on),
            ("Raised by", line.raised_by),
            ("Severity", line.severity),
            ("Safeguarding team", line.referred or ("not referred" if line.is_open else "")),
            ("Outcome", line.outcome),
            ("Closed on", line.closed_on if line.kind != "compliment" else ""),
        ]
        shown = [f"[b]{name}[/]: {escape(value)}" for name, value in fields if value]
        self.query_one("#concern-fields", Static).update("\n".join(shown))
        if not self.revealed:
            hidden = (
                "Restricted notes: hidden. Press v to show them."
                if line.has_restricted_notes
                else "No restricted notes."
            )
            self.query_one("#concern-notes", Static).update(hidden)

    def action_reveal(self) -> None:
        if not self.line.has_restricted_notes:
            self.notify("This concern has no restricted notes.")
            return

        def answered(show: bool | None) -> None:
            if not show:
                return
            notes = concerns.restricted_notes(self.mc.store, self.concern_id)
            self.revealed = True
            self.query_one("#concern-notes", Static).update(
                f"[b]Restricted notes[/] (never in reports or exports):\n{escape(notes)}"
            )

        self.app.push_screen(ConfirmDialog(RESTRICTED_WARNING, "Show", "Keep hidden"), answered)

    def action_close_concern(self) -> None:
        if not self.line.is_open:
            self.notify("It is not open: nothing to close.")
            return
        today = format_date(self.mc.today())
        what = f"{self.line.kind_text}: {self.line.summary}"

        def answered(closed: concerns.ConcernLine | None) -> None:
            if closed is None:
                return
            self.mc.data_changed("concerns")
            self.notify(f"Closed: {closed.outcome.lower()} on {closed.closed_on}.", markup=False)

        self.app.push_screen(CloseConcernDialog(self.concern_id, what, today), answered)

    def action_qa_check(self) -> None:
        """A QA check prompted by this concern or complaint."""
        from microcare_tui.ui.screens.qa_check import QACheckScreen

        kind = "spot_check" if self.line.kind == "compliment" else "complaint_triggered"
        self.app.push_screen(QACheckScreen.open_for(self.app, self.line.provider_id, kind))

    def action_back(self) -> None:
        self.dismiss(None)
