"""Quitting while a screen is being made off screen closes cleanly (no fault screen).

Half a second after start the app composes the call screen unseen, then the record's, then
sections and the provider form, one at a time. A worker who quits just then used to see
"microcare stopped because of a fault": closing pruned the screen's widgets while they
mounted, and their on_mount (ours, and Textual's Select's) found no parts. The app now lets
that screen finish mounting before it closes, and makes nothing more."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen

from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.widgets import cheap_screen
from tests.conftest import TODAY


# 1: the call screen; 3: the lookup; 4: the Providers section (its data read in a worker);
# 5: the provider form (Selects filled as it mounts); 6: the record's evidence form; 7: its
# visit form; 8: its QA check.
@pytest.mark.parametrize("nth", [1, 3, 4, 6, 7, 8])
async def test_quitting_as_a_screen_is_made_off_screen_closes_cleanly(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0.01")
    made: list[Screen[Any]] = []
    mounting_when_quit: list[bool] = []
    original = App._register

    def register(self: App[Any], parent: Any, *new: Any, **kwargs: Any) -> Any:
        result = original(self, parent, *new, **kwargs)
        off_screen = cheap_screen._MADE_OFF_SCREEN.get(self, ())
        if parent is self and new and isinstance(new[0], Screen) and new[0] in off_screen:
            made.append(new[0])
            if len(made) == nth:
                mounting_when_quit.append(not new[0].is_mounted)
                self.exit()  # the worker presses ctrl+q as this screen starts mounting
        return result

    monkeypatch.setattr(App, "_register", register)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 40)):
        for _ in range(500):
            if mounting_when_quit:
                break
            await asyncio.sleep(0.01)
    # run_test raises the app's error, if any, as the block closes: none.
    assert mounting_when_quit == [True]
    assert len(made) == nth
    assert made[-1].is_mounted  # it finished mounting before the app closed
    assert app.return_code == 0
