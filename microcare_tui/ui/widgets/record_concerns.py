"""The concerns part of a provider's record (key k): the track record (compliments, upheld
complaints) and any open safeguarding concern (it suspends good standing) above each
concern, complaint or compliment. Enter opens one; `a` (or k again) records a new one.
Restricted notes never appear here. Loads in a thread worker.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from microcare_tui.services.concerns import ConcernLine, ConcernsPart, concerns_part
from microcare_tui.ui.widgets.line_list import ScrolledLineList
from microcare_tui.ui.widgets.record_parts import ListPart, PartLoaded

KEYS = "enter opens one · a (or k) records a new one"


class ConcernsPartLoaded(PartLoaded, bubble=False):
    """The part's lines, and the figures above them."""

    def __init__(self, generation: int, part: ConcernsPart) -> None:
        super().__init__(generation, list(part.lines))
        self.part = part


def concern_text(line: ConcernLine) -> Content:
    """'! open     13/11/2026  Safeguarding concern (high): ...  referred 15/11/2026'."""
    severity = f" ({line.severity.lower()})" if line.severity else ""
    extra = [x for x in (line.referred, line.outcome.lower()) if x]
    return Content.assemble(
        (f"{line.status_text:<11}", "bold" if line.is_open else ""),
        f"{line.raised_on}  {line.kind_text}{severity}: {line.summary}",
        (f"  {' · '.join(extra)}" if extra else "", "dim"),
    )


def headline(part: ConcernsPart) -> str:
    """Track record first, then what is open, then the keys."""
    words = f"Track record: {part.track_record}"
    if part.open_safeguarding:
        noun = "concern" if part.open_safeguarding == 1 else "concerns"
        words += (
            f"\n! {part.open_safeguarding} open safeguarding {noun}: good standing is "
            "suspended until closed."
        )
    more = part.total - len(part.lines)
    if more > 0:
        words += f"\nLatest {len(part.lines)} of {part.total} shown."
    return f"{words}\n{KEYS}"


class RecordConcerns(ListPart):
    """A provider's concerns, complaints and compliments; enter opens the highlighted one."""

    hint = "Loading…"
    empty = "None recorded: press a (or k) to record a concern, complaint or compliment."
    BINDINGS = [Binding("a,k", "new_concern", "New concern", show=False)]

    def read_lines(self) -> Any:
        pid = self.provider_id
        return lambda db: concerns_part(db, pid)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        part: ConcernsPart | None = self.mc.read(self.read_lines())
        if part is not None:
            self.post_message(ConcernsPartLoaded(generation, part))

    @on(ConcernsPartLoaded)
    def _show_headline(self, message: ConcernsPartLoaded) -> None:
        if message.generation == self.generation:
            self.query_one(".part-hint", Static).update(headline(message.part))

    def line_text(self, line: ConcernLine) -> Content:
        return concern_text(line)

    def line_id(self, line: ConcernLine) -> str | None:
        return line.id

    @on(ScrolledLineList.Selected)
    def _open(self, event: ScrolledLineList.Selected) -> None:
        event.stop()
        line = self.current()
        if line is not None:
            from microcare_tui.ui.screens.concern_detail import ConcernDetailScreen

            self.app.push_screen(ConcernDetailScreen(line.id), lambda _r: self.reload())

    def start_new(self) -> None:
        """The part's key pressed again: the record asks this when the list lacks focus."""
        self.action_new_concern()

    def action_new_concern(self) -> None:
        from microcare_tui.ui.screens.concern_form import ConcernFormScreen

        form = ConcernFormScreen.open_for(self.app, self.provider_id)
        self.app.push_screen(form, lambda _r: self.reload())
