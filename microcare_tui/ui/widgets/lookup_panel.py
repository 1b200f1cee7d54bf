"""The lookup: search-as-you-type over providers, for the lookup screen and the call screen.

Keys (they work while the query line has focus, so the worker never leaves it):
  type            search as you type; what was understood shows as chips
  down            into the results (up from the first result comes back)
  enter           open the highlighted provider
  F3              signpost the highlighted provider (in a call); the highlight moves on
  F4              copy the highlighted provider's phone number
  F6              remove the last chip (its words leave the query line)
  pageup/pagedown the previous/next 20 providers
In the results list, `s` signposts and `c` copies the phone as well.

Searching runs in a thread worker, which hands the query to the app's reader thread
(`App.read`: one connection kept open with the store's lookup cache; opening one costs
~1.2 ms, a search on the county demo ~1 ms). The worker posts the result as a LookupResults
message; a result for anything but the latest search is dropped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from microcare_tui.domain.parse import format_phone
from microcare_tui.domain.query import LookupQuery, LookupResult, LookupRow
from microcare_tui.services.lookup import find_providers
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import LookupResults
from microcare_tui.ui.widgets.lookup_rows import (
    chips_content,
    remove_words,
    row_content,
    status_text,
)
from microcare_tui.ui.widgets.results_list import ResultLines
from microcare_tui.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    pass

PAGE = 20
# The longest a keystroke's echo in the query line waits for its results, so that both are
# painted in one frame: a frame for the echo and another for the results a few ms later
# cost a keystroke twice (a third of keystrokes at county scale; ~24 ms against ~12).
HOLD_PAINT_S = 0.05


class FixedInput(TextField):
    """The call screen's and the lookup's text fields (their CSS names this class)."""


class QueryLine(FixedInput):
    """The lookup's query line: a change of its text holds the screen's painting until the
    search for it is shown (LookupPanel._hold_paint), set here, as the key changes the text,
    before the next frame could paint the key's echo alone."""

    def watch_value(self, value: str) -> None:
        for node in self.ancestors:
            if isinstance(node, LookupPanel):
                node.hold_paint()
                return


class ResultsList(ResultLines):
    """The results: enter opens, s signposts, c copies the phone; pages load 20 at a time."""

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next 20", show=False),
        Binding("pageup", "page(-1)", "Previous 20", show=False),
        Binding("up", "up", "Up", show=False),
        Binding("s", "signpost", "Signpost"),
        Binding("c", "copy_phone", "Copy phone"),
    ]

    @property
    def panel(self) -> LookupPanel:
        for node in self.ancestors:
            if isinstance(node, LookupPanel):
                return node
        raise RuntimeError("ResultsList outside a LookupPanel")

    def action_page(self, step: int) -> None:
        self.panel.action_page(step)

    def action_up(self) -> None:
        if not self.highlighted:
            self.panel.focus_query()
        else:
            self.action_cursor_up()

    def action_signpost(self) -> None:
        self.panel.action_signpost()

    def action_copy_phone(self) -> None:
        self.panel.action_copy_phone()


