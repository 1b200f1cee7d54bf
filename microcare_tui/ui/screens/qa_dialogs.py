"""Small dialogs of the QA check: a checklist line's note, and an action with its due date."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from microcare_tui.domain import qa
from microcare_tui.domain.parse import format_date, parse_date
from microcare_tui.ui.widgets.text_field import TextField

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; max-width: 95%; height: auto; padding: 0 2;
    border: thick $accent; background: $surface;
}}
{name} .dialog-error {{ color: $error; height: auto; }}
"""


class NoteDialog(ModalScreen[str | None]):
    """Edit one checklist line's note: enter keeps it, escape leaves it as it was."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NoteDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.line_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Note for {self.line_title}", classes="page-title", markup=False)
            yield TextField(self.note, id="note", max_length=qa.NOTE_LONGEST, compact=True)
            yield Static("Enter keeps the note, escape leaves it as it was.", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ActionDialog(ModalScreen[tuple[str, str] | None]):
    """An action agreed at the check: what to do, and by when (checked here, saved with the
    check)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ActionDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, checked_on: date | None, today: date, default_due: date) -> None:
        super().__init__()
        self.checked_on = checked_on
        self.today = today
        self.default_due = default_due

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("New action", classes="page-title")
            yield Static("What is to be done", classes="muted")
            yield TextField(
                id="description",
                placeholder="e.g. renew public liability insurance",
                max_length=qa.DESCRIPTION_LONGEST,
                compact=True,
            )
            yield Static("Due (22/12/2026, +2w, +30d)", classes="muted")
            yield TextField(format_date(self.default_due), id="due", compact=True)
            yield Static("", id="action-error", classes="dialog-error", markup=False)
            yield Static("Enter moves on, then adds the action; escape cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#description", Input).focus()

    @on(Input.Submitted, "#description")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#due", Input).focus()

    @on(Input.Submitted, "#due")
    def _add(self, event: Input.Submitted) -> None:
        event.stop()
        description = self.query_one("#description", Input).value.strip()
        due_text = event.value
        try:
            due = parse_date(due_text, self.today) if due_text.strip() else None
        except ValueError as exc:
            self._error(str(exc))
            return
        problem = qa.action_problem(qa.ActionDraft(description, due), self.checked_on)
        if problem:
            self._error(f"{problem[:1].upper()}{problem[1:]}.")
            field = "#description" if "describe" in problem else "#due"
            self.query_one(field, Input).focus()
            return
        self.dismiss((description, format_date(due)))

    def _error(self, message: str) -> None:
        self.query_one("#action-error", Static).update(f"! {message}")
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
