"""Providers (section 3): the register, a page at a time, with a filter and a stage filter."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static

from microcare_tui.domain.enums import Stage, label
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services.providers import (
    ProviderListRow,
    provider_list_page,
    withdraw_provider,
)
from microcare_tui.ui.messages import ProviderPageLoaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.screens.call_prepare import prepare_later
from microcare_tui.ui.screens.provider_columns import column_widths, row_cells
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.page_table import PageTable
from microcare_tui.ui.widgets.text_field import TextField

PAGE_SIZE = 50
FILTER_PAUSE_S = 0.15  # the filter asks for a page once typing pauses this long
STAGE_CYCLE: list[str | None] = [None, *(s.value for s in Stage)]


@dataclass(frozen=True)
class PageRequest:
    """What the list should show; a result for any other request is stale."""

    text: str
    stage: str | None
    page: int


class ProviderTable(PageTable):
    """The register's table: pageup/pagedown turn pages of the register, not of the screen.
    A new page (each filter result) repaints it without laying out the screen (PageTable)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", key_display="⏎"),
        Binding("pagedown", "screen.next_page", "Next page", show=False),
        Binding("pageup", "screen.previous_page", "Previous page", show=False),
    ]


class ProvidersScreen(SectionScreen):
    """The register of providers."""

    HELP = (
        "Providers: the register, 50 to a page. / filters by name, service or area words, "
        "or a phone number in any form; "
        "s cycles the stage; enter opens a provider; n adds one; d withdraws one."
    )
    title_text = "Providers"
    CSS_PATH = "providers.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True),
        Binding("s", "cycle_stage", "Stage"),
        Binding("S", "cycle_stage(-1)", "Stage back", show=False),
        Binding("d", "withdraw", "Withdraw"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("pagedown", "next_page", "Next page", key_display="PgDn"),
        Binding("pageup", "previous_page", "Previous page", key_display="PgUp", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.stage: str | None = None
        self.page = 0
        self.total = 0
        self.rows: list[ProviderListRow] = []
        self._keep_id: str | None = None
        self._keep_index = 0
        self._widths: dict[str, int] = {}
        self._pending: PageRequest | None = None
        self._filter_timer: Timer | None = None
        self.generation = 0  # of the latest page asked for; older results are dropped

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="providers-page"):
            with Horizontal(id="providers-bar"):
                yield Static("Providers", classes="page-title", id="providers-title")
                yield Label("Filter (/)", id="providers-filter-label")
                yield TextField(
                    placeholder="name, service, area or phone",
                    id="providers-filter",
                    compact=True,
                )
            yield Static("Loading...", id="providers-status", markup=False)
            yield Static("", id="providers-empty", markup=False)
            # The table stays shown (and focused) when empty, so n, s and / keep working.
            yield ProviderTable(id="providers-table", cursor_type="row", zebra_stripes=True)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#providers-empty", Static).display = False
        self._build_columns()
        self.query_one(ProviderTable).focus()
        self.reload()
        if self.is_current:  # opened by its key before it was made off screen
            prepare_later(self.app, self._prepare_form)
        else:  # made off screen (call_prepare.prepare_section), the form after it
            prepared_off_screen(self)

    def _prepare_form(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        ProviderFormScreen.prepare(self.app)  # the first n only shows it

    def on_resize(self, event: events.Resize) -> None:
        if column_widths(event.size.width) != self._widths:
            self._build_columns()
            self._fill_table()

    def _build_columns(self) -> None:
        table = self.query_one(ProviderTable)
        self._widths = column_widths(self.app.size.width)
        table.clear(columns=True)
        for name, width in self._widths.items():
            table.add_column(name, width=width, key=name.lower())

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        table = self.query_one(ProviderTable)
        if table.row_count and self._keep_id is None:
            self._keep_index = table.cursor_row
            self._keep_id = self.highlighted_id()
        self._load()

    def _request(self) -> PageRequest:
        return PageRequest(self.text, self.stage, self.page)

    def _load(self) -> None:
        """Fetch the current page in a thread; say 'Loading' if it takes a moment."""
        self._pending = request = self._request()
        self.generation += 1
        self.load_page(self.generation, request)
        self.set_timer(0.3, lambda: self._still_loading(request))

    def _still_loading(self, request: PageRequest) -> None:
        if self._pending == request:
            self.query_one("#providers-status", Static).update("Loading...", layout=False)

    @work(thread=True, exclusive=True, group="providers", exit_on_error=False)
    def load_page(self, generation: int, request: PageRequest) -> None:
        """Read a page on the app's reader thread; it comes back as ProviderPageLoaded."""
        today = self.mc.today()
        page = self.mc.read(
            lambda db: provider_list_page(
                db, request.text, request.stage, request.page, PAGE_SIZE, today=today
            )
        )
        if page is not None:
            self.post_message(ProviderPageLoaded(generation, page))

    @on(ProviderPageLoaded)
    def _loaded(self, message: ProviderPageLoaded) -> None:
        if message.generation != self.generation:
            return  # the filter or page changed while this page was loading
        self._pending = None
        same = self._filled and message.page.rows == self.rows and message.page.page == self.page
        self.page = message.page.page
        self.total = message.page.total
        self.rows = message.page.rows
        if same and self.query_one(ProviderTable).row_count == len(self.rows):
            # The page shown again unchanged (back from a record, back to the section):
            # the table keeps its rows and its cursor, and is not drawn again.
            self._keep_id = None
            self._keep_index = 0
        else:
            self._fill_table()
        self._show_status()
        draw_off_screen(self)  # a page read while made off screen is drawn unseen too

    _filled = False  # a page has been put in the table (and the empty line set for it)

    def _fill_table(self) -> None:
        self._filled = True
        table = self.query_one(ProviderTable)
        table.clear()
        for row in self.rows:
            table.add_row(*row_cells(row, self._widths), key=row.id)
        if self.rows:
            index = self._keep_index
            if self._keep_id is not None:
                ids = [r.id for r in self.rows]
                if self._keep_id in ids:
                    index = ids.index(self._keep_id)
            table.move_cursor(row=min(index, len(self.rows) - 1), animate=False)
        self._keep_id = None
        self._keep_index = 0
        empty = self.query_one("#providers-empty", Static)
        if self.rows and not empty.display:
            return  # still hidden: nothing to lay out or paint
        empty.display = not self.rows
        empty.update(self._empty_text())

    def _empty_text(self) -> str:
        if self.rows:
            return ""
        if self.text and self.stage:
            return (
                f"No {label(self.stage).lower()} providers match '{self.text}'. "
                "Press s to change the stage, or / to change the filter."
            )
        if self.text:
            return f"No providers match '{self.text}'. Press / to change the filter."
        if self.stage:
            stage = label(self.stage).lower()
            return f"No providers at the {stage} stage. Press s for the next stage."
        return "No providers yet: press n to add one, or run `microcare demo` for demo data."

    def _show_status(self) -> None:
        pages = max(1, -(-self.total // PAGE_SIZE))
        noun = "provider" if self.total == 1 else "providers"
        page = f"Page {self.page + 1} of {pages}" + (" (PgUp/PgDn)" if pages > 1 else "")
        parts = [page, f"{self.total:,} {noun}"]
        if self.text:
            parts.append(f"filter: '{self.text}'")
        parts.append(f"stage: {self.stage or 'all'}")
        # One line, whatever it says (providers.tcss): no layout pass for a new count.
        self.query_one("#providers-status", Static).update(" · ".join(parts), layout=False)

    # -- the filter ------------------------------------------------------------------------
    # A key in the filter only restarts a short timer: the page is asked for once typing
    # pauses (or at once on enter, escape or leaving the filter), so typing "oak tree" reads
    # the register once, not eight times, and each key costs what typing in a field does.
    @on(Input.Changed, "#providers-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE_S, self._apply_filter)

    def _apply_filter(self) -> None:
        """Show the page for what the filter holds now (if it changed)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        text = self.query_one("#providers-filter", Input).value.strip()
        if text == self.text:
            return
        self.text = text
        self.page = 0
        self._keep_id = None
        self._keep_index = 0
        self._load()

    @on(Input.Submitted, "#providers-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply_filter()
        self.query_one(ProviderTable).focus()

    @on(Input.Blurred, "#providers-filter")
    def _filter_left(self) -> None:
        self._apply_filter()

    def action_focus_filter(self) -> None:
        self.focus_field_now(self.query_one("#providers-filter", Input))

    def action_back(self) -> None:
        """Escape: from the filter back to the list; from the list back home."""
        if isinstance(self.focused, Input):
            self.query_one(ProviderTable).focus()
            return
        self.mc.action_section("home")

    # -- pages and stage -------------------------------------------------------------------
    def _pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def action_next_page(self) -> None:
        table = self.query_one(ProviderTable)
        if self.page + 1 >= self._pages():
            if table.row_count:
                table.move_cursor(row=table.row_count - 1)
            self.notify("This is the last page.", timeout=2)
            return
        self.page += 1
        self._load()

    def action_previous_page(self) -> None:
        table = self.query_one(ProviderTable)
        if self.page == 0:
            if table.row_count:
                table.move_cursor(row=0)
            return
        self.page -= 1
        self._keep_index = PAGE_SIZE - 1
        self._load()

    def action_cycle_stage(self, step: int = 1) -> None:
        index = STAGE_CYCLE.index(self.stage)
        self.stage = STAGE_CYCLE[(index + step) % len(STAGE_CYCLE)]
        self.page = 0
        self._load()

    def action_refresh(self) -> None:
        self.reload()

    # -- acting on a provider ----------------------------------------------------------------
    def highlighted_id(self) -> str | None:
        table = self.query_one(ProviderTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    def _highlighted_row(self) -> ProviderListRow | None:
        provider_id = self.highlighted_id()
        return next((r for r in self.rows if r.id == provider_id), None)

    @on(DataTable.RowSelected, "#providers-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        provider_id = self.highlighted_id()
        if provider_id:
            self.mc.open_provider(provider_id)

    def action_new(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        def done(result: object) -> None:
            saved_id = getattr(result, "id", None)
            if saved_id:
                self._keep_id = str(saved_id)

        self.app.push_screen(ProviderFormScreen.open_for(self.app), done)

    def action_edit(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        provider_id = self.highlighted_id()
        if not provider_id:
            self.notify("No provider to edit: press n to add one.")
            return
        self.app.push_screen(ProviderFormScreen.open_for(self.app, provider_id))

    def action_withdraw(self) -> None:
        row = self._highlighted_row()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                withdraw_provider(self.mc.store, row.id)
            except MicrocareError as exc:
                self.notify(exc.message, title="Not withdrawn", severity="error")
                return
            self.mc.data_changed("providers")
            self.notify(f"Withdrew {row.name} from the register.", markup=False)

        self.app.push_screen(
            ConfirmDialog(
                f"Withdraw {row.name}? They leave the register and the lookup "
                "(the record is kept for audit and sync).",
                "Withdraw",
                "Keep",
            ),
            answered,
        )
