"""The Providers section through the real app: list, paging, filter, form, withdraw. The record
page is in test_provider_record.py."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import Stage
from microcare_tui.services import providers as service
from microcare_tui.services.database import open_database
from microcare_tui.services.lookup import find_providers
from microcare_tui.store import providers as repo
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.provider_form import ProviderFormScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.form import FieldRow
from tests.conftest import TODAY
from tests.ui.provider_helpers import (
    SIZE,
    add_provider,
    names,
    open_providers,
    settle,
    status,
    table,
    type_at_once,
)

NARROW, WIDE = (80, 24), (120, 40)


async def test_add_a_provider_by_typing(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        empty = str(app.screen.query_one("#providers-empty", Static).render())
        assert "No providers yet: press n to add one" in empty
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press(*"Oak Care", "tab", "tab", *"01233629000")  # lead contact left empty
        await pilot.press("tab", *"jo@Oak.ORG", "tab", *"tn234ab", "tab")
        await pilot.pause()
        area_hint = str(app.screen.query_one("#postcode-area", Static).render())
        assert "Ashford" in area_hint
        # on to services: legal form, stage, staff, ownership, approach, rate, then the pick
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"£15.68", "tab")
        await pilot.press(*"comp", "enter", "space")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert names(app) == ["Oak Care"]
        row = table(app).get_row_at(0)
        assert row[1] == "Enquiry" and row[2] == "Ashford" and "Companionship" in row[3]
        assert "not listed" in row[4] and row[6] == "01233 629000"
        assert "1 provider" in status(app)
    store = open_database(db_path)
    try:
        found = find_providers(store, "oak care")
        assert [r.name for r in found.rows][:1] == ["Oak Care"]
        [p] = records.find(store, m.Provider)
        assert p.phone == "+441233629000"
        assert p.postcode == "TN23 4AB"
        assert p.email == "jo@oak.org"
        assert p.hourly_rate_pence == 1568
        assert p.services == ["companionship"]
        areas = {a.id: a.name for a in reference.areas(store)}
        assert p.area_id is not None
        assert areas[p.area_id] == "Ashford"
        assert [mv.to_stage for mv in repo.stage_history(store, p.id)] == [Stage.ENQUIRY]
    finally:
        store.close()


async def test_bad_input_is_shown_by_field_and_nothing_saved(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        # name left empty; phone, email and postcode wrong
        await pilot.press("tab", "tab", *"12345", "tab")
        await pilot.pause()
        phone_row = form.query_one("#row-phone", FieldRow)
        assert phone_row.has_class("-invalid")  # checked on leaving the field
        await pilot.press(*"bob@", "tab", *"XYZ", "tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        expected = {"name": "at least 2", "phone": "12345", "email": "not an email",
                    "postcode": "not a UK postcode"}  # fmt: skip
        for field, words in expected.items():
            row = form.query_one(f"#row-{field}", FieldRow)
            assert row.has_class("-invalid"), field
            assert words in str(row.query_one(".field-error", Static).render()), field
        assert app.focused is form.query_one("#name")  # the first bad field
    store = open_database(db_path)
    try:
        assert repo.count_providers(store) == 0
    finally:
        store.close()


async def test_edit_changes_stage_and_records_the_move(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        assert app.screen.query_one("#phone").value == "01233 629000"  # type: ignore[attr-defined]
        # name, lead, phone, email, postcode, legal form, then stage: type 'd' for developing
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "d")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert table(app).get_row_at(0)[1] == "Developing"
    moves = repo.stage_history(store, provider.id)
    assert [(mv.from_stage, mv.to_stage) for mv in moves] == [
        (None, Stage.ENQUIRY),
        (Stage.ENQUIRY, Stage.DEVELOPING),
    ]
    saved = repo.get_provider(store, provider.id)
    assert saved.phone == "+441233629000" and saved.services == ["companionship"]


async def test_escape_on_a_changed_form_asks_first(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, ProvidersScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Half", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert table(app).row_count == 0
    store = open_database(db_path)
    try:
        assert repo.count_providers(store) == 0
    finally:
        store.close()


async def test_pages_of_fifty(db_path: Path, store: Store) -> None:
    with store.transaction():
        for i in range(120):
            repo.save_provider(store, m.Provider(name=f"Provider {i:03d}"))
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        assert table(app).row_count == 50
        assert "Page 1 of 3" in status(app) and "120 providers" in status(app)
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "Page 2 of 3" in status(app)
        assert names(app)[0] == "Provider 050" and table(app).row_count == 50
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert "Page 3 of 3" in status(app) and table(app).row_count == 20
        await pilot.press("pageup")
        await settle(app, pilot)
        assert "Page 2 of 3" in status(app)
        assert names(app)[table(app).cursor_row] == "Provider 099"  # the page turned back


async def test_filter_and_stage_narrow_the_list(db_path: Path, store: Store) -> None:
    add_provider(store)
    add_provider(store, name="Birch Home Help", services=["home_help"], postcode="CT1 1AA")
    cedar = add_provider(store, name="Cedar Gardeners", services=["gardening"], postcode="ME14 1AA")
    service.move_stage(store, cedar.id, Stage.DEVELOPING)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        assert table(app).row_count == 3
        # "/oak" and enter typed faster than the app takes them: enter filters (it opened the
        # highlighted record: the keys after / went to the list, queued before the focus moved).
        type_at_once(app, "/oak\r")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert names(app) == ["Oak Tree Companions"]
        assert "filter: 'oak'" in status(app)
        assert app.focused is table(app)
        # In the filter, / is a character like any other.
        await pilot.press("slash", "ctrl+u", "slash")
        assert app.screen.query_one("#providers-filter", Input).value == "/"
        await pilot.press("ctrl+u", *"oak", "enter")
        await settle(app, pilot)
        await pilot.press("slash", *"canterbury", "escape")  # area words; escape: to the table
        await pilot.pause()
        assert app.focused is table(app)
        await settle(app, pilot)
        assert names(app) == ["Birch Home Help"]
        await pilot.press("slash", *"zzzz", "enter")
        await settle(app, pilot)
        empty = str(app.screen.query_one("#providers-empty", Static).render())
        assert "No providers match 'zzzz'" in empty
        await pilot.press("slash", "backspace", "enter")
        await settle(app, pilot)
        assert table(app).row_count == 3
        await pilot.press("s")  # stage: enquiry
        await settle(app, pilot)
        assert "stage: enquiry" in status(app) and table(app).row_count == 2
        await pilot.press("s", "s")  # stage: exploring, then developing
        await settle(app, pilot)
        assert names(app) == ["Cedar Gardeners"]
        await pilot.press("S")  # shift+s goes back a stage
        await settle(app, pilot)
        assert "stage: exploring" in status(app)


async def test_withdraw_asks_then_removes(db_path: Path, store: Store) -> None:
    provider = add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert table(app).row_count == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert table(app).row_count == 0
        assert "0 providers" in status(app)
    assert repo.count_providers(store) == 0
    assert records.get(store, m.Provider, provider.id, include_deleted=True).deleted_at


def headers(app: MicrocareApp) -> list[str]:
    return [str(c.label) for c in table(app).columns.values()]


def cells(app: MicrocareApp, row: int) -> dict[str, str]:
    return dict(zip(headers(app), map(str, table(app).get_row_at(row)), strict=True))


def room(app: MicrocareApp) -> tuple[int, int]:
    """The columns' width, padding included, and the table's width inside its scrollbar."""
    t = table(app)
    return sum(c.get_render_width(t) for c in t.columns.values()), t.scrollable_content_region.width


def fits(app: MicrocareApp) -> bool:
    """Every column is on screen without scrolling sideways."""
    used, width = room(app)
    return used <= width


async def test_at_80_columns_the_list_keeps_phone_and_taking_whole(
    db_path: Path, store: Store
) -> None:
    add_provider(store, name="Oak Tree Companions with a Very Long Name Indeed")
    add_provider(store, name="Birch Home Help", phone="01622 123456", accepting_new_clients=False)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=NARROW) as pilot:
        await open_providers(app, pilot)
        assert {"Name", "Standing", "Taking", "Phone"} <= set(headers(app))
        assert fits(app)
        birch, oak = cells(app, 0), cells(app, 1)
        assert (birch["Taking"], birch["Phone"]) == ("✗ no", "01622 123456")
        assert (oak["Taking"], oak["Phone"]) == ("✓ yes", "01233 629000")
        assert oak["Standing"] == "– not listed"
        assert oak["Name"].startswith("Oak Tree Companions") and oak["Name"].endswith("…")
        # Wider: every column, still without scrolling sideways.
        await pilot.resize_terminal(*WIDE)
        await settle(app, pilot)
        assert headers(app) == ["Name", "Stage", "Area", "Services", "Standing", "Taking", "Phone"]
        assert fits(app)
        oak = cells(app, 1)
        assert (oak["Area"], oak["Services"], oak["Taking"]) == (
            "Ashford",
            "Companionship",
            "✓ yes",
        )


async def test_at_120_columns_the_list_uses_the_room(db_path: Path, store: Store) -> None:
    add_provider(store, name="Oak Tree Companions", postcode="TN2 3AB",
                 services=["companionship", "shopping"])  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await open_providers(app, pilot)
        assert headers(app) == ["Name", "Stage", "Area", "Services", "Standing", "Taking", "Phone"]
        used, width = room(app)
        # The columns share the room; one cell is kept for the scrollbar of a longer list.
        assert width - 1 <= used <= width
        oak = cells(app, 0)
        assert oak["Area"] == "Tunbridge Wells"  # whole, not cut
        assert oak["Services"].startswith("Companionship, S")  # wider than at 100
        assert (oak["Stage"], oak["Taking"], oak["Phone"]) == ("Enquiry", "✓ yes", "01233 629000")


async def test_the_filter_finds_a_phone_however_it_is_typed(db_path: Path, store: Store) -> None:
    add_provider(store)
    add_provider(store, name="Birch Home Help", phone="01622 123456")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        for typed in ("01233 629000", "01233629000", "+44 1233 629000", "1233 629000"):
            await pilot.press("slash", "ctrl+u", *typed, "enter")
            await settle(app, pilot)
            assert names(app) == ["Oak Tree Companions"], typed
            assert f"filter: '{typed}'" in status(app)


async def test_emptying_the_postcode_on_the_form_clears_the_base_area(
    db_path: Path, store: Store
) -> None:
    provider = add_provider(store)
    assert provider.area_id
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press("tab", "tab", "tab", "tab", "ctrl+u")  # to the postcode; empty it
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert cells(app, 0)["Area"] == "-"
    saved = repo.get_provider(store, provider.id)
    assert (saved.postcode, saved.area_id) == (None, None)


async def test_pick_lists_understand_caller_words(db_path: Path) -> None:
    """'cleaning' finds Home help and 'tn23' finds Ashford, as the lookup understands them."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_providers(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Tidy Homes", "tab", "tab", "tab", "tab", "tab")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")  # on to Services
        await pilot.press(*"cleaning", "enter", "tab", *"tn23", "enter", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
    store = open_database(db_path)
    try:
        [p] = records.find(store, m.Provider)
        ashford = [a.id for a in reference.areas(store) if a.name == "Ashford"]
        assert (p.name, p.services, p.areas_served) == ("Tidy Homes", ["home_help"], ashford)
    finally:
        store.close()
