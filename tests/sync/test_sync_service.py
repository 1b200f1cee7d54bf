"""Export and import between laptops of one team: reports, idempotence, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcare_tui.services import sync
from microcare_tui.services.sync_folder import sync_folder, sync_status
from microcare_tui.services.team import TeamError
from microcare_tui.sync.envelope import BundleError
from tests.sync.helpers import add_provider, file_hash, laptop, new_team, register
from tests.sync.hostile import corpus


@pytest.fixture
def team() -> dict[str, str]:
    return new_team()


def test_export_then_import_reports_and_is_idempotent(tmp_path: Path, team: dict) -> None:
    a = laptop(tmp_path, "Ann", team)
    b = laptop(tmp_path, "Ben", team)
    for name in ("Oak Tree Companions", "Rose Home Help", "Ash Meals"):
        add_provider(a, name)
    out = tmp_path / "usb"
    out.mkdir()
    exported = sync.export_bundle(a, out)
    assert exported.path.name.startswith("microcare-kent-east-")
    assert exported.path.name.endswith(".mcbundle") and exported.changes > 3
    result = sync.import_bundle(b, exported.path)
    assert result.new_changes == exported.changes and result.duplicates == 0
    assert result.records_changed >= 3
    assert "from Ann" in result.lines()[0] and "new change(s)" in result.lines()[0]
    assert register(a, ("providers",)) == register(b, ("providers",))
    before = file_hash(b)
    again = sync.import_bundle(b, exported.path)
    assert again.already and again.lines()[-1].endswith("already imported; nothing changed.")
    assert file_hash(b) == before
    # Ann's own bundle is not news to Ann.
    assert sync.import_bundle(a, exported.path).own
    # Ben's bundle acknowledges: Ann then knows Ben has everything she has.
    sync.import_bundle(a, sync.export_bundle(b, out).path)
    status = sync_status(a)
    assert [(d.name, d.lacks) for d in status.devices] == [("Ben", 0)]
    assert status.to_send == 0
    add_provider(a, "Elm Sitters")
    news = sync_status(a).to_send
    assert news in (1, 2)  # the provider (and its first stage, when logged apart)
    only_news = sync.export_bundle(a, out, "ben")
    assert only_news.changes == news and only_news.target_name == "Ben"


def test_a_snapshot_sets_up_a_new_laptop(tmp_path: Path, team: dict) -> None:
    a = laptop(tmp_path, "Ann", team)
    for name in ("Oak Tree Companions", "Rose Home Help"):
        add_provider(a, name)
    snap = sync.export_bundle(a, tmp_path, "snapshot")
    assert snap.kind == "snapshot"
    c = laptop(tmp_path, "Cat", team)
    result = sync.import_bundle(c, snap.path)
    assert result.kind == "snapshot" and "(a snapshot)" in result.lines()[0]
    assert register(a, ("providers",)) == register(c, ("providers",))


def test_without_a_team_nothing_moves(tmp_path: Path) -> None:
    lone = laptop(tmp_path, "Lone", None)
    with pytest.raises(TeamError, match="not in a team yet"):
        sync.export_bundle(lone, tmp_path)
    with pytest.raises(TeamError, match="No colleague's laptop matches"):
        a = laptop(tmp_path, "Ann", new_team())
        sync.export_bundle(a, tmp_path, "nobody")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_hostile_files_change_nothing(tmp_path: Path, team: dict) -> None:
    a = laptop(tmp_path, "Ann", team)
    b = laptop(tmp_path, "Ben", team)
    add_provider(a, "Oak Tree Companions")
    valid = sync.export_bundle(a, tmp_path).path.read_bytes()
    stranger = new_team("Elsewhere")
    before = file_hash(b)
    target = tmp_path / "hostile.mcbundle"
    seen = 0
    codes: dict[str, int] = {}
    for name, data in corpus(
        valid, team["team_id"], team["recipient"], team["secret_key"], stranger["recipient"]
    ):
        # Through a file now and then; the rest as bytes (writing 1,000 files is the slow part).
        if seen % 100 == 0:
            target.write_bytes(data)
        with pytest.raises(BundleError) as caught:
            if seen % 100 == 0:
                sync.import_bundle(b, target)
            else:
                sync.import_data(b, data, target)
        message = caught.value.message
        assert "\n" not in message and 10 < len(message) < 300, name
        codes[caught.value.code] = codes.get(caught.value.code, 0) + 1
        seen += 1
    assert seen >= 1000
    # The kinds of damage are told apart, each in its own words.
    kinds = (
        "tampered",
        "truncated",
        "not_bundle",
        "wrong_key",
        "other_team",
        "members",
        "hash_mismatch",
        "bad_manifest",
        "future_format",
        "too_big",
        "bad_changes",
    )
    assert {k: codes.get(k, 0) > 0 for k in kinds} == dict.fromkeys(kinds, True), codes
    assert file_hash(b) == before  # not one byte of the database changed


def test_the_team_folder_in_one_step(tmp_path: Path, team: dict) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a = laptop(tmp_path, "Ann", team)
    b = laptop(tmp_path, "Ben", team)
    add_provider(a, "Oak Tree Companions")
    add_provider(b, "Rose Home Help")
    # A copy still arriving, and another laptop's half-written file: both left alone.
    (folder / ".microcare-x.mcbundle.123.partial").write_bytes(b"MCBUNDLE/1 x\n")
    first = sync_folder(a, folder)
    assert first.export is not None and not first.imports
    second = sync_folder(b, folder)
    assert [i.sender_name for i in second.imports] == ["Ann"]
    third = sync_folder(a, folder)
    assert [i.sender_name for i in third.imports] == ["Ben"]
    assert register(a) == register(b)
    # Ben acknowledges what he received from Ann; after that, nothing more moves.
    sync_folder(b, folder)
    sync_folder(a, folder)
    quiet_a, quiet_b = sync_folder(a, folder), sync_folder(b, folder)
    assert quiet_a.export is None and quiet_b.export is None
    assert not quiet_a.imports and not quiet_b.imports and not quiet_a.refused
    assert "Nothing new to send" in quiet_a.lines()[-1]


def test_the_report_counts_the_possible_duplicates_an_import_brought(
    tmp_path: Path, team: dict
) -> None:
    from microcare_tui.services.providers import save_provider
    from microcare_tui.sync.duplicates import possible_duplicates

    a = laptop(tmp_path, "Ann", team)
    b = laptop(tmp_path, "Ben", team)
    out = tmp_path / "usb"
    out.mkdir()
    oak = add_provider(a, "Oak Tree Care", phone="01233 000001")
    add_provider(b, "oak tree care ", phone="01233 000002")  # same name and postcode
    add_provider(b, "Birch Lane", phone="01233 000003", postcode="TN24 2BB")
    first = sync.import_bundle(b, sync.export_bundle(a, out).path)
    assert first.possible_duplicates == 1 and "1 possible duplicate" in first.lines()[0]
    sync.import_bundle(a, sync.export_bundle(b, out).path)
    # Notes only: no provider of this import can make a pair; the old pair is still listed.
    save_provider(a, {"name": "Oak Tree Care", "notes": "rang back"}, oak)
    notes = sync.import_bundle(b, sync.export_bundle(a, out, "Ben").path)
    assert notes.new_changes >= 1 and notes.possible_duplicates == 0
    assert len(possible_duplicates(b)) == 1
    # A phone changed to Birch Lane's: a second pair, brought by this import.
    save_provider(a, {"name": "Oak Tree Care", "phone": "01233 000003"}, oak)
    phone = sync.import_bundle(b, sync.export_bundle(a, out, "Ben").path)
    assert phone.possible_duplicates == 2
    assert sorted(d.reason for d in possible_duplicates(b)) == ["name_postcode", "phone"]
