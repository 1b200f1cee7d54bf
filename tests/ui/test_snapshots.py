"""SVG snapshots of the main screens at a fixed size, theme and date.

Update deliberately after reading the report: pytest --snapshot-update tests/ui/test_snapshots.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors do not blink: the first-run form's cursor showed or not by timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home_80x24(snap_compare: Any, db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_first_run(snap_compare: Any, tmp_path: Path) -> None:
    app = MicrocareApp(db_path=tmp_path / "fresh.db", today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_help_on_home(snap_compare: Any, db_path: Path) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_help)
