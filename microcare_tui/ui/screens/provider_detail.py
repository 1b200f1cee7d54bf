"""One provider's record in parts, each one key away: details, standing and why, stage
history, people, evidence, QA checks, training, visits, concerns, and the enquiries that named
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.domain.enums import Stage, label
from microcare_tui.domain.errors import MicrocareError, NotFound
from microcare_tui.services.provider_record import ProviderRecord, RecordField, provider_record
from microcare_tui.services.providers import Choice, move_stage
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.widgets.cheap_screen import (
    KeepStyles,
    compose_off_screen,
    on_a_stack,
    prepared_off_screen,
)
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.record_concerns import RecordConcerns
from microcare_tui.ui.widgets.record_parts import (
    EvidencePart,
    ListPart,
    PeoplePart,
)
from microcare_tui.ui.widgets.record_qa import RecordQA
from microcare_tui.ui.widgets.record_training import RecordTraining
from microcare_tui.ui.widgets.record_visits import RecordVisitsPanel, VisitList
from microcare_tui.ui.widgets.text_field import TextField


def _line(field: RecordField) -> str:
    """'Label: value' in markup, a dim dash when nothing is recorded."""
    value = escape(field.value) if field.value else "[dim]-[/]"
    return f"[b]{escape(field.label)}[/]: {value}"


def _referrals(record: ProviderRecord) -> RenderableType:
    """The count and what came of them, then the latest in columns (date, what happened,
    the need and who asked), the need wrapping in its own column on a narrow screen."""
    summary = Text(record.referral_summary)
    if not record.referrals:
        return summary
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for r in record.referrals:
        need = Text.assemble(r.needs, " ", (f"({r.enquirer.lower()})", "dim"))
        grid.add_row(r.signposted_on, r.reported, need)
    parts: list[RenderableType] = [summary, grid]
    if record.referrals_total > len(record.referrals):
        shown = f"Latest {len(record.referrals)} of {record.referrals_total:,} shown."
        parts.append(Text(shown, style="dim"))
    return Group(*parts)


def _why(record: ProviderRecord) -> str:
    """Each reason with the day it became true: the why panel."""
    if record.standing.value == "good":
        head = "In good standing:"
    else:
        head = "Not in good standing, because:"
    lines = [head]
    for text, since in record.why:
        lines.append(f"  • {escape(text)}" + (f"  [dim](since {since})[/]" if since else ""))
    return "\n".join(lines)


class RecordLoaded(Loaded, bubble=False):
    """The record's details, read in a worker."""

    def __init__(self, generation: int, record: ProviderRecord) -> None:
        super().__init__(generation)
        self.record = record


