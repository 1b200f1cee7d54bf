"""The board and the Training overview are kept on the reading connection until the data
changes (Store.cached): read again unchanged, the same view comes back without a query; a
save on the app's other connection, another day or other filters read afresh."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from microcare_tui.domain.training import AttendanceStatus
from microcare_tui.services import pipeline as ps
from microcare_tui.services import training as ts
from microcare_tui.services.database import open_database
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.services.pipeline_helpers import seed_board
from tests.training_helpers import seed_training


def test_board_and_overview_are_read_again_only_when_the_data_changes(
    db_path: Path, store: Store
) -> None:
    ids = seed_board(store)
    seeded = seed_training(store)
    reader = open_database(db_path, worker="Sam Tester")  # the app's reader thread's own
    try:
        board = ps.load_board(reader, TODAY)
        assert ps.load_board(reader, TODAY) is board  # kept: nothing changed
        assert ps.load_board(reader, TODAY, worker="Sam Tester") is not board  # other filters
        assert ps.load_board(reader, TODAY + timedelta(days=1)) is not board  # another day
        board = ps.load_board(reader, TODAY)
        overview = ts.training_overview(reader, TODAY)
        assert ts.training_overview(reader, TODAY) is overview

        # A save on the app's connection: both read afresh, and show it.
        ps.move_provider(store, ids["Elm Wellbeing"], "registered", "DBS seen", today=TODAY)
        moved = ps.load_board(reader, TODAY)
        assert moved is not board and moved != board
        registered = next(c for c in moved.columns if c.code == "registered")
        assert "Elm Wellbeing" in [card.name for card in registered.cards]
        assert ts.training_overview(reader, TODAY) is not overview  # read again...
        assert ts.training_overview(reader, TODAY) == overview  # ...and the same

        sheet = ts.session_sheet(store, seeded.held, TODAY)
        marks = {p.id: AttendanceStatus.ATTENDED for p in sheet.people}
        ts.save_attendance(store, seeded.held, marks, TODAY)
        after = ts.training_overview(reader, TODAY)
        held = next(s for s in after.sessions if s.id == seeded.held)
        assert held.state == "held · 3 came"
    finally:
        reader.close()
