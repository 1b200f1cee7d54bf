"""The SQL of sync: reading and appending the change log, field clocks, ranges, peers,
conflicts and the rows a merge writes. The rules (who wins, what is a conflict) are in
microcare_tui/sync; this module only moves data.

Remote changes are written here, not through `Store.write_row`: they are already in the
change log (appended by `insert_changes` in the same transaction) and must not be logged
again under this laptop's origin.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.domain.hlc import ClockKey
from microcare_tui.store.db import BOOKKEEPING, LOG_INSERT, Store, utc_now

LogRow = tuple[str, int, str, str, str, str, str, str, str, str]
# (origin, seq, at, worker, tbl, row_id, op, fields JSON, hlc, bases JSON)

_LOG_SELECT = "SELECT origin, seq, at, worker, tbl, row_id, op, fields, hlc, bases FROM _change_log"


# -- the log -------------------------------------------------------------------------------
def own_max_seq(store: Store) -> int:
    """The newest sequence number this laptop's current origin has logged."""
    return int(
        store.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (store.device_id,)) or 0
    )


def max_seq(store: Store, origin: str) -> int:
    """The newest sequence number logged for `origin` (0 when none)."""
    return int(store.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (origin,)) or 0)


def read_range(store: Store, origin: str, lo: int, hi: int) -> Iterator[LogRow]:
    """The changes of `origin` with lo <= seq <= hi, in seq order (by the primary key)."""
    cur = store.conn.execute(
        f"{_LOG_SELECT} WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq", (origin, lo, hi)
    )
    while batch := cur.fetchmany(2000):
        yield from batch


# A change as one line of a bundle's changes.jsonl, built by SQLite (no parsing in Python):
# the same keys as sync.changes.Change.to_json.
_LINE_SELECT = """SELECT json_object('origin', origin, 'seq', seq, 'hlc', hlc, 'tbl', tbl,
    'row_id', row_id, 'op', op, 'fields', json(fields), 'worker', worker, 'at', at,
    'bases', json(bases)) FROM _change_log"""


def read_range_lines(store: Store, origin: str, lo: int, hi: int) -> Iterator[str]:
    """`read_range` as JSON lines."""
    for batch in read_range_line_batches(store, origin, lo, hi):
        yield from batch


def read_range_line_batches(store: Store, origin: str, lo: int, hi: int) -> Iterator[list[str]]:
    """`read_range_lines` a few thousand at a time (an export of 100,000 lines spent a tenth
    of its time passing them one by one through generators)."""
    cur = store.conn.execute(
        f"{_LINE_SELECT} WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq", (origin, lo, hi)
    )
    while batch := cur.fetchmany(5000):
        yield [line for (line,) in batch]


def row_history(store: Store, table: str, row_id: str) -> list[LogRow]:
    """Every logged change to one row (by the (tbl, row_id) index)."""
    return store.conn.execute(
        f"{_LOG_SELECT} WHERE tbl = ? AND row_id = ?", (table, row_id)
    ).fetchall()


def last_own_change(store: Store) -> tuple[str, str]:
    """(at, 'hlc|origin|seq') of this laptop's newest change."""
    row = store.conn.execute(
        "SELECT at, hlc, origin, seq FROM _change_log WHERE origin = ? ORDER BY seq DESC LIMIT 1",
        (store.device_id,),
    ).fetchone()
    return str(row[0]), ClockKey(row[1], row[2], int(row[3])).text()


def change_hlc(store: Store, origin: str, seq: int) -> str | None:
    """The clock of a logged change (None when it is not in the log)."""
    value = store.scalar("SELECT hlc FROM _change_log WHERE origin = ? AND seq = ?", (origin, seq))
    return None if value is None else str(value)


def change_fields(store: Store, origin: str, seq: int) -> dict[str, Any] | None:
    """The fields one change wrote, or None when it is not in the log."""
    raw = store.scalar("SELECT fields FROM _change_log WHERE origin = ? AND seq = ?", (origin, seq))
    return None if raw is None else dict(json.loads(raw))


def insert_changes(store: Store, rows: Sequence[LogRow]) -> None:
    """Append received changes to the log (the caller has left out the ones it has)."""
    store.conn.executemany(LOG_INSERT, rows)


