"""The connection factory: the one place a SQLite connection is made.

Each thread opens its own Store (sqlite3 connections are bound to their thread). Writes run
in `Store.transaction()`: one BEGIN IMMEDIATE ... COMMIT, with the change-log rows written in
the same transaction, so a crash or kill -9 loses nothing that was acknowledged.

Over ~400 lines on purpose: it is one class, the whole contract of a connection (reading,
per-connection caches, the logged write paths); split up, its invariants would be harder to see.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from microcare_tui.domain import hlc as clock
from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.domain.hlc import ClockKey
from microcare_tui.domain.ids import new_id

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000
# MICROCARE_BUSY_TIMEOUT_MS shortens it for the tests that hold a lock on purpose (a
# `microcare check` against a locked file waited the whole 5 s); users get the default.
_busy = os.environ.get("MICROCARE_BUSY_TIMEOUT_MS", "")
if _busy.isdigit():
    BUSY_TIMEOUT_MS = int(_busy)
# The UI thread's connection waits this long for another writer, then says "busy, try
# again": a save must never hold the screen (and the keys typed meanwhile) for seconds.
UI_BUSY_TIMEOUT_MS = 250
T = TypeVar("T")


def utc_now() -> str:
    """Now as a UTC ISO 8601 string with milliseconds, the stored form of every timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _open_connection(
    path: Path, readonly: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    if readonly:
        # as_uri() escapes '?', '#' and '%' in the path; immutable=1 reads a file SQLite
        # may not lock (a read-only folder holding a WAL database whose log was folded in).
        uri = f"{path.absolute().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not readonly:
        # WAL lets the UI read while a worker writes; FULL makes each commit durable on
        # power loss, at ~1,200 commits/s here, far above what form filling needs.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    # References between synced tables are soft (a row may arrive before its parent),
    # so foreign keys are not enforced by SQLite; the store checks what it writes.
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


class Store:
    """An open microcare database for one thread: queries, transactions and the change log."""

    def __init__(
        self,
        path: Path | str,
        worker: str = "unknown",
        readonly: bool = False,
        immutable: bool = False,
    ) -> None:
        self.path = Path(path)
        self.worker = worker
        try:
            self.conn = _open_connection(self.path, readonly=readonly, immutable=immutable)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(describe_sqlite_error(exc, self.path)) from None
        self._db: sqlite_utils.Database | None = None
        self._device_id: str | None = None
        self._in_tx = False
        self._savepoints = 0
        self._next_seq: int | None = None
        # The hybrid logical clock's last value, read at the transaction's first change and
        # written back at its commit (one statement per save, not one per row).
        self._hlc_last: str | None = None
        self._hlc_dirty = False
        # Per-connection caches (see `cached`) and this connection's writes to its own TEMP
        # tables, which change nothing another reader could see (see `private_writes`).
        self._memo: dict[str, tuple[Hashable, Any]] = {}
        self._private_changes = 0
        self._generation_probe: tuple[int, int] | None = None
        self._generation = 0

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite when the last one closes."""
        self.conn.close()

    def set_busy_timeout(self, ms: int) -> None:
        """How long a write waits for another connection's write lock before it fails as
        busy (BUSY_TIMEOUT_MS unless set; the UI thread sets UI_BUSY_TIMEOUT_MS)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over this connection, for introspection (imported on first use:
        it costs ~50 ms at start-up, and the hot paths use plain SQL)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- reading ---------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Run a SELECT and return rows as dicts."""
        try:
            cur = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(describe_sqlite_error(exc, self.path)) from exc
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """Run a query that returns one value."""
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(describe_sqlite_error(exc, self.path)) from exc
        return row[0] if row else None

    # -- caching what was read ----------------------------------------------------------
    def data_generation(self) -> int:
        """Changes whenever the user data this connection sees may have changed.

        Every change to user data is logged, so the newest change-log row is the generation.
        It is read again only when something was committed (another connection's commit moves
        `PRAGMA data_version`; this connection's own writes move its `total_changes`, less
        its writes to TEMP caches), so the cost is one pragma per call. A commit that logs
        nothing (a call draft, a sync bookkeeping row) leaves every cache standing. Caches
        never key on sums of row_version: sync brings rows whose versions say nothing here.
        """
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        probe = (version, self.conn.total_changes - self._private_changes)
        if probe != self._generation_probe:
            try:
                newest = self.conn.execute("SELECT MAX(rowid) FROM _change_log").fetchone()[0]
                generation = int(newest or 0)
            except sqlite3.Error:  # no change log (a damaged file): every commit is news
                generation = -1 - hash(probe) % 1_000_000_007
            self._generation_probe, self._generation = probe, generation
        return self._generation

    @contextmanager
    def private_writes(self) -> Iterator[None]:
        """Writes inside this block go to this connection's TEMP tables (caches): they do not
        change `data_generation`, so rebuilding one cache does not invalidate the others."""
        before = self.conn.total_changes
        try:
            yield
        finally:
            self._private_changes += self.conn.total_changes - before

    def cached(self, name: str, build: Callable[[], T], *extra: Hashable) -> T:
        """`build()`, kept on this connection until the data (or anything in `extra`) changes.

        Inside an open transaction nothing is kept: what it reads may yet be rolled back.
        """
        key = (self.data_generation(), extra)
        hit = self._memo.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = build()
        if not self.conn.in_transaction:
            self._memo[name] = (key, value)
        return value

    @property
    def device_id(self) -> str:
        """This laptop's device id, made once when the database is created."""
        if self._device_id is None:
            value = self.scalar("SELECT id FROM _device LIMIT 1")
            if value is None:
                raise DatabaseUnavailable("This database has no device id: run `microcare check`.")
            self._device_id = str(value)
        return self._device_id

    def reset_device_cache(self) -> None:
        """Forget the cached device id (after sync gave the database a new one)."""
        self._device_id = None

    # -- writing ---------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction; a nested use is a SAVEPOINT inside the outer one.

        A failed nested block rolls back to its savepoint and leaves the outer transaction
        open. On failure the rollback runs only while SQLite still has a transaction open:
        SQLite rolls back by itself on some errors (a full disk at COMMIT), and a second
        ROLLBACK would raise "no transaction is active" and hide the real message.
        """
        if self._in_tx:
            with self._savepoint():
                yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(describe_sqlite_error(exc, self.path)) from None
        self._in_tx = True
        try:
            yield self
            self._flush_clock()
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback_if_open()
            if isinstance(exc, sqlite3.Error):
                raise DatabaseUnavailable(describe_sqlite_error(exc, self.path)) from exc
            raise
        finally:
            self._in_tx = False
            self._next_seq = None
            self._savepoints = 0
            self._hlc_last = None
            self._hlc_dirty = False

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        seq = self._next_seq
        try:
            yield
            self.conn.execute(f"RELEASE {name}")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            self._next_seq = seq  # the rolled-back changes gave their sequence numbers back
            raise

    def _rollback_if_open(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the original error is the one the worker needs to see

    def write_row(
        self, table: str, row: dict[str, Any], *, resolves: str | None = None
    ) -> dict[str, Any]:
        """Insert or update one row by id and log the changed fields, in the open transaction.

        Bookkeeping columns (timestamps, who, device, row_version) are set here, so no
        caller can forget them. The change is stamped with the hybrid logical clock and
        records, per field, the clock of the value it replaced (sync tells a later edit from
        a concurrent one by it). `resolves` names a sync conflict this write settles: its
        fields are logged even when unchanged here. Returns the stored row.
        """
        if not self._in_tx:
            with self.transaction():
                return self.write_row(table, row, resolves=resolves)
        now = utc_now()
        row = {k: _to_sql(v) for k, v in row.items()}
        row_id = row.get("id") or new_id()
        row["id"] = row_id
        existing = self.conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", (row_id,))
        cols = [c[0] for c in existing.description]
        found = existing.fetchone()
        content = {k: v for k, v in row.items() if k in cols and k not in BOOKKEEPING}
        seeding = self.worker == SEED_WORKER
        if found is None:
            op = "insert"
            stored = {
                **content,
                "created_at": now,
                "updated_at": now,
                "created_by": self.worker,
                "updated_by": self.worker,
                "device_id": self.device_id,
                "row_version": 1,
            }
            changed = dict(content)
            names = ", ".join(f"[{k}]" for k in stored)
            marks = ", ".join("?" for _ in stored)
            self.conn.execute(
                f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(stored.values())
            )
            bases: dict[str, str] = {}
        else:
            before = dict(zip(cols, found, strict=True))
            changed = {k: v for k, v in content.items() if before.get(k) != v}
            if resolves:
                changed.update({k: v for k, v in content.items() if k != "id"})
            clocks = self._row_clocks(table, row_id)
            if seeding and clocks:
                # The defaults never overwrite (nor undelete) a record someone wrote: their
                # clock is zero, so on other laptops that write would lose anyway.
                changed = {}
            if not changed:
                return before
            bases = _bases(clocks, changed)
            op = (
                "delete" if changed.get("deleted_at") and not before.get("deleted_at") else "update"
            )
            if resolves:
                op = "resolve"
                bases["_resolves"] = resolves
            stored = {
                **before,
                **changed,
                "updated_at": now,
                "updated_by": self.worker,
                "device_id": self.device_id,
                "row_version": int(before.get("row_version") or 0) + 1,
            }
            sets = {
                **changed,
                "updated_at": now,
                "updated_by": self.worker,
                "device_id": self.device_id,
                "row_version": stored["row_version"],
            }
            assignments = ", ".join(f"[{k}] = ?" for k in sets)
            self.conn.execute(
                f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*sets.values(), row_id]
            )
        stamp = clock.HLC_ZERO if seeding else self._tick()
        seq = self._log_change(table, row_id, op, changed, now, stamp, bases)
        fields = ["*"] if op == "insert" else list(changed)
        self.conn.executemany(
            "INSERT OR REPLACE INTO _field_clock VALUES (?,?,?,?,?,?)",
            [(table, row_id, f, stamp, self.device_id, seq) for f in fields],
        )
        return stored

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Insert many new rows fast (demo data, imports), still logging every row.

        Rows must be new (fresh ids); bookkeeping is filled in here as in `write_row`.
        """
        if not rows:
            return 0
        if not self._in_tx:
            with self.transaction():
                return self.insert_many(table, rows)
        now = utc_now()
        device = self.device_id
        names = list(rows[0].keys())
        all_names = [
            *names,
            "created_at",
            "updated_at",
            "created_by",
            "updated_by",
            "device_id",
            "row_version",
        ]
        sql = (
            f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in all_names)}) "
            f"VALUES ({', '.join('?' for _ in all_names)})"
        )
        values = []
        log = []
        clocks = []
        seq = self._reserve_seq(len(rows))
        stamps = self._tick_many(len(rows))
        for i, row in enumerate(rows):
            converted = [_to_sql(row[n]) for n in names]
            values.append([*converted, now, now, self.worker, self.worker, device, 1])
            log.append(
                (
                    device,
                    seq + i,
                    now,
                    self.worker,
                    table,
                    row["id"],
                    "insert",
                    json.dumps(dict(zip(names, converted, strict=True)), ensure_ascii=False),
                    stamps[i],
                    "{}",
                )
            )
            clocks.append((table, row["id"], "*", stamps[i], device, seq + i))
        self.conn.executemany(sql, values)
        self.conn.executemany(LOG_INSERT, log)
        self.conn.executemany("INSERT OR REPLACE INTO _field_clock VALUES (?,?,?,?,?,?)", clocks)
        return len(rows)

    def _reserve_seq(self, count: int) -> int:
        if self._next_seq is None:
            current = self.scalar(
                "SELECT MAX(seq) FROM _change_log WHERE origin = ?", (self.device_id,)
            )
            self._next_seq = int(current or 0) + 1
        first = self._next_seq
        self._next_seq += count
        return first

    # -- the hybrid logical clock --------------------------------------------------------
    def _clock_last(self) -> str:
        if self._hlc_last is None:
            self._hlc_last = str(
                self.scalar("SELECT last FROM _hlc WHERE id = 1") or clock.HLC_ZERO
            )
        return self._hlc_last

    def _tick(self) -> str:
        """The clock for one local change (in the open transaction)."""
        self._hlc_last = clock.tick(self._clock_last(), clock.wall_ms_now())
        self._hlc_dirty = True
        return self._hlc_last

    def _tick_many(self, count: int) -> list[str]:
        now = clock.wall_ms_now()
        stamps = []
        last = self._clock_last()
        for _ in range(count):
            last = clock.tick(last, now)
            stamps.append(last)
        self._hlc_last = last
        self._hlc_dirty = True
        return stamps

    def observe_clock(self, remote: str) -> None:
        """Move the clock past a clock value received from another laptop (in the open
        transaction), so every later local change is ordered after it."""
        self._hlc_last = clock.receive(self._clock_last(), remote, clock.wall_ms_now())
        self._hlc_dirty = True

    def _flush_clock(self) -> None:
        if self._hlc_dirty and self._hlc_last is not None:
            self.conn.execute("UPDATE _hlc SET last = ? WHERE id = 1", (self._hlc_last,))
            self._hlc_dirty = False

    def _row_clocks(self, table: str, row_id: str) -> dict[str, ClockKey]:
        """Which change wrote each field of a row ('*': the row's insert)."""
        rows = self.conn.execute(
            "SELECT field, hlc, origin, seq FROM _field_clock WHERE tbl = ? AND row_id = ?",
            (table, row_id),
        ).fetchall()
        return {f: ClockKey(h, o, s) for f, h, o, s in rows}

    def _log_change(
        self,
        table: str,
        row_id: str,
        op: str,
        fields: dict[str, Any],
        at: str,
        stamp: str,
        bases: dict[str, str],
    ) -> int:
        seq = self._reserve_seq(1)
        self.conn.execute(
            LOG_INSERT,
            (
                self.device_id,
                seq,
                at,
                self.worker,
                table,
                row_id,
                op,
                json.dumps(fields, ensure_ascii=False),
                stamp,
                json.dumps(bases) if bases else "{}",
            ),
        )
        return seq

    def write_derived(self, sql: str, params: Any = ()) -> None:
        """Write derived data only (full-text index rows), which sync rebuilds and never logs.

        User rows are written by `write_row` and `insert_many` alone, so every change is in
        the change log; a statement aimed at anything else is refused here.
        """
        _check_derived(sql)
        self.conn.execute(sql, params)

    def write_derived_many(self, sql: str, rows: Any) -> None:
        """`write_derived` for many rows."""
        _check_derived(sql)
        self.conn.executemany(sql, rows)

    def set_cache_size(self, kib: int) -> int:
        """Set this connection's page cache (KiB) and return the previous setting (pages or
        -KiB, as SQLite reports it), for bulk writers such as the demo generator."""
        before = int(self.scalar("PRAGMA cache_size") or 0)
        self.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
        return before

    def restore_cache_size(self, setting: int) -> None:
        """Put back a cache size returned by `set_cache_size`."""
        self.conn.execute(f"PRAGMA cache_size = {int(setting)}")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (after a bulk load)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def unexported_changes(self) -> int:
        """How many of this device's changes have not gone into an export bundle yet.

        O(log n), never a read of the whole change log (it runs on the UI thread before the
        first frame and after every save; counting rows took 150 ms at county scale and 950 ms
        at ten times that). This device's sequence numbers run 1, 2, 3 without gaps (a rolled
        back write gives its numbers back, see `_savepoint`; sync's version vectors rely on
        it), so the changes after the exported mark are MAX(seq) minus the mark, read from the
        (origin, seq) primary key. The mark is per origin: a copied database continues
        under a new device id, and its count starts again. The rows the reference-data
        defaults wrote are not the worker's changes and are taken off; they live in the few
        seeded tables, counted through the (tbl, row_id) index.
        """
        exported = int(
            self.scalar(
                "SELECT COALESCE(MAX(up_to_seq), 0) FROM _sync_export WHERE origin = ?",
                (self.device_id,),
            )
            or 0
        )
        newest = int(
            self.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (self.device_id,)) or 0
        )
        if newest <= exported:
            return 0
        marks = ", ".join("?" for _ in SEEDED_TABLES)
        seeded = int(
            self.scalar(
                f"SELECT COUNT(*) FROM _change_log INDEXED BY _change_log_row "
                f"WHERE tbl IN ({marks}) AND origin = ? AND seq > ? AND worker = ?",
                (*SEEDED_TABLES, self.device_id, exported, SEED_WORKER),
            )
            or 0
        )
        return newest - exported - seeded


