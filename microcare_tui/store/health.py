"""Is this file a microcare database, and is it whole? What `microcare check`, `search` and
the app's opening read before they trust a file.

Two parts: the file itself (looked at with `os.stat` and its first 100 bytes, so a pipe, a
folder or a cut-off copy is named before SQLite touches it), and counts over the tables
(search indexes, change log, references) from which the service decides what is a problem.
The counts are built to stay fast at county scale: B-tree counts and index seeks first, a
row-by-row probe only for a table whose counts already disagree.
"""

# No `from __future__ import annotations` here: with it, typing.NamedTuple turns each field's
# annotation text into a ForwardRef, which compile()s it, and a process's first compile() costs
# ~10 M instructions (~5 ms): a seventh of `microcare search`'s work beyond `--version`.

import os
import sqlite3
import stat
from pathlib import Path
from typing import NamedTuple

from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.store.db import Store, describe_sqlite_error

SQLITE_MAGIC = b"SQLite format 3\x00"

# Every table whose rows are written by Store.write_row / insert_many, and so logged.
# (store.records.TABLES names the same set through the models; a test keeps them equal.
# Listed here so `check` and `search` do not import the models.)
LOGGED_TABLES = (
    "settings",
    "areas",
    "service_types",
    "legal_forms",
    "evidence_types",
    "providers",
    "stage_moves",
    "enquiries",
    "signposts",
    "unmet_needs",
    "visits",
    "training_courses",
    "training_sessions",
    "training_attendance",
    "evidence_items",
    "provider_people",
    "qa_checks",
    "grants",
    "provider_returns",
)

# The references the store keeps (soft: SQLite does not enforce them, so a row may come by
# sync before its parent): (table, column, the table whose id it names).
REFERENCES = (
    ("providers", "area_id", "areas"),
    ("providers", "enquiry_id", "enquiries"),
    ("stage_moves", "provider_id", "providers"),
    ("enquiries", "area_id", "areas"),
    ("enquiries", "contact_enquiry_id", "enquiries"),
    ("enquiries", "provider_id", "providers"),
    ("signposts", "enquiry_id", "enquiries"),
    ("signposts", "provider_id", "providers"),
    ("unmet_needs", "enquiry_id", "enquiries"),
    ("unmet_needs", "area_id", "areas"),
    ("visits", "provider_id", "providers"),
    ("training_sessions", "course_id", "training_courses"),
    ("training_attendance", "session_id", "training_sessions"),
    ("training_attendance", "provider_id", "providers"),
    ("evidence_items", "provider_id", "providers"),
    ("evidence_items", "person_id", "provider_people"),
    ("provider_people", "provider_id", "providers"),
    ("qa_checks", "provider_id", "providers"),
    ("grants", "provider_id", "providers"),
    ("provider_returns", "provider_id", "providers"),
)


# -- the file --------------------------------------------------------------------------


class FileFacts(NamedTuple):
    """What a database file's header says."""

    size: int
    wal: bool  # the header says write-ahead logging
    user_version: int  # the schema version in the file's header (see `stale_version`)

    @property
    def stale_version(self) -> bool:
        """In WAL mode the newest header may still be in the log: ask SQLite instead."""
        return self.wal


