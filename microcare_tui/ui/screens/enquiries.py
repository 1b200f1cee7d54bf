"""Enquiries (section 2): every call logged, a page at a time, with filters and search."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static

from microcare_tui.domain.enums import EnquirerKind, Outcome
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.labels import count_text, kind_label, outcome_label
from microcare_tui.domain.parse import format_date, parse_date
from microcare_tui.services.enquiry_list import (
    PAGE_SIZE,
    EnquiryLine,
    EnquiryListFilter,
    EnquiryPage,
    area_choices,
    load_enquiry_page,
)
from microcare_tui.ui.messages import EnquiryPageLoaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.enquiry_table import EnquiryTable
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField

KINDS: list[str | None] = [None, *(k.value for k in EnquirerKind)]
OUTCOMES: list[str | None] = [None, *(o.value for o in Outcome)]
SEARCH_PAUSE_S = 0.15  # the search asks for a page once typing pauses this long


class DateRangeDialog(FormScreen, ModalScreen[Any]):
    """From/to dates for the list: '01/11/2026', '-30d', 'today'; both empty clears."""

    title_text = "Dates"
    HELP = "Enquiries received between two dates: 01/11/2026, 01/11, -30d, -2w, today."
    DEFAULT_CSS = """
    DateRangeDialog { align: center middle; }
    DateRangeDialog > Vertical {
        width: 60; max-width: 98%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    """

    def __init__(self, start: date | None, end: date | None, today: date) -> None:
        super().__init__()
        self.start, self.end, self.today = start, end, today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Received between", classes="page-title")
            start = TextField(
                format_date(self.start), id="date_from", placeholder="01/11/2026, -30d"
            )
            yield FieldRow("From", start, "date_from")
            end = TextField(format_date(self.end), id="date_to", placeholder="empty: up to today")
            yield FieldRow("To", end, "date_to")
            yield Static("ctrl+s applies · both empty shows all dates · escape cancels",
                         classes="muted")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#date_from", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)  # a filter, not a record: nothing to lose by leaving

    def validate_field(self, field: str, value: Any) -> str | None:
        try:
            parse_date(str(value), self.today)
        except ValueError as exc:
            return str(exc)
        return None

    def save_values(self, values: dict[str, Any]) -> tuple[date | None, date | None]:
        out: list[date | None] = []
        errors: dict[str, str] = {}
        for field in ("date_from", "date_to"):
            text = str(values.get(field) or "").strip()
            try:
                out.append(parse_date(text, self.today) if text else None)
            except ValueError as exc:
                errors[field] = str(exc)
                out.append(None)
        if not errors and out[0] and out[1] and out[0] > out[1]:
            errors["date_to"] = "The end is before the start"
        if errors:
            raise ValidationFailed(errors)
        return out[0], out[1]


class EnquiriesScreen(SectionScreen):
    """Every enquiry, newest first."""

    title_text = "Enquiries"
    HELP = (
        "Enquiries: every call logged, newest first, 50 to a page (pageup/pagedown). "
        "/ searches caller, summary and needs; o open only; u follow-up due; k cycles the "
        "enquirer kind; a the area; t the outcome; f sets a date range; c clears filters. "
        "Enter opens an enquiry, n logs a new one, x marks its follow-up done."
    )
    # The tooltips are the palette's line on each key (ctrl+p finds a key by its words).
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted enquiry"),
        Binding("n", "new", "New", tooltip="Log a new enquiry (a call)"),
        Binding("slash", "focus_search", "Search", key_display="/", priority=True,
                tooltip="Search enquiries by caller, summary or needs"),
        Binding("o", "toggle_open", "Open only", tooltip="Show only enquiries still open"),
        Binding("u", "toggle_due", "Due",
                tooltip="Show only enquiries whose follow-up is due or overdue"),
        Binding("k", "cycle_kind", "Kind", tooltip="Filter by the enquirer kind (cycles)"),
        Binding("a", "cycle_area", "Area", tooltip="Filter by area (cycles)"),
        Binding("t", "cycle_outcome", "Outcome", tooltip="Filter by outcome (cycles)"),
        Binding("f", "dates", "Dates", tooltip="Only enquiries received in a date range"),
        Binding("c", "clear_filters", "Clear", show=False, tooltip="Clear every filter"),
        Binding("x", "follow_up_done", "Follow-up done",
                tooltip="Mark the highlighted enquiry's follow-up done, with a note"),
        Binding("r", "refresh", "Refresh", show=False, tooltip="Read the list again"),
        Binding("pagedown", "next_page", "Next page", key_display="PgDn", show=False),
        Binding("pageup", "previous_page", "Previous page", key_display="PgUp", show=False),
        Binding("escape", "back", "Back", show=False, tooltip="Back to the list, or Home"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    EnquiriesScreen #enquiries-page { height: 1fr; }
    EnquiriesScreen #enquiries-bar { height: 1; }
    EnquiriesScreen #enquiries-title {
        width: auto; padding: 0 2 0 0; text-style: bold; color: $accent;
    }
    EnquiriesScreen #enquiries-search-label { width: auto; color: $text-muted; margin-right: 1; }
    EnquiriesScreen #enquiries-search { width: 1fr; }
    /* One line whatever it says: a new count repaints it without a layout pass. */
    EnquiriesScreen #enquiries-status {
        height: 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    EnquiriesScreen #enquiries-table { height: 1fr; }
    EnquiriesScreen #enquiries-empty { height: auto; padding: 0 1; border: round $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filters = EnquiryListFilter()
        self.page = 0
        self.total = 0
        self.rows: list[EnquiryLine] = []
        self.loaded = False
        self.generation = 0  # the latest page asked for; older pages are dropped
        self._areas: list[tuple[str, str]] | None = None
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="enquiries-page"):
            with Horizontal(id="enquiries-bar"):
                yield Static("Enquiries", id="enquiries-title")
                yield Label("Search (/)", id="enquiries-search-label")
                yield TextField(placeholder="caller, summary or needs words", id="enquiries-search",
                            compact=True)  # fmt: skip
            yield Static("Loading...", id="enquiries-status", markup=False)
            yield Static("", id="enquiries-empty", markup=False)
            yield EnquiryTable(id="enquiries-table")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#enquiries-empty", Static).display = False
        self.query_one(EnquiryTable).focus()
        self.reload()
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            prepared_off_screen(self)

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.generation += 1
        self.load_page(self.generation, self.filters, self.page, self.mc.today())

    @work(thread=True, exclusive=True, group="enquiries", exit_on_error=False)
    def load_page(
        self, generation: int, filters: EnquiryListFilter, page: int, today: date
    ) -> None:
        """Read a page on the app's reader thread; it comes back as EnquiryPageLoaded."""
        loaded = self.mc.read(lambda db: load_enquiry_page(db, filters, page, today, PAGE_SIZE))
        if loaded is not None:
            self.post_message(EnquiryPageLoaded(generation, loaded))

    @on(EnquiryPageLoaded)
    def _loaded(self, message: EnquiryPageLoaded) -> None:
        if message.generation == self.generation:  # else a filter or the page changed since
            self._show(message.page)

    def _show(self, loaded: EnquiryPage) -> None:
        self.loaded = True
        self.page, self.total, self.rows = loaded.page, loaded.total, loaded.rows
        self.query_one(EnquiryTable).show_lines(loaded.rows)
        empty = self.query_one("#enquiries-empty", Static)
        if not loaded.rows or empty.display:  # hidden and staying hidden: nothing to do
            empty.display = not loaded.rows
            empty.update(self._empty_text())
        self.query_one("#enquiries-status", Static).update(self._status_text(), layout=False)
        draw_off_screen(self)  # a page read while made off screen is drawn unseen too

    def _filter_words(self) -> list[str]:
        f = self.filters
        words = []
        if f.text:
            words.append(f"search '{f.text}'")
        if f.open_only:
            words.append("open only")
        if f.follow_up_due:
            words.append("follow-up due")
        if f.kind:
            words.append(f"kind: {kind_label(f.kind)}")
        if f.area_id:
            words.append(f"area: {dict(self.areas()).get(f.area_id, '?')}")
        if f.outcome:
            words.append(f"outcome: {outcome_label(f.outcome)}")
        if f.date_from or f.date_to:
            words.append(
                f"received {format_date(f.date_from) or 'any time'} to "
                f"{format_date(f.date_to) or 'now'}"
            )
        return words

    def _status_text(self) -> str:
        pages = max(1, -(-self.total // PAGE_SIZE))
        parts = [count_text(self.total, "enquiry", "enquiries")]
        if pages > 1:
            parts.append(f"page {count_text(self.page + 1)} of {count_text(pages)} (PgUp/PgDn)")
        words = self._filter_words()
        parts.append("filters: " + ", ".join(words) + " (c clears)" if words else "no filters")
        return " · ".join(parts)

    def _empty_text(self) -> str:
        if self._filter_words():
            return "No enquiries match these filters: press c to clear them, or / to search again."
        return "No enquiries yet: press n (or ctrl+n from anywhere) to log a call."

    # -- filters ---------------------------------------------------------------------------
    def _set_filters(self, **changes: Any) -> None:
        self.filters = self.filters._replace(**changes)
        self.page = 0
        self.reload()

    # A key in the search only restarts a short timer: the page is asked for once typing
    # pauses (or at once on enter, escape or leaving the search), so each key costs what
    # typing in a field does and "weekly shop" searches 100,000 enquiries once, not 11 times.
    @on(Input.Changed, "#enquiries-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE_S, self._apply_search)

    def _apply_search(self) -> None:
        """Search for what the search line holds now (if it changed)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        text = self.query_one("#enquiries-search", Input).value.strip()
        if text != self.filters.text:
            self._set_filters(text=text)

    @on(Input.Submitted, "#enquiries-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply_search()
        self.query_one(EnquiryTable).focus()

    @on(Input.Blurred, "#enquiries-search")
    def _search_left(self, event: Input.Blurred) -> None:
        event.stop()
        self._apply_search()

    def action_focus_search(self) -> None:
        self.focus_field_now(self.query_one("#enquiries-search", Input))

    def action_back(self) -> None:
        """Escape: from the search back to the list; from the list back home."""
        if isinstance(self.focused, Input):
            self.query_one(EnquiryTable).focus()
            return
        self.app.action_section("home")  # type: ignore[attr-defined]

    def action_toggle_open(self) -> None:
        self._set_filters(open_only=not self.filters.open_only)

    def action_toggle_due(self) -> None:
        self._set_filters(follow_up_due=not self.filters.follow_up_due)

    def action_cycle_kind(self) -> None:
        self._set_filters(kind=KINDS[(KINDS.index(self.filters.kind) + 1) % len(KINDS)])

    def action_cycle_outcome(self) -> None:
        index = OUTCOMES.index(self.filters.outcome)
        self._set_filters(outcome=OUTCOMES[(index + 1) % len(OUTCOMES)])

    def areas(self) -> list[tuple[str, str]]:
        if self._areas is None:
            self._areas = area_choices(self.mc.store)
        return self._areas

    def action_cycle_area(self) -> None:
        cycle: list[str | None] = [None, *(area_id for area_id, _ in self.areas())]
        index = cycle.index(self.filters.area_id) if self.filters.area_id in cycle else 0
        self._set_filters(area_id=cycle[(index + 1) % len(cycle)])

    def action_dates(self) -> None:
        def chosen(result: tuple[date | None, date | None] | None) -> None:
            if result is not None:
                self._set_filters(date_from=result[0], date_to=result[1])

        f = self.filters
        self.app.push_screen(DateRangeDialog(f.date_from, f.date_to, self.mc.today()), chosen)

    def show_only(self, preset: str) -> None:
        """Start again from one view: 'due' (follow-ups due) or 'unmet' (no suitable
        provider), from the palette or Home; any other filter is cleared."""
        presets = {
            "due": EnquiryListFilter(follow_up_due=True),
            "unmet": EnquiryListFilter(outcome=Outcome.NO_SUITABLE_PROVIDER.value),
        }
        self.filters = presets.get(preset, EnquiryListFilter())
        self.page = 0
        if self.is_mounted:  # else mounting loads it
            self.query_one("#enquiries-search", Input).value = ""
            self.reload()

    def action_clear_filters(self) -> None:
        self.query_one("#enquiries-search", Input).value = ""
        self.filters = EnquiryListFilter()
        self.page = 0
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    # -- pages -----------------------------------------------------------------------------
    def action_next_page(self) -> None:
        if (self.page + 1) * PAGE_SIZE >= self.total:
            self.notify("This is the last page.", timeout=2)
            return
        self.page += 1
        self.reload()

    def action_previous_page(self) -> None:
        if self.page == 0:
            return
        self.page -= 1
        self.reload()

    # -- acting on an enquiry --------------------------------------------------------------
    def highlighted_id(self) -> str | None:
        table = self.query_one(EnquiryTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    @on(DataTable.RowSelected, "#enquiries-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        enquiry_id = self.highlighted_id()
        if enquiry_id:
            self.mc.open_enquiry(enquiry_id)

    def action_new(self) -> None:
        self.mc.action_new_enquiry()

    def action_follow_up_done(self) -> None:
        enquiry_id = self.highlighted_id()
        if not enquiry_id:
            return
        row = next((r for r in self.rows if r.id == enquiry_id), None)
        if row is not None and not row.has_follow_up:
            self.notify("This enquiry has no follow-up date.")
            return
        if row is not None and row.follow_up_done:
            self.notify("This follow-up is already done.")
            return
        from microcare_tui.ui.screens.follow_up import FollowUpDoneScreen

        self.app.push_screen(FollowUpDoneScreen(enquiry_id), lambda _done: self.reload())
