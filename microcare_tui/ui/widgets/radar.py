"""The expiry radar on Home: evidence, certificates and QA reviews due in 90/60/30 days and
lapsed, soonest first, with who looks after each provider; enter opens the provider. Home
reads it with its other panels, in a worker after its first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.content import Content

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.line_list import LineList

if TYPE_CHECKING:
    from microcare_tui.services.radar import RadarLine, RadarView

SHOWN = 8  # lines on Home; the Quality section (6) lists them all


def radar_text(line: RadarLine, width: int = 80) -> Content:
    """'lapsed 12/10/2026  Oak Tree Companions  Public liability insurance  (Sam)'."""
    mark = "✗ " if line.band in ("lapsed", "overdue") else "! " if line.band == "30" else "  "
    who = f"  ({line.worker})" if line.worker and width >= 100 else ""
    return Content.assemble(
        (mark + line.when.ljust(18) + " ", "bold" if mark.strip() else ""),
        (line.provider_name, "bold"),
        "  ",
        line.what,
        (who, "dim"),
    ).truncate(max(20, width - 6), ellipsis=True)  # one line each (lists wrap)


TITLE = "Expiry radar: evidence, certificates and reviews"


class RadarPanel(AppAccess, LineList):
    """Home's expiry radar: its title, the count in each band, and the soonest lines (one
    widget: see LineList)."""

    def __init__(self) -> None:
        super().__init__(id="radar")
        self.lines: list[RadarLine] = []
        self.summary = "Loading..."
        self._width = 0  # the app's width the lines were made for

    def on_mount(self) -> None:
        self._paint([])

    def show_radar(self, radar: RadarView) -> None:
        """Show the soonest lines of the radar and the count in each band (Home reads the
        radar with its other panels and calls this)."""
        self.lines = radar.lines[:SHOWN]
        c = radar.counts
        self.summary = (
            f"{c['lapsed']:,} lapsed or overdue · {c['30']:,} due in 30 days · "
            f"{c['60']:,} in 60 · {c['90']:,} in 90."
        )
        self._paint_lines()

    def _paint_lines(self) -> None:
        self._width = self.app.size.width
        self._paint([(ln.provider_id, radar_text(ln, self._width)) for ln in self.lines])

    def on_resize(self) -> None:
        # The lines say who looks after each provider only when wide enough, and are cut to
        # the width: made again when the terminal's width changed, not for a new height.
        if self.lines and self.app.size.width != self._width:
            self._paint_lines()

    def _paint(self, items: list[tuple[str | None, Content | str]]) -> None:
        hint = "Enter opens the provider; 6 lists all."
        width = self.app.size.width - 4  # the page's padding and scrollbar
        one_line = len(self.summary) + 1 + len(hint) <= width
        if not items:
            notes = [self.summary]  # 'Loading...', or nothing due
        else:
            notes = [f"{self.summary} {hint}"] if one_line else [self.summary, hint]
        self.show([
            (None, ""),
            (None, Content.styled(TITLE, "bold")),
            *[(None, Content.styled(note, "$text-muted")) for note in notes],
            *items,
        ])  # fmt: skip

    @on(LineList.Selected)
    def _open(self, event: LineList.Selected) -> None:
        event.stop()
        if 0 <= event.index < len(self.lines):
            self.mc.open_provider(self.lines[event.index].provider_id)
