"""Training (section 5): sessions (upcoming first, with places booked), certificates lapsed
or lapsing within 90 days, and the course catalogue; one table, v switches between them.

The table holds a page of rows (pageup/pagedown turn pages), never the whole list: a
DataTable measures every row it is given, and 200 sessions cost ~150 ms of each v."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services.training import TrainingOverview, training_overview
from microcare_tui.services.training_forms import cancel_session
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.plain_table import PlainTable

VIEWS = ("sessions", "certificates", "courses")
VIEW_TITLES = {"sessions": "Sessions", "certificates": "Certificates due",
               "courses": "Courses"}  # fmt: skip
PAGE_ROWS = 50  # rows in the table at a time


class TrainingLoaded(Loaded, bubble=False):
    """The Training section's lists."""

    def __init__(self, generation: int, overview: TrainingOverview) -> None:
        super().__init__(generation)
        self.overview = overview


def _columns(view: str, width: int) -> list[tuple[str, int | None]]:
    """(heading, width; None takes the rest) for the view at this screen width."""
    wide = width >= 110
    if view == "sessions":
        cols: list[tuple[str, int | None]] = [("When", 20), ("Course", None), ("Places", 6),
                                              ("State", 16)]  # fmt: skip
        return [*cols[:2], ("Venue", 24), *cols[2:]] if wide else cols
    if view == "certificates":
        cols = [("Due", 31), ("Who", 16), ("Provider", None), ("Certificate", 18)]
        return cols if wide else cols[:3]
    cols = [("Course", None), ("Certificate", 30), ("Mandatory for", 14), ("Sessions", 8)]
    return cols if wide else cols[:3]


class TrainingTable(PlainTable, inherit_bindings=False):
    """The section's table, a page of rows; pageup/pagedown turn pages of the list, not of the
    screen. Enter is the screen's (Open): bound here too, even hidden, it took the footer's
    enter key from the screen's as the table took the focus, and the footer composed its keys
    again (a dozen widgets, and a layout) each time the section was made."""

    BINDINGS = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("pagedown", "screen.page(1)", "Next page", show=False),
        Binding("pageup", "screen.page(-1)", "Previous page", show=False),
    ]