class MoveStageDialog(ModalScreen[tuple[Stage, str] | None]):
    """Pick the next stage (only the allowed ones) and an optional note."""

    DEFAULT_CSS = """
    MoveStageDialog { align: center middle; }
    MoveStageDialog > Vertical {
        width: 60; max-width: 95%; height: auto; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    MoveStageDialog OptionList { height: auto; max-height: 9; }
    MoveStageDialog Input { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, current: str, choices: list[Choice]) -> None:
        super().__init__()
        self.provider_name = name
        self.current = current  # the stage in words
        self.choices = choices  # (words, stage) the provider may move to

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Move {self.provider_name} from {self.current.lower()} to:",
                markup=False,
                classes="page-title",
            )
            yield OptionList(*[Option(words, id=stage) for words, stage in self.choices])
            yield TextField(placeholder="note (optional): why, what next", id="stage-note")
            yield Static("Enter moves, tab for the note, escape cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._finish(event.option.id)

    @on(Input.Submitted)
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
            options.focus()
            return
        self._finish(options.get_option_at_index(options.highlighted).id)

    def _finish(self, stage_id: str | None) -> None:
        if not stage_id:
            return
        note = self.query_one("#stage-note", Input).value.strip()
        self.dismiss((Stage(stage_id), note))

    def action_cancel(self) -> None:
        self.dismiss(None)


PartFactory = Callable[[str], Widget]

# The parts made from the record itself (no factory): the id of the text each shows, and its
# title.
RECORD_TEXTS = {
    "s": ("detail-why", "Why"),
    "h": ("detail-history", "Stage history"),
    "n": ("detail-referrals", "Referrals received"),
}


# The record's parts, in order: (key, title, factory). A factory takes the provider's id and
# returns a widget that loads its own data in a thread worker when first shown (parts built
# here from the record itself have None).
PARTS: list[tuple[str, str, PartFactory | None]] = [
    ("d", "Details", None),
    ("s", "Standing", None),
    ("h", "History", None),
    ("p", "People", PeoplePart),
    ("x", "Evidence", EvidencePart),
    ("q", "QA checks", RecordQA),
    ("t", "Training", RecordTraining),
    ("v", "Visits", RecordVisitsPanel),
    ("k", "Concerns", RecordConcerns),
    ("n", "Enquiries", None),
]


NO_PROVIDER = ""  # the record screen made in advance, before any provider is asked for

# The record screen, kept per app once made: opening another provider's record fills it
# afresh instead of composing ~20 widgets again (most of an open's cost).
_KEPT: WeakKeyDictionary[App[Any], ProviderDetailScreen] = WeakKeyDictionary()


class ProviderDetailScreen(KeepStyles, AppAccess, Screen[None]):
    """A provider's record in parts, each one key away, with keys to edit, move stage and
    copy the phone. The record is read in a worker; each part loads when first shown."""

    HELP = (
        "Provider record: everything held about one provider in parts, each one key away: "
        + ", ".join(f"{k} {t.lower()}" for k, t, _ in PARTS)
        + ". Their standing today and why, every dated stage move, people, evidence, and "
        "the enquiries signposted to them with what happened. Long parts scroll (page up, "
        "page down)."
    )
    title_text = "Provider"
    CSS_PATH = "providers.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("m", "move_stage", "Move stage"),
        Binding("c", "copy_phone", "Copy phone"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("escape", "back", "Back"),
        *[Binding(k, f"part('{k}')", t, show=False) for k, t, _ in PARTS],
    ]

    def __init__(self, provider_id: str, part: str = "d") -> None:
        super().__init__()
        self.provider_id = provider_id
        self.record: ProviderRecord | None = None
        self.part = part
        self.generation = 0

    @classmethod
    def for_provider(cls, app: App[Any], provider_id: str, part: str = "d") -> ProviderDetailScreen:
        """The record screen for a provider: the kept one, filled afresh, when it is free;
        otherwise a new one (kept in turn when none is)."""
        kept = _KEPT.get(app)
        if kept is not None and (on_a_stack(app, kept) or not kept.is_mounted):
            # Open under this one, or still being made off screen: a screen of its own.
            return cls(provider_id, part)
        if kept is not None:
            kept.show_provider(provider_id, part)
            return kept
        return cls._keep(app, cls(provider_id, part))

    @classmethod
    def _keep(cls, app: App[Any], screen: ProviderDetailScreen) -> ProviderDetailScreen:
        _KEPT[app] = screen
        app.install_screen(screen, f"provider-record-{id(screen)}")
        return screen

    @classmethod
    def prepare(cls, app: App[Any]) -> None:
        """Make the record screen now, off screen, with no provider in it (a no-op if there
        is one): the first record opened in a session, often from the lookup during a call,
        fills it instead of composing it."""
        if app in _KEPT or not app.is_running:
            return
        compose_off_screen(app, cls._keep(app, cls(NO_PROVIDER)))

    def show_provider(self, provider_id: str, part: str = "d") -> None:
        """Make this kept screen another provider's record, as a new screen opens it: the
        details part shown and 'Loading...'; the parts made for the last provider removed
        (each loads its own provider's lines when first shown). Read when it is shown."""
        self.provider_id = provider_id
        self.record = None
        self.generation += 1  # a read still on its way is for the last provider
        switcher = self.query_one(ContentSwitcher)
        for child in list(switcher.children):
            if child.id != "part-d":
                child.remove()
        switcher.current = "part-d"
        self.part = "d"
        self._show_tabs()
        self.set_class(self.app.size.width < 100, "-narrow")  # resized while it was hidden
        self.query_one("#detail-name", Static).update("")
        standing = self.query_one("#detail-standing", Static)
        standing.update("Loading...")
        standing.set_classes("")
        for text in ("#detail-contact", "#detail-offer", "#detail-about"):
            self.query_one(text, Static).update("")
        self.query_one("#part-d", VerticalScroll).scroll_home(animate=False)
        self._refill = part

    def compose(self) -> ComposeResult:
        # Few widgets (each costs ~5 ms to start here): a panel's title is the first line of
        # its text, and the parts read from the record (s, h, n) are made when first shown.
        yield AppHeader()
        with Vertical(classes="page", id="detail-top"):
            yield Static("", id="detail-name", classes="page-title", markup=False)
            yield Static("Loading...", id="detail-standing")
            yield Static("", id="detail-parts")
        with (
            ContentSwitcher(initial="part-d", id="detail-switcher"),
            VerticalScroll(classes="page", id="part-d"),
        ):
            with Horizontal(id="detail-columns"):
                yield Static("", id="detail-contact", classes="detail-panel")
                yield Static("", id="detail-offer", classes="detail-panel")
            yield Static("", id="detail-about")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self._show_tabs()
        if self.provider_id == NO_PROVIDER:  # made in advance, off screen: nothing to read
            prepared_off_screen(self)
            return
        self.reload()
        if self.part != "d":
            self.action_part(self.part)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    _resumed = False

    _refill: str | None = None  # set by show_provider: the part to open once shown

    def on_screen_resume(self) -> None:
        if self._refill is not None:  # a kept screen shown for its next provider: read it
            part, self._refill = self._refill, None
            self.reload()
            if part != "d":
                self.action_part(part)
        elif self._resumed and self.record is not None:
            # Back from the form or a dialog: read again. Not when first shown: on_mount read.
            self.reload()
        self._resumed = True

    def _show_tabs(self) -> None:
        tabs = []
        for key, title, _ in PARTS:
            if key == self.part:
                tabs.append(f"[reverse b] {key} {title} [/]")
            else:
                tabs.append(f" [b]{key}[/] {title} ")
        self.query_one("#detail-parts", Static).update("".join(tabs))

    def action_part(self, key: str) -> None:
        """Show the part on this key (mounting it the first time: it loads itself)."""
        entry = next((p for p in PARTS if p[0] == key), None)
        if entry is None:
            return
        if key == self.part:  # the part's key again starts its work (a visit, a check...)
            for widget in self.query_one(f"#part-{key}").query("*"):
                start = getattr(widget, "start_new", None)
                if callable(start):
                    start()
                    return
        switcher = self.query_one(ContentSwitcher)
        part_id = f"part-{key}"
        if not switcher.query(f"#{part_id}"):
            if entry[2] is not None:
                part: Widget = Vertical(entry[2](self.provider_id), id=part_id, classes="page")
            else:  # a part read from the record: its title and text, filled from the record
                text_id, heading = RECORD_TEXTS[key]
                title = Static(heading, classes="panel-title")
                text = Static(self._record_text(key), id=text_id)
                part = VerticalScroll(title, text, id=part_id, classes="page")
            switcher.mount(part)
            self.call_after_refresh(self._show, key, part_id)
            return
        self._show(key, part_id)

    def _show(self, key: str, part_id: str) -> None:
        self.part = key
        self.query_one(ContentSwitcher).current = part_id
        self._show_tabs()
        shown = self.query_one(f"#{part_id}")
        for part in shown.query(ListPart):
            part.focus_list()
            return
        for visits in shown.query(VisitList):
            if visits.display:
                visits.focus()
                return
        if isinstance(shown, VerticalScroll):
            shown.focus()

    def reload(self) -> None:
        """Read the record again in a worker (after a save, r, or coming back)."""
        self.generation += 1
        self._load(self.generation)
        for part in self.query(ListPart):
            part.reload()
        for panel in self.query(RecordVisitsPanel):  # back from the visit form: the new visit
            panel.reload()
        for training in self.query(RecordTraining):
            training.reload()

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def _load(self, generation: int) -> None:
        pid, today = self.provider_id, self.mc.today()
        try:
            record = self.mc.read(lambda db: provider_record(db, pid, today))
        except NotFound:
            self.app.call_from_thread(self._gone)
            return
        if record is not None:
            self.post_message(RecordLoaded(generation, record))

    def _gone(self) -> None:
        self.notify("That provider is no longer on the register.", severity="warning")
        self.dismiss(None)

    @on(RecordLoaded)
    def _loaded(self, message: RecordLoaded) -> None:
        if message.generation != self.generation:
            return
        record = self.record = message.record
        self.query_one("#detail-name", Static).update(record.name)
        reason = f" — {escape(record.reason)}" if record.reason else ""
        since = f" since {record.stage_since}" if record.stage_since else ""
        standing = self.query_one("#detail-standing", Static)
        standing.update(
            f"Standing: [b]{escape(record.standing_text)}[/]{reason}\n"
            f"Stage: [b]{escape(record.stage_text)}[/]{since}"
        )
        standing.set_classes(f"status-{record.standing.value}")
        contact = "\n".join(["[b]Contact and business[/]", *map(_line, record.contact)])
        self.query_one("#detail-contact", Static).update(contact)
        offer = "\n".join(["[b]What they offer[/]", *map(_line, record.offer)])
        self.query_one("#detail-offer", Static).update(offer)
        about = "\n".join(["", "[b]About[/]", *map(_line, record.about)])
        self.query_one("#detail-about", Static).update(about)
        for key in RECORD_TEXTS:
            self._fill_record_part(key)

    def _fill_record_part(self, key: str) -> None:
        """The text of part s, h or n from the record, when that part has been made."""
        for text in self.query(f"#{RECORD_TEXTS[key][0]}").results(Static):
            text.update(self._record_text(key))

    def _record_text(self, key: str) -> RenderableType:
        """What part s, h or n shows of the record ('Loading...' until it is read)."""
        record = self.record
        if record is None:
            return "Loading..."
        if key == "s":
            return _why(record)
        if key == "h":
            history = [f"{h.moved_on}  {escape(h.text)}" for h in record.history]
            return "\n".join(history) or "[dim]No stage moves recorded.[/]"
        return _referrals(record)

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.reload()

    def action_edit(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        self.app.push_screen(ProviderFormScreen.open_for(self.app, self.provider_id))

    def action_copy_phone(self) -> None:
        if self.record is None or not self.record.phone:
            self.notify("No phone number recorded: press e to add one.")
            return
        self.mc.copy_text(self.record.phone, "phone number")

    def action_move_stage(self) -> None:
        record = self.record
        if record is None:
            return

        def chosen(result: tuple[Stage, str] | None) -> None:
            if result is None:
                return
            target, note = result
            try:
                moved = move_stage(self.mc.store, record.id, target, note or None)
            except MicrocareError as exc:
                self.notify(exc.message, title="Not moved", severity="error")
                return
            self.mc.data_changed("providers")
            self.notify(f"{moved.name} moved to {label(moved.stage.value).lower()}", markup=False)

        dialog = MoveStageDialog(record.name, record.stage_text, record.next_stages)
        self.app.push_screen(dialog, chosen)
