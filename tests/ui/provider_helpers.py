"""Shared helpers for the Providers screens' Pilot tests (list, form and record)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from microcare_tui.domain import models as m
from microcare_tui.services import providers as service
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.providers import ProvidersScreen

SIZE = (100, 36)


def add_provider(store: Store, **values: Any) -> m.Provider:
    data: dict[str, Any] = {"name": "Oak Tree Companions", "phone": "01233 629000",
                            "postcode": "TN23 4AB", "services": ["companionship"]}  # fmt: skip
    data.update(values)
    return service.save_provider(store, data)


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def at_rest(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    """Wait until the screen has nothing left to do: no message queued on it or its widgets,
    no layout or paint due (three quiet checks in a row; at most ~2 s). `settle` waits for the
    workers and a frame, but a screen just shown takes a few frames more on a fast machine
    (data painted, the footer's keys that do not fit hidden once laid out): a count of work
    started before then counted the opening's own."""
    quiet = 0
    for _ in range(400):
        await pilot.pause(0.005)
        screen = app.screen
        busy = (
            screen._layout_required
            or screen._repaint_required
            or screen._dirty_widgets
            or any(n._message_queue.qsize() for n in [app, *screen.walk_children(with_self=True)])
        )
        quiet = 0 if busy else quiet + 1
        if quiet == 3:
            return


async def open_providers(app: MicrocareApp, pilot: Pilot[Any]) -> ProvidersScreen:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, ProvidersScreen)
    return app.screen


def table(app: MicrocareApp) -> DataTable[str]:
    return app.screen.query_one("#providers-table", DataTable)


def status(app: MicrocareApp) -> str:
    return str(app.screen.query_one("#providers-status", Static).render())


def names(app: MicrocareApp) -> list[str]:
    t = table(app)
    return [str(t.get_row_at(i)[0]) for i in range(t.row_count)]


_KEY_NAMES = {"/": "slash", " ": "space", "\r": "enter"}


def type_at_once(app: MicrocareApp, text: str) -> None:
    """Send `text` as keys all queued before the app handles the first, as a terminal's driver
    does when a worker types faster than the app takes keys (or pastes where the terminal
    does not bracket pastes); Pilot's press waits for each key to be handled."""
    from textual import events

    for character in text:
        key_event = events.Key(_KEY_NAMES.get(character, character), character)
        key_event.set_sender(app)
        app._driver.send_message(key_event)  # type: ignore[union-attr]
