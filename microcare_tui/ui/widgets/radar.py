"""The expiry radar on Home: evidence, certificates and QA reviews due in 90/60/30 days and
lapsed, soonest first, with who looks after each provider; enter opens the provider. Reads
in its own thread worker, so Home paints first."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded

if TYPE_CHECKING:
    from microcare_tui.services.radar import RadarLine

SHOWN = 8  # lines on Home; the Quality section (6) lists them all


class RadarLoaded(Loaded, bubble=False):
    def __init__(self, generation: int, lines: list[RadarLine]) -> None:
        super().__init__(generation)
        self.lines = lines


def radar_text(line: RadarLine, width: int = 80) -> Text:
    """'lapsed 12/10/2026  Oak Tree Companions  Public liability insurance  (Sam)'."""
    mark = "✗ " if line.band in ("lapsed", "overdue") else "! " if line.band == "30" else "  "
    who = f"  ({line.worker})" if line.worker and width >= 100 else ""
    text = Text.assemble(
        (mark + line.when.ljust(18), "bold" if mark.strip() else ""),
        (line.provider_name, "bold"),
        "  ",
        line.what,
        (who, "dim"),
    )
    text.truncate(max(20, width - 6), overflow="ellipsis")  # one line each (lists wrap)
    return text


class RadarPanel(AppAccess, Vertical):
    """Home's expiry radar."""

    DEFAULT_CSS = """
    RadarPanel { height: auto; }
    RadarPanel > OptionList { height: auto; max-height: 10; border: none; padding: 0; }
    RadarPanel > #radar-summary { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__(id="radar")
        self.generation = 0
        self.lines: list[RadarLine] = []

    def compose(self) -> ComposeResult:
        yield Static("Expiry radar: evidence, certificates and reviews", classes="panel-title")
        yield Static("Loading...", id="radar-summary")
        yield OptionList(id="radar-list")

    def reload(self) -> None:
        """Read the radar again in a worker (Home calls this when it reloads)."""
        self.generation += 1
        self._load(self.generation, self.mc.today())

    @work(thread=True, exclusive=True, group="radar", exit_on_error=False)
    def _load(self, generation: int, today: date) -> None:
        from microcare_tui.services.radar import radar_lines  # off the start-up path

        lines = self.mc.read(lambda db: radar_lines(db, today))
        if lines is not None:
            self.post_message(RadarLoaded(generation, lines))

    @on(RadarLoaded)
    def _loaded(self, message: RadarLoaded) -> None:
        if message.generation != self.generation:
            return
        from microcare_tui.services.radar import band_counts

        self.lines = message.lines[:SHOWN]
        c = band_counts(message.lines)
        summary = (
            f"{c['lapsed']:,} lapsed or overdue · {c['30']:,} due in 30 days · "
            f"{c['60']:,} in 60 · {c['90']:,} in 90. Enter opens the provider; 6 lists all."
        )
        self.query_one("#radar-summary", Static).update(summary)
        options = self.query_one(OptionList)
        options.clear_options()
        width = self.app.size.width
        options.add_options([Option(radar_text(ln, width)) for ln in self.lines])

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.lines):
            self.mc.open_provider(self.lines[event.option_index].provider_id)