def insert_change_lines(store: Store, lines: Sequence[str]) -> None:
    """Append received changes given as their JSON lines (already checked by the caller):
    SQLite takes the fields apart, no encoding in Python. The lines go into a TEMP table
    first and the log takes them in one statement (half the time of a statement per line)."""
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _sync_lines (j TEXT NOT NULL)")
    conn.execute("DELETE FROM temp._sync_lines")
    # The TEMP cache (2 MB) held a few thousand lines: a big import's 37 MB of lines went out
    # to a temporary file and were read back (~6% of the log's time). Put back at once.
    cache = conn.execute("PRAGMA temp.cache_size").fetchone()[0]
    if len(lines) > DEFER_INDEXES_FROM:
        conn.execute("PRAGMA temp.cache_size = -65536")
    try:
        _stage_and_log(conn, lines)
        conn.execute("DELETE FROM temp._sync_lines")
    finally:
        conn.execute(f"PRAGMA temp.cache_size = {int(cache)}")


def _stage_and_log(conn: sqlite3.Connection, lines: Sequence[str]) -> None:
    """The lines into the TEMP table, then into the log in one statement."""
    conn.executemany("INSERT INTO temp._sync_lines (j) VALUES (?)", [(line,) for line in lines])
    conn.execute(
        """INSERT INTO _change_log (origin, seq, at, worker, tbl, row_id, op, fields, hlc, bases)
           SELECT json_extract(j, '$.origin'), json_extract(j, '$.seq'),
                  COALESCE(json_extract(j, '$.at'), ''), COALESCE(json_extract(j, '$.worker'), ''),
                  json_extract(j, '$.tbl'), json_extract(j, '$.row_id'), json_extract(j, '$.op'),
                  json_extract(j, '$.fields'), json_extract(j, '$.hlc'),
                  COALESCE(json_extract(j, '$.bases'), '{}')
             FROM temp._sync_lines ORDER BY rowid"""
    )


# A table an import fills mostly from nothing (a new laptop's first bundle, a snapshot): its
# secondary indexes are built once after the rows go in (one sort each) instead of kept up to
# date row by row (a B-tree seek each): ~a quarter of the writes' time for 100,000 changes.
DEFER_INDEXES_FROM = 5000


@contextmanager
def indexes_built_after(store: Store, table: str, incoming: int) -> Iterator[None]:
    """Around writing `incoming` rows into `table`: when they are many and more than the
    table holds, its own indexes (CREATE INDEX, not its key or UNIQUE columns) are dropped
    and made again from their stored SQL afterwards, all inside a savepoint of the caller's
    transaction (a failure or a crash leaves them as they were)."""
    if (
        incoming < DEFER_INDEXES_FROM
        or incoming <= _rows_about(store, table)
        # Dropping an index drops its planner statistics (ANALYZE): such a database keeps them.
        or store.scalar("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'") is not None
    ):
        yield
        return
    indexes = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL ORDER BY name",
        (table,),
    ).fetchall()
    with store.transaction():
        for name, _ in indexes:
            store.conn.execute(f"DROP INDEX [{name}]")
        yield
        for _, sql in indexes:
            store.conn.execute(sql)


def _rows_about(store: Store, table: str) -> int:
    """About how many rows a table holds, read from its highest rowid (no count)."""
    return int(store.scalar(f"SELECT MAX(rowid) FROM [{table}]") or 0)


# -- what this laptop has, and what its colleagues have -------------------------------------
def ranges(store: Store) -> list[tuple[str, int, int]]:
    """(origin, lo, hi) of every other origin's changes held here."""
    return [
        (o, int(lo), int(hi))
        for o, lo, hi in store.conn.execute(
            "SELECT origin, lo, hi FROM _sync_range ORDER BY origin, lo"
        )
    ]


def set_ranges(store: Store, origin: str, spans: Iterable[tuple[int, int]]) -> None:
    """Replace the ranges held for `origin`."""
    store.conn.execute("DELETE FROM _sync_range WHERE origin = ?", (origin,))
    store.conn.executemany(
        "INSERT INTO _sync_range (origin, lo, hi) VALUES (?, ?, ?)",
        [(origin, lo, hi) for lo, hi in spans],
    )


def peer_ranges(store: Store, peer: str) -> list[tuple[str, int, int]]:
    """(origin, lo, hi) a colleague's laptop is known to have."""
    return [
        (o, int(lo), int(hi))
        for o, lo, hi in store.conn.execute(
            "SELECT origin, lo, hi FROM _sync_peer WHERE peer = ? ORDER BY origin, lo", (peer,)
        )
    ]