# The worker name the reference-data defaults are written under (store/reference.py), and the
# tables they go into: their change-log rows are not counted as changes to export. A test
# checks that the defaults write nowhere else.
SEED_WORKER = "microcare defaults"
SEEDED_TABLES = (
    "areas", "service_types", "legal_forms", "evidence_types", "evidence_rules", "settings",
    "pipeline_stages",
)  # fmt: skip


BOOKKEEPING = frozenset(
    {"created_at", "updated_at", "created_by", "updated_by", "device_id", "row_version"}
)
LOG_COLUMNS = "origin, seq, at, worker, tbl, row_id, op, fields, hlc, bases"
LOG_INSERT = f"INSERT INTO _change_log ({LOG_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"


def _bases(clocks: dict[str, ClockKey], changed: dict[str, Any]) -> dict[str, str]:
    """The clock of the value each changed field replaces, and the row's newest ('*')."""
    if not clocks:
        return {}
    star = clocks.get("*")
    bases = {}
    for name in changed:
        base = clocks.get(name, star)
        if base is not None:
            bases[name] = base.text()
    bases["*"] = max(clocks.values()).text()
    return bases


# Derived tables: the full-text indexes, rebuilt from user rows and never synced.
# Text, compiled by re on the first write to one (a read-only process never needs it).
_DERIVED = r"(?i)^\s*(INSERT(\s+OR\s+\w+)?\s+INTO|DELETE\s+FROM|UPDATE)\s+\[?\w+_fts\]?(\s|\(|$)"


def _check_derived(sql: str) -> None:
    if not re.match(_DERIVED, sql):
        raise ValueError(f"not a write to a derived table: {sql.split()[:4]}")


def _to_sql(value: Any) -> Any:
    """Store lists and dicts as JSON, enums as their value, dates as ISO text."""
    if isinstance(value, list | dict | tuple):
        return json.dumps(
            [_plain(v) for v in value] if not isinstance(value, dict) else value, ensure_ascii=False
        )
    if isinstance(value, bool):
        return int(value)
    return _plain(value)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat(timespec="milliseconds")
        return value.isoformat()
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value
    return value


def describe_sqlite_error(exc: sqlite3.Error, path: Path) -> str:
    """A message for a person about a database error: what happened and what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The database {path} is busy: another microcare (or another program) is writing "
            "to it. Close the other one and try again."
        )
    if "readonly" in text or "read-only" in text:
        return f"The database {path} is read-only: check the file's permissions, or copy it."
    if "unable to open" in text:
        return f"Cannot open the database {path}: check the folder exists and you may write to it."
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a microcare database, or it is damaged. Run `microcare check`."
    if "disk" in text and "full" in text:
        return "The disk is full: nothing was saved. Free some space and try again."
    return f"Database error on {path}: {exc}"
