"""Conflicts to review, side by side, and their resolution (the sync core finds them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from microcare_tui.services.database import Database
from microcare_tui.services.sync import short_device
from microcare_tui.services.sync_folder import time_text
from microcare_tui.sync import conflicts as core
from microcare_tui.sync.duplicates import possible_duplicates

KEEP_THIS = core.KEEP_LOCAL
KEEP_THAT = core.KEEP_REMOTE


@dataclass(frozen=True)
class ConflictSide:
    """One of the clashing values: what, who, when, from which laptop."""

    value: str
    worker: str
    at: str
    device: str


@dataclass(frozen=True)
class ConflictView:
    """A conflict as the review screen and `microcare sync conflicts` show it."""

    id: str
    record: str
    field: str
    kind: str
    sides: list[ConflictSide]  # sides[0] is what every laptop shows meanwhile


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _record_name(db: Database, table: str, row_id: str) -> str:
    from microcare_tui.store import team as team_store

    name = team_store.record_name(db, table, row_id)
    label = table.rstrip("s").replace("_", " ")
    return f"{label} {name}" if name else f"{label} {short_device(row_id)}"


def open_conflicts(db: Database) -> list[ConflictView]:
    """The conflicts waiting for review."""
    out = []
    for c in core.conflicts(db):
        out.append(
            ConflictView(
                id=c.id,
                record=_record_name(db, c.table, c.row_id),
                field="deleted while edited" if c.kind == "delete" else c.field,
                kind=c.kind,
                sides=[
                    ConflictSide(
                        _value_text(s.value), s.worker, time_text(s.at), short_device(s.origin)
                    )
                    for s in c.sides
                ],
            )
        )
    return out


def resolve(db: Database, conflict_id: str, keep: Any) -> None:
    """Keep this (KEEP_THIS), keep that (KEEP_THAT), or a typed value: an ordinary edit that
    syncs and closes the conflict on every laptop."""
    core.resolve_conflict(db, conflict_id, keep)


def conflict_lines(db: Database) -> list[str]:
    """`microcare sync conflicts`: each conflict and its sides, one line each."""
    conflicts = open_conflicts(db)
    lines = []
    if not conflicts:
        lines.append("No conflicts to review.")
    else:
        lines.append(f"{len(conflicts)} conflict(s) to review (in the app: 8, then c):")
    for c in conflicts:
        lines.append(f"{c.record}, {c.field}:")
        for n, s in enumerate(c.sides):
            shown = " (shown now)" if n == 0 else ""
            lines.append(f"    {s.value!r} by {s.worker} at {s.at} on {s.device}{shown}")
    pairs = possible_duplicates(db)
    if pairs:
        lines.append(f"{len(pairs)} possible duplicate provider(s):")
        for p in pairs:
            why = "same phone" if p.reason == "phone" else "same name and postcode"
            lines.append(f"    {p.first_name} / {p.second_name} ({why})")
    return lines
