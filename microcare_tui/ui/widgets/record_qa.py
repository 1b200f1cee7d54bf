"""The QA checks part of a provider's record (key q): each check (date, kind, outcome, who,
open actions) and the open actions with their due dates; the next review in words above.
`a` (or q again) starts a new QA check (ui/screens/qa_check.py). Loads in a thread worker.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from microcare_tui.services.qa_checks import ActionLine, CheckLine, QAHistory, qa_history
from microcare_tui.ui.widgets.record_parts import ListPart, PartLoaded

KEYS = "a (or q) starts a QA check"


class QAPartLoaded(PartLoaded, bubble=False):
    """The part's lines, and the history they came from (for the line above them)."""

    def __init__(self, generation: int, lines: list[Any], history: QAHistory) -> None:
        super().__init__(generation, lines)
        self.history = history


def summary(history: QAHistory) -> str:
    """'! Review due today · 2 open actions · a (or q) starts a QA check'."""
    review = history.review[:1].upper() + history.review[1:]
    if history.review_due:
        review = f"! {review}"
    parts = [review]
    if history.open_actions:
        n = len(history.open_actions)
        parts.append(f"{n} open action{'s' if n != 1 else ''}")
    if history.total > len(history.checks):
        parts.append(f"latest {len(history.checks)} of {history.total} checks")
    return " · ".join([*parts, KEYS])


def check_text(line: CheckLine) -> Content:
    """'22/11/2026  Annual review        Approved with actions  Sam Tester  2 open actions'."""
    many = "s" if line.open_actions != 1 else ""
    return Content.assemble(
        f"{line.checked_on}  {line.kind:<19} ",
        (f"{line.outcome:<22}", "bold" if line.outcome == "Not approved" else ""),
        f" {line.checked_by}",
        (f"  {line.open_actions} open action{many}" if line.open_actions else "", "dim"),
    )


def action_text(line: ActionLine) -> Content:
    """'  → due 06/12/2026: Renew insurance', '! overdue since ...' in bold."""
    if line.overdue:
        return Content.styled(f"  ! action overdue since {line.due_on}: {line.description}", "bold")
    return Content(f"  → action due {line.due_on}: {line.description}")


class RecordQA(ListPart):
    """A provider's QA checks and their open actions; a (or q) starts a new check."""

    hint = "Loading…"
    empty = "No QA check yet: press a (or q) to start one."
    BINDINGS = [Binding("a,q", "new_check", "New QA check", show=False)]

    def read_lines(self) -> Any:
        pid, today = self.provider_id, self.mc.today()
        return lambda db: qa_history(db, pid, today)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        history: QAHistory | None = self.mc.read(self.read_lines())
        if history is not None:
            lines: list[Any] = [*history.checks, *history.open_actions]
            self.post_message(QAPartLoaded(generation, lines, history))

    @on(QAPartLoaded)
    def _show_summary(self, message: QAPartLoaded) -> None:
        if message.generation == self.generation:
            self.query_one(".part-hint", Static).update(summary(message.history))

    def line_text(self, line: Any) -> Content:
        return check_text(line) if isinstance(line, CheckLine) else action_text(line)

    def start_new(self) -> None:
        """The part's key pressed again: the record asks this when the list lacks focus."""
        self.action_new_check()

    def action_new_check(self) -> None:
        from microcare_tui.ui.screens.qa_check import QACheckScreen

        form = QACheckScreen.open_for(self.app, self.provider_id)
        self.app.push_screen(form, lambda _r: self.reload())