class LookupPanel(AppAccess, Vertical):
    """Query line, understood chips, ~20 results, and a status line."""

    DEFAULT_CSS = """
    LookupPanel { height: 1fr; }
    LookupPanel > #lookup-line { height: 1; margin-top: 1; }
    LookupPanel #lookup-label { width: auto; padding: 0 1; text-style: bold; color: $accent; }
    LookupPanel #lookup-query { width: 1fr; height: 1; }  /* fixed: no layout pass per key */
    LookupPanel > #lookup-chips {
        height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    /* The border and padding are the box's, not the list's: drawn by the list, every line
       of a new page went through Textual's border and padding pass (~3 ms a page). */
    LookupPanel > #lookup-results-box {
        height: 1fr; min-height: 4; border: round $panel; padding: 0 1; background: $surface;
    }
    LookupPanel > #lookup-results-box:focus-within {
        border: round $accent; background-tint: $foreground 5%;
    }
    LookupPanel ResultsList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    LookupPanel > #lookup-status {
        height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """
    BINDINGS = [
        Binding("f3", "signpost", "Signpost"),
        Binding("f4", "copy_phone", "Copy phone"),
        Binding("f6", "remove_chip", "Remove chip", show=False),
        Binding("down", "into_results", "Results", show=False),
        Binding("pagedown", "page(1)", "Next 20", show=False),
        Binding("pageup", "page(-1)", "Previous 20", show=False),
        Binding("tab", "leave", "Leave lookup", show=False),
    ]

    class ProviderChosen(Message):
        """Enter on a result: open this provider."""

        def __init__(self, provider_id: str) -> None:
            super().__init__()
            self.provider_id = provider_id

    class SignpostRequested(Message):
        """F3 (or s) on a result: the screen records (or, if already there, removes) it."""

        def __init__(self, row: LookupRow) -> None:
            super().__init__()
            self.row = row
            self.provider_id = row.id

    def __init__(
        self,
        query: str = "",
        id: str | None = None,  # noqa: A002 - Textual's own widgets take `id`
        can_signpost: bool = True,
    ) -> None:
        super().__init__(id=id)
        self.initial = query
        self.can_signpost = can_signpost  # False in the standalone lookup (no call open)
        self.result: LookupResult | None = None
        self.page_offset = 0
        self.signposted: set[str] = set()
        self.leave_to: Any = None  # a callable run on tab from the query line, if set
        self._shown_chips: Content | None = None
        self._shown_status = ""
        self._shown_keys: list[tuple[Any, ...]] = []
        self._prompt_cache: dict[tuple[Any, ...], Content] = {}
        self.generation = 0  # the latest search asked for; older results are dropped
        self._paint_held: Any = None  # the timer that lets painting go if results are late

    def compose(self) -> ComposeResult:
        with Horizontal(id="lookup-line"):
            yield Static("Find", id="lookup-label")
            yield QueryLine(
                self.initial, placeholder="e.g. shopping ashford tue · TN23 · polish · dp",
                id="lookup-query", compact=True,
            )  # fmt: skip
        yield Static(chips_content(()), id="lookup-chips")
        with Vertical(id="lookup-results-box"):
            yield ResultsList(id="lookup-results")
        yield Static("Type what the caller needs.", id="lookup-status", markup=False)

    def on_mount(self) -> None:
        self.search(self.query_line.value, 0, self._app_today())

    def on_unmount(self) -> None:
        self._release_paint()

    def hold_paint(self) -> None:
        """Hold the screen's painting until this search's results are shown (at most
        HOLD_PAINT_S): the key's echo and its results then go out in one frame."""
        if self._paint_held is None:
            self.app._begin_batch()  # App.batch_update's, held across the search
            self._paint_held = self.set_timer(HOLD_PAINT_S, self._release_paint)

    def _release_paint(self) -> None:
        held, self._paint_held = self._paint_held, None
        if held is not None:
            held.stop()
            self.app._end_batch()
            if self.is_attached:  # the screen paints on its next idle, which the batch skipped
                self.screen.check_idle()

    # -- parts -------------------------------------------------------------------------
    @property
    def query_line(self) -> Input:
        return self.query_one("#lookup-query", Input)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def understood(self) -> LookupQuery | None:
        """What the last shown search understood (for 'use lookup' in the call form)."""
        return self.result.query if self.result else None

    def highlighted_row(self) -> LookupRow | None:
        if self.result is None:
            return None
        index = self.results.highlighted
        if index is None or not 0 <= index < len(self.result.rows):
            return None
        return self.result.rows[index]

    def focus_query(self) -> None:
        self.query_line.focus()

    def _app_today(self) -> date:
        today = getattr(self.app, "today", None)
        return today() if callable(today) else date.today()

    # -- searching ---------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()  # a search is not an edit of the form around it
        self.page_offset = 0
        self.search(event.value, 0, self._app_today())

    @on(Input.Submitted, "#lookup-query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        row = self.highlighted_row()
        if row is not None:
            self.post_message(self.ProviderChosen(row.id))

    def search(self, text: str, offset: int, today: date) -> None:
        """Find providers for `text` (from `offset`) off the UI thread; the newest wins."""
        self.generation += 1
        self._search(self.generation, text, offset, today)

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _search(self, generation: int, text: str, offset: int, today: date) -> None:
        # Newer keystrokes cancel older searches; a cancelled one never reaches the database.
        worker = get_current_worker()
        result = self.mc.read(lambda db: find_providers(db, text, PAGE, offset, today))
        if result is None or worker.is_cancelled:
            return
        self.post_message(LookupResults(generation, text, offset, result))

    @on(LookupResults)
    def _results(self, message: LookupResults) -> None:
        if message.generation != self.generation:
            return  # stale: the worker typed on (or paged) since
        self._show(message.offset, message.result)
        self._release_paint()

    def _show(self, offset: int, result: LookupResult) -> None:
        self.result = result
        self.page_offset = offset
        # Painting is most of a keystroke's cost, so only what changed is redrawn, and the
        # one-line chips and status never ask for a layout pass.
        chips = chips_content(result.query.chips)
        if chips != self._shown_chips:
            self._shown_chips = chips
            self.query_one("#lookup-chips", Static).update(chips, layout=False)
        self._fill(0 if result.rows else None)
        status = status_text(result, offset)
        if status != self._shown_status:
            self._shown_status = status
            self.query_one("#lookup-status", Static).update(status, layout=False)

    def _fill(self, highlight: int | None) -> None:
        rows = self.result.rows if self.result else []
        keys = [self._row_key(row) for row in rows]
        results = self.results
        if keys != self._shown_keys:
            # Typing on within a word often leaves the top 20 as they were: no repaint then.
            self._shown_keys = keys
            results.show(
                [
                    (row.id, key, self._prompt(key, row))
                    for key, row in zip(keys, rows, strict=True)
                ],
                highlight,
            )
        elif highlight is not None and rows:
            results.highlighted = highlight

    def _row_key(self, row: LookupRow) -> tuple[Any, ...]:
        """Everything a row shows: equal keys, equal lines."""
        return (
            row.id, row.name, row.standing, row.taking, row.phone, row.area, row.placement,
            tuple(row.serves), tuple(row.services), tuple(row.days), tuple(row.misses),
            row.id in self.signposted,
        )  # fmt: skip

    def _prompt(self, key: tuple[Any, ...], row: LookupRow) -> Content:
        """A row's two lines, made once per distinct row (rows repeat as the worker types)."""
        prompt = self._prompt_cache.get(key)
        if prompt is None:
            if len(self._prompt_cache) > 2_000:
                self._prompt_cache.clear()
            prompt = self._prompt_cache[key] = row_content(row, row.id in self.signposted)
        return prompt

    def refresh_rows(self) -> None:
        """Re-draw the rows (after the signposted set changed), keeping the highlight."""
        if self.result is not None:
            self._fill(self.results.highlighted)

    # -- actions -----------------------------------------------------------------------
    def action_into_results(self) -> None:
        results = self.results
        if results.option_count:
            if results.highlighted is None:
                results.highlighted = 0
            results.focus()

    def action_leave(self) -> None:
        if callable(self.leave_to):
            self.leave_to()
        else:
            self.screen.focus_next()

    def action_page(self, step: int) -> None:
        if self.result is None:
            return
        offset = self.page_offset + step * PAGE
        if offset < 0 or offset >= max(self.result.total, 1):
            self.app.bell()
            return
        self.search(self.query_line.value, offset, self._app_today())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Not offered in the standalone lookup's footer; that screen explains if F3 is pressed.
        return not (action == "signpost" and not self.can_signpost)

    def action_signpost(self) -> None:
        if not self.can_signpost:
            self.notify("Signposting is part of a call: open a call (ctrl+n) to signpost.")
            return
        row = self.highlighted_row()
        if row is None:
            self.notify("Nothing to signpost: search first, then F3 on a provider.")
            return
        was_there = row.id in self.signposted
        self.post_message(self.SignpostRequested(row))
        if not was_there:
            # Move on, so F3 F3 signposts the first two.
            results = self.results
            index = results.highlighted or 0
            if index + 1 < results.option_count:
                results.highlighted = index + 1

    def action_copy_phone(self) -> None:
        row = self.highlighted_row()
        if row is None:
            return
        if not row.phone:
            self.notify(f"{row.name} has no phone number on record.", markup=False)
            return
        copy = getattr(self.app, "copy_text", None)
        if callable(copy):
            copy(format_phone(row.phone), f"{row.name}'s phone")

    def action_remove_chip(self) -> None:
        query = self.understood
        if query is None or not query.chips:
            self.app.bell()
            return
        chip = query.chips[-1]
        line = self.query_line
        line.value = remove_words(line.value, chip.source)
        line.cursor_position = len(line.value)

    @on(ResultLines.Selected, "#lookup-results")
    def _chosen(self, event: ResultLines.Selected) -> None:
        event.stop()
        self.post_message(self.ProviderChosen(event.row_id))
