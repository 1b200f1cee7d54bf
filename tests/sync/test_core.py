"""The sync core's parts: the clock, the vector, the migration, identity, merge cases."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcare_tui.domain import hlc
from microcare_tui.domain.hlc import HLC_ZERO, ClockKey, format_hlc, parse_hlc, receive, tick
from microcare_tui.services.database import open_database
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.migrate import latest_version, migrate, migrations, schema_version
from microcare_tui.sync.changes import (
    Change,
    VersionVector,
    apply_changes,
    changes_not_in,
    local_vector,
    record_peer,
)
from microcare_tui.sync.conflicts import conflicts, resolve_conflict
from tests.sync.replicas import Laptop, exchange, sync_all

T0 = 1_764_460_000_000


# -- the clock ---------------------------------------------------------------------------
def test_the_clock_never_goes_back_when_the_wall_clock_does() -> None:
    a = tick(HLC_ZERO, T0)
    b = tick(a, T0 - 60_000)  # the laptop's clock went back a minute
    c = tick(b, T0 - 120_000)
    assert a < b < c
    assert parse_hlc(c) == (T0, 2)
    assert tick(c, T0 + 5) == format_hlc(T0 + 5, 0)  # time catches up: the counter resets


def test_receiving_orders_later_local_events_after_the_remote_one() -> None:
    local = tick(HLC_ZERO, T0)
    ahead = format_hlc(T0 + 3_600_000, 7)  # a colleague's clock an hour ahead
    after = receive(local, ahead, T0 + 1)
    assert after > ahead > local
    assert tick(after, T0 + 2) > after
    assert receive(after, local, T0) > after  # an old value moves nothing back


def test_clock_text_is_fixed_width_and_rejects_junk() -> None:
    assert len(format_hlc(T0, 3)) == len(HLC_ZERO)
    assert format_hlc(9, 0) < format_hlc(10, 0)  # text order is time order
    with pytest.raises(ValueError):
        parse_hlc("12-3")
    key = ClockKey(format_hlc(T0, 1), "dev|ice", 12)
    assert ClockKey.parse(key.text()) == key


def test_a_stored_clock_survives_reopening_and_the_wall_clock_going_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_path, worker="Sam Tester")
    monkeypatch.setattr(hlc, "wall_ms_now", lambda: T0)
    store.write_row("areas", {"name": "First", "sort_order": 1})
    first = store.scalar("SELECT MAX(hlc) FROM _change_log")
    store.close()
    monkeypatch.setattr(hlc, "wall_ms_now", lambda: T0 - 86_400_000)  # a day back
    store = Store(db_path, worker="Sam Tester")
    store.write_row("areas", {"name": "Second", "sort_order": 2})
    second = store.scalar("SELECT MAX(hlc) FROM _change_log")
    assert second > first
    assert store.scalar("SELECT last FROM _hlc") == second
    store.close()


# -- the vector --------------------------------------------------------------------------
def test_vector_ranges_merge_and_report_gaps() -> None:
    v = VersionVector()
    for seq in [1, 2, 3, 7, 8, 5]:
        v.add("a", seq)
    assert v.spans("a") == [(1, 3), (5, 5), (7, 8)]
    assert v.contiguous("a") == 3
    assert v.missing("a") == [(4, 4), (6, 6)]
    assert v.missing("a", up_to=10) == [(4, 4), (6, 6), (9, 10)]
    assert v.covers("a", 5) and not v.covers("a", 6) and not v.covers("b", 1)
    v.add_range("a", 4, 6)
    assert v.spans("a") == [(1, 8)]
    other = VersionVector({"a": [(10, 12)], "b": [(1, 2)]})
    merged = v.merge(other)
    assert merged.to_json() == {"a": [[1, 8], [10, 12]], "b": [[1, 2]]}
    assert VersionVector.from_json(merged.to_json()) == merged
    assert merged.lacking("a", 1, 15) == [(9, 9), (13, 15)]
    assert v.spans("a") == [(1, 8)]  # merge made a new vector


@pytest.mark.parametrize(
    "bad", [[], {"a": [[0, 2]]}, {"a": [[1]]}, {"a": "1-2"}, {"a": [[1, True]]}]
)
def test_vector_from_json_rejects_what_is_not_one(bad: object) -> None:
    with pytest.raises(ValueError):
        VersionVector.from_json(bad)


def test_change_json_round_trip_and_junk() -> None:
    change = Change("dev", 4, format_hlc(T0), "providers", "p1", "update", {"name": "Oak é"}, "Ann")
    assert Change.from_json(change.to_json()) == change
    for junk in ["{}", "[1]", '{"origin": "d", "seq": 0, "hlc": "x", "tbl": "t", "row_id": "r",'
                 ' "op": "insert", "fields": {}}', "not json"]:  # fmt: skip
        with pytest.raises(ValueError):
            Change.from_json(junk)


# -- the migration ------------------------------------------------------------------------
OLD_AT = "2026-11-01T09:00:00.000+00:00"


def _database_at_schema_6(path: Path, tmp_path: Path) -> Store:
    """A database as microcare wrote it before sync (schema 6), with changes logged by this
    laptop and one received from another."""
    old = tmp_path / "schema6"
    old.mkdir()
    for number, entry in migrations():
        if number <= 6:
            (old / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(path, worker="Ann")
    migrate(store, old)
    assert schema_version(store) == 6
    device = store.scalar("SELECT id FROM _device")
    c = store.conn
    c.execute("BEGIN")
    bookkeeping = (OLD_AT, OLD_AT, "Ann", "Ann", device)
    c.execute(
        "INSERT INTO providers (id, name, created_at, updated_at, created_by, updated_by,"
        " device_id) VALUES ('p1', 'Oak Tree', ?, ?, ?, ?, ?)",
        bookkeeping,
    )
    c.execute(
        "INSERT INTO settings (id, value, created_at, updated_at, created_by, updated_by,"
        " device_id) VALUES ('worker_name', '\"Ann\"', ?, ?, ?, ?, ?)",
        bookkeeping,
    )
    log = [
        (device, 1, OLD_AT, "microcare defaults", "legal_forms", "lf", "insert", "{}"),
        (device, 2, OLD_AT, "Ann", "providers", "p1", "insert", '{"id": "p1", "name": "Oak"}'),
        (device, 3, "2026-11-02T10:00:00.000+00:00", "Ann", "providers", "p1", "update",
         '{"name": "Oak Tree"}'),
        (device, 4, OLD_AT, "Ann", "settings", "worker_name", "insert", '{"value": "\\"Ann\\""}'),
        ("other", 1, OLD_AT, "Ben", "providers", "p2", "insert", '{"id": "p2", "name": "X"}'),
        ("other", 3, OLD_AT, "Ben", "providers", "p2", "update", '{"name": "Y"}'),
    ]  # fmt: skip
    c.executemany("INSERT INTO _change_log VALUES (?,?,?,?,?,?,?,?)", log)
    c.execute("INSERT INTO _sync_export VALUES ('b1', ?, 3, NULL)", (OLD_AT,))
    c.execute("COMMIT")
    return store


def test_an_old_database_upgrades_in_place_without_losing_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    store = _database_at_schema_6(path, tmp_path)
    device = store.device_id
    before = store.query("SELECT origin, seq, at, worker, tbl, row_id, op, fields FROM _change_log")
    store.close()

    store = open_database(path)  # migrates, checks identity, seeds
    assert schema_version(store) == latest_version()
    after = store.query(
        "SELECT origin, seq, at, worker, tbl, row_id, op, fields FROM _change_log"
        " WHERE (origin, seq) IN (SELECT origin, seq FROM _change_log WHERE at LIKE '2026-11-0%')"
    )
    assert sorted(map(str, after)) == sorted(map(str, before))
    clocks = dict(store.conn.execute("SELECT origin || seq, hlc FROM _change_log").fetchall())
    assert clocks[f"{device}1"] == HLC_ZERO  # the defaults keep the zero clock
    assert parse_hlc(clocks[f"{device}2"])[0] == 1_793_523_600_000  # from `at`
    assert clocks[f"{device}3"] > clocks[f"{device}2"]
    # Field clocks: the insert covers the row, the later update its field.
    rows = store.query("SELECT field, seq FROM _field_clock WHERE row_id = 'p1' ORDER BY field")
    assert rows == [{"field": "*", "seq": 2}, {"field": "name", "seq": 3}]
    # What this laptop holds from the other origin: two ranges and a gap.
    assert local_vector(store).spans("other") == [(1, 1), (3, 3)]
    # The worker's name is this laptop's own now; the export mark is per origin.
    assert store.worker == "Ann"
    assert reference.get_setting(store, "worker_name") == "Ann"
    assert store.scalar("SELECT COUNT(*) FROM settings WHERE id = 'worker_name'") == 0
    assert store.scalar("SELECT origin FROM _sync_export") == device
    # A new edit gets a clock after every old one and the old value as its base.
    store.write_row("providers", {"id": "p1", "name": "Oak Tree Care"})
    newest = store.query("SELECT hlc, bases FROM _change_log ORDER BY rowid DESC LIMIT 1")[0]
    assert newest["hlc"] > max(clocks.values())
    assert json.loads(newest["bases"])["name"] == f"{clocks[f'{device}3']}|{device}|3"
    store.close()


# -- identity -----------------------------------------------------------------------------
def test_a_copied_file_gets_its_own_device_and_nothing_collides(tmp_path: Path) -> None:
    a = Laptop.fresh(tmp_path, "A")
    pid = a.write("providers", {"name": "Oak Tree"})
    b = a.copy_to(tmp_path, "B")  # a restore elsewhere: another inode
    assert b.store.device_id != a.store.device_id
    a.write("providers", {"id": pid, "phone": "+441233000001"})
    b.write("providers", {"id": pid, "notes": "copied laptop"})
    b.write("providers", {"name": "Birch Lane"})
    sync_all([a, b])
    keys = a.store.query("SELECT origin, seq, hlc FROM _change_log ORDER BY origin, seq")
    assert keys == b.store.query("SELECT origin, seq, hlc FROM _change_log ORDER BY origin, seq")
    assert len({(k["origin"], k["seq"]) for k in keys}) == len(keys)
    row = a.live("providers", pid)
    assert row is not None and (row["phone"], row["notes"]) == ("+441233000001", "copied laptop")
    assert a.store.scalar("SELECT COUNT(*) FROM providers") == 2
    # The copy's count of changes to export starts again under its new device id.
    assert b.store.unexported_changes() == 2
    a.close()
    b.close()


def test_reopening_the_same_file_keeps_its_device(tmp_path: Path) -> None:
    a = Laptop.fresh(tmp_path, "A")
    device = a.store.device_id
    a.close()
    again = Laptop(a.path, "A")
    assert again.store.device_id == device
    again.close()


# -- merge cases ----------------------------------------------------------------------------
@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    a, b = Laptop.fresh(tmp_path, "Ann"), Laptop.fresh(tmp_path, "Ben")
    yield a, b
    a.close()
    b.close()


def test_a_colleagues_edit_of_a_seeded_row_beats_every_laptops_seed(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    a, b = pair
    ashford = a.store.scalar("SELECT id FROM areas WHERE name = 'Ashford'")
    a.write("areas", {"id": ashford, "name": "Ashford and Tenterden"})
    c = Laptop.fresh(tmp_path, "Cat")  # a newer laptop, seeded later
    sync_all([a, b, c])
    for laptop in (a, b, c):
        assert laptop.live("areas", ashford)["name"] == "Ashford and Tenterden"  # type: ignore[index]
    assert conflicts(a.store) == []
    c.close()


def test_concurrent_edits_converge_and_queue_one_conflict_everywhere(
    pair: tuple[Laptop, Laptop],
) -> None:
    a, b = pair
    pid = a.write("providers", {"name": "Oak Tree"})
    exchange(a, b)
    a.write("providers", {"id": pid, "name": "Oak Tree A"})
    b.write("providers", {"id": pid, "name": "Oak Tree B"})
    b.write("providers", {"id": pid, "phone": "+441233000001"})  # a later edit on top: no conflict
    report = exchange(b, a)
    assert report.new_conflicts == 1
    exchange(a, b)
    assert a.live("providers", pid)["name"] == b.live("providers", pid)["name"]  # type: ignore[index]
    [ca], [cb] = conflicts(a.store), conflicts(b.store)
    assert ca == cb and ca.field == "name"
    assert {s.value for s in ca.sides} == {"Oak Tree A", "Oak Tree B"}
    assert {s.worker for s in ca.sides} == {"Ann", "Ben"}
    # Resolved on one laptop (keep the other side): an edit that closes it everywhere.
    winner = a.live("providers", pid)["name"]  # type: ignore[index]
    with a.acting() as db:
        resolve_conflict(db, ca.id, "remote")
    exchange(a, b)
    for laptop in (a, b):
        assert conflicts(laptop.store) == []
        row = laptop.live("providers", pid)
        assert row is not None and row["name"] != winner
        hits = laptop.store.query(
            "SELECT provider_id FROM provider_fts WHERE provider_fts MATCH ?", (f'"{row["name"]}"',)
        )
        assert hits == [{"provider_id": pid}]  # the search index followed the merge


def test_delete_against_edit_goes_to_review_and_the_delete_sticks(
    pair: tuple[Laptop, Laptop],
) -> None:
    a, b = pair
    pid = a.write("providers", {"name": "Oak Tree"})
    exchange(a, b)
    a.write("providers", {"id": pid, "deleted_at": "2026-11-30T09:00:00.000+00:00"})
    b.write("providers", {"id": pid, "phone": "+441233000001"})
    sync_all([a, b])
    for laptop in (a, b):
        row = laptop.live("providers", pid)
        assert row is not None and row["deleted_at"] and row["phone"] == "+441233000001"
        [item] = conflicts(laptop.store)
        assert item.kind == "delete"
    # An old change arriving again (a stale bundle replayed) brings nothing back.
    old = list(changes_not_in(a.store, VersionVector()))
    assert apply_changes(b.store, old).new_changes == 0
    assert b.live("providers", pid)["deleted_at"]  # type: ignore[index]


def test_changes_after_a_gap_apply_and_the_gap_is_reported(pair: tuple[Laptop, Laptop]) -> None:
    a, b = pair
    pid = a.write("providers", {"name": "Oak Tree"})
    a.write("providers", {"id": pid, "phone": "+441233000001"})
    a.write("providers", {"id": pid, "notes": "ring twice"})
    changes = list(changes_not_in(a.store, VersionVector()))
    mine = [c for c in changes if c.origin == a.store.device_id]
    lost = {mine[-3].seq}  # the insert's stage move... or the insert: lost on the way
    kept = [c for c in changes if not (c.origin == a.store.device_id and c.seq in lost)]
    report = apply_changes(b.store, kept, local_vector(a.store))
    assert report.gaps == {a.store.device_id: [(min(lost), max(lost))]}
    # A colleague's gap (and the record waiting for it) is sync's to report, not a fault.
    from microcare_tui.services.database import check_database

    b.store.checkpoint()
    assert check_database(b.path).problems == []
    assert report.gap_text({a.store.device_id: "Laptop-07"}) == [
        f"missing change {min(lost)} from Laptop-07"
    ]
    # The gap filled later: the record is complete and equal on both.
    report = apply_changes(b.store, changes, local_vector(a.store))
    assert report.new_changes == 1 and report.gaps == {}
    row = b.live("providers", pid)
    assert row is not None and (row["phone"], row["notes"]) == ("+441233000001", "ring twice")


def test_an_update_before_its_insert_waits_then_lands(pair: tuple[Laptop, Laptop]) -> None:
    a, b = pair
    pid = a.write("providers", {"name": "Oak Tree"})
    a.write("providers", {"id": pid, "notes": "ring twice"})
    changes = [c for c in changes_not_in(a.store, VersionVector()) if c.row_id == pid]
    insert, update = changes
    assert apply_changes(b.store, [update]).records_changed == 0
    assert b.live("providers", pid) is None
    assert apply_changes(b.store, [insert]).records_changed == 1
    row = b.live("providers", pid)
    assert row is not None and (row["name"], row["notes"]) == ("Oak Tree", "ring twice")
    assert b.store.scalar("SELECT COUNT(*) FROM _sync_orphan") == 0


def test_this_laptops_own_settings_never_travel(pair: tuple[Laptop, Laptop]) -> None:
    a, b = pair
    with a.acting() as db:
        reference.set_setting(db, "worker_name", "Ann Smith")
        reference.set_setting(db, "team_name", "Kent team")
    sync_all([a, b])
    assert reference.get_setting(b.store, "worker_name") == "Template"
    assert reference.get_setting(b.store, "team_name") == "Kent team"


def test_receiving_a_bundle_is_an_acknowledgement(pair: tuple[Laptop, Laptop]) -> None:
    a, b = pair
    a.write("providers", {"name": "Oak Tree"})
    first = list(changes_not_in(a.store, VersionVector()))
    # Nothing heard from B yet: everything goes. B's bundle says what it has: then nothing.
    record_peer(a.store, b.store.device_id, local_vector(b.store))
    apply_changes(b.store, first)
    record_peer(a.store, b.store.device_id, local_vector(b.store))
    from microcare_tui.sync.changes import peer_vector

    assert list(changes_not_in(a.store, peer_vector(a.store, b.store.device_id))) == []


def test_a_copy_sending_under_this_laptops_id_is_refused(tmp_path: Path) -> None:
    a = Laptop.fresh(tmp_path, "A")
    a.store.checkpoint()
    shutil.copyfile(a.path, tmp_path / "raw.db")
    a.write("providers", {"name": "Oak Tree"})
    raw = Store(tmp_path / "raw.db", worker="X")  # opened without the identity check
    raw.write_row("providers", {"name": "Other"})
    from microcare_tui.sync.merge import IdentityCollision

    with pytest.raises(IdentityCollision):
        apply_changes(a.store, list(changes_not_in(raw, VersionVector())))
    raw.close()
    a.close()


def test_a_provider_registered_on_two_laptops_is_listed_merged_and_unmerged(
    pair: tuple[Laptop, Laptop],
) -> None:
    from microcare_tui.sync.duplicates import merge_duplicate, possible_duplicates, undo_merge

    a, b = pair
    first = a.write("providers", {"name": "Oak Tree Care", "postcode": "TN23 1AA"})
    second = b.write("providers", {"name": "oak tree care ", "postcode": "TN23 1AA"})
    b.write("providers", {"name": "Birch Lane", "phone": "+441233000009"})
    a.write("providers", {"name": "Birch Lane Helpers", "phone": "+441233000009"})
    sync_all([a, b])
    found = possible_duplicates(b.store)
    by_name = [d for d in found if d.reason == "name_postcode"]
    assert len(by_name) == 1 and {by_name[0].first_id, by_name[0].second_id} == {first, second}
    assert sorted(d.reason for d in found) == ["name_postcode", "phone"]
    assert possible_duplicates(a.store) == found
    with a.acting() as db:
        merge_duplicate(db, first, second)
    sync_all([a, b])
    for laptop in (a, b):
        row = laptop.live("providers", second)
        assert row is not None and row["merged_into"] == first and row["deleted_at"]
        assert [d.reason for d in possible_duplicates(laptop.store)] == ["phone"]
    with b.acting() as db:
        undo_merge(db, second)
    sync_all([a, b])
    row = a.live("providers", second)
    assert row is not None and row["merged_into"] is None and row["deleted_at"] is None


def test_export_lines_parse_to_the_same_changes(pair: tuple[Laptop, Laptop]) -> None:
    from microcare_tui.sync.changes import changes_not_in_json

    a, _ = pair
    pid = a.write("providers", {"name": "Œuvre Café", "languages": ["polski"]})
    a.write("providers", {"id": pid, "notes": 'says "hi"\nand leaves'})
    lines = list(changes_not_in_json(a.store, VersionVector()))
    changes = list(changes_not_in(a.store, VersionVector()))
    assert [Change.from_json(line) for line in lines] == changes


def test_the_defaults_never_bring_back_a_deleted_default(pair: tuple[Laptop, Laptop]) -> None:
    a, b = pair
    a.write("settings", {"id": "qa_review_months", "deleted_at": "2026-11-30T09:00:00.000+00:00"})
    sync_all([a, b])
    for laptop in (a, b):
        with laptop.acting() as db:
            reference.seed_defaults(db)  # as on every open
        assert reference.get_setting(laptop.store, "qa_review_months") is None
    sync_all([a, b])
    assert reference.get_setting(b.store, "qa_review_months") is None
