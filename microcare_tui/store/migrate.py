"""Schema migrations from schema/NNNN_name.sql, tracked by PRAGMA user_version."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from microcare_tui.domain.errors import DatabaseUnavailable, MicrocareError, SchemaTooNew
from microcare_tui.domain.ids import new_id
from microcare_tui.store.db import Store, describe_sqlite_error, utc_now

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_REINSTALL = "This microcare installation has no schema files: reinstall it (pip install -e .)"


def schema_folder() -> Traversable:
    """The migrations this microcare ships, read as package data (importlib.resources).

    The repository keeps them in the top-level schema/ folder; pyproject.toml installs that
    folder as the package microcare_tui.schema, so an editable install reads the source tree
    and an installed wheel its own copy, through the same call. A package in a plain folder
    (both of those) is read as a Path: importlib.resources costs `microcare search` ~10 ms of
    imports.
    """
    try:
        import microcare_tui.schema as package

        origin = package.__spec__.origin
        if origin and os.path.isfile(origin):
            return Path(origin).parent
        from importlib.resources import files

        return files("microcare_tui.schema")
    except ModuleNotFoundError:
        # An editable install made before schema/ was packaged: its import map lacks it.
        raise MicrocareError(_REINSTALL) from None


def migrations(schema_dir: Traversable | None = None) -> list[tuple[int, Traversable]]:
    """The numbered migration files, in order; numbers must run 1, 2, 3 without gaps."""
    found = []
    for entry in sorted((schema_dir or schema_folder()).iterdir(), key=lambda e: e.name):
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry))
    if not found:
        raise MicrocareError(_REINSTALL)
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(
                f"Migration {path.name} is out of sequence (expected {expected:04d})"
            )
    return found


def latest_version(schema_dir: Traversable | None = None) -> int:
    """The schema version this microcare writes."""
    found = migrations(schema_dir)
    return found[-1][0]


def schema_version(store: Store) -> int:
    """The version recorded in the database file."""
    return int(store.scalar("PRAGMA user_version") or 0)


def migrate(store: Store, schema_dir: Traversable | None = None) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied.

    A database written by a newer microcare raises SchemaTooNew and is left untouched.
    """
    current = schema_version(store)
    available = migrations(schema_dir)
    newest = available[-1][0]
    refuse_newer(store.path, current, newest)
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


def refuse_newer(path: Path, version: int, newest: int | None = None) -> None:
    """SchemaTooNew for a file a newer microcare wrote (raised before anything changes)."""
    newest = latest_version() if newest is None else newest
    if version > newest:
        raise SchemaTooNew(
            f"{path} was written by a newer version of microcare (schema {version}; "
            f"this version knows up to {newest}). Update microcare to open it; nothing was changed."
        )


# Text, compiled by re when first used: most processes never read the tables this way.
_CREATE = r"(?i)^CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\[?(\w+)"
_DROP = r"(?i)^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?\[?(\w+)"


def schema_tables(schema_dir: Traversable | None = None) -> set[str]:
    """The tables a database at the latest version has, read from the migrations (so a new
    migration's tables are expected without a list to keep in step)."""
    tables: set[str] = set()
    for _, entry in migrations(schema_dir):
        for text in _statements(entry.read_text(encoding="utf-8")):
            if "TABLE" not in text.upper():  # most are indexes, triggers and inserts
                continue
            statement = "\n".join(
                line for line in text.splitlines() if not line.strip().startswith("--")
            ).strip()
            if m := re.match(_CREATE, statement):
                tables.add(m.group(1))
            elif m := re.match(_DROP, statement):
                tables.discard(m.group(1))
    return tables


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about strings)."""
    statements = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        # Only a line with a semicolon can end a statement: asking SQLite on every line of a
        # long statement cost `microcare search` ~1 ms over the eight migrations.
        if ";" in line and sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
