"""A big import's shortcuts (indexes built after the rows, FTS5's bigger buffer) give the
same database as a small import's row-by-row writes, and leave nothing behind on failure.
The thresholds are lowered here so a few records take the big import's way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcare_tui.services import sync
from microcare_tui.store import bulk_index, sync_log
from microcare_tui.store.db import Store
from tests.sync.helpers import add_provider, file_hash, laptop, new_team, register


def _indexes(store: Store) -> list[tuple[str, str, str]]:
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        )
    ]


def _search_rows(store: Store) -> list[list[Any]]:
    return [
        [tuple(r) for r in store.conn.execute(f"SELECT * FROM {fts} ORDER BY 1")]
        for fts in ("provider_fts", "enquiry_fts")
    ]


def _log(store: Store) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT origin, seq, hlc, tbl, row_id, op, fields, bases FROM _change_log"
            " WHERE tbl IN ('providers', 'enquiries') ORDER BY origin, seq"
        )
    ]


def _clocks(store: Store) -> list[tuple[Any, ...]]:
    return [c for c in sync_log.all_clocks(store) if c[0] in ("providers", "enquiries")]


def _hashsize(store: Store, fts: str) -> Any:
    return store.scalar(f"SELECT v FROM {fts}_config WHERE k = 'hashsize'")


def _source(tmp_path: Path, team: dict[str, str]) -> Path:
    ann = laptop(tmp_path, "Ann", team)
    ids = [add_provider(ann, f"Oak Tree {i}", description="Shopping help") for i in range(6)]
    with ann.transaction():
        for i, pid in enumerate(ids[:3]):  # edits on top: records merged the general way
            ann.write_row("providers", {"id": pid, "notes": f"rang back {i}"})
        ann.write_row("providers", {"id": ids[4], "name": "Ash Lane"})
        for i in range(5):
            ann.write_row(
                "enquiries",
                {
                    "id": f"e{i}",
                    "received_at": "2026-11-01T09:00:00.000+00:00",
                    "enquirer_kind": "seeking_support",
                    "caller_name": f"Caller {i}",
                    "summary": "needs help with shopping",
                },
            )
    out = tmp_path / "out"
    out.mkdir()
    path = sync.export_bundle(ann, out).path
    ann.close()
    return path


def test_a_big_import_gives_the_same_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = new_team()
    bundle = _source(tmp_path, team)
    small, big = laptop(tmp_path, "Ben", team), laptop(tmp_path, "Cat", team)
    before = _indexes(big)
    got_small = sync.import_bundle(small, bundle)
    monkeypatch.setattr(sync_log, "DEFER_INDEXES_FROM", 1)
    monkeypatch.setattr(bulk_index, "_BULK_ROWS", 1)
    dropped: list[str] = []
    real = big.conn

    class Watch:
        def execute(self, sql: str, *args: Any) -> Any:
            if sql.startswith("DROP INDEX"):
                dropped.append(sql)
            return real.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    big.conn = Watch()  # type: ignore[assignment]
    temp_cache = big.scalar("PRAGMA temp.cache_size")
    got_big = sync.import_bundle(big, bundle)
    big.conn = real
    assert big.scalar("PRAGMA temp.cache_size") == temp_cache  # its bigger TEMP cache put back
    # The big way was taken: the log's index and the providers' were dropped and made again.
    assert any("_change_log_row" in sql for sql in dropped)
    assert any("providers_name" in sql for sql in dropped)
    assert (got_big.new_changes, got_big.records_changed) == (
        got_small.new_changes,
        got_small.records_changed,
    )
    assert _indexes(big) == before == _indexes(small)
    assert big.scalar("PRAGMA integrity_check") == "ok"
    assert register(big) == register(small)
    assert _search_rows(big) == _search_rows(small) and len(_search_rows(big)[0]) == 6
    # (Each laptop's own seeded rows have its own clocks: the records imported are compared.)
    assert _clocks(big) == _clocks(small) and len(_clocks(big)) == 6 + 5 + 4
    assert _log(big) == _log(small)
    # The search buffer is back to FTS5's default (1 MB) once the rows are in.
    assert _hashsize(small, "provider_fts") is None
    assert _hashsize(big, "provider_fts") == _hashsize(big, "enquiry_fts") == 1 << 20
    hits = big.query("SELECT provider_id FROM provider_fts WHERE provider_fts MATCH 'name : lane'")
    assert len(hits) == 1
    small.close()
    big.close()


def test_a_failed_big_import_leaves_the_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = new_team()
    bundle = _source(tmp_path, team)
    cat = laptop(tmp_path, "Cat", team)
    before, digest = _indexes(cat), file_hash(cat)
    monkeypatch.setattr(sync_log, "DEFER_INDEXES_FROM", 1)

    def broken(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sync_log, "insert_rows", broken)  # after the indexes were dropped
    with pytest.raises(RuntimeError):
        sync.import_bundle(cat, bundle)
    assert _indexes(cat) == before and file_hash(cat) == digest


def test_indexes_come_back_when_a_caller_carries_on(tmp_path: Path) -> None:
    # A failure inside, caught by a caller whose transaction then commits: the savepoint
    # put the indexes back, so the commit cannot lose them.
    store = laptop(tmp_path, "Dan", None)
    before = _indexes(store)
    with (
        store.transaction(),
        pytest.raises(RuntimeError),
        sync_log.indexes_built_after(store, "providers", 10**6),
    ):
        assert not any(t == "providers" and s for _, t, s in _indexes(store))
        raise RuntimeError("stop")
    assert _indexes(store) == before
    store.close()


def test_a_database_with_planner_statistics_keeps_its_indexes(tmp_path: Path) -> None:
    store = laptop(tmp_path, "Eve", None)
    store.conn.execute("ANALYZE")
    before = _indexes(store)
    with store.transaction(), sync_log.indexes_built_after(store, "providers", 10**6):
        assert _indexes(store) == before
    assert _indexes(store) == before
    store.close()


def test_an_insert_plan_reads_its_fields_in_column_order() -> None:
    from microcare_tui.sync.merge import _values_of

    fields = {"b": 2, "a": 1, "c": None}
    assert _values_of(())(fields) == ()
    assert _values_of(("a",))(fields) == (1,)
    assert _values_of(("c", "a", "b"))(fields) == (None, 1, 2)
