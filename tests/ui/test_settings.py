"""Settings: programme settings and the council's areas and services, edited by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import providers as ps
from microcare_tui.services import settings as service
from microcare_tui.services.database import open_database
from microcare_tui.services.lookup import find_providers
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY


def test_area_rules(store: Store) -> None:
    with pytest.raises(ValidationFailed) as info:
        service.save_area(store, {"name": "Ashford"})
    assert "already" in info.value.errors["name"]
    with pytest.raises(ValidationFailed) as info:
        service.save_area(store, {"name": "Romney Marsh", "postcode_districts": "TN29 banana"})
    assert "banana" in info.value.errors["postcode_districts"]
    with pytest.raises(ValidationFailed) as info:
        service.save_area(store, {"name": "Romney Marsh", "postcode_districts": "TN29"})
    assert "Folkestone" in info.value.errors["postcode_districts"]
    area = service.save_area(
        store, {"name": "Medway", "postcode_districts": "me1, me2 ME4", "neighbours": "Swale"}
    )
    assert area.postcode_districts == ["ME1", "ME2", "ME4"]
    assert reference.area_for_postcode(store, "ME1 1AA") == area.id
    ps.save_provider(store, {"name": "Medway Meals", "postcode": "ME1 1AA"})
    with pytest.raises(ValidationFailed):
        service.remove_area(store, area.id)


def test_new_service_words_reach_the_lookup(store: Store) -> None:
    st = service.save_service_type(
        store, {"label": "Breathing exercises", "synonyms": "breathing, opera, singing for lungs"}
    )
    assert st.code == "breathing_exercises"
    ps.save_provider(store, {"name": "Breathe Easy with Opera", "services": [st.code]})
    result = find_providers(store, "opera")
    assert [c.kind for c in result.query.chips] == ["service"]
    assert [r.name for r in result.rows] == ["Breathe Easy with Opera"]
    with pytest.raises(ValidationFailed):
        service.remove_service_type(store, st.id)


def test_settings_validation(store: Store) -> None:
    with pytest.raises(ValidationFailed) as info:
        service.save_settings(store, {"micro_threshold": "five", "micro_rate_pence": "£x"})
    assert set(info.value.errors) == {"micro_threshold", "micro_rate_pence"}
    service.save_settings(store, {"micro_threshold": "8", "micro_rate_pence": "£16.00"})
    assert reference.get_setting(store, "micro_threshold") == 8
    assert reference.get_setting(store, "micro_rate_pence") == 1600


async def test_add_an_area_by_keyboard(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "a", "n")
        await pilot.pause()
        await pilot.press(*"Medway", "tab", *"ME1 ME2", "tab", *"Swale, Maidstone", "ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("#areas-table", DataTable)
        assert "Medway" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        # A bad district is refused and shown under the field.
        await pilot.press("n", *"Nowhere", "tab", *"12345", "ctrl+s")
        await pilot.pause()
        row = app.screen.query_one("#row-postcode_districts")
        assert row.has_class("-invalid")
        await pilot.press("escape", "y")
    store = open_database(db_path)
    names = [a.name for a in reference.areas(store)]
    store.close()
    assert "Medway" in names and "Nowhere" not in names


async def test_change_programme_settings(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "e")
        await pilot.pause()
        field = app.screen.query_one("#worker_name", Input)
        field.value = ""
        await pilot.press(*"Priya Shah", "ctrl+s")
        await pilot.pause()
        assert "Priya Shah" in app.sub_title
        assert "Priya Shah" in str(app.screen.query_one("#programme-summary").render())


async def test_leaving_an_untouched_form_does_not_ask(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("x", "escape")  # now changed: asks
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"


def highlighted(app: MicrocareApp, table_id: str) -> str:
    table = app.screen.query_one(table_id, DataTable)
    return str(table.get_row_at(table.cursor_row)[0])


async def test_after_a_save_the_list_stays_on_the_row(db_path: Path) -> None:
    """The next e acts on the row the worker just changed, not on the first row."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "s", "down", "down", "down")
        await pilot.pause()
        assert highlighted(app, "#services-table") == "Shopping and errands"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "ctrl+u", *"errands, messages", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"
        assert highlighted(app, "#services-table") == "Shopping and errands"
        await pilot.press("n", *"Dog walking", "ctrl+s")  # a new one: the list goes to it
        await pilot.pause()
        assert highlighted(app, "#services-table") == "Dog walking"
        await pilot.press("a", "down", "down", "e", "tab", "end", *" SE9", "ctrl+s")
        await pilot.pause()
        assert highlighted(app, "#areas-table") == "Dartford"
        assert "SE9" in str(app.screen.query_one("#areas-table", DataTable).get_row_at(2)[1])