def set_peer_ranges(store: Store, peer: str, spans: Iterable[tuple[str, int, int]]) -> None:
    """Replace what a colleague's laptop is known to have."""
    store.conn.execute("DELETE FROM _sync_peer WHERE peer = ?", (peer,))
    store.conn.executemany(
        "INSERT INTO _sync_peer (peer, origin, lo, hi) VALUES (?, ?, ?, ?)",
        [(peer, o, lo, hi) for o, lo, hi in spans],
    )


def record_export(store: Store, bundle_id: str, target: str | None) -> None:
    """Note that a bundle holding every change of this origin up to now was written."""
    store.conn.execute(
        "INSERT OR REPLACE INTO _sync_export (bundle_id, created_at, up_to_seq, target, origin)"
        " VALUES (?, ?, ?, ?, ?)",
        (bundle_id, utc_now(), own_max_seq(store), target, store.device_id),
    )


# -- table shapes ----------------------------------------------------------------------------
def table_shape(store: Store, table: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(columns, columns a new row must be given) of a user table; None if there is none.

    Cached on the connection: the schema does not change while it is open.
    """
    memo: dict[str, Any] = store.__dict__.setdefault("_sync_shapes", {})
    if table not in memo:
        if not table.replace("_", "").isalnum() or table.startswith("_"):
            memo[table] = None
        else:
            info = store.conn.execute(f"PRAGMA table_info([{table}])").fetchall()
            cols = frozenset(r[1] for r in info)
            required = frozenset(
                r[1] for r in info if r[3] and r[4] is None and r[1] not in BOOKKEEPING
            )
            memo[table] = (cols, required) if "id" in cols else None
    shape: tuple[frozenset[str], frozenset[str]] | None = memo[table]
    return shape


# -- field clocks ----------------------------------------------------------------------------
def row_clocks(store: Store, table: str, row_id: str) -> dict[str, ClockKey]:
    """Which change wrote each field of a row ('*': the row's insert)."""
    rows = store.conn.execute(
        "SELECT field, hlc, origin, seq FROM _field_clock WHERE tbl = ? AND row_id = ?",
        (table, row_id),
    ).fetchall()
    return {f: ClockKey(h, o, int(s)) for f, h, o, s in rows}


def clocks_for(store: Store, table: str, row_ids: Sequence[str]) -> dict[str, dict[str, ClockKey]]:
    """Field clocks of many rows of one table: row id -> {field: clock}."""
    found: dict[str, dict[str, ClockKey]] = {}
    make = tuple.__new__  # ClockKey's own __new__ is a Python function: a call per row
    for chunk in _chunks(row_ids):
        marks = ",".join("?" * len(chunk))
        for row_id, f, *key in store.conn.execute(
            "SELECT row_id, field, hlc, origin, seq FROM _field_clock"
            f" WHERE tbl = ? AND row_id IN ({marks})",
            (table, *chunk),
        ):
            got = found.get(row_id)
            if got is None:
                got = found[row_id] = {}
            got[f] = make(ClockKey, key)  # seq is stored as an integer (a NOT NULL column)
    return found


def holds_any(store: Store, table: str) -> tuple[bool, bool]:
    """(whether a user table has any row, whether any of its rows has a field clock)."""
    row = store.conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM [{table}]),"
        " EXISTS (SELECT 1 FROM _field_clock WHERE tbl = ?)",
        (table,),
    ).fetchone()
    return bool(row[0]), bool(row[1])


