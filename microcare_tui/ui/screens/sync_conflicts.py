"""Conflicts to review (Sync, then c): both sides of each, who and when, and a choice.

Keys: t keeps this (what every laptop shows now), o keeps the other side, e types another
value; each is an ordinary edit that syncs and closes the conflict on every laptop.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services import sync_conflicts as service
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField


class ConflictsScreen(AppAccess, Screen[None]):
    """The conflict queue, one row per conflict, its sides side by side."""

    BINDINGS = [
        Binding("t", "keep('this')", "Keep this"),
        Binding("o", "keep('that')", "Keep other"),
        Binding("e", "edit", "Edit"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(classes="page"):
            yield Static("Conflicts to review", classes="page-title")
            yield Static("", id="conflicts-count", classes="muted", markup=False)
            table: DataTable[str] = DataTable(id="conflicts-table", cursor_type="row")
            table.add_columns("Record", "Field", "Shown now (this)", "Other side")
            yield table
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._items = {c.id: c for c in service.open_conflicts(self.mc.store)}
        table = self.query_one("#conflicts-table", DataTable)
        table.clear()
        for c in self._items.values():
            this, that = (c.sides + [service.ConflictSide("", "", "", "")] * 2)[:2]
            table.add_row(
                c.record,
                c.field,
                f"{this.value} ({this.worker}, {this.at}, {this.device})",
                f"{that.value} ({that.worker}, {that.at}, {that.device})",
                key=c.id,
            )
        count = len(self._items)
        self.query_one("#conflicts-count", Static).update(
            f"{count} conflict(s). t keeps this, o keeps the other, e types another value."
            if count
            else "No conflicts to review: edits from colleagues merged cleanly."
        )
        if count:
            table.focus()

    def _current(self) -> str | None:
        table = self.query_one("#conflicts-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _resolve(self, conflict_id: str, keep: object) -> None:
        try:
            service.resolve(self.mc.store, conflict_id, keep)
        except MicrocareError as exc:
            self.notify(exc.message, title="Not resolved", severity="error", markup=False)
            return
        self.notify("Resolved; colleagues get it with your next bundle.", markup=False)
        self.mc.data_changed("sync")
        self.reload()

    def action_keep(self, which: str) -> None:
        conflict_id = self._current()
        if conflict_id is not None:
            self._resolve(conflict_id, service.KEEP_THIS if which == "this" else service.KEEP_THAT)

    def action_edit(self) -> None:
        conflict_id = self._current()
        if conflict_id is None:
            return
        item = self._items[conflict_id]

        def typed(value: str | None) -> None:
            if value is not None:
                self._resolve(conflict_id, value)

        self.app.push_screen(ValuePrompt(f"{item.record}, {item.field}"), typed)


class ValuePrompt(ModalScreen[str | None]):
    """Type the value a conflict should end with (enter keeps it, escape cancels)."""

    DEFAULT_CSS = """
    ValuePrompt { align: center middle; }
    ValuePrompt > Vertical {
        width: 70; max-width: 95%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"The value for {self.what} (enter to keep it):", markup=False)
            yield TextField(id="conflict-value")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
