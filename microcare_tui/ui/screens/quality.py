"""Quality (6): providers not in good standing with their first reason, lapsed and expiring
evidence and certificates, and QA reviews due; enter opens the provider's record."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.services.quality import QualityView, quality_view
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.radar import radar_text


class QualityLoaded(Loaded, bubble=False):
    def __init__(self, generation: int, view: QualityView) -> None:
        super().__init__(generation)
        self.view = view


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
    QualityScreen #quality-list { height: 1fr; border: none; padding: 0; }
    QualityScreen #quality-summary { height: auto; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__(name="quality")
        self.generation = 0
        self.targets: list[str | None] = []  # provider id per option (None for headings)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="quality-page"):
            yield Static("Quality", classes="page-title")
            yield Static("Loading...", id="quality-summary")
            yield OptionList(id="quality-list")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

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
        v = message.view
        width = self.app.size.width
        options: list[Option] = []
        self.targets = []

        def heading(text: str) -> None:
            options.append(Option(Text(text, style="bold underline"), disabled=True))
            self.targets.append(None)

        heading(f"Not in good standing ({len(v.not_good):,})")
        for ng in v.not_good:
            line = Text.assemble(
                (ng.standing_text.ljust(14), "bold"), (ng.name, "bold"), "  ", ng.reason
            )
            line.truncate(max(20, width - 6), overflow="ellipsis")  # one line each
            options.append(Option(line))
            self.targets.append(ng.provider_id)
        heading(f"Evidence and certificates lapsed or due in 90 days ({len(v.evidence):,})")
        for ln in v.evidence:
            options.append(Option(radar_text(ln, width)))
            self.targets.append(ln.provider_id)
        heading(f"QA reviews overdue or due in 90 days ({len(v.reviews):,})")
        for ln in v.reviews:
            options.append(Option(radar_text(ln, width)))
            self.targets.append(ln.provider_id)
        self.query_one("#quality-summary", Static).update(
            f"{len(v.not_good):,} not in good standing · {len(v.evidence):,} evidence and "
            f"certificates · {len(v.reviews):,} reviews. Enter opens the provider."
        )
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        first = next((i for i, t in enumerate(self.targets) if t), None)
        if keep is not None and keep < len(options) and self.targets[keep]:
            listing.highlighted = keep
        elif first is not None:
            listing.highlighted = first
        listing.focus()

    def current_provider(self) -> str | None:
        """The highlighted line's provider, if any."""
        index = self.query_one(OptionList).highlighted
        return self.targets[index] if index is not None and index < len(self.targets) else None

    def action_qa_check(self) -> None:
        from microcare_tui.ui.screens.qa_check import QACheckScreen

        provider_id = self.current_provider()
        if provider_id is None:
            self.notify("Highlight a provider first (up and down).")
            return
        self.app.push_screen(QACheckScreen(provider_id))

    def action_concern(self) -> None:
        from microcare_tui.ui.screens.concern_form import ConcernFormScreen

        provider_id = self.current_provider()
        if provider_id is None:
            self.notify("Highlight a provider first (up and down).")
            return
        self.app.push_screen(ConcernFormScreen(provider_id))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = (
            self.targets[event.option_index] if event.option_index < len(self.targets) else None
        )
        if target:
            self.mc.open_provider(target)
