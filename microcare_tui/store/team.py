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
# skips them without opening them (a laptop's own bundles and ones already imported). For a
# bundle made here, the ranges and the vector it carried: the folder does not write the same
# changes again while that file is still in the folder.
_SEEN_TABLE = """
CREATE TABLE IF NOT EXISTS _sync_seen_file (
    sha256 TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    outcome TEXT NOT NULL,          -- exported | imported
    name TEXT NOT NULL DEFAULT '',  -- the file name it was written or read under
    folder TEXT,                    -- the folder it was written to (exports)
    ranges TEXT NOT NULL DEFAULT '{}',
    vector TEXT NOT NULL DEFAULT '{}',
    seen_at TEXT NOT NULL
)
"""
# The colleagues' laptops this one has heard from (a bundle of theirs was imported): the
# name they gave and when; what each has is in the sync core's peer table.
_DEVICES_TABLE = """
CREATE TABLE IF NOT EXISTS _sync_device_seen (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    last_heard_at TEXT NOT NULL,
    last_bundle_at TEXT NOT NULL,   -- when that bundle was made (its manifest's time)
    bundles INTEGER NOT NULL DEFAULT 0
)
"""


def ensure_tables(store: Store) -> None:
    """Make this module's device-local tables if they are not there yet."""
    for ddl in (_TEAM_TABLE, _SEEN_TABLE, _DEVICES_TABLE):
        store.conn.execute(ddl)


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


def record_seen(
    store: Store,
    sha256: str,
    bundle_id: str,
    outcome: str,
    name: str = "",
    folder: str | None = None,
    ranges: dict[str, Any] | None = None,
    vector: dict[str, Any] | None = None,
) -> None:
    """Note a bundle file as made or applied here."""
    ensure_tables(store)
    store.conn.execute(
        "INSERT OR IGNORE INTO _sync_seen_file "
        "(sha256, bundle_id, outcome, name, folder, ranges, vector, seen_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (
            sha256,
            bundle_id,
            outcome,
            name,
            folder,
            json.dumps(ranges or {}, sort_keys=True),
            json.dumps(vector or {}, sort_keys=True),
            utc_now(),
        ),
    )


def exported_to(store: Store, folder: str) -> list[dict[str, Any]]:
    """The bundles this laptop wrote into `folder`, oldest first (name, ranges, vector)."""
    if not _has_table(store, "_sync_seen_file"):
        return []
    rows = store.query(
        "SELECT name, ranges, vector, seen_at FROM _sync_seen_file "
        "WHERE outcome = 'exported' AND folder = ? ORDER BY seen_at",
        (folder,),
    )
    return [
        {**r, "ranges": json.loads(r["ranges"]), "vector": json.loads(r["vector"])} for r in rows
    ]


def heard_from(store: Store, device_id: str, name: str, bundle_at: str) -> None:
    """Note a bundle from a colleague's laptop (inside the import's transaction)."""
    ensure_tables(store)
    store.conn.execute(
        "INSERT INTO _sync_device_seen (device_id, name, last_heard_at, last_bundle_at, bundles) "
        "VALUES (?,?,?,?,1) ON CONFLICT(device_id) DO UPDATE SET name = excluded.name, "
        "last_heard_at = excluded.last_heard_at, "
        "last_bundle_at = MAX(last_bundle_at, excluded.last_bundle_at), bundles = bundles + 1",
        (device_id, name, utc_now(), bundle_at),
    )


def devices_seen(store: Store) -> list[dict[str, Any]]:
    """The colleagues' laptops heard from, most recent first."""
    if not _has_table(store, "_sync_device_seen"):
        return []
    return store.query("SELECT * FROM _sync_device_seen ORDER BY last_heard_at DESC")


def table_rows(store: Store) -> dict[str, int]:
    """How many rows each table the change log writes to holds (a snapshot's summary)."""
    names = [r[0] for r in store.conn.execute("SELECT DISTINCT tbl FROM _change_log")]
    present = {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    return {
        name: int(store.scalar(f"SELECT COUNT(*) FROM [{name}]") or 0)
        for name in sorted(names)
        if name in present and "]" not in name
    }


def record_import(
    store: Store, bundle_id: str, sha256: str, sender: str, counts: dict[str, Any]
) -> None:
    """Note a bundle as imported (inside the import's transaction)."""
    store.conn.execute(
        "INSERT OR REPLACE INTO _sync_import (bundle_id, sha256, sender, imported_at, counts) "
        "VALUES (?,?,?,?,?)",
        (bundle_id, sha256, sender, utc_now(), json.dumps(counts, sort_keys=True)),
    )


def import_history(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest imports, newest first."""
    return store.query(
        "SELECT bundle_id, sender, imported_at, counts FROM _sync_import "
        "ORDER BY imported_at DESC LIMIT ?",
        (limit,),
    )


def record_name(store: Store, table: str, row_id: str) -> str | None:
    """A record's name, for showing a conflict (providers and enquiries have one)."""
    column = {"providers": "name", "enquiries": "caller_name"}.get(table)
    if column is None:
        return None
    value = store.scalar(f"SELECT [{column}] FROM [{table}] WHERE id = ?", (row_id,))
    return None if value is None else str(value)
