"""F1: the current screen's keys and a line on what it is for."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from microcare_tui.ui.commands import GENERIC_ACTIONS, key_display


class HelpScreen(ModalScreen[None]):
    """Lists every key that works on the screen underneath."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 76; max-width: 98%; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .page-title { margin-bottom: 0; }
    HelpScreen DataTable { height: auto; max-height: 30; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        purpose = getattr(self.target, "purpose", None) or getattr(self.target, "HELP", "") or ""
        name = getattr(self.target, "title_text", None) or type(self.target).__name__
        with Vertical():
            yield Static(f"Help: {name.replace('Screen', '')}", classes="page-title")
            if purpose:
                yield Static(purpose, markup=False)
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(
                "Escape closes. Every action is also in the command palette (ctrl+p).",
                classes="muted",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        # The screen's own keys first, then the app's, then those of the focused widget.
        rows: list[tuple[int, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            if (
                not binding.description
                or binding.action in GENERIC_ACTIONS
                or (binding.action, key) in seen
            ):
                continue
            seen.add((binding.action, key))
            description = binding.description
            if binding.key_display == "1-9":
                description = "Home (keys 1-9 go to the sections)"
            rank = 0 if active.node is self.target else 1 if active.node is self.app else 2
            rows.append((rank, key_display(binding.key_display or key), description))
        for _, key_text, description in sorted(rows, key=lambda r: r[0]):
            table.add_row(key_text, description)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
