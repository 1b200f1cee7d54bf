"""A session's attendance: the checklist of who was booked, marked at the door with one key
each and saved with ctrl+s in one transaction (with the certificates it gives)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from microcare_tui.domain.errors import MicrocareError, NotFound
from microcare_tui.domain.training import (
    AttendanceStatus,
    status_words,
    toggle_attended,
    toggle_no_show,
)
from microcare_tui.services.training import SessionSheet, save_attendance, session_sheet
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.app import SECTIONS
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import describe_save_failure
from microcare_tui.ui.widgets.header import AppHeader

MARK = "mark"  # the status column's key


class AttendanceScreen(AppAccess, Screen[None]):
    """The attendance checklist of one session.

    | Key | Does |
    | :- | :- |
    | space | attended / booked, then the next person |
    | x | no-show / booked, then the next person |
    | a | everyone still booked attended |
    | ctrl+s | save all marks (and certificates) in one go |
    | escape | back (asks first if marks are not saved) |
    """

    HELP = (
        "Attendance: the people booked on this session. Space marks the highlighted person "
        "attended (again: back to booked) and moves on; x marks a no-show; a marks everyone "
        "still booked as attended; ctrl+s saves every mark at once, with the certificates "
        "attending gives; escape goes back."
    )
    title_text = "Attendance"
    DEFAULT_CSS = """
    #attendance-page { height: 1fr; }
    #attendance-about, #attendance-status { height: auto; }
    #attendance-status { color: $text-muted; }
    #attendance-table { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [
        Binding("space", "mark_attended", "Attended", key_display="space"),
        Binding("x", "mark_no_show", "No-show"),
        Binding("a", "all_attended", "All came"),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f2", "save", "Save", show=False, priority=True),
        Binding("escape", "leave", "Back"),
        # Section keys would leave the marks behind unsaved, unasked: they go only once saved.
        *[Binding(key, f"go('{mode}')", show=False) for key, mode, _ in SECTIONS],
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.sheet: SessionSheet | None = None
        self.marks: dict[str, AttendanceStatus] = {}
        self.saved_marks: dict[str, AttendanceStatus] = {}

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(classes="page", id="attendance-page"):
            yield Static("", classes="page-title", id="attendance-title", markup=False)
            yield Static("", id="attendance-about", markup=False)
            yield Static("", id="attendance-status", markup=False)
            yield DataTable(id="attendance-table", cursor_type="row", zebra_stripes=True)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        # One indexed read of a few dozen rows (~2 ms): the list shows with the screen.
        try:
            sheet = session_sheet(self.mc.store, self.session_id, self.mc.today())
        except NotFound as exc:
            self.notify(exc.message, severity="warning")
            self.dismiss(None)
            return
        self.sheet = sheet
        self.marks = {p.id: p.status for p in sheet.people}
        self.saved_marks = dict(self.marks)
        self.query_one("#attendance-title", Static).update(f"{sheet.title} · {sheet.when}")
        about = [x for x in [sheet.venue, sheet.trainer and f"trainer {sheet.trainer}",
                             f"{sheet.places} places", sheet.certificate] if x]  # fmt: skip
        self.query_one("#attendance-about", Static).update(" · ".join(about))
        table = self.query_one(DataTable)
        table.add_column("Mark", width=12, key=MARK)
        table.add_column("Name", width=max(16, (self.app.size.width - 24) // 2))
        table.add_column("Provider")
        for p in sheet.people:
            table.add_row(status_words(p.status), p.name, p.provider, key=p.id)
        table.focus()
        self._show_status()

    def has_unsaved_changes(self) -> bool:
        """True when a mark differs from what is saved."""
        return self.marks != self.saved_marks

    def _show_status(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        came = sum(1 for s in self.marks.values() if s is AttendanceStatus.ATTENDED)
        missed = sum(1 for s in self.marks.values() if s is AttendanceStatus.NO_SHOW)
        if sheet.cancelled:
            text = "This session was cancelled: there is no attendance to record."
        elif not sheet.people:
            text = "Nobody is booked: press escape, then b to book people."
        elif not sheet.held:
            text = "Not held yet: marks can be made on the day. Escape goes back."
        else:
            text = f"{came} attended, {missed} no-show of {len(self.marks)}"
            text += " · not saved: ctrl+s" if self.has_unsaved_changes() else " · saved"
        self.query_one("#attendance-status", Static).update(text)

    # -- marking ---------------------------------------------------------------------------
    def _can_mark(self) -> bool:
        sheet = self.sheet
        if sheet is None or not sheet.people:
            return False
        if sheet.cancelled or not sheet.held:
            self.app.bell()
            self._show_status()
            return False
        return True

    def _set(self, attendance_id: str, status: AttendanceStatus) -> None:
        self.marks[attendance_id] = status
        self.query_one(DataTable).update_cell(attendance_id, MARK, status_words(status))

    def _mark(self, change: Callable[[AttendanceStatus], AttendanceStatus]) -> None:
        if not self._can_mark():
            return
        table = self.query_one(DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        self._set(key, change(self.marks[key]))
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)
        self._show_status()

    def action_mark_attended(self) -> None:
        self._mark(toggle_attended)

    def action_mark_no_show(self) -> None:
        self._mark(toggle_no_show)

    def action_all_attended(self) -> None:
        if not self._can_mark():
            return
        for key, status in list(self.marks.items()):
            if status in (AttendanceStatus.BOOKED, AttendanceStatus.INVITED):
                self._set(key, AttendanceStatus.ATTENDED)
        self._show_status()

    def action_go(self, mode: str) -> None:
        if self.has_unsaved_changes():
            self.notify("Save the marks with ctrl+s, or leave with escape, first.", timeout=3)
            return
        self.mc.action_section(mode)

    # -- saving and leaving ------------------------------------------------------------------
    def action_save(self) -> None:
        if not self.has_unsaved_changes():
            self.notify("Nothing to save.", timeout=2)
            return
        try:
            saved = save_attendance(self.mc.store, self.session_id, self.marks, self.mc.today())
        except Exception as exc:  # the marks stay on screen whatever went wrong
            if not isinstance(exc, MicrocareError):
                self.log.error("attendance save failed", type(exc).__name__)
            self.notify(describe_save_failure(exc), title="Not saved", severity="error",
                        timeout=12, markup=False)  # fmt: skip
            self.app.bell()
            return
        self.saved_marks = dict(self.marks)
        self.mc.data_changed("training")
        self.notify(saved.message, markup=False)
        self.dismiss(None)

    def action_leave(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.saved_marks = dict(self.marks)
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("The marks are not saved. Leave without saving?", "Leave", "Stay"),
            answered,
        )
