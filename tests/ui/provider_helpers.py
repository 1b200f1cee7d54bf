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
