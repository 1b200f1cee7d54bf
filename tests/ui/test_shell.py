"""The app shell: opens, shows the header, moves between sections by key, help, first run."""

from __future__ import annotations

from pathlib import Path

from microcare_tui.services.database import is_first_run, open_database
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.help import HelpScreen
from tests.conftest import TODAY


async def test_home_shows_header_and_counts(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "test.db" in app.title
        assert "Sam Tester" in app.sub_title
        text = str(app.screen.query_one("#register-counts").render())
        assert "0 providers" in text


async def test_section_keys_and_help(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        assert app.current_mode == "training"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("1")
        assert app.current_mode == "home"


async def test_first_run_asks_for_name(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    app = MicrocareApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")  # no name yet: refused
        await pilot.pause()
        assert type(app.screen).__name__ == "FirstRunScreen"
        await pilot.press(*"Ann Worker", "enter", *"Kent")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ != "FirstRunScreen"
        assert "Ann Worker" in app.sub_title
    store = open_database(path)
    assert not is_first_run(store)
    store.close()
