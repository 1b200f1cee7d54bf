"""SVG snapshots of the working screens at 80x24 and 120x40: the call, the lookup with
results, the provider record and form, and the enquiries list.

Data is fixed (seeded providers and calls, a fixed today), the theme is pinned by the
fixtures, and the call timer is held at 00:00, so a snapshot changes only when the screen
does. Update deliberately after reading the report:
pytest --snapshot-update tests/ui/test_snapshots_screens.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from microcare_tui.services.call import CallSession
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.ui.test_call import seed_providers
from tests.ui.test_enquiries import seed_enquiries

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def still_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    """The call timer reads 00:00 and text cursors do not blink, in every snapshot."""
    monkeypatch.setattr(CallSession, "elapsed", lambda self: 0)
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shows(*keys: str) -> Any:
    """A run_before that presses `keys` one by one, letting the app settle after each."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_call_screen(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("ctrl+n"))


@pytest.mark.parametrize("size", SIZES)
def test_lookup_with_results(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    keys = ["ctrl+f", *"shopping TN23 tue"]
    assert snap_compare(app, terminal_size=size, run_before=shows(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_provider_record(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("3", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_provider_form(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("3", "enter", "e"))


@pytest.mark.parametrize("size", SIZES)
def test_enquiries_list(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("2"))
