"""The pipeline board and the visit log through the real app: move a card with keys (and an
impossible date refused), filter by worker and area, the caseload, open a provider and log a
visit (a bad date refused, then saved)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from microcare_tui.services import pipeline as ps
from microcare_tui.services import visits as vs
from microcare_tui.services.database import open_database
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.pipeline import PipelineScreen, StageColumn
from microcare_tui.ui.screens.pipeline_dialogs import (
    CaseloadDialog,
    MoveCardScreen,
    PickOneDialog,
)
from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
from microcare_tui.ui.screens.visit_form import VisitFormScreen
from microcare_tui.ui.widgets.line_list import LineList
from microcare_tui.ui.widgets.record_visits import RecordVisitsPanel, VisitList
from tests.conftest import TODAY
from tests.services.pipeline_helpers import seed_board


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def column_names(app: MicrocareApp, code: str) -> list[str]:
    column = app.screen.query_one(f"#column-{code}", StageColumn)
    assert column.column is not None
    return [c.name for c in column.column.cards]


def status(app: MicrocareApp) -> str:
    return str(app.screen.query_one("#board-status", Static).render())


class RecordPart(AppAccess, Screen[None]):
    """The visits part as the provider's record will hold it: reloaded with the screen."""

    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id

    def compose(self) -> ComposeResult:
        yield RecordVisitsPanel(self.provider_id, id="visits-part")

    def reload(self) -> None:
        self.query_one(RecordVisitsPanel).reload()

    def on_screen_resume(self) -> None:
        self.reload()


