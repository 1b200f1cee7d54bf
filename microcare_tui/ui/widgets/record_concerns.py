"""The concerns part of a provider's record: the track record (compliments, upheld
complaints), open safeguarding concerns (they suspend good standing) and each concern,
complaint or compliment; enter opens one. Restricted notes never appear here.

Place it in the record with `RecordConcerns(provider_id)`; call `reload()` after a save.
`k` on the record raises a new one (ui/screens/concern_form.py).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.services.concerns import ConcernLine, ConcernsPart, concerns_part
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded


class ConcernsLoaded(Loaded, bubble=False):
    """A provider's concerns, for the record part that asked."""

    def __init__(self, generation: int, part: ConcernsPart) -> None:
        super().__init__(generation)
        self.part = part


def concern_prompt(line: ConcernLine) -> Text:
    """'! open  20/11/2026  Safeguarding concern (high): Left alone · referred 21/11/2026'."""
    text = Text(f"{line.status_text:<11}", style="bold" if line.is_open else "")
    text.append(f"{line.raised_on}  {line.kind_text}")
    if line.severity:
        text.append(f" ({line.severity.lower()})")
    text.append(f": {line.summary}")
    extra = [x for x in (line.referred, line.outcome.lower()) if x]
    if extra:
        text.append(f"  {' · '.join(extra)}", style="dim")
    return text


def headline(part: ConcernsPart) -> str:
    """Track record first, then what is open."""
    words = f"Track record: {part.track_record}"
    if part.open_safeguarding:
        noun = "concern" if part.open_safeguarding == 1 else "concerns"
        words += (
            f"\n! {part.open_safeguarding} open safeguarding {noun}: good standing is "
            "suspended until closed."
        )
    return words


class RecordConcerns(AppAccess, Vertical):
    """A provider's concerns, complaints and compliments; enter opens the highlighted one."""

    DEFAULT_CSS = """
    RecordConcerns { height: auto; }
    RecordConcerns > .panel-title { margin-top: 1; }
    RecordConcerns > #record-concerns-head { height: auto; }
    RecordConcerns > OptionList { height: auto; max-height: 8; border: none; }
    """

    def __init__(self, provider_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.provider_id = provider_id
        self._generation = 0
        self.part: ConcernsPart | None = None

    def compose(self) -> ComposeResult:
        yield Static("Concerns, complaints and compliments", classes="panel-title")
        yield Static("Loading…", id="record-concerns-head", classes="muted", markup=False)
        yield OptionList(id="record-concerns-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False
        self.reload()

    def reload(self) -> None:
        """Read the concerns again (after a save)."""
        self._generation += 1
        self.load(self._generation)

    @work(thread=True, exclusive=True, group="record-concerns", exit_on_error=False)
    def load(self, generation: int) -> None:
        """One provider's concerns, read off the UI thread."""
        part = self.mc.read(lambda db: concerns_part(db, self.provider_id))
        if part is not None:
            self.post_message(ConcernsLoaded(generation, part))

    @on(ConcernsLoaded)
    def _loaded(self, message: ConcernsLoaded) -> None:
        if message.generation != self._generation:
            return
        part = self.part = message.part
        head = self.query_one("#record-concerns-head", Static)
        head.remove_class("muted")
        listing = self.query_one(OptionList)
        keep = listing.highlighted or 0
        listing.set_options(Option(concern_prompt(ln), id=ln.id) for ln in part.lines)
        listing.display = bool(part.lines)
        if not part.lines:
            head.update("None recorded: press k to record a concern, complaint or compliment.")
            return
        more = part.total - len(part.lines)
        shown = f"\nLatest {len(part.lines)} of {part.total} shown." if more > 0 else ""
        head.update(headline(part) + shown + "\nEnter on one opens it.")
        listing.highlighted = min(keep, len(part.lines) - 1)

    @on(OptionList.OptionSelected, "#record-concerns-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            from microcare_tui.ui.screens.concern_detail import ConcernDetailScreen

            self.app.push_screen(ConcernDetailScreen(event.option.id))
