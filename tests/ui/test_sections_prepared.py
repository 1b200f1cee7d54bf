"""Sections made off screen after start-up (call_prepare.py) and what a key repaints (issue 8):
the key shows the screen made while nobody waited, with the data as it is now; every read is
on the reader thread; a key in a field asks only the widgets near it for their lines, and what
is painted is what Textual's own lookup paints. Timings are in bench/instant.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static

from microcare_tui.services import settings as settings_service
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens import enquiries, providers, settings
from microcare_tui.ui.screens.call_prepare import preparing
from microcare_tui.ui.screens.enquiries import EnquiriesScreen
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from microcare_tui.ui.screens.settings import SettingsScreen
from microcare_tui.ui.widgets import cheap_render
from tests.conftest import TODAY
from tests.ui.provider_helpers import add_provider, names, settle

SIZE = (120, 40)


def _rows(table: DataTable[str]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def _on_which_thread(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[bool]:
    """Record, for each call of `module.name`, whether it ran on the UI (main) thread."""
    on_ui: list[bool] = []
    original: Callable[..., Any] = getattr(module, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        on_ui.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, recorded)
    return on_ui


async def test_sections_are_made_off_screen_and_shown_with_the_data_as_it_is_now(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_provider(store)
    reads = {
        "providers": _on_which_thread(monkeypatch, providers, "provider_list_page"),
        "enquiries": _on_which_thread(monkeypatch, enquiries, "load_enquiry_page"),
        "settings": _on_which_thread(monkeypatch, settings.service, "settings_overview"),
    }
    made: list[str] = []
    original_register = MicrocareApp._register

    def counted(self: MicrocareApp, parent: Any, *new: Widget, **kwargs: Any) -> Any:
        made.extend(type(w).__name__ for w in new)
        return original_register(self, parent, *new, **kwargs)

    monkeypatch.setattr(MicrocareApp, "_register", counted)
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if not preparing(app):
                break
        await pilot.pause(0.3)  # the last screen's off-screen layout rounds
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # all made unseen, Home still shown
        kept = {mode: app._screen_stacks[mode][0] for mode in reads}
        assert isinstance(kept["providers"], ProvidersScreen)
        assert isinstance(kept["enquiries"], EnquiriesScreen)
        assert isinstance(kept["settings"], SettingsScreen)
        providers_table = kept["providers"].query_one("#providers-table", DataTable)
        assert _rows(providers_table) == ["Oak Tree Companions"]  # read while unseen

        # Saved meanwhile (by another screen, another laptop's sync): the key shows it.
        add_provider(store, name="Birch Lane Help", phone="01233 111222")
        settings_service.save_area(store, {"name": "Medway", "postcode_districts": "ME1"})
        made.clear()
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen is kept["providers"]
        assert names(app) == ["Birch Lane Help", "Oak Tree Companions"]
        await pilot.press("2")
        await settle(app, pilot)
        assert app.screen is kept["enquiries"]
        status = str(app.screen.query_one("#enquiries-status", Static).render())
        assert status.startswith("0 enquiries")
        await pilot.press("9", "a")
        await settle(app, pilot)
        assert app.screen is kept["settings"]
        assert "Medway" in _rows(app.screen.query_one("#areas-table", DataTable))
        assert made == []  # nothing composed by the keys: each only showed its screen

    for section, on_ui in reads.items():
        assert on_ui, f"{section} read nothing"
        assert not any(on_ui), f"{section} read on the UI thread"


def _painted(app: MicrocareApp, crop: Region) -> list[list[Any]]:
    """The cells the compositor paints inside `crop` (as a partial update would)."""
    compositor = app.screen._compositor
    chops = compositor._render_chops(crop, lambda y: True)
    painted = []
    for y in crop.line_range:
        line = []
        for cut, strip in sorted(chops[y].items()):
            if crop.x <= cut < crop.right and strip is not None:
                line.append((cut, list(strip)))
        painted.append(line)
    return painted


async def test_a_key_asks_only_the_widgets_near_it_and_paints_what_textual_would(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    original = Widget.render_lines

    def counted(self: Widget, crop: Region) -> Any:
        asked.append(type(self).__name__)
        return original(self, crop)

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "n")
        await settle(app, pilot)
        monkeypatch.setattr(Widget, "render_lines", counted)
        await pilot.press(*"Oak")
        await pilot.pause()
        assert "TextField" in asked
        # The header and the footer are far from the name field: not asked for their lines
        # (Textual's own lookup asked every widget on the screen, for every key).
        assert not {"AppHeader", "FitFooter"} & set(asked)
        field = app.screen.query_one("#name")
        for crop in (field.region, field.region.grow((1, 2, 1, 2)), app.screen.region):
            ours = _painted(app, crop)
            cheap_render.uninstall()
            try:
                textual = _painted(app, crop)
            finally:
                cheap_render.install()
            assert ours == textual
