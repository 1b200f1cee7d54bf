"""First run: who is using this database, or try the demo instead."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from microcare_tui.ui.widgets.form import FieldRow
from microcare_tui.ui.widgets.text_field import TextField


class FirstRunScreen(ModalScreen[tuple[str, str] | str | None]):
    """Dismisses with (worker, team), or "demo" to open the demo instead."""

    HELP = "First run: your name goes on every change you make, so colleagues can see who did what."
    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen > Vertical {
        width: 70; max-width: 98%; height: auto; border: thick $accent;
        background: $surface; padding: 1 2;
    }
    FirstRunScreen Horizontal { height: auto; margin-top: 1; }
    FirstRunScreen Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f2", "save", "Save", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Welcome to microcare", classes="page-title")
            yield Static(
                "This is a new, empty database. Tell us who you are; your name is recorded on "
                "every change you make. Or look around the demo first.",
            )
            yield FieldRow(
                "Your name",
                TextField(id="worker", placeholder="e.g. Sam Patel"),
                "worker",
                required=True,
            )
            yield FieldRow(
                "Team or council",
                TextField(id="team", placeholder="e.g. Kent County Council"),
                "team",
            )
            with Horizontal():
                yield Button("Start (ctrl+s)", id="start", variant="primary")
                yield Button("Open the demo instead", id="demo")

    def on_mount(self) -> None:
        self.query_one("#worker", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#start")
    def action_save(self) -> None:
        worker = self.query_one("#worker", Input).value.strip()
        team = self.query_one("#team", Input).value.strip()
        row = self.query_one("#row-worker", FieldRow)
        if len(worker) < 2:
            row.set_error("Enter your name (at least 2 characters)")
            self.query_one("#worker", Input).focus()
            self.notify("Enter your name to start.", severity="error")
            return
        row.set_error(None)
        self.dismiss((worker, team))

    @on(Button.Pressed, "#demo")
    def _demo(self) -> None:
        self.dismiss("demo")
