"""The pipeline's stages (data a council renames and reorders), stage moves and the board."""

from __future__ import annotations

from datetime import date
from typing import Any

from microcare_tui.domain.ids import seed_id
from microcare_tui.domain.pipeline import DEFAULT_STAGES, StageDef
from microcare_tui.store.db import Store


def seed_stages(store: Store) -> None:
    """Write the default stages that are missing (fixed ids: the same rows on every laptop)."""
    have = {r["code"] for r in store.query("SELECT code FROM pipeline_stages")}
    for stage in DEFAULT_STAGES:
        if stage.code in have:
            continue
        store.write_row(
            "pipeline_stages",
            {
                "id": seed_id("pipeline_stage", stage.code),
                "code": str(stage.code),
                "label": stage.label,
                "sort_order": stage.sort_order,
                "listed": int(stage.listed),
                "closed": int(stage.closed),
            },
        )


def stages_seeded(store: Store) -> bool:
    """True when the stage table has its rows (a database made before it was seeded)."""
    return bool(store.scalar("SELECT COUNT(*) FROM pipeline_stages"))


def stages(store: Store) -> list[StageDef]:
    """The live stages in the council's order."""
    rows = store.query(
        "SELECT code, label, sort_order, listed, closed FROM pipeline_stages"
        " WHERE deleted_at IS NULL ORDER BY sort_order, rowid"
    )
    return [
        StageDef(r["code"], r["label"], r["sort_order"], bool(r["listed"]), bool(r["closed"]))
        for r in rows
    ]


def stage_row_id(store: Store, code: str) -> str | None:
    """The id of the stage with this code, if any."""
    value = store.scalar(
        "SELECT id FROM pipeline_stages WHERE code = ? AND deleted_at IS NULL", (code,)
    )
    return None if value is None else str(value)


def save_stage(store: Store, code: str, label: str, sort_order: int) -> None:
    """Rename and place a stage; the others after it move down one (in one transaction)."""
    with store.transaction():
        rows = store.query(
            "SELECT id, code FROM pipeline_stages WHERE deleted_at IS NULL"
            " ORDER BY sort_order, rowid"
        )
        order = [r for r in rows if r["code"] != code]
        me = next(r for r in rows if r["code"] == code)
        position = max(0, min(sort_order, len(order)))
        order.insert(position, me)
        for index, row in enumerate(order):
            update: dict[str, Any] = {"id": row["id"], "sort_order": index}
            if row["code"] == code:
                update["label"] = label
            store.write_row("pipeline_stages", update)


def board_rows(store: Store) -> list[dict[str, Any]]:
    """Every live provider with what a card shows: stage, area, lead worker, since when, and
    the date of its latest (uncorrected or not) visit. One query; run it off the UI thread."""
    return store.query(
        # The latest visit per provider is one step down the visits_provider index each
        # (a GROUP BY over every visit read them all: ~3x slower at county scale).
        """SELECT p.id, p.name, p.stage, p.lead_worker, p.stage_changed_on,
                  substr(p.created_at, 1, 10) AS created_on, a.name AS area,
                  (SELECT v.visited_on FROM visits v WHERE v.provider_id = p.id
                   AND v.deleted_at IS NULL ORDER BY v.visited_on DESC LIMIT 1) AS last_visit
           FROM providers p
           LEFT JOIN areas a ON a.id = p.area_id
           WHERE p.deleted_at IS NULL
           ORDER BY p.name COLLATE NOCASE, p.id"""
    )


def move_bounds(store: Store, provider_id: str) -> dict[str, Any] | None:
    """A live provider's stage, name, when it was created and its first and last move dates."""
    rows = store.query(
        """SELECT p.name, p.stage, substr(p.created_at, 1, 10) AS created_on,
                  (SELECT MIN(moved_on) FROM stage_moves m WHERE m.provider_id = p.id
                   AND m.deleted_at IS NULL) AS first_move,
                  (SELECT MAX(moved_on) FROM stage_moves m WHERE m.provider_id = p.id
                   AND m.deleted_at IS NULL) AS last_move
           FROM providers p WHERE p.id = ? AND p.deleted_at IS NULL""",
        (provider_id,),
    )
    return rows[0] if rows else None


def record_move(
    store: Store,
    provider_id: str,
    from_stage: str,
    to_stage: str,
    moved_on: date,
    reason: str,
    moved_by: str,
) -> dict[str, Any]:
    """Move a provider and record the dated move with who and why, in one transaction."""
    with store.transaction():
        store.write_row(
            "providers",
            {"id": provider_id, "stage": to_stage, "stage_changed_on": moved_on.isoformat()},
        )
        return store.write_row(
            "stage_moves",
            {
                "provider_id": provider_id,
                "from_stage": from_stage,
                "to_stage": to_stage,
                "moved_on": moved_on.isoformat(),
                "note": reason,
                "moved_by": moved_by,
            },
        )


def moves_for(store: Store, provider_id: str) -> list[dict[str, Any]]:
    """A provider's stage moves, newest first, with who made them."""
    return store.query(
        """SELECT id, from_stage, to_stage, moved_on, note,
                  COALESCE(moved_by, created_by) AS moved_by
           FROM stage_moves WHERE provider_id = ? AND deleted_at IS NULL
           ORDER BY moved_on DESC, rowid DESC""",
        (provider_id,),
    )


def set_lead_worker(store: Store, provider_id: str, worker: str | None) -> None:
    """Give a provider its lead worker (logged like any change)."""
    store.write_row("providers", {"id": provider_id, "lead_worker": worker})
