"""The Sync section (8): import, export and the team folder by keys, and its snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from microcare_tui.services import providers as ps
from microcare_tui.services import sync
from microcare_tui.services.database import open_database
from microcare_tui.services.sync_folder import DeviceView, SyncStatus
from microcare_tui.services.team import TeamView
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.sync import SyncScreen
from microcare_tui.ui.screens.sync_conflicts import ConflictsScreen
from microcare_tui.ui.widgets.path_picker import PathPicker
from tests.conftest import TODAY
from tests.sync.helpers import add_provider, laptop, new_team
from tests.ui.provider_helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _text(app: MicrocareApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


async def _pick(app: MicrocareApp, pilot: Any, key: str, path: Path) -> None:
    await pilot.press(key)
    await pilot.pause()  # (the folder tree loads in workers of its own: not waited for)
    assert isinstance(app.screen, PathPicker)
    app.screen.query_one("#picker-path", Input).value = str(path)
    await pilot.press("enter")
    await _done(app, pilot)


async def _done(app: MicrocareApp, pilot: Any) -> None:
    """Wait for the Sync screen's own work (not the folder tree's loaders)."""
    await pilot.pause()
    ours = [w for w in app.workers if w.group.startswith("sync-")]
    if ours:  # (an empty list would mean every worker)
        await app.workers.wait_for_complete(ours)
    await pilot.pause()


async def test_import_export_and_folder_by_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # where the picker starts before a folder is set
    team = new_team()
    first = laptop(tmp_path, "Ann", team)
    ann_path = first.path
    first.close()
    ben = laptop(tmp_path, "Ben", team)
    rose = add_provider(ben, "Rose Home Help")
    usb = tmp_path / "usb"
    usb.mkdir()
    ann = open_database(ann_path)
    sync.import_bundle(ann, sync.export_bundle(ben, usb).path)
    # Both change the same note from the same start: a conflict once Ben's bundle arrives.
    ps.save_provider(ann, {**ps.get_provider(ann, rose).model_dump(), "notes": "Ann's"}, rose)
    ann.close()
    ps.save_provider(ben, {**ps.get_provider(ben, rose).model_dump(), "notes": "Ben's"}, rose)
    from_ben = sync.export_bundle(ben, usb).path
    ben.close()
    app = MicrocareApp(db_path=ann_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("8")
        await settle(app, pilot)
        assert isinstance(app.screen, SyncScreen)
        assert "Team: Kent East" in _text(app, "#sync-team")
        # A path that is not there is said in place; the picker stays.
        await _pick(app, pilot, "i", tmp_path / "nowhere.mcbundle")
        assert isinstance(app.screen, PathPicker)
        assert "There is no file" in str(app.screen.query_one("#picker-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        await _pick(app, pilot, "i", from_ben)
        assert "from Ben" in _text(app, "#sync-report")
        assert "1 new conflict(s)" in _text(app, "#sync-report")
        # The conflict side by side. Ben's edit, the later, shows meanwhile; o keeps Ann's.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        rows = app.screen.query_one("#conflicts-table", DataTable)
        assert rows.row_count == 1
        sides = " ".join(str(c) for c in rows.get_row_at(0))
        assert "Rose Home Help" in sides and "Ann's" in sides and "Ben's" in sides
        await pilot.press("o")
        await pilot.pause()
        assert "No conflicts to review" in _text(app, "#conflicts-count")
        await pilot.press("escape")
        await _done(app, pilot)
        table = app.screen.query_one("#sync-devices", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Ben"]
        await _pick(app, pilot, "x", usb)
        assert "Wrote microcare-kent-east-" in _text(app, "#sync-report")
        # The team folder: set it (f), then one key syncs (s).
        shared = tmp_path / "shared"
        shared.mkdir()
        await pilot.press("s")
        await _done(app, pilot)
        await _pick(app, pilot, "f", shared)
        assert f"Team folder: {shared}" in _text(app, "#sync-team")
        await pilot.press("s")
        await _done(app, pilot)
        assert "change(s) for the team" in _text(app, "#sync-report")
    assert len(list(usb.glob("*.mcbundle"))) == 3
    ann = open_database(ann_path)
    assert ps.get_provider(ann, rose).notes == "Ann's"
    ann.close()
    assert len(list(shared.glob("*.mcbundle"))) == 1


def _fixed_status(db: Any) -> SyncStatus:
    return SyncStatus(
        team=TeamView(id="t", name="Kent East", joined_at="", folder="/mnt/team/microcare"),
        device_id="3f2a91c0-0000-7000-8000-000000000000",
        worker="Sam Tester",
        changes_held=12_345,
        to_send=40,
        devices=[
            DeviceView("01b2c3d4-aaaa", "Ben Okafor", "2026-11-21T16:05:00+00:00", 7, 0, 12_305),
            DeviceView("01e5f6a7-bbbb", "Cat Lewis", "2026-11-14T09:30:00+00:00", 3, 1_204, 11_101),
        ],
        open_conflicts=2,
    )


@pytest.mark.parametrize("size", SIZES)
def test_sync_screen_snapshot(
    snap_compare: Any, db_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("microcare_tui.services.sync_folder.sync_status", _fixed_status)
    monkeypatch.setattr(
        "microcare_tui.ui.screens.sync.time_text", lambda stamp: stamp[8:10] + "/11/2026 09:30"
    )
    app = MicrocareApp(db_path=db_path, today=TODAY)

    async def run_before(pilot: Any) -> None:
        await settle(app, pilot)
        await pilot.press("8")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
