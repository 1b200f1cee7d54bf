"""Start-up and saves do no work proportional to the change log (issue 8).

The header's "N changes to export" used to count the change log's rows on the UI thread before
the first frame and after every save (150 ms at county scale, 950 ms at ten times that). These
tests give the app a 300,000-row log and count the SQLite virtual-machine steps its connections
run while it starts and while a form saves: reading the log even once takes millions of steps.
They also pin the fast count to the slow one it replaced, case by case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from microcare_tui.services.providers import save_provider
from microcare_tui.store import db as store_db
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY

LOG_ROWS = 300_000
STEPS_PER_TICK = 10  # SQLite counts per statement: a coarse tick would miss short ones
# Far below one pass over the log (each row costs several VM steps), far above what the
# start-up and a save need on an otherwise tiny database (measured: ~2,000 and ~3,000; the
# full count this replaced ran 3.6 million at start-up).
STEP_BUDGET = LOG_ROWS // 2


def slow_count(store: Store) -> int:
    """The count as it was: every unexported row of this device, less the defaults' rows."""
    exported = store.scalar(
        "SELECT COALESCE(MAX(up_to_seq), 0) FROM _sync_export WHERE origin = ?", (store.device_id,)
    )
    return int(
        store.scalar(
            "SELECT COUNT(*) FROM _change_log WHERE origin = ? AND seq > ? AND worker != ?",
            (store.device_id, exported, reference.SEED_WORKER),
        )
    )


def add_log_rows(store: Store, count: int, origin: str | None = None) -> None:
    """Append `count` change-log rows for this device (or `origin`), fast, in raw SQL: the
    log's size is what matters here, not what the rows say."""
    origin = origin or store.device_id
    first = int(
        store.scalar("SELECT COALESCE(MAX(seq), 0) FROM _change_log WHERE origin = ?", (origin,))
    )
    store.conn.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO _change_log (origin, seq, at, worker, tbl, row_id, op, fields)
           SELECT ?, ? + i, '2026-11-01T09:00:00.000+00:00', 'Sam Tester', 'enquiries',
                  printf('row-%d', i), 'insert', '{}' FROM n""",
        (count, origin, first),
    )


def mark_exported(store: Store, up_to: int) -> None:
    store.conn.execute(
        "INSERT INTO _sync_export VALUES (?, '2026-11-01T09:00:00.000+00:00', ?, NULL, ?)",
        (f"bundle-{up_to}", up_to, store.device_id),
    )


# -- the fast count gives the slow count's answer ---------------------------------------------
def test_the_defaults_write_only_the_tables_the_count_leaves_out(store: Store) -> None:
    assert store_db.SEED_WORKER == reference.SEED_WORKER
    seeded = {
        r["tbl"]
        for r in store.query(
            "SELECT DISTINCT tbl FROM _change_log WHERE worker = ?", (reference.SEED_WORKER,)
        )
    }
    assert seeded  # the defaults were written, by the seed worker
    assert seeded <= set(store_db.SEEDED_TABLES)


def test_the_count_matches_a_full_count(store: Store) -> None:
    assert store.unexported_changes() == slow_count(store)  # the team setting
    first = save_provider(store, {"name": "Oak Tree Companions"})
    save_provider(store, {"id": first.id, "name": "Oak Tree Companions Ltd"})
    assert store.unexported_changes() == slow_count(store) > 0

    # A nested block that fails gives its sequence numbers back: no gap, still equal.
    with store.transaction():
        save_provider(store, {"name": "Birch Lane Care"})
        with pytest.raises(RuntimeError), store.transaction():
            save_provider(store, {"name": "Never Saved"})
            raise RuntimeError("the worker cancelled")
        save_provider(store, {"name": "Cedar Helpers"})
    # A whole transaction rolled back: nothing logged, nothing counted.
    with pytest.raises(RuntimeError), store.transaction():
        save_provider(store, {"name": "Gone Too"})
        raise RuntimeError("power cut")
    assert store.unexported_changes() == slow_count(store)

    # Another laptop's changes arrive by sync: they are not this laptop's to export.
    add_log_rows(store, 50, origin="another-laptop")
    assert store.unexported_changes() == slow_count(store)

    # An export takes some; the rest still count; an export of everything leaves nothing.
    newest = int(
        store.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (store.device_id,))
    )
    mark_exported(store, newest - 2)
    assert store.unexported_changes() == slow_count(store) == 2
    mark_exported(store, newest)
    assert store.unexported_changes() == slow_count(store)  # the team setting


def test_defaults_written_after_an_export_are_not_counted(store: Store) -> None:
    newest = int(
        store.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (store.device_id,))
    )
    mark_exported(store, newest)
    save_provider(store, {"name": "Oak Tree Companions"})
    # The legal forms were emptied (say, by hand); the next open puts the defaults back.
    store.conn.execute("DELETE FROM legal_forms")
    reference.seed_defaults(store)
    assert store.scalar("SELECT COUNT(*) FROM legal_forms") > 0
    assert store.unexported_changes() == slow_count(store) > 0


# -- the app never reads the log ----------------------------------------------------------------
@pytest.fixture
def vm_steps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every connection the store opens counts its VM steps (in thousands) into the list."""
    ticks = [0]
    opened = store_db._open_connection

    def counting(path: Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = opened(path, *args, **kwargs)

        def tick() -> int:
            ticks[0] += 1
            return 0  # carry on

        conn.set_progress_handler(tick, STEPS_PER_TICK)
        return conn

    monkeypatch.setattr(store_db, "_open_connection", counting)
    yield ticks


@pytest.fixture
def big_log(db_path: Path) -> Path:
    store = Store(db_path, worker="Sam Tester")
    add_log_rows(store, LOG_ROWS)
    store.close()
    return db_path


async def test_start_up_and_a_save_do_not_read_the_change_log(
    big_log: Path, vm_steps: list[int]
) -> None:
    app = MicrocareApp(db_path=big_log, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        started = vm_steps[0] * STEPS_PER_TICK
        # With the team setting (the worker's name is this laptop's own: not synced).
        assert f"{LOG_ROWS + 1:,} changes to export" in app.sub_title
        assert started < STEP_BUDGET, f"start-up ran {started:,} VM steps"

        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await pilot.pause()
        for ch in "Oak Tree":
            await pilot.press(ch)
        vm_steps[0] = 0
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = vm_steps[0] * STEPS_PER_TICK
        assert app.store.scalar("SELECT COUNT(*) FROM providers WHERE name = 'Oak Tree'") == 1
        pending = slow_count(app.store)
        assert pending > LOG_ROWS
        assert f"{pending:,} changes to export" in app.sub_title
        assert saved < STEP_BUDGET, f"a save ran {saved:,} VM steps"