def rows_for(
    store: Store, table: str, row_ids: Sequence[str], columns: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The stored rows among these ids: id -> row (with only `columns` and the id when
    given: a merge compares only the fields its changes wrote)."""
    if columns is None:
        return {r["id"]: r for r in rows_by_id(store, table, row_ids)}
    names = ", ".join(f"[{c}]" for c in sorted({"id", *columns}))
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(row_ids):
        marks = ",".join("?" * len(chunk))
        for row in store.query(f"SELECT {names} FROM [{table}] WHERE id IN ({marks})", chunk):
            found[row["id"]] = row
    return found


def set_clock_rows(store: Store, rows: list[tuple[str, str, str, str, str, int]]) -> None:
    """Write field clocks: (tbl, row_id, field, hlc, origin, seq) each."""
    store.conn.executemany(
        "INSERT OR REPLACE INTO _field_clock (tbl, row_id, field, hlc, origin, seq)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def drop_clock_rows(store: Store, rows: list[tuple[str, str, str]]) -> None:
    """Remove explicit field clocks: (tbl, row_id, field) each."""
    store.conn.executemany(
        "DELETE FROM _field_clock WHERE tbl = ? AND row_id = ? AND field = ?", rows
    )


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def set_clocks(store: Store, table: str, row_id: str, clocks: dict[str, ClockKey]) -> None:
    """Write field clocks of a row."""
    store.conn.executemany(
        "INSERT OR REPLACE INTO _field_clock (tbl, row_id, field, hlc, origin, seq)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(table, row_id, f, k.hlc, k.origin, k.seq) for f, k in clocks.items()],
    )


def drop_clocks(store: Store, table: str, row_id: str, fields: Iterable[str]) -> None:
    """Remove explicit field clocks (the row's insert clock now covers them)."""
    store.conn.executemany(
        "DELETE FROM _field_clock WHERE tbl = ? AND row_id = ? AND field = ?",
        [(table, row_id, f) for f in fields],
    )


def all_clocks(store: Store) -> list[tuple[str, str, str, str, str, int]]:
    """Every field clock, ordered (for comparing laptops in tests and checks)."""
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT tbl, row_id, field, hlc, origin, seq FROM _field_clock "
            "ORDER BY tbl, row_id, field"
        )
    ]


# -- rows written by a merge ---------------------------------------------------------------
def current_row(store: Store, table: str, row_id: str) -> dict[str, Any] | None:
    """A row as stored, or None."""
    cur = store.conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", (row_id,))
    found = cur.fetchone()
    if found is None:
        return None
    return dict(zip([c[0] for c in cur.description], found, strict=True))


def insert_row(store: Store, table: str, values: dict[str, Any]) -> None:
    """Insert a row a merge made (values include its bookkeeping)."""
    names = ", ".join(f"[{k}]" for k in values)
    marks = ", ".join("?" for _ in values)
    store.conn.execute(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(values.values()))


def update_rows(store: Store, table: str, names: Sequence[str], values: list[list[Any]]) -> None:
    """`update_row` for many rows with the same columns: each values list ends with the id."""
    sets = ", ".join(f"[{n}] = ?" for n in names)
    store.conn.executemany(
        f"UPDATE [{table}] SET {sets}, row_version = row_version + 1 WHERE id = ?", values
    )


def all_ids(store: Store, table: str) -> list[str]:
    """Every id in a user table."""
    return [r[0] for r in store.conn.execute(f"SELECT id FROM [{table}]")]


