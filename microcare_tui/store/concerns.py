"""Concerns, complaints and compliments: saved, closed, listed and counted.

Restricted notes are read by `restricted_notes` alone: the list and count queries never
select them, so no screen, report or export can show them by accident.
"""

from __future__ import annotations

from typing import Any

from microcare_tui.store.db import Store

# Every column but the restricted notes: what lists and reports may read.
_PUBLIC_COLUMNS = """id, provider_id, kind, raised_on, raised_by, severity, summary,
    referred_on, status, outcome, closed_on, created_by,
    restricted_notes IS NOT NULL AND restricted_notes != '' AS has_restricted_notes"""


def save_concern(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    """Insert or update one concern in one transaction."""
    with store.transaction():
        return store.write_row("concerns", row)


def get_concern(store: Store, concern_id: str) -> dict[str, Any] | None:
    """One live concern, without its restricted notes."""
    rows = store.query(
        f"SELECT {_PUBLIC_COLUMNS} FROM concerns WHERE id = ? AND deleted_at IS NULL",
        (concern_id,),
    )
    return rows[0] if rows else None


def concerns_for(store: Store, provider_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """A provider's concerns, complaints and compliments: open ones first, then the newest
    (without restricted notes)."""
    return store.query(
        f"""SELECT {_PUBLIC_COLUMNS}, COUNT(*) OVER () AS total FROM concerns
            WHERE provider_id = ? AND deleted_at IS NULL
            ORDER BY status != 'open', raised_on DESC, rowid DESC LIMIT ?""",
        (provider_id, limit),
    )


def kind_counts(store: Store, provider_id: str) -> list[dict[str, Any]]:
    """Per kind, status and outcome, how many (the track record's figures)."""
    return store.query(
        """SELECT kind, status, outcome, COUNT(*) AS n FROM concerns
           WHERE provider_id = ? AND deleted_at IS NULL GROUP BY kind, status, outcome""",
        (provider_id,),
    )


def restricted_notes(store: Store, concern_id: str) -> str | None:
    """A concern's restricted notes: read only when a worker asks to see them."""
    value = store.scalar(
        "SELECT restricted_notes FROM concerns WHERE id = ? AND deleted_at IS NULL",
        (concern_id,),
    )
    return None if value is None else str(value)


def open_safeguarding_count(store: Store, provider_id: str | None = None) -> int:
    """How many safeguarding concerns are open (for one provider, or across the register)."""
    sql = """SELECT COUNT(*) FROM concerns WHERE kind = 'safeguarding' AND status = 'open'
             AND deleted_at IS NULL"""
    if provider_id is None:
        return int(store.scalar(sql) or 0)
    return int(store.scalar(sql + " AND provider_id = ?", (provider_id,)) or 0)
