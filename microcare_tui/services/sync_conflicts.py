"""Conflicts to review, shown side by side (the sync core finds and resolves them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcare_tui.services.database import Database
from microcare_tui.services.sync import short_device


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
    sides: list[ConflictSide]


def open_conflicts(db: Database) -> list[ConflictView]:
    """The conflicts waiting for review, oldest first."""
    from microcare_tui.sync import changes as core

    lister: Any = getattr(core, "open_conflicts", None)
    if lister is None:
        return []
    return [_view(c) for c in lister(db)]


def _view(raw: Any) -> ConflictView:
    sides = [
        ConflictSide(
            value=str(getattr(s, "value", "")),
            worker=str(getattr(s, "worker", "")),
            at=str(getattr(s, "at", "")),
            device=short_device(str(getattr(s, "origin", ""))),
        )
        for s in getattr(raw, "sides", [])
    ]
    return ConflictView(
        id=str(raw.id),
        record=f"{getattr(raw, 'tbl', '')} {str(getattr(raw, 'row_id', ''))[:8]}",
        field=str(getattr(raw, "field", "")),
        sides=sides,
    )


def conflict_lines(db: Database) -> list[str]:
    """`microcare sync conflicts`: each conflict and its sides, one line each."""
    conflicts = open_conflicts(db)
    if not conflicts:
        return ["No conflicts to review."]
    out = [f"{len(conflicts)} conflict(s) to review (8 then c in the app to resolve):"]
    for c in conflicts:
        out.append(f"{c.id[:8]} {c.record}, {c.field}:")
        for s in c.sides:
            out.append(f"    {s.value!r} by {s.worker} at {s.at} on {s.device}")
    return out