def inspect_file(path: Path) -> FileFacts:
    """The file at `path` as a database, or DatabaseUnavailable saying what it is instead.

    Never opens anything but a regular file (a FIFO would block the open), and never writes.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatabaseUnavailable(
            f"There is no database at {path}. Run `microcare init` to create one."
        ) from None
    except NotADirectoryError:
        raise DatabaseUnavailable(
            f"There is no database at {path}: part of that path is a file, not a folder."
        ) from None
    except OSError as exc:
        raise DatabaseUnavailable(f"Cannot read {path}: {exc.strerror}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseUnavailable(f"{path} is a folder, not a database file.")
    if not stat.S_ISREG(st.st_mode):
        raise DatabaseUnavailable(
            f"{path} is not a regular file (a pipe, socket or device): not a microcare database."
        )
    if st.st_size == 0:
        raise DatabaseUnavailable(f"{path} is empty (0 bytes): it is not a microcare database.")
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise DatabaseUnavailable(f"Cannot read {path}: {exc.strerror}.") from None
    if not header.startswith(SQLITE_MAGIC[: len(header)]) or len(header) < len(SQLITE_MAGIC):
        raise DatabaseUnavailable(f"{path} is not a microcare database (it is not an SQLite file).")
    if len(header) < 100:
        raise _truncated(path, st.st_size, 100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid only when "version-valid-for" matches the change counter; and
    # with a write-ahead log beside it the file may lag its header until a checkpoint.
    valid = pages and header[24:28] == header[92:96] and not _has_log(path)
    if valid and st.st_size < pages * page_size:
        raise _truncated(path, st.st_size, pages * page_size)
    return FileFacts(
        size=st.st_size,
        wal=header[18] == 2 or header[19] == 2,
        user_version=int.from_bytes(header[60:64], "big"),
    )


def _has_log(path: Path) -> bool:
    try:
        return os.stat(f"{path}-wal").st_size > 0
    except OSError:
        return False


def _truncated(path: Path, size: int, expected: int) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"{path} is damaged: it is cut short ({size:,} of {expected:,} bytes), as after an "
        "interrupted copy or a full disk. Restore it from a backup."
    )


def open_readonly(path: Path, glance: bool = False) -> Store:
    """A read-only connection to the database at `path`, after `inspect_file`; it never
    creates, migrates or writes the database. A WAL database SQLite cannot open read-only (a
    read-only folder: no room for its -shm file) is read as immutable when it has no unsaved
    log.

    SQLite gives every reader of a WAL database its -wal and -shm files, and a read-only
    reader cannot remove them after. `glance` (a quick count, such as "is the demo made?")
    reads a database nobody has open (no -wal file) as immutable instead, leaving nothing
    behind; a long read (`check`) must not, as it would not see another program's writes.
    """
    inspect_file(path)
    store = Store(path, readonly=True, immutable=glance and not os.path.exists(f"{path}-wal"))
    error = _first_read(store)
    if error is not None and _errorname(error) == "SQLITE_CANTOPEN" and not _has_log(path):
        store.close()
        store = Store(path, readonly=True, immutable=True)
        error = _first_read(store)
    if error is not None:
        store.close()
        raise _unavailable(error, store.path)
    return store


def probe(store: Store) -> None:
    """Read the schema once: DatabaseUnavailable with a message for what stops it (busy,
    not a database, damaged, cannot open)."""
    error = _first_read(store)
    if error is not None:
        raise _unavailable(error, store.path)


def _first_read(store: Store) -> sqlite3.Error | None:
    try:
        store.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        return exc
    return None


def _errorname(exc: sqlite3.Error) -> str:
    # Extended codes (SQLITE_CANTOPEN_ISDIR, SQLITE_BUSY_RECOVERY) fold into their family.
    name = str(getattr(exc, "sqlite_errorname", ""))
    return "_".join(name.split("_")[:2])


def _unavailable(exc: sqlite3.Error, path: Path) -> DatabaseUnavailable:
    name = _errorname(exc)
    if name == "SQLITE_NOTADB":
        return DatabaseUnavailable(
            f"{path} is not a microcare database (it is not an SQLite file)."
        )
    if name == "SQLITE_CORRUPT":
        return DatabaseUnavailable(
            f"{path} is damaged (SQLite cannot read its schema). Restore it from a backup."
        )
    if name == "SQLITE_CANTOPEN":
        return DatabaseUnavailable(
            f"Cannot open {path} read-only: its folder is read-only and its write-ahead log "
            "holds changes not yet folded in. Copy the folder somewhere writable."
        )
    return DatabaseUnavailable(describe_sqlite_error(exc, path))


# -- SQLite's own checks and the tables ---------------------------------------------------


def integrity(store: Store) -> str:
    """SQLite's integrity_check: 'ok', or the first problem found. It reads every page and
    record and matches every index to its table (O(pages): ~1.5-2.5 s of CPU on the county
    demo), so `microcare check` runs it only with --full."""
    return str(store.scalar("PRAGMA integrity_check(1)"))


def table_names(store: Store) -> set[str]:
    """The tables in the file."""
    rows = store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(r["name"]) for r in rows}


def row_count(store: Store, table: str) -> int:
    """Every row of `table` (a B-tree count: no row is read)."""
    return int(store.scalar(f"SELECT COUNT(*) FROM [{table}]") or 0)


def broken_references(store: Store) -> dict[tuple[str, str, str], int]:
    """For each reference the store keeps, the rows naming an id that is not there.

    A reference into a table with many fewer rows than the referring one (a provider's
    visits, signposts, training), on an indexed column, is checked once per distinct id: an
    index scan grouped by id, then a seek per id; on a column with no index, against a small
    index of the few ids made once. Otherwise a seek per referring row. The references
    checked row by row are counted in one pass over each table (the enquiries' three were
    three scans of its 100,000 wide rows). The county demo: 0.50 s -> 0.33 s -> 0.2 s of CPU."""
    counts: dict[str, int] = {}
    found: dict[tuple[str, str, str], int] = {}
    by_row: dict[str, list[tuple[str, str, str]]] = {}
    for reference in REFERENCES:
        way, text = _reference_way(store, *reference, counts)
        if way == "group":
            if n := int(store.scalar(text) or 0):
                found[reference] = n
        else:
            by_row.setdefault(reference[0], []).append(reference)
    for table, references in by_row.items():
        sums = ", ".join(
            f"COALESCE(SUM({_reference_way(store, *r, counts)[1]}), 0)" for r in references
        )
        row = store.conn.execute(f"SELECT {sums} FROM [{table}] c").fetchone()
        found |= {r: int(n) for r, n in zip(references, row, strict=True) if n}
    return {r: found[r] for r in REFERENCES if r in found}  # in the order they are listed


def reference_check_sql(
    store: Store, table: str, column: str, parent: str, counts: dict[str, int]
) -> str:
    """SQL counting `table`'s rows whose `column` names no row of `parent` (`counts`: row
    counts already known, filled as they are counted)."""
    way, text = _reference_way(store, table, column, parent, counts)
    return text if way == "group" else f"SELECT COALESCE(SUM({text}), 0) FROM [{table}] c"


def _reference_way(
    store: Store, table: str, column: str, parent: str, counts: dict[str, int]
) -> tuple[str, str]:
    """("group", a whole SELECT) or ("row", an expression over the row `c`: 1 when broken)."""
    for name in (table, parent):
        if name not in counts:
            counts[name] = row_count(store, name)
    few = counts[parent] * 4 < counts[table]
    if few and _leads_an_index(store, table, column):
        return "group", (
            f"SELECT COALESCE(SUM(g.n), 0) FROM (SELECT c.[{column}] AS v, COUNT(*) AS n"
            f" FROM [{table}] c WHERE c.[{column}] IS NOT NULL GROUP BY c.[{column}]) g"
            f" WHERE NOT EXISTS (SELECT 1 FROM [{parent}] p WHERE p.id = g.v)"
        )
    # CASE: the lookup is made only for a row that names an id.
    if few:  # the few ids are put in a small index once (ids are never NULL)
        return "row", (
            f"CASE WHEN c.[{column}] IS NOT NULL"
            f" AND c.[{column}] NOT IN (SELECT id FROM [{parent}]) THEN 1 ELSE 0 END"
        )
    return "row", (
        f"CASE WHEN c.[{column}] IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM [{parent}] p WHERE p.id = c.[{column}]) THEN 1 ELSE 0 END"
    )


def _leads_an_index(store: Store, table: str, column: str) -> bool:
    """Is `column` the first column of an index on `table` (so grouping by it scans that
    index, in order, instead of sorting the table)?"""
    for index in store.query(f"PRAGMA index_list([{table}])"):
        first = store.query(f"PRAGMA index_info([{index['name']}])")
        if first and first[0]["name"] == column:
            return True
    return False


# -- the search indexes -------------------------------------------------------------------


class IndexState(NamedTuple):
    """A table's live rows against its full-text index rows."""

    live: int
    indexed: int  # index rows of any kind
    missing: int  # live rows with no index row
    ghost: int  # index rows for no row, or for a withdrawn (deleted) one
    stale: int  # index rows whose id or text no longer matches their row


