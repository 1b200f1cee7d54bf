"""Pipeline (section 4): the development board, one column per stage, a page of cards each.

The board is read in a thread worker (services.pipeline.load_board); the UI thread only puts
a page of cards into each column, so the county's 1,000 providers open as fast as ten.
"""

from __future__ import annotations

from datetime import date

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll
from textual.widgets import Static

from microcare_tui.domain.labels import count_text
from microcare_tui.domain.pipeline import neighbour_stage
from microcare_tui.services.pipeline import Board, Card, Column, Moved, load_board
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.stage_column import PAGE, StageColumn

# The dialogs (pipeline_dialogs.py, and the form machinery under them) are imported when first
# opened: the board opens without them.

MIN_COLUMN = 16  # narrower than this, columns keep this width and the board scrolls
NARROW_COLUMN = 26  # the width they keep (three columns at 80)


class BoardLoaded(Loaded, bubble=False):
    """The board as read by the worker."""

    def __init__(self, generation: int, board: Board) -> None:
        super().__init__(generation)
        self.board = board


class PipelineScreen(SectionScreen):
    """The development board."""

    HELP = (
        "Pipeline: one column per stage, a card per provider with its area, lead worker, days "
        "in the stage and 'stalled' when nobody has been in touch for a while (Settings). "
        "left/right and up/down move between cards, pagedown/pageup to a column's next or "
        "previous ten; ] or shift+right moves the card to the "
        "next stage, [ or shift+left back (asks why); enter opens the provider; v logs a "
        "visit; w and a filter by worker and area; c shows the caseload per worker; h shows "
        "the closed stages."
    )
    title_text = "Pipeline"
    DEFAULT_CSS = """
    PipelineScreen #board-status { height: auto; padding: 0 1; color: $text-muted; }
    PipelineScreen #board { height: 1fr; }
    PipelineScreen #board-empty { padding: 1 2; display: none; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("right_square_bracket,shift+right", "move(1)", "Next stage", key_display="]"),
        Binding("left_square_bracket,shift+left", "move(-1)", "Back", key_display="["),
        Binding("v", "visit", "Visit"),
        Binding("w", "pick_worker", "Worker"),
        Binding("a", "pick_area", "Area"),
        Binding("c", "caseload", "Caseload"),
        Binding("h", "toggle_closed", "Closed stages", show=False),
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
        Binding("r", "refresh", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self.worker_filter: str | None = None
        self.area_filter: str | None = None
        self.show_closed = False
        self.generation = 0
        self._follow: tuple[str, str] | None = None  # (stage, card) to focus after a load

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("Loading the board...", id="board-status", markup=False)
        yield Static("", id="board-empty", markup=False)
        yield HorizontalScroll(id="board", can_focus=False)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            prepared_off_screen(self)

    def reload(self) -> None:
        self.generation += 1
        self.load(self.generation, self.mc.today(), self.worker_filter, self.area_filter)

    @work(thread=True, exclusive=True, group="pipeline", exit_on_error=False)
    def load(self, generation: int, today: date, worker: str | None, area: str | None) -> None:
        """Read the board on the app's reader thread; it comes back as BoardLoaded."""
        board = self.mc.read(lambda db: load_board(db, today, worker, area))
        if board is not None:
            self.post_message(BoardLoaded(generation, board))

    @on(BoardLoaded)
    async def _loaded(self, message: BoardLoaded) -> None:
        if message.generation != self.generation:
            return
        if message.board == self.board and self._follow is None:
            # Shown again unchanged (back to the section, back from a record): the columns
            # keep their cards, highlight and drawn lines; nothing is laid out or drawn.
            return
        keep = self._follow or self._current()
        self._follow = None
        self.board = message.board
        await self._show(keep)
        draw_off_screen(self)  # a board read while made off screen is drawn unseen too

    # -- showing -------------------------------------------------------------------------------
    def _visible(self) -> list[Column]:
        if self.board is None:
            return []
        return [c for c in self.board.columns if self.show_closed or not c.closed]

    def _column_width(self, count: int) -> int:
        room = max(20, self.app.size.width - 2)
        width = room // max(1, count)
        return width if width >= MIN_COLUMN else NARROW_COLUMN

    async def _show(self, keep: tuple[str, str | None] | None) -> None:
        board = self.board
        if board is None:
            return
        columns = self._visible()
        holder = self.query_one("#board", HorizontalScroll)
        shown = [c.code for c in holder.query(StageColumn)]
        if shown != [c.code for c in columns]:
            before = self.css_sources()
            await holder.remove_children()
            await holder.mount_all([StageColumn(c.code) for c in columns])
            # The columns brought their CSS and were styled with it as they mounted: the
            # next show need not restyle the whole screen for it (~60 ms).
            self.note_own_css(before)
        width = self._column_width(len(columns))
        for widget, column in zip(holder.query(StageColumn), columns, strict=True):
            widget.styles.width = width
            widget.show(column, width, keep[1] if keep and keep[0] == column.code else None)
        self._show_status()
        empty = self.query_one("#board-empty", Static)
        empty.display = board.total == 0
        if board.total == 0:
            empty.update(
                "No providers match the filters: press w or a to change them."
                if board.worker or board.area
                else "No providers yet: press 3 then n to add one, or log an enquiry (ctrl+n)."
            )
        self._focus_column(keep[0] if keep else None)

    def _show_status(self) -> None:
        board = self.board
        if board is None:
            return
        stalled = sum(c.stalled for c in board.columns)
        hidden = [c for c in board.columns if c.closed and not self.show_closed]
        parts = [count_text(board.total, "provider")]
        parts.append(f"{stalled} stalled ({board.stalled_after}+ days)")
        if board.worker:
            parts.append(f"worker: {board.worker}")
        if board.area:
            parts.append(f"area: {board.area}")
        if hidden:
            parts.append(f"{sum(len(c.cards) for c in hidden)} closed (h)")
        self.query_one("#board-status", Static).update(" · ".join(parts))

    def _columns(self) -> list[StageColumn]:
        return list(self.query("#board StageColumn").results(StageColumn))

    def _focused_column(self) -> StageColumn | None:
        for column in self._columns():
            if column.has_focus:
                return column
        return None

    def _current(self) -> tuple[str, str | None] | None:
        column = self._focused_column()
        if column is None:
            return None
        return column.code, column.highlighted_id()

    def _focus_column(self, code: str | None) -> None:
        columns = self._columns()
        if not columns:
            return
        target = next((c for c in columns if c.code == code), None)
        if target is None or not (target.column and target.column.cards):
            # An empty column (filtered away) holds no card to act on: the first that has one.
            target = next((c for c in columns if c.column and c.column.cards), target or columns[0])
        target.focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.board is not None:
            self.call_later(self._show, self._current())

    # -- moving around ---------------------------------------------------------------------------
    def action_column(self, step: int) -> None:
        columns = self._columns()
        current = self._focused_column()
        if current is None or not columns:
            return
        index = columns.index(current) + step
        if not 0 <= index < len(columns):
            return
        row = current.highlighted or 0
        target = columns[index]
        target.focus()
        if target.page:
            target.highlighted = min(row, len(target.page) - 1)

    def action_page(self, step: int) -> None:
        column = self._focused_column()
        if column is None or column.column is None:
            return
        cards = len(column.column.cards)
        offset = column.offset_cards + step * PAGE
        if offset < 0 or offset >= cards:
            self.notify(f"This is the {'first' if step < 0 else 'last'} page.", timeout=2)
            return
        column.offset_cards = offset
        width = self._column_width(len(self._columns()))
        column.show(column.column, width, column.column.cards[offset].id)

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.call_later(self._show, self._current())
        self.notify("Closed stages shown." if self.show_closed else "Closed stages hidden.")

    def action_refresh(self) -> None:
        self.reload()

    # -- acting on a card ----------------------------------------------------------------------
    def _card(self) -> Card | None:
        column = self._focused_column()
        if column is None or column.column is None:
            return None
        card_id = column.highlighted_id()
        return next((c for c in column.column.cards if c.id == card_id), None)

    @on(StageColumn.Selected)
    def _selected(self, event: StageColumn.Selected) -> None:
        event.stop()
        self.mc.open_provider(event.row_id)

    def action_open(self) -> None:
        card = self._card()
        if card is not None:
            self.mc.open_provider(card.id)

    def action_visit(self) -> None:
        card = self._card()
        if card is None:
            self.notify("Choose a provider's card first.")
            return
        from microcare_tui.ui.screens.visit_form import VisitFormScreen

        self.app.push_screen(VisitFormScreen.open_for(self.app, card.id))

    def action_move(self, step: int) -> None:
        card = self._card()
        board = self.board
        if card is None or board is None:
            self.notify("Choose a provider's card first.")
            return
        target = neighbour_stage(board.order, card.stage, step)
        if target is None:
            where = "first" if step < 0 else "last"
            self.notify(f"{board.labels[card.stage]} is the {where} stage.", markup=False)
            return
        from microcare_tui.ui.screens.pipeline_dialogs import MoveCardScreen

        screen = MoveCardScreen(card.id, card.name, board.labels[card.stage], target,
                                board.labels[target])  # fmt: skip

        def done(moved: Moved | None) -> None:
            if moved is None:
                return
            if moved.to_stage in {c.code for c in self._visible()}:
                self._follow = (moved.to_stage, moved.provider_id)
            self.mc.data_changed("pipeline")
            self.notify(f"{moved.name} moved to {moved.to_label}.", markup=False)

        self.app.push_screen(screen, done)

    def action_pick_worker(self) -> None:
        if self.board is None:
            return
        from microcare_tui.ui.screens.pipeline_dialogs import PickOneDialog

        choices = [("All workers", ""), *((w, w) for w in self.board.workers)]

        def picked(value: str | None) -> None:
            if value is not None:
                self.worker_filter = value or None
                self.reload()

        self.app.push_screen(PickOneDialog("Show the providers of", choices), picked)

    def action_pick_area(self) -> None:
        if self.board is None:
            return
        from microcare_tui.ui.screens.pipeline_dialogs import PickOneDialog

        choices = [("All areas", ""), *((a, a) for a in self.board.areas)]

        def picked(value: str | None) -> None:
            if value is not None:
                self.area_filter = value or None
                self.reload()

        self.app.push_screen(PickOneDialog("Show the providers based in", choices), picked)

    def action_caseload(self) -> None:
        from microcare_tui.ui.screens.pipeline_dialogs import CaseloadDialog

        if self.board is not None:
            self.app.push_screen(CaseloadDialog(self.board))
