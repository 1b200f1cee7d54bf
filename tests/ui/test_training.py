"""Training through the app: the sessions list, the attendance checklist marked by keys and
saved, booking (over capacity asks), a new session, the record's training part, and the
register exported from Reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from microcare_tui.services.database import open_database
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.attendance import AttendanceScreen
from microcare_tui.ui.screens.booking import BookPeopleScreen
from microcare_tui.ui.screens.training import TrainingScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.record_training import RecordTraining
from tests.conftest import TODAY
from tests.training_helpers import Seeded, seed_training

SIZE = (100, 30)


def seeded(db_path: Path) -> Seeded:
    store = open_database(db_path, worker="Sam Tester")
    try:
        return seed_training(store)
    finally:
        store.close()


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def cells(app: MicrocareApp, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text(app: MicrocareApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


def notes(app: MicrocareApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_sessions_attendance_and_booking_by_keys(db_path: Path) -> None:
    s = seeded(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingScreen)
        rows = cells(app, "#training-table")
        assert [r[0] for r in rows] == ["Tue 24/11/2026 10:00", "Fri 20/11/2026 10:00"]
        assert rows[0][-2:] == ["0/2", "upcoming"] and rows[1][-2:] == ["3/10", "held · 0 came"]
        assert "1 upcoming, 1 held" in text(app, "#training-status")

        # The held session's checklist: space marks attended and moves on, x a no-show.
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.press("space", "x", "space")
        marks = [r[0] for r in cells(app, "#attendance-table")]
        assert marks == ["✓ attended", "✗ no-show", "✓ attended"]
        assert "2 attended, 1 no-show of 3 · not saved" in text(app, "#attendance-status")
        await pilot.press("1")  # a section key does not leave unsaved marks behind
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.press("space")  # the last row stays highlighted: Cara did not come after all
        assert cells(app, "#attendance-table")[2][0] == "· booked"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingScreen)
        assert "Saved attendance: 1 attended, 1 certificate recorded." in notes(app)
        assert cells(app, "#training-table")[1][-1] == "held · 1 came"

        # Booking: two places, the third asks before going over.
        await pilot.press("up", "b")
        await settle(app, pilot)
        assert isinstance(app.screen, BookPeopleScreen)
        for name in ("Ann Owner", "Ben Worker", "Cara Helper"):
            await pilot.press(*name)
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert "3 booked so far" in text(app, "#booking-said")
        await pilot.press("A", "n", "n", "enter")
        await settle(app, pilot)
        assert "Ann Owner already has a place" in text(app, "#booking-said")
        await pilot.press("escape")
        await settle(app, pilot)
        assert cells(app, "#training-table")[0][-2:] == ["3/2", "! full"]

        # Marking before the day is refused in place; nothing changes.
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("space")
        assert "Not held yet" in text(app, "#attendance-status")
        assert cells(app, "#attendance-table")[0][0] == "· booked"
        await pilot.press("escape")
        await settle(app, pilot)

        # A new session of the course without a certificate.
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("P", "tab", *"+1w", "tab", *"2pm", "tab", *"Ashford Library")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingScreen)
        rows = cells(app, "#training-table")
        assert rows[1][:2] == ["Sun 29/11/2026 14:00", "Pricing your service"]

        # Certificates due, then courses.
        await pilot.press("v")
        await settle(app, pilot)
        assert "0 expired" in text(app, "#training-status")
        await pilot.press("v")
        assert [r[0] for r in cells(app, "#training-table")] == [
            "Emergency first aid", "Pricing your service"]  # fmt: skip

    store = open_database(db_path, worker="check")
    try:
        assert store.scalar("SELECT COUNT(*) FROM evidence_items WHERE person_id = ?",
                            (s.people["Ann Owner"],)) == 1  # fmt: skip
    finally:
        store.close()


class _RecordPart(Screen[None]):
    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id

    def compose(self) -> Any:
        yield RecordTraining(self.provider_id, id="part")


async def test_the_record_part_and_the_register_export(db_path: Path, tmp_path: Path) -> None:
    from microcare_tui.services.training import save_attendance, session_sheet
    from microcare_tui.services.training_forms import provider_training

    s = seeded(db_path)
    store = open_database(db_path, worker="Sam Tester")
    try:
        sheet = session_sheet(store, s.held, TODAY)
        save_attendance(store, s.held, {p.id: "attended" for p in sheet.people}, TODAY)  # type: ignore[misc]

        assert provider_training(store, s.oak.id, TODAY).certificates
    finally:
        store.close()
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.push_screen(_RecordPart(s.oak.id))
        await settle(app, pilot)
        part = app.screen.query_one(RecordTraining)
        assert part.training is not None
        assert part.training.summary == "2 certificates; 0 places booked"
        assert [c.who for c in part.training.certificates] == ["Ann Owner", "Ben Worker"]
        await pilot.press("escape")
        app.pop_screen()
        await pilot.press("7", "x")
        await settle(app, pilot)
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "nowhere" / "register.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "! Cannot write the register" in text(app, "#reports-done")
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "register.html")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "✓ Wrote the register (0 providers in good standing)" in text(app, "#reports-done")
    assert "Not a recommendation" in (tmp_path / "register.html").read_text()