# The index each table has, and SQL (over the row `t` and the FTS5 content row `f`, whose
# columns are c0, c1, ... in declaration order) that is true when the index row is stale.
_INDEXES = {
    "providers": ("provider_fts", "f.c0 IS NOT t.id OR f.c1 IS NOT t.name"),
    "enquiries": (
        "enquiry_fts",
        "f.c0 IS NOT t.id OR f.c2 IS NOT COALESCE(t.summary, '')"
        # the caller words: name, phone and postcode, each if given, joined by spaces
        " OR f.c1 IS NOT substr(COALESCE(' ' || NULLIF(t.caller_name, ''), '')"
        " || COALESCE(' ' || NULLIF(t.caller_phone, ''), '')"
        " || COALESCE(' ' || NULLIF(t.postcode, ''), ''), 2)",
    ),
}


def index_state(store: Store, table: str) -> IndexState:
    """One pass over `table` joined to its index's content rows by rowid (~0.1 s for the
    county demo's 100,000 enquiries)."""
    fts, stale_sql = _INDEXES[table]
    row = store.query(
        f"""SELECT COALESCE(SUM(t.deleted_at IS NULL), 0) AS live,
                   COALESCE(SUM(t.deleted_at IS NULL AND f.id IS NULL), 0) AS missing,
                   COALESCE(SUM(t.deleted_at IS NULL AND f.id IS NOT NULL), 0) AS matched,
                   COALESCE(SUM(t.deleted_at IS NULL AND f.id IS NOT NULL
                                AND ({stale_sql})), 0) AS stale
            FROM [{table}] t LEFT JOIN [{fts}_content] f ON f.id = t.rowid"""
    )[0]
    indexed = row_count(store, f"{fts}_content")
    return IndexState(
        live=int(row["live"]),
        indexed=indexed,
        missing=int(row["missing"]),
        ghost=indexed - int(row["matched"]),
        stale=int(row["stale"]),
    )