class TrainingScreen(SectionScreen):
    """Sessions, certificates due and courses."""

    HELP = (
        "Training: sessions (upcoming first, places booked of the capacity), certificates "
        "expired or expiring within 30/60/90 days, and the course catalogue. v switches "
        "between them, 50 rows to a page (pageup/pagedown); enter opens a session's "
        "attendance (space marks attended, ctrl+s saves) or a certificate's provider; n adds "
        "a session (a course in Courses); b books people on the session; d cancels it."
    )
    title_text = "Training"
    DEFAULT_CSS = """
    #training-page { height: 1fr; }
    #training-status { height: auto; color: $text-muted; }
    #training-table { height: 1fr; scrollbar-size-vertical: 1; }
    #training-empty { height: auto; padding: 0 1; border: round $panel; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open", key_display="⏎"),
        Binding("v", "cycle_view", "View"),
        Binding("n", "new", "New"),
        Binding("b", "book", "Book people"),
        Binding("d", "cancel_session", "Cancel session", show=False),
        Binding("r", "refresh", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "sessions"
        self.page = 0  # of the view's rows, PAGE_ROWS to a page
        self.overview: TrainingOverview | None = None
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="training-page"):
            yield Static("Training", classes="page-title", id="training-title")
            yield Static("Loading...", id="training-status", markup=False)
            yield Static("", id="training-empty", markup=False)
            yield TrainingTable(id="training-table", cursor_type="row", zebra_stripes=True)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#training-empty").display = False
        self.query_one(TrainingTable).focus()
        self.reload()
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            prepared_off_screen(self)

    def on_resize(self, event: events.Resize) -> None:
        if self.overview is not None:
            self._fill()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.generation += 1
        self.load(self.generation)

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def load(self, generation: int) -> None:
        """Read the lists on the app's reader thread; they come back as TrainingLoaded."""
        today = self.mc.today()
        overview = self.mc.read(lambda db: training_overview(db, today))
        if overview is not None:
            self.post_message(TrainingLoaded(generation, overview))

    @on(TrainingLoaded)
    def _loaded(self, message: TrainingLoaded) -> None:
        if message.generation != self.generation:
            return
        if message.overview == self.overview:
            # Shown again unchanged (back to the section, back from a session): the table
            # keeps its rows, cursor and drawn lines; nothing is laid out or drawn.
            return
        self.overview = message.overview
        self._fill()
        draw_off_screen(self)  # lists read while made off screen are drawn unseen too

    # -- showing ---------------------------------------------------------------------------
    def _rows(self) -> list[tuple[str, list[str]]]:
        """The view's rows, every page (key, cells)."""
        o = self.overview
        assert o is not None
        wide = self.app.size.width >= 110
        if self.view == "sessions":
            return [(s.id, [s.when, s.title, *([s.venue] if wide else []), s.places, s.state])
                    for s in o.sessions]  # fmt: skip
        if self.view == "certificates":
            return [(f"{i}", [c.words, c.holder, c.provider, *([c.what] if wide else [])])
                    for i, c in enumerate(o.certificates)]  # fmt: skip
        return [(c.id, [c.title, c.certificate, c.mandatory, *([str(c.sessions)] if wide else [])])
                for c in o.courses]  # fmt: skip

    def _pages(self, rows: int) -> int:
        return max(1, -(-rows // PAGE_ROWS))

    def _fill(self) -> None:
        table = self.query_one(TrainingTable)
        keep = table.cursor_row
        table.clear(columns=True)
        columns = _columns(self.view, self.app.size.width)
        fixed = sum(w for _, w in columns if w) + 3 * len(columns) + 4
        for heading, width in columns:
            table.add_column(heading, width=width or max(12, self.app.size.width - fixed))
        rows = self._rows()
        self.page = min(self.page, self._pages(len(rows)) - 1)
        page = rows[self.page * PAGE_ROWS : (self.page + 1) * PAGE_ROWS]
        for key, cells in page:
            table.add_row(*cells, key=key)
        if page:
            table.move_cursor(row=min(keep, len(page) - 1), animate=False)
        title = f"Training · {VIEW_TITLES[self.view]}"
        if len(rows) > PAGE_ROWS:  # on the title line, which has room at 80 columns
            first = self.page * PAGE_ROWS + 1
            title += f" · {first}-{first + len(page) - 1} of {len(rows)} (PgUp/PgDn)"
        self.query_one("#training-title", Static).update(title)
        self.query_one("#training-status", Static).update(self._status())
        empty = self.query_one("#training-empty", Static)
        empty.display = not rows
        empty.update(self._empty_text())

    def _status(self) -> str:
        o = self.overview
        assert o is not None
        if self.view == "sessions":
            text = f"{o.upcoming:,} upcoming, {o.held:,} held"
            if len(o.sessions) < o.upcoming + o.held:
                text += f" (latest {len(o.sessions)} shown)"
        elif self.view == "certificates":
            due = ", ".join(f"{o.due[b]} within {b}" for b in sorted(o.due))
            text = f"{o.expired} expired · due: {due} days"
        else:
            text = f"{len(o.courses)} courses"
        return f"{text} · v: {VIEW_TITLES[VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]]}"

    def _empty_text(self) -> str:
        if self.view == "sessions":
            if self.overview and not self.overview.courses:
                return "No courses yet: press v twice for Courses, then n to add one."
            return "No sessions yet: press n to add one."
        if self.view == "certificates":
            return "No certificate has lapsed or lapses in the next 90 days."
        return "No courses yet: press n to add one (its title, and the certificate it gives)."

    # -- actions ---------------------------------------------------------------------------
    def highlighted(self) -> str | None:
        table = self.query_one(TrainingTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.page = 0
        self.query_one(TrainingTable).move_cursor(row=0, animate=False)
        if self.overview is not None:
            self._fill()

    def action_page(self, step: int) -> None:
        """The next (1) or previous (-1) page of the view's rows."""
        if self.overview is None:
            return
        table = self.query_one(TrainingTable)
        page = self.page + step
        if not 0 <= page < self._pages(len(self._rows())):
            if table.row_count:  # at the end already: to its first or last row
                table.move_cursor(row=0 if step < 0 else table.row_count - 1, animate=False)
            self.notify(f"This is the {'first' if step < 0 else 'last'} page.", timeout=2)
            return
        self.page = page
        table.move_cursor(row=0, animate=False)
        self._fill()

    def action_refresh(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#training-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        key = self.highlighted()
        if key is None or self.overview is None:
            return
        if self.view == "sessions":
            from microcare_tui.ui.screens.attendance import AttendanceScreen

            self.app.push_screen(AttendanceScreen(key))
        elif self.view == "certificates":
            self.mc.open_provider(self.overview.certificates[int(key)].provider_id)
        else:
            self.notify("Press v for Sessions, then n to add a session of this course.")

    def action_new(self) -> None:
        from microcare_tui.ui.screens.training_forms import CourseFormScreen, SessionFormScreen

        if self.view == "courses":
            self.app.push_screen(CourseFormScreen())
        else:
            self.app.push_screen(SessionFormScreen())

    def _session_id(self) -> str | None:
        if self.view != "sessions":
            self.notify("Choose a session first: press v until Sessions shows.")
            return None
        key = self.highlighted()
        if key is None:
            self.notify("No session yet: press n to add one.")
        return key

    def action_book(self) -> None:
        session_id = self._session_id()
        if session_id is None:
            return
        from microcare_tui.ui.screens.booking import BookPeopleScreen

        self.app.push_screen(BookPeopleScreen(session_id))

    def action_cancel_session(self) -> None:
        session_id = self._session_id()
        if session_id is None or self.overview is None:
            return
        line = next(s for s in self.overview.sessions if s.id == session_id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                said = cancel_session(self.mc.store, session_id, self.mc.today())
            except MicrocareError as exc:
                self.notify(exc.message, title="Not cancelled", severity="error")
                return
            self.mc.data_changed("training")
            self.notify(said, markup=False)

        question = f"Cancel {line.title} on {line.when}? Its list is kept for the record."
        self.app.push_screen(ConfirmDialog(question, "Cancel session", "Keep it"), answered)