def rows_by_id(store: Store, table: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The rows with these ids (any order)."""
    found: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(ids)):
        marks = ",".join("?" for _ in chunk)
        found.extend(store.query(f"SELECT * FROM [{table}] WHERE id IN ({marks})", chunk))
    return found


def insert_rows(
    store: Store, table: str, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """Insert rows a merge made, all with the same columns."""
    cols = ", ".join(f"[{n}]" for n in names)
    marks = ", ".join("?" for _ in names)
    store.conn.executemany(f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", values)


def has_orphans(store: Store) -> bool:
    """Whether any record waits for its first change."""
    return store.scalar("SELECT EXISTS (SELECT 1 FROM _sync_orphan)") == 1


def forget_orphans(store: Store, rows: list[tuple[str, str]]) -> None:
    """Forget kept field values of records now written: (tbl, row_id) each."""
    store.conn.executemany("DELETE FROM _sync_orphan WHERE tbl = ? AND row_id = ?", rows)


def orphan(store: Store, table: str, row_id: str) -> dict[str, Any]:
    """Field values kept for a record whose first change has not arrived."""
    raw = store.scalar(
        "SELECT fields FROM _sync_orphan WHERE tbl = ? AND row_id = ?", (table, row_id)
    )
    return {} if raw is None else dict(json.loads(raw))


def set_orphan(store: Store, table: str, row_id: str, fields: dict[str, Any] | None) -> None:
    """Keep (or, with None, forget) field values for a record not written yet."""
    if fields is None:
        store.conn.execute("DELETE FROM _sync_orphan WHERE tbl = ? AND row_id = ?", (table, row_id))
    else:
        store.conn.execute(
            "INSERT OR REPLACE INTO _sync_orphan (tbl, row_id, fields) VALUES (?, ?, ?)",
            (table, row_id, json.dumps(fields, ensure_ascii=False)),
        )


# -- conflicts -------------------------------------------------------------------------------
def conflict_exists(store: Store, conflict_id: str) -> bool:
    """Whether a conflict with this id is recorded (open or resolved)."""
    return store.scalar("SELECT 1 FROM _sync_conflict WHERE id = ?", (conflict_id,)) is not None


def save_conflict(store: Store, row: dict[str, Any]) -> None:
    """Record a conflict or refresh its sides; a resolution already recorded is kept."""
    store.conn.execute(
        """INSERT INTO _sync_conflict
               (id, tbl, row_id, field, kind, base, sides, local_value, remote_value,
                remote_origin, remote_seq)
           VALUES (:id, :tbl, :row_id, :field, :kind, :base, :sides, :local_value,
                   :remote_value, :remote_origin, :remote_seq)
           ON CONFLICT(id) DO UPDATE SET
               kind = excluded.kind, base = excluded.base, sides = excluded.sides,
               local_value = excluded.local_value, remote_value = excluded.remote_value,
               remote_origin = excluded.remote_origin, remote_seq = excluded.remote_seq""",
        row,
    )


def resolve_conflict_row(
    store: Store, conflict_id: str, where: tuple[str, str, str], by: str, at: str, key: str
) -> None:
    """Mark a conflict resolved by the change `key` (the newest resolution wins); a
    resolution that arrives before the conflict is found leaves a resolved placeholder."""
    table, row_id, field = where
    store.conn.execute(
        """INSERT INTO _sync_conflict
               (id, tbl, row_id, field, status, resolved_by, resolved_at, resolved_key)
           VALUES (?, ?, ?, ?, 'resolved', ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET status = 'resolved', resolved_by = excluded.resolved_by,
               resolved_at = excluded.resolved_at, resolved_key = excluded.resolved_key
           WHERE resolved_key IS NULL OR resolved_key < excluded.resolved_key""",
        (conflict_id, table, row_id, field, by, at, key),
    )


def conflicts(store: Store, status: str | None = "open") -> list[dict[str, Any]]:
    """Conflicts (open ones unless told), oldest first by id."""
    if status is None:
        return store.query("SELECT * FROM _sync_conflict ORDER BY id")
    return store.query("SELECT * FROM _sync_conflict WHERE status = ? ORDER BY id", (status,))


def conflict(store: Store, conflict_id: str) -> dict[str, Any] | None:
    """One conflict, or None."""
    rows = store.query("SELECT * FROM _sync_conflict WHERE id = ?", (conflict_id,))
    return rows[0] if rows else None


# -- device identity -------------------------------------------------------------------------
def device_row(store: Store) -> tuple[str, str | None]:
    """(device id, the file identity it was last opened under)."""
    row = store.conn.execute("SELECT id, file_identity FROM _device LIMIT 1").fetchone()
    return str(row[0]), row[1]


def set_file_identity(store: Store, identity: str) -> None:
    """Record the file identity this database is opened under."""
    store.conn.execute("UPDATE _device SET file_identity = ?", (identity,))


def replace_device(store: Store, new_id: str, identity: str, reason: str) -> str:
    """Give this database a new device id (the old one retired, its changes kept as another
    origin's); returns the old id. In the caller's transaction."""
    old, _ = device_row(store)
    top = max_seq(store, old)
    store.conn.execute(
        "INSERT OR REPLACE INTO _device_retired (id, retired_at, reason) VALUES (?, ?, ?)",
        (old, utc_now(), reason),
    )
    if top:
        set_ranges(store, old, [(1, top)])
    store.conn.execute(
        "UPDATE _device SET id = ?, file_identity = ?, created_at = ?",
        (new_id, identity, utc_now()),
    )
    store.reset_device_cache()
    return old


# -- this laptop's own settings --------------------------------------------------------------
def local_setting(store: Store, key: str) -> str | None:
    """A device-local setting's stored JSON, or None."""
    try:
        raw = store.scalar("SELECT value FROM _local_settings WHERE key = ?", (key,))
    except DatabaseUnavailable:  # a database not yet migrated (read before migrate)
        return None
    return None if raw is None else str(raw)


def set_local_setting(store: Store, key: str, raw: str) -> None:
    """Store a device-local setting (never synced, never logged)."""
    store.conn.execute(
        "INSERT OR REPLACE INTO _local_settings (key, value) VALUES (?, ?)", (key, raw)
    )


def is_integrity_error(exc: BaseException) -> bool:
    """Whether an exception is SQLite refusing a row (a NOT NULL or UNIQUE column)."""
    return isinstance(exc, sqlite3.IntegrityError)
