"""Enquiries (section 2) and follow-ups through the real app, by keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from microcare_tui.services import enquiries as service
from microcare_tui.store import enquiries as repo
from microcare_tui.store import reference
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call import CallScreen
from microcare_tui.ui.screens.enquiries import DateRangeDialog, EnquiriesScreen
from microcare_tui.ui.screens.follow_up import FollowUpDoneScreen
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.widgets.line_list import LineList
from tests.conftest import TODAY
from tests.ui.provider_helpers import type_at_once
from tests.ui.test_call import open_store

SIZE = (120, 36)

CALLS: list[dict[str, Any]] = [
    {"enquirer_kind": "family_carer", "caller_name": "Ann Archer",
     "received_at": "2026-11-20T10:00", "needs": ["shopping"], "postcode": "TN23 4AB",
     "outcome": "signposted", "summary": "Mum needs help with the weekly shop"},
    {"enquirer_kind": "seeking_support", "caller_name": "Bob Baker",
     "received_at": "2026-11-18T09:30", "needs": ["gardening"], "postcode": "CT1 2AB",
     "outcome": "follow_up", "follow_up_on": "2026-11-21"},
    {"enquirer_kind": "would_be_provider", "caller_name": "Cath Cole",
     "received_at": "2026-10-02T14:00", "postcode": "TN24 1AA",
     "outcome": "referred_to_programme"},
    {"enquirer_kind": "professional", "caller_name": "Dev Dhillon",
     "received_at": "2026-09-15T11:00", "needs": ["personal_care"], "postcode": "ME15 6AA",
     "outcome": "no_suitable_provider"},
    {"enquirer_kind": "family_carer", "caller_name": "Eve Evans",
     "received_at": "2026-11-22T08:00", "needs": ["companionship"], "postcode": "TN23 1AA"},
]  # fmt: skip


def seed_enquiries(db_path: Path, calls: list[dict[str, Any]] | None = None) -> dict[str, str]:
    store = open_store(db_path)
    try:
        return {
            e.caller_name or "": e.id
            for e in (service.log_enquiry(store, values) for values in (calls or CALLS))
        }
    finally:
        store.close()


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def callers(app: MicrocareApp) -> list[str]:
    table = app.screen.query_one("#enquiries-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def status(app: MicrocareApp) -> str:
    return str(app.screen.query_one("#enquiries-status", Static).render())


async def open_list(app: MicrocareApp, pilot: Pilot[Any]) -> EnquiriesScreen:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    assert isinstance(app.screen, EnquiriesScreen)
    return app.screen


async def test_empty_state_says_what_to_do(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(app, pilot)
        empty = str(screen.query_one("#enquiries-empty", Static).render())
        assert "No enquiries yet" in empty and "press n" in empty
        assert "0 enquiries" in status(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)


async def test_list_filters_and_date_range(db_path: Path) -> None:
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        assert callers(app) == ["Eve Evans", "Ann Archer", "Bob Baker", "Cath Cole", "Dev Dhillon"]
        assert "5 enquiries" in status(app) and "no filters" in status(app)

        await pilot.press("o")  # open only: no outcome yet, or a follow-up not done
        await settle(app, pilot)
        assert callers(app) == ["Eve Evans", "Bob Baker"]
        assert "open only" in status(app)
        await pilot.press("o", "u")  # follow-up due (on or before today, not done)
        await settle(app, pilot)
        assert callers(app) == ["Bob Baker"]
        await pilot.press("u", "k")  # kind: the first kind, would-be provider
        await settle(app, pilot)
        assert callers(app) == ["Cath Cole"]
        assert "kind: Would-be provider" in status(app)
        await pilot.press("k", "k")  # seeking support, family member or carer
        await settle(app, pilot)
        assert callers(app) == ["Eve Evans", "Ann Archer"]
        await pilot.press("c")  # clear
        await settle(app, pilot)
        assert len(callers(app)) == 5
        await pilot.press("t")  # outcome: signposted
        await settle(app, pilot)
        assert callers(app) == ["Ann Archer"]
        await pilot.press("t", "t", "t", "t")  # information sent, programme, elsewhere, none
        await settle(app, pilot)
        assert callers(app) == ["Dev Dhillon"]
        assert "outcome: No suitable provider" in status(app)
        await pilot.press("c", "a")  # area: the first area, Ashford
        await settle(app, pilot)
        assert callers(app) == ["Eve Evans", "Ann Archer", "Cath Cole"]
        assert "area: Ashford" in status(app)
        await pilot.press("c")
        await settle(app, pilot)
        type_at_once(app, "/weekly shop\r")  # search the summary, typed faster than a frame
        await settle(app, pilot)
        assert isinstance(app.screen, EnquiriesScreen)  # enter searched: it opened nothing
        assert callers(app) == ["Ann Archer"]
        await pilot.press("slash", "ctrl+u", *"garden", "escape")  # needs words, back to list
        await settle(app, pilot)
        assert callers(app) == ["Bob Baker"]
        assert isinstance(app.focused, DataTable)

        # The date range (the same session: each start of the app costs more than this).
        await pilot.press("slash", "ctrl+u", "escape")  # the search emptied: all five again
        await settle(app, pilot)
        assert len(callers(app)) == 5 and "no filters" in status(app)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, DateRangeDialog)
        await pilot.press(*"-7d", "ctrl+s")  # from a week ago, to now
        await settle(app, pilot)
        assert callers(app) == ["Eve Evans", "Ann Archer", "Bob Baker"]
        assert "received 15/11/2026 to now" in status(app)
        await pilot.press("f", "ctrl+u", *"01/09/2026", "tab", *"30/09", "ctrl+s")
        await settle(app, pilot)
        assert callers(app) == ["Dev Dhillon"]
        await pilot.press("f", "ctrl+u", *"bad date", "ctrl+s")  # refused, explained
        await settle(app, pilot)
        assert isinstance(app.screen, DateRangeDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert callers(app) == ["Dev Dhillon"]


async def test_enter_opens_the_enquiry_and_saving_updates_the_list(db_path: Path) -> None:
    ids = seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("enter")  # the newest: Eve Evans, no outcome yet
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.enquiry_id == ids["Eve Evans"]
        screen.query_one("#outcome").focus()
        await pilot.press("c", "ctrl+s")  # c = Closed
        await settle(app, pilot)
        assert isinstance(app.screen, EnquiriesScreen)
        table = app.screen.query_one("#enquiries-table", DataTable)
        row_key = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key
        assert str(table.get_cell(row_key, "outcome")) == "Closed"
    store = open_store(db_path)
    try:
        assert repo.get_enquiry(store, ids["Eve Evans"]).outcome.value == "closed"  # type: ignore[union-attr]
    finally:
        store.close()


async def test_follow_up_done_from_home_with_f_and_a_locked_database(db_path: Path) -> None:
    """Home's f records a follow-up as done (one session for two checks: each start of the
    app costs more than either):
    - a note is required: ctrl+s on an empty note keeps the dialog;
    - another program holds the write lock: the save must not freeze the screen for the
      5 s busy timeout (keys typed meanwhile went astray); it says 'busy' at once, and the
      dialog keeps what was typed for another try;
    - the lock gone, the same keys save it: Home's follow-ups are empty and say what to do,
      and the enquiry holds the note."""
    import sqlite3
    import time

    ids = seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#follow-ups", LineList)
        assert table.row_count == 1
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpDoneScreen)
        await pilot.press("ctrl+s")  # a note is required
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpDoneScreen)
        await pilot.press(*"rang back, sorted")
        app.clear_notifications()
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.perf_counter()
            await pilot.press("ctrl+s")
            took = time.perf_counter() - started
            await pilot.pause()
            assert took < 1.0, f"the save held the screen for {took:.1f} s"
            messages = [n.message for n in app._notifications]
            assert len(messages) == 1 and "busy" in messages[0], messages
            assert "try again" in messages[0]
            assert isinstance(app.screen, FollowUpDoneScreen)
            assert app.screen.values() == {"follow_up_note": "rang back, sorted"}
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await pilot.press("ctrl+s")  # the lock is gone: the same keys save it
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#follow-ups", LineList).row_count == 0
        follow_ups = app.screen.query_one("#follow-ups", LineList).text
        assert follow_ups.splitlines()[-1] == "No follow-ups due. Press ctrl+n to log a call."
    store = open_store(db_path)
    try:
        done = repo.get_enquiry(store, ids["Bob Baker"])
    finally:
        store.close()
    assert done.follow_up_done_at is not None
    assert done.follow_up_note == "rang back, sorted"


async def test_follow_up_done_from_the_list_with_x(db_path: Path) -> None:
    ids = seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("x")  # Eve Evans has no follow-up: explained, nothing opens
        await settle(app, pilot)
        assert isinstance(app.screen, EnquiriesScreen)
        await pilot.press("u")
        await settle(app, pilot)
        assert callers(app) == ["Bob Baker"]
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpDoneScreen)
        await pilot.press(*"left a message", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EnquiriesScreen)
        assert callers(app) == []
        assert "No enquiries match" in str(app.screen.query_one("#enquiries-empty").render())
    store = open_store(db_path)
    try:
        assert repo.get_enquiry(store, ids["Bob Baker"]).follow_up_done_at is not None
    finally:
        store.close()


async def test_pages_of_fifty(db_path: Path) -> None:
    calls = [
        {"enquirer_kind": "other", "caller_name": f"Caller {i:03d}",
         "received_at": f"2026-11-{1 + i // 10:02d}T{8 + i % 10:02d}:00"}
        for i in range(120)
    ]  # fmt: skip
    seed_enquiries(db_path, calls)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        table = app.screen.query_one("#enquiries-table", DataTable)
        assert table.row_count == 50
        assert "120 enquiries" in status(app) and "page 1 of 3" in status(app)
        assert callers(app)[0] == "Caller 119"
        await pilot.press("pagedown", "pagedown")
        await settle(app, pilot)
        assert table.row_count == 20 and "page 3 of 3" in status(app)
        await pilot.press("pageup")
        await settle(app, pilot)
        assert callers(app)[0] == "Caller 069"
    store = open_store(db_path)
    try:
        assert reference.areas(store)  # reference data is there for the area filter
    finally:
        store.close()


# -- columns chosen for the width ---------------------------------------------------------------
def visible_columns(app: MicrocareApp) -> dict[str, list[str]]:
    """The columns that fit the table's width without scrolling, with their cells."""
    table = app.screen.query_one("#enquiries-table", DataTable)
    room = table.scrollable_content_region.width
    shown: dict[str, list[str]] = {}
    used = 0
    for column in table.ordered_columns:
        used += column.get_render_width(table)
        if used > room:
            break
        index = table.get_column_index(column.key)
        shown[str(column.label)] = [str(table.get_row_at(i)[index]) for i in range(table.row_count)]
    return shown


