"""The conflict queue: concurrent edits to review, and their resolution.

A conflict never blocks anything: the winner (last writer) is already in place on every
laptop. Resolving one is an ordinary edit of the field (logged, exported, merged like any
other), marked as settling the conflict, so every laptop closes it when the edit arrives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.store import sync_log
from microcare_tui.store.db import Store

KEEP_LOCAL = "local"  # keep the value this laptop shows now (the automatic winner)
KEEP_REMOTE = "remote"  # take the other side's value


@dataclass(frozen=True)
class Side:
    """One of the concurrent values: who wrote it, when, on which device."""

    value: Any
    worker: str
    origin: str
    at: str  # UTC ISO 8601, from the change's clock
    key: str


@dataclass(frozen=True)
class Conflict:
    """A conflict for review: a record's field (or its deletion) changed on two laptops."""

    id: str
    table: str
    row_id: str
    field: str
    kind: str  # field | delete
    status: str  # open | resolved
    sides: list[Side]  # newest first: sides[0] is the automatic winner
    resolved_by: str | None


def conflicts(db: Store, status: str | None = "open") -> list[Conflict]:
    """The conflicts (open ones unless told; None: all), by id."""
    return [_conflict(row) for row in sync_log.conflicts(db, status)]


def get_conflict(db: Store, conflict_id: str) -> Conflict:
    """One conflict, or NotFound."""
    row = sync_log.conflict(db, conflict_id)
    if row is None:
        raise NotFound(f"No conflict with id {conflict_id}.")
    return _conflict(row)


def _conflict(row: dict[str, Any]) -> Conflict:
    sides = [
        Side(s.get("value"), s.get("worker", ""), s.get("origin", ""), s.get("at", ""), s["key"])
        for s in json.loads(row.get("sides") or "[]")
    ]
    return Conflict(
        id=row["id"],
        table=row["tbl"],
        row_id=row["row_id"],
        field=row["field"],
        kind=row.get("kind") or "field",
        status=row["status"],
        sides=sides,
        resolved_by=row.get("resolved_by"),
    )


def resolve_conflict(db: Store, conflict_id: str, keep: Any = KEEP_LOCAL) -> None:
    """Settle a conflict: keep 'local' (what this laptop shows), 'remote' (the other side's
    value) or any other value for the field. An ordinary edit that syncs; for a deleted-
    while-edited conflict 'remote' undeletes a deleted record (or deletes a live one)."""
    item = get_conflict(db, conflict_id)
    with db.transaction():
        current = sync_log.current_row(db, item.table, item.row_id)
        if current is None:
            raise NotFound(f"The record of conflict {conflict_id} is not here yet.")
        here = current.get(item.field)
        if keep == KEEP_LOCAL:
            value = here
        elif keep == KEEP_REMOTE:
            value = _other_side(item, here)
        else:
            value = keep
        db.write_row(item.table, {"id": item.row_id, item.field: value}, resolves=conflict_id)
        change = sync_log.last_own_change(db)
        sync_log.resolve_conflict_row(
            db, conflict_id, (item.table, item.row_id, item.field), db.worker, change[0], change[1]
        )
        from microcare_tui.sync.merge import reindex

        reindex(db, {item.table: {item.row_id}})


def _other_side(item: Conflict, here: Any) -> Any:
    if item.kind == "delete":
        if here:
            return None  # deleted here: the other side is the edit, which keeps the record
        deletes = [s.value for s in item.sides if s.value]
        if not deletes:
            raise ValidationFailed({"keep": "No side of this conflict deleted the record"})
        return deletes[0]
    for side in item.sides:
        if side.value != here:
            return side.value
    return here
