"""This laptop's team membership and its bundle bookkeeping (device-local, never synced).

`_team` holds the team id, name and the team's age key pair. The secret key is key
material: it lives only here, in a table no change is logged for, so no bundle or snapshot
ever carries it. The table is made on first join (CREATE TABLE IF NOT EXISTS) rather than
by a numbered migration: it belongs to this laptop alone, a database that never joins a
team has no use for it, and it keeps clear of the migration numbers other work uses.

`_sync_import` (schema 0001) records every bundle applied here, by bundle id and the file's
SHA-256, so a bundle is never applied twice and the team folder skips files it has read.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from microcare_tui.store.db import Store, utc_now

_TEAM_TABLE = """
CREATE TABLE IF NOT EXISTS _team (
    id TEXT PRIMARY KEY,            -- the team id (one row)
    name TEXT NOT NULL,
    recipient TEXT NOT NULL,        -- the team's age X25519 public key (age1...)
    secret_key TEXT NOT NULL,       -- its secret key (AGE-SECRET-KEY-1...): never exported
    joined_at TEXT NOT NULL,
    folder TEXT                     -- the team folder this laptop syncs with, if set
)
"""
# Bundle files this laptop has made or applied, by the file's SHA-256: the team folder
# skips them without opening them (a laptop's own bundles and ones already imported).
_SEEN_TABLE = """
CREATE TABLE IF NOT EXISTS _sync_seen_file (
    sha256 TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    outcome TEXT NOT NULL,          -- exported | imported
    seen_at TEXT NOT NULL
)
"""


def ensure_tables(store: Store) -> None:
    """Make this module's device-local tables if they are not there yet."""
    store.conn.execute(_TEAM_TABLE)
    store.conn.execute(_SEEN_TABLE)


@dataclass(frozen=True)
class TeamRow:
    """This laptop's team."""

    id: str
    name: str
    recipient: str
    secret_key: str
    joined_at: str
    folder: str | None


def _has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)))


def get_team(store: Store) -> TeamRow | None:
    """The team this laptop has joined, or None."""
    if not _has_table(store, "_team"):
        return None
    rows = store.query("SELECT * FROM _team LIMIT 1")
    return TeamRow(**rows[0]) if rows else None


def set_team(store: Store, team_id: str, name: str, recipient: str, secret_key: str) -> None:
    """Record the team (inside the caller's transaction); one team per laptop."""
    ensure_tables(store)
    store.conn.execute("DELETE FROM _team")
    store.conn.execute(
        "INSERT INTO _team (id, name, recipient, secret_key, joined_at) VALUES (?,?,?,?,?)",
        (team_id, name, recipient, secret_key, utc_now()),
    )


def set_folder(store: Store, folder: str | None) -> None:
    """Remember (or forget, with None) the team folder."""
    store.conn.execute("UPDATE _team SET folder = ?", (folder,))


def imported_sha(store: Store, bundle_id: str) -> str | None:
    """The file SHA-256 of the bundle `bundle_id` if it was imported here."""
    value = store.scalar("SELECT sha256 FROM _sync_import WHERE bundle_id = ?", (bundle_id,))
    return None if value is None else str(value)


def seen_files(store: Store) -> set[str]:
    """The SHA-256 of every bundle file imported or exported here (the folder skips them)."""
    if not _has_table(store, "_sync_seen_file"):
        return set()
    rows = store.conn.execute("SELECT sha256 FROM _sync_seen_file").fetchall()
    return {str(r[0]) for r in rows}


def record_seen(store: Store, sha256: str, bundle_id: str, outcome: str) -> None:
    """Note a bundle file as made or applied here."""
    ensure_tables(store)
    store.conn.execute(
        "INSERT OR IGNORE INTO _sync_seen_file (sha256, bundle_id, outcome, seen_at) "
        "VALUES (?,?,?,?)",
        (sha256, bundle_id, outcome, utc_now()),
    )


def record_import(
    store: Store, bundle_id: str, sha256: str, sender: str, counts: dict[str, Any]
) -> None:
    """Note a bundle as imported (inside the import's transaction)."""
    store.conn.execute(
        "INSERT OR REPLACE INTO _sync_import (bundle_id, sha256, sender, imported_at, counts) "
        "VALUES (?,?,?,?,?)",
        (bundle_id, sha256, sender, utc_now(), json.dumps(counts, sort_keys=True)),
    )


def record_export(store: Store, bundle_id: str, target: str, up_to_seq: int) -> None:
    """Note a bundle as exported (for the record only: it never counts as delivered)."""
    try:
        store.conn.execute(
            "INSERT INTO _sync_export (bundle_id, created_at, up_to_seq, target) VALUES (?,?,?,?)",
            (bundle_id, utc_now(), up_to_seq, target),
        )
    except sqlite3.IntegrityError:
        pass  # the same bundle id twice cannot happen (UUIDv7); a record is not worth failing


def import_history(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest imports, newest first."""
    return store.query(
        "SELECT bundle_id, sender, imported_at, counts FROM _sync_import "
        "ORDER BY imported_at DESC LIMIT ?",
        (limit,),
    )
