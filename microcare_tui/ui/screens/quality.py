"""Quality (6): providers not in good standing with their first reason, lapsed and expiring
evidence and certificates, and QA reviews due; enter opens the provider's record."""

from __future__ import annotations

from datetime import date
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from microcare_tui.services.quality import QualityView, quality_view
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.line_list import Line, ScrolledLineList
from microcare_tui.ui.widgets.radar import radar_text


class QualityLoaded(Loaded, bubble=False):
    def __init__(self, generation: int, view: QualityView) -> None:
        super().__init__(generation)
        self.view = view


def _heading(text: str) -> Content:
    return Content.styled(text, "bold underline")


class QualityScroll(VerticalScroll, can_focus=False):
    """Scrolls the Quality list, which has the focus (and the keys)."""


class QualityScreen(SectionScreen):
    """The Quality section; q starts a QA check and k records a concern for the highlighted
    provider (ui/screens/qa_check.py, concern_form.py)."""

    HELP = (
        "Quality: providers not in good standing and the first reason why, evidence and "
        "training certificates lapsed or due in the next 90 days, and QA reviews due. "
        "Up and down move, enter opens the provider's record (its s part says every reason); "
        "q starts a QA check of the highlighted provider, k records a concern about them."
    )
    title_text = "Quality"
    BINDINGS = [
        Binding("q", "qa_check", "QA check"),
        Binding("k", "concern", "Concern"),
        Binding("r", "refresh", "Refresh", show=False),
    ]
    DEFAULT_CSS = """
    QualityScreen #quality-page { height: 1fr; }
    QualityScreen #quality-scroll { height: 1fr; }
    QualityScreen #quality-summary { height: auto; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__(name="quality")
        self.generation = 0
        self._view: QualityView | None = None
        self._width = 0  # the app's width the lines were made for

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="quality-page"):
            yield Static("Quality", classes="page-title")
            yield Static("Loading...", id="quality-summary")
            with QualityScroll(id="quality-scroll"):
                yield ScrolledLineList(id="quality-list")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            self.reload()  # shown, it reads again (on_screen_resume), as on any later open
            prepared_off_screen(self)

    def reload(self) -> None:
        self.generation += 1
        self._load(self.generation, self.mc.today())

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="quality", exit_on_error=False)
    def _load(self, generation: int, today: date) -> None:
        view = self.mc.read(lambda db: quality_view(db, today))
        if view is not None:
            self.post_message(QualityLoaded(generation, view))

    @on(QualityLoaded)
    def _loaded(self, message: QualityLoaded) -> None:
        if message.generation != self.generation:
            return
        self._view = message.view
        self._show(message.view)
        self.query_one(ScrolledLineList).focus()
        draw_off_screen(self)  # read while made off screen: drawn unseen too

    def on_resize(self) -> None:
        # The radar's lines name the worker only when wide enough, and are cut to the width:
        # made again when the terminal's width changed.
        if self._view is not None and self.app.size.width != self._width:
            self._show(self._view)

    def _show(self, v: QualityView) -> None:
        width = self._width = self.app.size.width
        lines: list[Line] = [(None, _heading(f"Not in good standing ({len(v.not_good):,})"))]
        lines.extend(
            (ng.provider_id, Content.assemble(
                (ng.standing_text.ljust(14), "bold"), (ng.name, "bold"), "  ", ng.reason))
            for ng in v.not_good
        )  # fmt: skip
        evidence = f"Evidence and certificates lapsed or due in 90 days ({len(v.evidence):,})"
        lines.append((None, _heading(evidence)))
        # Hundreds of radar lines: each made when first scrolled into view.
        lines.extend((ln.provider_id, partial(radar_text, ln, width)) for ln in v.evidence)
        lines.append((None, _heading(f"QA reviews overdue or due in 90 days ({len(v.reviews):,})")))
        lines.extend((ln.provider_id, partial(radar_text, ln, width)) for ln in v.reviews)
        self.query_one("#quality-summary", Static).update(
            f"{len(v.not_good):,} not in good standing · {len(v.evidence):,} evidence and "
            f"certificates · {len(v.reviews):,} reviews. Enter opens the provider."
        )
        self.query_one(ScrolledLineList).show(lines)  # the highlight stays on the same item

    def current_provider(self) -> str | None:
        """The highlighted line's provider, if any."""
        listing = self.query_one(ScrolledLineList)
        index = listing.highlighted
        return listing.row_id(index) if index is not None else None

    def action_qa_check(self) -> None:
        from microcare_tui.ui.screens.qa_check import QACheckScreen

        provider_id = self.current_provider()
        if provider_id is None:
            self.notify("Highlight a provider first (up and down).")
            return
        self.app.push_screen(QACheckScreen.open_for(self.app, provider_id))

    def action_concern(self) -> None:
        from microcare_tui.ui.screens.concern_form import ConcernFormScreen

        provider_id = self.current_provider()
        if provider_id is None:
            self.notify("Highlight a provider first (up and down).")
            return
        self.app.push_screen(ConcernFormScreen.open_for(self.app, provider_id))

    @on(ScrolledLineList.Selected)
    def _open(self, event: ScrolledLineList.Selected) -> None:
        event.stop()
        self.mc.open_provider(event.row_id)