async def test_columns_and_follow_ups_fit_the_width(db_path: Path) -> None:
    """What fits at 80, 120 and 160 columns, in one session (each start of the app costs
    more than a check):
    - Home's follow-ups showed 'Follow-up nee' at 80 columns: the outcome's short form,
      needs cut with an ellipsis, and every column inside the width; at 120, the whole
      outcome;
    - at 80x24 the enquiries list lost Follow-up and Kind off its right edge: the
      essentials are shown whole;
    - at 120x40 the list uses the room (needs and area too, short labels); at 160 the full
      labels, the time and the year; back at 80, the essentials again."""
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        # Home's follow-ups at 80, then 120 columns.
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        follow_ups = app.screen.query_one("#follow-ups", LineList)
        assert follow_ups.row_count == 1
        row = follow_ups.row_text(0)
        assert row.split() == ["21/11/2026", "Bob", "Baker", "Gardening", "and", "odd", "jobs",
                               "Follow-up"]  # fmt: skip
        assert len(row) <= follow_ups.size.width
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert follow_ups.row_text(0).endswith(" Follow-up needed")

        # The list at 80 columns: the essentials whole.
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        await open_list(app, pilot)
        shown = visible_columns(app)
        for name in ("Received", "Caller", "Kind", "Outcome", "Follow-up"):
            assert name in shown, shown.keys()
        bob = callers(app).index("Bob Baker")
        assert "overdue" in shown["Follow-up"][bob]
        assert shown["Received"][bob].startswith("18/11")
        assert not any(cell.endswith("…") for cell in shown["Kind"] + shown["Outcome"])
        assert "Eve Evans" in shown["Caller"]

        # At 120 columns: the room used.
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        shown = visible_columns(app)
        assert list(shown) == [
            "Received", "Caller", "Kind", "Needs", "Outcome", "Follow-up", "Area"
        ]  # fmt: skip
        dev = callers(app).index("Dev Dhillon")
        assert shown["Needs"][dev] == "Personal care"
        assert shown["Area"][dev] == "Maidstone"
        assert shown["Kind"][dev] == "Professional"  # the full labels need 160 columns
        assert shown["Outcome"][dev] == "Unmet need"
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        shown = visible_columns(app)
        assert shown["Received"][dev] == "15/09/2026 11:00"  # the time too
        assert shown["Kind"][dev] == "Referral by a professional"
        assert shown["Outcome"][dev] == "No suitable provider"
        bob = callers(app).index("Bob Baker")
        assert shown["Follow-up"][bob] == "21/11/2026 overdue"  # the year too
        await pilot.resize_terminal(80, 24)  # and back down: the essentials again
        await settle(app, pilot)
        assert "Follow-up" in visible_columns(app)
