"""The enquiry list's table: which columns show, and how wide, is chosen for the width.

At 80 columns the list used to lose Follow-up and Kind off its right edge. Now the
essentials (received, caller, kind, outcome, follow-up) always show whole, in a shorter
form when narrow ('18/11/2026' without the time, 'Professional' for 'Referral by a
professional', '21/11 overdue'); Needs and Area join when there is room, and spare room
goes to names, needs and areas first, then to the longer forms (the time, the year, the
full labels).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.binding import Binding

from microcare_tui.services.enquiry_list import EnquiryLine
from microcare_tui.ui.widgets.page_table import PageTable
from microcare_tui.ui.widgets.text_fit import cut, fit_label

_YEAR = re.compile(r"\b(\d\d/\d\d)/\d{4}\b")


def _fit_date_time(text: str, width: int) -> str:  # '22/11/2026 14:05' -> '22/11/2026'
    return text if len(text) <= width else cut(text.split(" ")[0], width)


def _fit_without_year(text: str, width: int) -> str:  # '25/11/2026 due' -> '25/11 due'
    return text if len(text) <= width else cut(_YEAR.sub(r"\1", text), width)


@dataclass(frozen=True)
class Column:
    """One column: its narrowest useful width (its short forms fit whole)."""

    key: str
    label: str
    narrow: int
    essential: bool
    cell: Callable[[EnquiryLine], str]
    fit: Callable[[str, int], str] = cut


# In the order shown. The narrow widths hold the short forms whole.
COLUMNS: list[Column] = [
    Column("received", "Received", 10, True, lambda r: r.received, _fit_date_time),
    Column("caller", "Caller", 12, True, lambda r: r.caller),
    Column("kind", "Kind", 14, True, lambda r: r.kind, fit_label),
    Column("needs", "Needs", 14, False, lambda r: ", ".join(r.needs) or "-"),
    Column("outcome", "Outcome", 12, True, lambda r: r.outcome, fit_label),
    Column("follow_up", "Follow-up", 13, True, lambda r: r.follow_up, _fit_without_year),
    Column("area", "Area", 10, False, lambda r: r.area or "-"),
]
# Spare room goes in this order: first enough to read names, needs and areas, then the
# steps that show more at once (the time, the year, the full label), then the rest. A whole
# step is taken only when it fits whole (half a time says nothing); the others grow by bits.
_STEPS: list[tuple[str, int, bool]] = [
    ("caller", 18, False), ("needs", 22, False), ("area", 14, False),
    ("received", 16, True), ("follow_up", 18, True), ("outcome", 20, True), ("kind", 26, True),
    ("caller", 26, False), ("needs", 32, False), ("area", 21, False),
]  # fmt: skip
PADDING = 2  # DataTable's cell padding, one each side


def choose_columns(room: int) -> list[tuple[Column, int]]:
    """The columns to show in `room` cells of table width, and the width of each."""
    chosen = [c for c in COLUMNS if c.essential]
    for optional in (c for c in COLUMNS if not c.essential):
        trial = [c for c in COLUMNS if c in chosen or c is optional]
        if sum(c.narrow + PADDING for c in trial) <= room:
            chosen = trial
    widths = {c.key: c.narrow for c in chosen}
    spare = room - sum(w + PADDING for w in widths.values())
    for key, target, whole in _STEPS:
        if key not in widths or widths[key] >= target:
            continue
        extra = target - widths[key]
        if whole and extra > spare:
            continue
        extra = min(extra, spare)
        widths[key] += extra
        spare -= extra
    return [(c, widths[c.key]) for c in chosen]


class EnquiryTable(PageTable):
    """Enquiries, a page at a time, in the columns that fit; pageup/pagedown turn pages.
    A new page (each search result) repaints it without laying out the screen (PageTable)."""

    BINDINGS = [
        Binding("pagedown", "screen.next_page", "Next page", show=False),
        Binding("pageup", "screen.previous_page", "Previous page", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._lines: list[EnquiryLine] = []
        self._layout: list[tuple[Column, int]] = []

    def _room(self) -> int:
        # A page of 50 rows scrolls, so keep room for the scrollbar from the start.
        width = self.size.width or self.app.size.width - 2
        return max(0, width - self.styles.scrollbar_size_vertical)

    def show_lines(self, lines: list[EnquiryLine]) -> None:
        """Show these enquiries (keyed by id), in the columns that fit now."""
        layout = choose_columns(self._room())
        if lines == self._lines and layout == self._layout and self.row_count == len(lines):
            return  # the same page again (back to the list): keep it, cursor and all
        self._lines = list(lines)
        if layout != self._layout:
            self._layout = layout
            self.clear(columns=True)
            for column, width in layout:
                self.add_column(column.label, width=width, key=column.key)
        else:
            self.clear()
        for line in self._lines:
            cells = [column.fit(column.cell(line), width) for column, width in layout]
            self.add_row(*cells, key=line.id)

    def on_resize(self, event: events.Resize) -> None:
        if choose_columns(self._room()) != self._layout:
            row = self.cursor_row
            self.show_lines(self._lines)
            if self.row_count:
                self.move_cursor(row=min(row, self.row_count - 1))
