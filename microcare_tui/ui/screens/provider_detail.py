"""One provider's record in parts, each one key away: details, standing and why, stage
history, people, evidence, QA checks, training, visits, concerns, and the enquiries that named
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast
from weakref import WeakKeyDictionary

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
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
    draw_off_screen,
    keep_screen,
    on_a_stack,
    prepared_off_screen,
)
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.quiet import (
    QuietHorizontal,
    QuietScroll,
    QuietStatic,
    QuietSwitcher,
    QuietVertical,
)
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


class KeptPart(Protocol):
    """A part the kept record screen reuses for the next provider (ListPart, visits,
    training)."""

    provider_id: str

    def show_for(self, provider_id: str) -> None:
        """Blank the part, then read this provider's lines."""

    def reload(self) -> None:
        """Read the lines again."""


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
# Parts the record screen made in advance mounts too (the slowest first opens: their lists).
PARTS_MADE_IN_ADVANCE = ("p", "x")

# How long the kept record screen waits for its record before showing 'Loading...' instead
# (the read takes ~10-20 ms on a county register; a disk busy with a sync may take longer).
SHOW_ANYWAY_S = 0.25

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
        self._stale: set[str] = set()  # parts made for an earlier opening: read when shown

    @classmethod
    def open(cls, app: App[Any], provider_id: str, part: str = "d") -> None:
        """Show a provider's record. The kept screen, when free, is filled first and shown
        once the record is read (its first frame has the record: one layout, not a frame of
        'Loading...' and then another); otherwise a new screen (kept in turn when none is)."""
        kept = _KEPT.get(app)
        if kept is not None and (on_a_stack(app, kept) or not kept.is_mounted):
            # Open under this one, or still being made off screen: a screen of its own.
            app.push_screen(cls(provider_id, part))
        elif kept is not None:
            kept.show_provider(provider_id, part)
        else:
            app.push_screen(keep_screen(_KEPT, app, cls(provider_id, part), "provider-record"))

    @classmethod
    def prepare(cls, app: App[Any]) -> None:
        """Make the record screen now, off screen, with no provider in it (a no-op if there
        is one): the first record opened in a session, often from the lookup during a call,
        fills it instead of composing it."""
        if app in _KEPT or not app.is_running:
            return
        screen = keep_screen(_KEPT, app, cls(NO_PROVIDER), "provider-record")
        compose_off_screen(app, screen)

    def show_provider(self, provider_id: str, part: str = "d") -> None:
        """Make this kept screen another provider's record and show it: nothing of the last
        provider's left, the details part, the record read in a worker and the screen pushed
        when it arrives (or after SHOW_ANYWAY_S, saying 'Loading...', if the read is slow)."""
        self.provider_id = provider_id
        self.record = None
        self.generation += 1  # a read still on its way is for the last provider
        # The parts made for the last provider stay (removing them costs a footer recompose
        # and their mounting again): each is made this provider's when next shown. The
        # details keep the last provider's text until this one's record fills them, unseen:
        # blanking them first would lay the screen out twice.
        self._stale = {key for key, _, factory in PARTS if factory and self._made(key)}
        if self.part != "d":
            self.query_one(ContentSwitcher).current = "part-d"
            self.part = "d"
            self._show_tabs()
        self.set_class(self.app.size.width < 100, "-narrow")  # resized while it was hidden
        details = self.query_one("#part-d", VerticalScroll)
        details.scroll_home(animate=False)
        # Focus left in a part now hidden would answer that part's keys (a adds evidence)
        # on the details: the details have it, as when the screen was first made.
        self.set_focus(details, scroll_visible=False)
        self._wanted_part = part
        self._load(self.generation)
        if self._show_timer is not None:
            self._show_timer.stop()
        self._show_timer = self.set_timer(SHOW_ANYWAY_S, self._show_now)

    def _show_now(self) -> None:
        """Push this kept screen (its record read, or the read slow), once per opening."""
        if self._show_timer is None:
            return
        self._show_timer.stop()
        self._show_timer = None
        if self.record is None:  # the read is slow: nothing of the last provider's shows
            self._blank()
        self._opened = True
        self.app.push_screen(self)

    def _blank(self) -> None:
        """'Loading...' in place of the details and the parts read from the record."""
        self.query_one("#detail-name", Static).update("")
        standing = self.query_one("#detail-standing", Static)
        standing.update("Loading...")
        standing.set_classes("")
        for text in ("#detail-contact", "#detail-offer", "#detail-about"):
            self.query_one(text, Static).update("")
        for key in RECORD_TEXTS:
            self._fill_record_part(key)

    def compose(self) -> ComposeResult:
        # Few widgets (each costs ~5 ms to start here): a panel's title is the first line of
        # its text, and the parts read from the record (s, h, n) are made when first shown.
        yield AppHeader()
        with QuietVertical(classes="page", id="detail-top"):
            yield QuietStatic("", id="detail-name", classes="page-title", markup=False)
            yield QuietStatic("Loading...", id="detail-standing")
            yield QuietStatic("", id="detail-parts")
        with (
            QuietSwitcher(initial="part-d", id="detail-switcher"),
            QuietScroll(classes="page", id="part-d"),
        ):
            with QuietHorizontal(id="detail-columns"):
                yield QuietStatic("", id="detail-contact", classes="detail-panel")
                yield QuietStatic("", id="detail-offer", classes="detail-panel")
            yield QuietStatic("", id="detail-about")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self._show_tabs()
        if self.provider_id == NO_PROVIDER:  # made in advance, off screen: nothing to read
            prepared_off_screen(self)
            self.call_after_refresh(self._make_parts_in_advance)
            return
        self.reload()
        if self.part != "d":
            self.action_part(self.part)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    _resumed = False

    _show_timer: Timer | None = None  # set while show_provider waits for the record
    _opened = False  # pushed by show_provider: the record is read (or being read)
    _wanted_part = "d"  # the part show_provider was asked to open on

    def on_screen_resume(self) -> None:
        if self._opened:  # a kept screen shown for its next provider, read as it was pushed
            self._opened = False
            if self._wanted_part != "d":
                self.action_part(self._wanted_part)
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
        made = self._made(key)
        if made is not None and key in self._stale:  # made for an earlier opening: afresh
            self._stale.discard(key)
            cast(KeptPart, made.children[0]).show_for(self.provider_id)
        if made is None:
            if entry[2] is not None:
                part: Widget = Vertical(entry[2](self.provider_id), id=part_id, classes="page")
            else:  # a part read from the record: its title and text, filled from the record
                text_id, heading = RECORD_TEXTS[key]
                title = QuietStatic(heading, classes="panel-title")
                text = QuietStatic(self._record_text(key), id=text_id)
                part = QuietScroll(title, text, id=part_id, classes="page")
            before = self.css_sources()
            switcher.mount(part)
            self.call_after_refresh(self._show, key, part_id, before)
            return
        self._show(key, part_id)

    def _make_parts_in_advance(self) -> None:
        """Mount the parts in PARTS_MADE_IN_ADVANCE now, while the screen is made off screen
        and nobody waits: the first p or x of the session then only fills them (mounting a
        part and styling it with its CSS for the first time was most of that key's 110-170
        ms on a county register). They hold no provider until then (stale: show_for)."""
        switcher = self.query_one(ContentSwitcher)
        before = self.css_sources()
        for key, _, factory in PARTS:
            if key in PARTS_MADE_IN_ADVANCE and factory is not None and not self._made(key):
                part = Vertical(factory(NO_PROVIDER), id=f"part-{key}", classes="page")
                part.display = False  # a ContentSwitcher hides only the child it switches from
                switcher.mount(part)
                self._stale.add(key)
        self.call_after_refresh(self._made_in_advance, before)

    def _made_in_advance(self, css_before: set[Any]) -> None:
        self.note_own_css(css_before)
        draw_off_screen(self)

    def _show(self, key: str, part_id: str, css_before: set[Any] | None = None) -> None:
        if css_before is not None:  # the part was just mounted, styled with its own CSS
            self.note_own_css(css_before)
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
        # Back from a form: the parts made for this opening read again (the others are
        # read afresh when next shown).
        for key, _, factory in PARTS:
            part = self._made(key)
            if factory is not None and part is not None and key not in self._stale:
                cast(KeptPart, part.children[0]).reload()

    def _made(self, key: str) -> Widget | None:
        """Part `key`'s widget, if it has been made (parts are made when first shown)."""
        found = self.query_one(ContentSwitcher).query(f"#part-{key}")
        return found.first() if found else None

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
        if self._show_timer is not None:  # not shown yet: it stays hidden
            self._show_timer.stop()
            self._show_timer = None
        elif self.is_current:
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
        # A kept screen filled for its next provider: shown once these updates have reached
        # it (pushed at once, it was laid out and drawn twice: before them and after).
        self.call_after_refresh(self._show_now)

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
