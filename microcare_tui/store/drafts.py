"""Drafts of unsaved calls, in the device-local table `_draft` (schema/0002_drafts.sql).

A draft is not a record: no change log, no bookkeeping columns, never exported by sync. Each
write is its own small transaction. The call screen writes one every few seconds on the UI
thread, so a write waits at most DRAFT_BUSY_MS for a database another program is writing to
(then the caller tries again later), never the connection's 5 s busy timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from microcare_tui.store.db import Store

DRAFT_BUSY_MS = 200


@contextmanager
def _draft_write(store: Store) -> Iterator[None]:
    """One short write transaction on the draft table.

    Counted as a private write: no cache reads `_draft`, so keeping a draft must not make
    this connection rebuild its lookup caches.
    """
    usual = int(store.conn.execute("PRAGMA busy_timeout").fetchone()[0])
    store.conn.execute(f"PRAGMA busy_timeout = {min(usual, DRAFT_BUSY_MS)}")
    try:
        with store.private_writes(), store.transaction():
            yield
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {usual}")


def save(store: Store, draft_id: str, body: str, written_at: str, kind: str = "call") -> None:
    """Write (or overwrite) one draft. DatabaseUnavailable when the database refuses."""
    with _draft_write(store):
        store.conn.execute(
            "INSERT INTO _draft (id, kind, body, written_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET body = excluded.body, "
            "written_at = excluded.written_at",
            (draft_id, kind, body, written_at),
        )


def readable(store: Store, kind: str = "call") -> list[dict[str, Any]]:
    """The drafts not set aside, newest first: id, body, written_at."""
    return store.query(
        "SELECT id, body, written_at FROM _draft WHERE kind = ? AND set_aside = 0 "
        "ORDER BY written_at DESC, id DESC",
        (kind,),
    )


def has_body(store: Store, body: str) -> bool:
    """Is a draft with exactly this body kept already (set aside or not)?"""
    return store.scalar("SELECT 1 FROM _draft WHERE body = ? LIMIT 1", (body,)) is not None


def set_aside(store: Store, draft_id: str) -> None:
    """Keep a draft that could not be read, but never offer it again."""
    with _draft_write(store):
        store.conn.execute("UPDATE _draft SET set_aside = 1 WHERE id = ?", (draft_id,))


def count_set_aside(store: Store, kind: str = "call") -> int:
    """How many drafts are kept aside as unreadable."""
    return int(
        store.scalar("SELECT COUNT(*) FROM _draft WHERE kind = ? AND set_aside = 1", (kind,)) or 0
    )


def delete(store: Store, draft_id: str) -> None:
    """Forget one draft (the call was saved, or the worker chose to discard it)."""
    with _draft_write(store):
        store.conn.execute("DELETE FROM _draft WHERE id = ?", (draft_id,))
