"""What `microcare check` reads: SQLite's own checks, the tables, and whether the search
indexes and the change log cover every row. The service decides what counts as a problem."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.store.db import Store


def assert_sqlite(store: Store) -> None:
    """Raise DatabaseUnavailable unless the file is an SQLite database."""
    try:
        store.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        raise DatabaseUnavailable(
            f"{store.path} is not a microcare database (it is not an SQLite file)."
        ) from None


def integrity(store: Store) -> str:
    """SQLite's integrity check: 'ok', or the first problem it found."""
    return str(store.scalar("PRAGMA integrity_check"))


def expected_tables() -> set[str]:
    """Every table a current microcare database has."""
    from microcare_tui.store.records import TABLES

    return {*TABLES.values(), "_change_log", "_device", "provider_fts", "enquiry_fts"}


def table_names(store: Store) -> set[str]:
    """The tables in the file."""
    return set(store.db.table_names())


def broken_references(store: Store) -> int:
    """Rows whose declared foreign keys point nowhere."""
    return len(store.query("PRAGMA foreign_key_check"))


@dataclass
class Coverage:
    """Live rows, their search-index rows, and rows the change log has never seen."""

    providers: int
    providers_indexed: int
    enquiries: int
    enquiries_indexed: int
    changes: int
    providers_unlogged: int
    devices: int


def coverage(store: Store) -> Coverage:
    """Counts that say whether the search indexes and the change log are in step."""

    def count(sql: str) -> int:
        return int(store.scalar(sql) or 0)

    return Coverage(
        providers=count("SELECT COUNT(*) FROM providers WHERE deleted_at IS NULL"),
        providers_indexed=count(
            "SELECT COUNT(*) FROM provider_fts f JOIN providers p ON p.rowid = f.rowid"
            " WHERE p.deleted_at IS NULL"
        ),
        enquiries=count("SELECT COUNT(*) FROM enquiries WHERE deleted_at IS NULL"),
        enquiries_indexed=count(
            "SELECT COUNT(*) FROM enquiry_fts f JOIN enquiries e ON e.rowid = f.rowid"
            " WHERE e.deleted_at IS NULL"
        ),
        changes=count("SELECT COUNT(*) FROM _change_log"),
        providers_unlogged=count(
            """SELECT COUNT(*) FROM providers p WHERE NOT EXISTS
               (SELECT 1 FROM _change_log c WHERE c.tbl = 'providers' AND c.row_id = p.id)"""
        ),
        devices=count("SELECT COUNT(*) FROM _device"),
    )