# -- the change log -----------------------------------------------------------------------


def change_log_gaps(store: Store) -> dict[str, int]:
    """Sequence numbers missing from each device's run 1, 2, 3 ... (only devices with gaps).

    Fast path: the log's B-tree count against the sum of each device's highest number
    (index seeks; the primary key (origin, seq) makes numbers unique, so equal sums mean no
    gap anywhere). Only when they differ is each device counted.
    """
    origins = [
        str(r["x"])
        for r in store.query(
            """WITH RECURSIVE o(x) AS (
                 SELECT MIN(origin) FROM _change_log
                 UNION ALL
                 SELECT (SELECT MIN(origin) FROM _change_log WHERE origin > o.x) FROM o
                 WHERE o.x IS NOT NULL)
               SELECT x FROM o WHERE x IS NOT NULL"""
        )
    ]
    highest = {
        o: int(store.scalar("SELECT MAX(seq) FROM _change_log WHERE origin = ?", (o,)) or 0)
        for o in origins
    }
    lowest = {
        o: int(store.scalar("SELECT MIN(seq) FROM _change_log WHERE origin = ?", (o,)) or 0)
        for o in origins
    }
    if row_count(store, "_change_log") == sum(highest.values()) and all(
        v == 1 for v in lowest.values()
    ):
        return {}
    # Other laptops' changes may have gaps (a lost bundle): sync records them and reports
    # them at import. Only this file's own origins (now and before a copy) must run unbroken.
    own = {
        str(r["id"])
        for r in store.query("SELECT id FROM _device UNION SELECT id FROM _device_retired")
    }
    gaps = {}
    for o in (o for o in origins if o in own):
        have = int(store.scalar("SELECT COUNT(*) FROM _change_log WHERE origin = ?", (o,)) or 0)
        if have != highest[o]:
            gaps[o] = highest[o] - have
    return gaps


def logged_ids(store: Store) -> dict[str, int]:
    """For each table, how many distinct rows the change log names (one index scan)."""
    rows = store.query("SELECT tbl, COUNT(DISTINCT row_id) AS n FROM _change_log GROUP BY tbl")
    return {str(r["tbl"]): int(r["n"]) for r in rows}


def unlogged_rows(store: Store, table: str) -> int:
    """Rows of `table` the change log has never seen (a probe per row: the slow path)."""
    return int(
        store.scalar(
            f"SELECT COUNT(*) FROM [{table}] t WHERE NOT EXISTS"
            " (SELECT 1 FROM _change_log c WHERE c.tbl = ? AND c.row_id = t.id)",
            (table,),
        )
        or 0
    )


def log_rows_without_row(store: Store, table: str) -> int:
    """Distinct ids the change log names for `table` that are not in it (hard deletes)."""
    return int(
        store.scalar(
            f"SELECT COUNT(DISTINCT c.row_id) FROM _change_log c WHERE c.tbl = ?"
            f" AND NOT EXISTS (SELECT 1 FROM [{table}] t WHERE t.id = c.row_id)"
            # Records waiting for their first change (sync keeps their fields), and this
            # laptop's own settings (moved out of the settings table by schema 0007).
            " AND NOT EXISTS (SELECT 1 FROM _sync_orphan o WHERE o.tbl = c.tbl"
            " AND o.row_id = c.row_id)"
            " AND NOT (c.tbl = 'settings' AND c.row_id IN ('worker_name', 'is_demo'))",
            (table,),
        )
        or 0
    )


def device_count(store: Store) -> int:
    """Rows in _device (exactly one in a healthy database)."""
    return row_count(store, "_device")
