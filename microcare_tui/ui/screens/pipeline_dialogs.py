"""The pipeline board's small screens: move a card (why and when), pick a filter, caseload."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.domain.labels import count_text
from microcare_tui.services.pipeline import Board, Moved, move_provider
from microcare_tui.ui.widgets.form import FieldRow, FormScreen
from microcare_tui.ui.widgets.text_field import TextField

_BOX = """
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: {width}; max-width: 98%; height: auto; max-height: 95%; padding: 0 2;
        border: thick $accent; background: $surface;
    }}
"""


class MoveCardScreen(FormScreen, ModalScreen[Any]):
    """Why (required) and when (today unless said) a provider moves; dismisses with Moved."""

    title_text = "Move stage"
    HELP = (
        "Move a provider to another stage: say why (it goes in the stage history with your "
        "name) and when (today unless you type another date, e.g. 20/11). ctrl+s moves, "
        "escape leaves it where it was."
    )
    DEFAULT_CSS = _BOX.format(name="MoveCardScreen", width=70)

    def __init__(
        self, provider_id: str, name: str, from_label: str, to_stage: str, to_label: str
    ) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.provider_name = name
        self.from_label = from_label
        self.to_stage = to_stage
        self.to_label = to_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Move {self.provider_name}: {self.from_label} → {self.to_label}",
                classes="page-title",
                markup=False,
            )
            reason = TextField(id="reason", placeholder="e.g. DBS and insurance seen")
            yield FieldRow("Why", reason, "reason", required=True)
            when = TextField("today", id="moved_on", placeholder="today, 22/11")
            yield FieldRow("When", when, "moved_on", hint="today unless you say")
            yield Static("ctrl+s moves · escape cancels", classes="muted")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reason", Input).focus()

    def save_values(self, values: dict[str, Any]) -> Moved:
        return move_provider(
            self.mc.store,
            self.provider_id,
            self.to_stage,
            str(values.get("reason") or ""),
            str(values.get("moved_on") or ""),
            today=self.mc.today(),
        )


class PickOneDialog(ModalScreen[str | None]):
    """Pick one value from a short list (enter); escape leaves the filter as it was."""

    DEFAULT_CSS = (
        _BOX.format(name="PickOneDialog", width=50)
        + "PickOneDialog OptionList { height: auto; max-height: 16; }"
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_words = title
        self.choices = choices  # (words, value); value '' means "all"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_words, classes="page-title", markup=False)
            yield OptionList(*[Option(words, id=f"pick-{i}") for i, (words, _) in
                               enumerate(self.choices)])  # fmt: skip
            yield Static("enter picks · escape cancels", classes="muted")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(str(event.option.id).removeprefix("pick-"))
        self.dismiss(self.choices[index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CaseloadDialog(ModalScreen[None]):
    """Providers per lead worker, by open stage, and how many are stalled."""

    DEFAULT_CSS = (
        _BOX.format(name="CaseloadDialog", width=110)
        + "CaseloadDialog DataTable { height: auto; max-height: 18; }"
    )
    BINDINGS = [Binding("escape,c,q", "close", "Close")]

    def __init__(self, board: Board) -> None:
        super().__init__()
        self.board = board

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Caseload per worker", classes="page-title")
            yield DataTable(id="caseload", cursor_type="row", zebra_stripes=True)
            closed = [c.label.lower() for c in self.board.columns if c.closed]
            yield Static(
                f"All providers, whatever the filters; {' and '.join(closed)} not counted. "
                "Escape closes.",
                classes="muted",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        open_stages = [c for c in self.board.columns if not c.closed]
        # The totals first: on a narrow screen the stages scroll, the totals stay in sight.
        table.add_column("Worker", key="worker")
        table.add_column("Total", key="total")
        table.add_column("Stalled", key="stalled")
        for column in open_stages:
            table.add_column(column.label, key=column.code)
        for row in self.board.caseload:
            total = sum(row.by_stage.get(c.code, 0) for c in open_stages)
            if not total:
                continue
            table.add_row(
                row.worker,
                count_text(total),
                count_text(row.stalled),
                *(count_text(row.by_stage.get(c.code, 0)) for c in open_stages),
                key=row.worker,
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
