"""The QA checks part of a provider's record: each check (date, kind, outcome, who, open
actions), the next review in words and the open actions, loaded in a thread worker.

Place it in the record with `RecordQA(provider_id)`; call `reload()` after a save (the record
screen's own reload does). `q` on the record starts a new check (ui/screens/qa_check.py).
"""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from microcare_tui.services.qa_checks import QAHistory, qa_history
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded


class QAHistoryLoaded(Loaded, bubble=False):
    """A provider's QA checks, for the record part that asked."""

    def __init__(self, generation: int, history: QAHistory) -> None:
        super().__init__(generation)
        self.history = history


def render_history(history: QAHistory) -> RenderableType:
    """The part's body: the review line, the checks in columns, then the open actions."""
    if not history.checks:
        return Text("No QA check yet: press q to start one.")
    review = Text(history.review[:1].upper() + history.review[1:])
    if history.review_due:
        review.stylize("bold")
        review = Text.assemble("! ", review)
    grid = Table.grid(padding=(0, 2))
    for _ in range(4):
        grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for c in history.checks:
        actions = f"{c.open_actions} open action{'s' if c.open_actions != 1 else ''}"
        grid.add_row(
            c.checked_on, c.kind, c.outcome, c.checked_by, actions if c.open_actions else ""
        )
    parts: list[RenderableType] = [review, grid]
    if history.total > len(history.checks):
        parts.append(Text(f"Latest {len(history.checks)} of {history.total} shown.", style="dim"))
    if history.open_actions:
        parts.append(Text("Open actions:", style="bold"))
        for a in history.open_actions:
            due = f"! overdue since {a.due_on}" if a.overdue else f"due {a.due_on}"
            parts.append(Text(f"  {due}  {a.description}"))
    return Group(*parts)


class RecordQA(AppAccess, Vertical):
    """A provider's QA checks, read on the app's reader thread (stale results dropped)."""

    DEFAULT_CSS = """
    RecordQA { height: auto; }
    RecordQA > .panel-title { margin-top: 1; }
    RecordQA > #record-qa-body { height: auto; }
    """

    def __init__(self, provider_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.provider_id = provider_id
        self._generation = 0
        self.history: QAHistory | None = None

    def compose(self) -> ComposeResult:
        yield Static("QA checks", classes="panel-title")
        yield Static("Loading…", id="record-qa-body", classes="muted")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the checks again (after a save)."""
        self._generation += 1
        self.load(self._generation, self.mc.today())

    @work(thread=True, exclusive=True, group="record-qa", exit_on_error=False)
    def load(self, generation: int, today: date) -> None:
        """One provider's checks: a few rows, read off the UI thread all the same."""
        history = self.mc.read(lambda db: qa_history(db, self.provider_id, today))
        if history is not None:
            self.post_message(QAHistoryLoaded(generation, history))

    @on(QAHistoryLoaded)
    def _loaded(self, message: QAHistoryLoaded) -> None:
        if message.generation != self._generation:
            return
        self.history = message.history
        body = self.query_one("#record-qa-body", Static)
        body.remove_class("muted")
        body.update(render_history(message.history))
