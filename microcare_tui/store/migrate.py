"""Schema migrations from schema/NNNN_name.sql, tracked by PRAGMA user_version."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from microcare_tui.domain.errors import DatabaseUnavailable, SchemaTooNew
from microcare_tui.domain.ids import new_id
from microcare_tui.store.db import Store, describe_sqlite_error, utc_now

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(schema_dir: Path = SCHEMA_DIR) -> list[tuple[int, Path]]:
    """The numbered migration files, in order; numbers must run 1, 2, 3 without gaps."""
    found = []
    for path in sorted(schema_dir.glob("*.sql")):
        m = _NAME.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(
                f"Migration {path.name} is out of sequence (expected {expected:04d})"
            )
    return found


def latest_version(schema_dir: Path = SCHEMA_DIR) -> int:
    """The schema version this microcare writes."""
    found = migrations(schema_dir)
    return found[-1][0] if found else 0


def schema_version(store: Store) -> int:
    """The version recorded in the database file."""
    return int(store.scalar("PRAGMA user_version") or 0)


def migrate(store: Store, schema_dir: Path = SCHEMA_DIR) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied.

    A database written by a newer microcare raises SchemaTooNew and is left untouched.
    """
    current = schema_version(store)
    available = migrations(schema_dir)
    newest = available[-1][0] if available else 0
    if current > newest:
        raise SchemaTooNew(
            f"{store.path} was written by a newer version of microcare (schema {current}; "
            f"this version knows up to {newest}). Update microcare to open it; nothing was changed."
        )
    applied = []
    for number, path in available:
        if number <= current:
            continue
        sql = path.read_text(encoding="utf-8")
        try:
            store.conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(sql):
                store.conn.execute(statement)
            store.conn.execute(f"PRAGMA user_version = {number}")
            if number == 1:
                store.conn.execute(
                    "INSERT INTO _device (id, created_at) VALUES (?, ?)", (new_id(), utc_now())
                )
            store.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
            raise DatabaseUnavailable(describe_sqlite_error(exc, store.path)) from exc
        applied.append(number)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about strings)."""
    statements = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
