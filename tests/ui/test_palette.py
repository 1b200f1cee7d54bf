"""The command palette (ctrl+p) offers every action of the screen in view and every section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.enquiries import EnquiriesScreen
from microcare_tui.ui.screens.follow_up import FollowUpDoneScreen
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from tests.conftest import TODAY
from tests.ui.test_call import seed_providers
from tests.ui.test_enquiries import seed_enquiries

SIZE = (120, 36)


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def search(app: MicrocareApp, pilot: Pilot[Any], text: str) -> list[str]:
    """Open the palette, type `text`, and return what it offers (title and help)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    await pilot.pause(0.4)  # the palette gathers hits in batches of 0.25 s
    await pilot.pause()
    results = app.screen.query_one(CommandList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def test_providers_withdraw_and_stage_are_in_the_palette(db_path: Path) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        found = await search(app, pilot, "withdraw")
        assert found and "Withdraw" in found[0], found
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the screen's own withdraw ran
        await pilot.press("escape")
        await settle(app, pilot)
        found = await search(app, pilot, "stage")
        assert any("Stage" in hit for hit in found), found


async def test_home_follow_up_done_is_in_the_palette_and_runs(db_path: Path) -> None:
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        found = await search(app, pilot, "follow")
        assert found and "Follow-up done" in found[0], found
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpDoneScreen)


async def test_unmet_needs_are_in_the_palette_and_filter_the_list(db_path: Path) -> None:
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        found = await search(app, pilot, "unmet")
        assert found and "Unmet needs" in found[0], found
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EnquiriesScreen)
        assert screen.filters.outcome == "no_suitable_provider"
        assert [row.caller for row in screen.rows] == ["Dev Dhillon"]


async def test_enquiries_filters_are_in_the_palette_by_what_they_do(db_path: Path) -> None:
    """Footer words are short ('Due'); the palette also finds an action by its help."""
    seed_enquiries(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        found = await search(app, pilot, "date range")
        assert found and "Dates" in found[0], found
        await pilot.press("escape")
        await pilot.pause()
        found = await search(app, pilot, "follow-up due")
        assert any("Due" in hit for hit in found), found


async def test_every_section_is_still_in_the_palette(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for name in ("Pipeline", "Training", "Quality", "Reports", "Sync", "Settings"):
            found = await search(app, pilot, name.lower())
            assert any(hit.startswith(name) for hit in found), (name, found)
            await pilot.press("escape")
            await pilot.pause()