async def test_board_moves_a_card_filters_and_shows_the_caseload(db_path: Path) -> None:
    store = open_database(db_path, worker="Sam Tester")
    ids = seed_board(store)
    store.close()
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9", "t")  # Settings: rename Paused and put it second
        await settle(pilot)
        await pilot.press(*["down"] * 6, "e")
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"On hold", "tab", "ctrl+a", "ctrl+k", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert list(ps.stage_labels(app.store).values())[:3] == ["Enquiry", "On hold", "Exploring"]
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        columns = [w.id for w in app.screen.query(StageColumn)]
        assert columns[:3] == ["column-enquiry", "column-paused", "column-exploring"]
        assert app.screen.query_one("#column-paused", StageColumn).border_title == "On hold"
        ps.rename_stage(app.store, "paused", {"label": "Paused", "position": "7"})
        app.screen.reload()
        await settle(pilot)
        board = app.screen
        assert "9 providers · 2 stalled" in status(app)
        assert "#column-ceased" not in {f"#{w.id}" for w in board.query(StageColumn)}
        assert column_names(app, "developing") == ["Cedar Day Club", "Damson Drivers"]
        await pilot.press("right", "right")  # enquiry -> exploring -> developing
        assert app.focused is not None and app.focused.id == "column-developing"
        await pilot.press("]")
        await settle(pilot)
        assert isinstance(app.screen, MoveCardScreen)
        await pilot.press(*"policies done")
        await pilot.press("tab", "ctrl+a", "ctrl+k", "+", "3", "d", "ctrl+s")  # a future date
        await settle(pilot)
        assert isinstance(app.screen, MoveCardScreen)  # refused, in place
        error = str(app.screen.query_one("#row-moved_on .field-error", Static).render())
        assert "future" in error
        await pilot.press("ctrl+a", "ctrl+k", *"today", "ctrl+s")
        await settle(pilot)
        assert app.screen is board
        assert column_names(app, "checks") == ["Cedar Day Club", "Elm Wellbeing"]
        assert app.focused is not None and app.focused.id == "column-checks"  # it follows
        moves = vs.record_visits(app.store, ids["Cedar Day Club"], TODAY).moves
        assert (moves[0].text, moves[0].reason) == (
            "Developing → Checks submitted",
            "policies done",
        )
        await pilot.press("[")  # and back again
        await settle(pilot)
        await pilot.press(*"not yet", "ctrl+s")
        await settle(pilot)
        assert column_names(app, "developing") == ["Cedar Day Club", "Damson Drivers"]

        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PickOneDialog)
        await pilot.press("down", "down", "down", "enter")  # all, (none), Priya, Sam
        await settle(pilot)
        assert "worker: Sam Tester" in status(app) and "area" not in status(app)
        assert column_names(app, "developing") == ["Damson Drivers"]
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "enter")  # all, Ashford
        await settle(pilot)
        assert "area: Ashford" in status(app)
        assert column_names(app, "enquiry") == ["Oak Tree Companions"]
        assert column_names(app, "developing") == []

        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CaseloadDialog)
        table = app.screen.query_one(DataTable)
        row = table.get_row("Sam Tester")
        assert (str(row[0]), str(row[1]), str(row[2])) == ("Sam Tester", "4", "1")
        await pilot.press("escape", "h")
        await settle(pilot)
        assert "#column-ceased" in {f"#{w.id}" for w in board.query(StageColumn)}
        await pilot.press("enter")  # on the first card there is: developing has none now
        await settle(pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        assert app.screen.provider_id == ids["Oak Tree Companions"]


async def test_visit_log_refuses_a_future_date_then_saves(db_path: Path) -> None:
    store = open_database(db_path, worker="Sam Tester")
    ids = seed_board(store)
    store.close()
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_provider(ids["Oak Tree Companions"])
        await settle(pilot)
        await pilot.press("v")  # the visits part
        await settle(pilot)
        assert app.screen.query_one(RecordVisitsPanel).display
        await pilot.press("v")  # again: log a visit
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitFormScreen)
        date_field = form.query_one("#visited_on", Input)
        assert date_field.value == "22/11/2026"
        date_field.value = "+3d"
        form.query_one("#duration_minutes", Input).value = "1h30"
        form.query_one("#action_1", Input).value = "Send the lone working policy"
        form.query_one("#action_1_due", Input).value = "+1w"
        form.query_one("#next_visit_on", Input).value = "+2w"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # nothing saved
        error = str(form.query_one("#row-visited_on .field-error", Static).render())
        assert "cannot be dated after today" in error
        assert vs.record_visits(app.store, ids["Oak Tree Companions"], TODAY).visits == []
        date_field.value = "today"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        shown = app.screen.query_one(RecordVisitsPanel).query_one(VisitList)  # read again
        assert [str(o.prompt).split("\n")[0][:10] for o in shown.options] == ["22/11/2026"]
        record = vs.record_visits(app.store, ids["Oak Tree Companions"], TODAY)
        assert [(v.kind, v.duration, v.next_visit) for v in record.visits] == [
            ("Development", "1 h 30", "next 06/12/2026"),
        ]
        assert [(a.description, a.state) for a in record.actions] == [
            ("Send the lone working policy", "due in 7 days"),
        ]

        app.push_screen(RecordPart(ids["Oak Tree Companions"]))
        await settle(pilot)
        part = app.screen.query_one(RecordVisitsPanel)
        actions = str(part.query_one("#visit-actions", Static).render())
        assert "☐ Send the lone working policy — due in 7 days (due 29/11/2026)" in actions
        moves = str(part.query_one("#visit-moves", Static).render())
        assert "Added at Enquiry — seeded" in moves
        part.query_one(VisitList).focus()
        await pilot.press("enter")  # correct the visit: a new entry, the original kept
        await settle(pilot)
        assert isinstance(app.screen, VisitFormScreen)
        assert app.screen.query_one("#duration_minutes", Input).value == "90"
        app.screen.query_one("#next_visit_on", Input).value = "+3w"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordPart)
        listed = [str(o.prompt) for o in part.query_one(VisitList).options]
        assert len(listed) == 2
        assert "next 13/12/2026" in listed[0] and "(a correction)" in listed[0]
        assert "(corrected: see the newer entry)" in listed[1]

        await pilot.press("1")  # Home: the action due and the next visit, each opens the provider
        await settle(pilot)
        due = app.screen.query_one("#agenda-actions", LineList)
        assert [due.row_text(i) for i in range(due.row_count)] == [
            "Oak Tree Companions — Send the lone working policy · due in 7 days"
        ]
        visits = app.screen.query_one("#agenda-visits", LineList)
        assert visits.row_count == 0  # the corrected plan is in 21 days, beyond the fortnight
        assert visits.text.splitlines()[-1] == "No visits planned in the next 14 days."
        due.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProviderDetailScreen)
        await pilot.press("escape")
        await settle(pilot)
        due.focus()
        await pilot.press("x")
        await settle(pilot)
        assert due.row_count == 0
        assert due.text.splitlines()[-1] == "No actions due this week."
