"""SVG snapshots of the Training section (sessions) and a session's attendance checklist at
80x24 and 120x40, on fixed data (tests/training_helpers.py) and a fixed today. Update
deliberately: pytest --snapshot-update tests/ui/test_snapshots_training.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from microcare_tui.services.database import open_database
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.training_helpers import seed_training
from tests.ui.test_snapshots_screens import SIZES, shows


@pytest.fixture(autouse=True)
def still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def _app(db_path: Path) -> MicrocareApp:
    store = open_database(db_path, worker="Sam Tester")
    try:
        seed_training(store)
    finally:
        store.close()
    return MicrocareApp(db_path=db_path, today=TODAY)


@pytest.mark.parametrize("size", SIZES)
def test_training_sessions(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(db_path), terminal_size=size, run_before=shows("5"))


@pytest.mark.parametrize("size", SIZES)
def test_attendance_checklist(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    keys = ("5", "down", "enter", "space", "x")
    assert snap_compare(_app(db_path), terminal_size=size, run_before=shows(*keys))
