"""The QA checklist: one line per requirement, set by single keys.

| Key | Does |
| :- | :- |
| up, down, pageup, pagedown | move between lines |
| m | met |
| x | not met |
| a | not applicable |
| space | cycles met, not met, not applicable |
| enter | edit the line's note (posts NoteRequested) |
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from microcare_tui.domain import qa
from microcare_tui.domain.enums import EvidenceStatus

RESULT_WIDTH = 10  # '✗ not met' and a space
# Weight, not colour (the theme's colours stay the theme's): not met stands out in bold.
_STYLES = {
    EvidenceStatus.MET: "",
    EvidenceStatus.NOT_MET: "bold",
    EvidenceStatus.NOT_APPLICABLE: "dim",
}


def line_prompt(line: qa.ChecklistLine) -> Text:
    """'✓ met     Enhanced DBS check: Jo Oak *  on file, expires 03/10/2027' (a word and a
    symbol, the colour only a help; * marks a mandatory line)."""
    word = qa.RESULT_WORDS[line.result]
    text = Text(word.ljust(RESULT_WIDTH), style=_STYLES.get(line.result, ""))
    text.append(line.title)
    if line.mandatory:
        text.append(" *", style="bold")
    if line.note:
        text.append(f"  {line.note}", style="dim italic")
    return text


class ChecklistList(OptionList):
    """The checklist lines; keys set each line's result, enter asks to edit its note."""

    BINDINGS = [
        Binding("m", "set('met')", "Met"),
        Binding("x", "set('not_met')", "Not met"),
        Binding("a", "set('not_applicable')", "N/a"),
        Binding("space", "cycle", "Cycle", show=False),
    ]

    class Changed(Message):
        """A line's result changed."""

        def __init__(self, checklist: ChecklistList, index: int) -> None:
            super().__init__()
            self.checklist = checklist
            self.index = index

        @property
        def control(self) -> ChecklistList:
            return self.checklist

    class NoteRequested(Changed):
        """The worker asked to edit the highlighted line's note."""

    def __init__(self, lines: list[qa.ChecklistLine], **kwargs: object) -> None:
        super().__init__(*[Option(line_prompt(ln)) for ln in lines], **kwargs)  # type: ignore[arg-type]
        self.lines = list(lines)

    def on_mount(self) -> None:
        if self.lines:
            self.highlighted = 0

    def set_lines(self, lines: list[qa.ChecklistLine]) -> None:
        """Show these lines from the first (a kept QA check filled for another provider);
        the same lines are not set again (that measured and drew every option)."""
        if lines != self.lines:
            self.set_options(Option(line_prompt(ln)) for ln in lines)
            self.lines = list(lines)
        self.highlighted = 0 if lines else None

    def _replace(self, index: int, line: qa.ChecklistLine) -> None:
        self.lines[index] = line
        self.replace_option_prompt_at_index(index, line_prompt(line))

    def action_set(self, result: str) -> None:
        """Set the highlighted line's result, then move to the next line (a walk down the
        list is one key per line)."""
        index = self.highlighted
        if index is None:
            return
        self._replace(index, self.lines[index].with_result(EvidenceStatus(result)))
        self.post_message(self.Changed(self, index))
        if index + 1 < len(self.lines):
            self.highlighted = index + 1

    def action_cycle(self) -> None:
        """Space: the next result for the highlighted line (it stays highlighted)."""
        index = self.highlighted
        if index is None:
            return
        line = self.lines[index]
        self._replace(index, line.with_result(qa.next_result(line.result)))
        self.post_message(self.Changed(self, index))

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.NoteRequested(self, self.highlighted))

    def set_note(self, index: int, note: str) -> None:
        """Put the note the worker typed on line `index`."""
        self._replace(index, self.lines[index].with_note(note))
        self.post_message(self.Changed(self, index))
