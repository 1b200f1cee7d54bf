"""Possible duplicates after an import, and merging them (a pointer that syncs and undoes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.store import duplicates as repo
from microcare_tui.store.db import Store, utc_now


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two providers that may be one: why (same phone, or same name and postcode)."""

    first_id: str
    second_id: str
    first_name: str
    second_name: str
    reason: str  # phone | name_postcode


def possible_duplicates(db: Store) -> list[PossibleDuplicate]:
    """Pairs of live providers with the same phone, or the same name and postcode."""
    return _briefed(db, repo.duplicate_pairs(db))


def possible_duplicates_with(db: Store, ids: Iterable[str]) -> list[PossibleDuplicate]:
    """`possible_duplicates` with at least one side among `ids` (what an import brought)."""
    return _briefed(db, repo.duplicate_pairs_with(db, ids))


def _briefed(db: Store, pairs: list[dict[str, Any]]) -> list[PossibleDuplicate]:
    found = []
    for pair in pairs:
        first = repo.provider_brief(db, pair["first_id"])
        second = repo.provider_brief(db, pair["second_id"])
        if first and second:
            found.append(
                PossibleDuplicate(
                    first["id"], second["id"], first["name"], second["name"], pair["reason"]
                )
            )
    return found


def merge_duplicate(db: Store, keep_id: str, duplicate_id: str) -> None:
    """Merge `duplicate_id` into `keep_id`: the duplicate points at the record kept and is
    withdrawn (two fields, merged like any: every laptop ends the same)."""
    if keep_id == duplicate_id:
        raise ValidationFailed({"merge": "A provider cannot be merged into itself"})
    keep = repo.provider_brief(db, keep_id)
    if keep is None or keep["merged_into"]:
        raise NotFound(f"No provider {keep_id} to keep.")
    if repo.provider_brief(db, duplicate_id) is None:
        raise NotFound(f"No provider {duplicate_id}.")
    from microcare_tui.sync.merge import reindex

    with db.transaction():
        db.write_row(
            "providers", {"id": duplicate_id, "merged_into": keep_id, "deleted_at": utc_now()}
        )
        reindex(db, {"providers": {duplicate_id}})


def undo_merge(db: Store, duplicate_id: str) -> None:
    """Bring a merged duplicate back as a provider of its own."""
    found = repo.provider_brief(db, duplicate_id)
    if found is None or not found["merged_into"]:
        raise NotFound(f"Provider {duplicate_id} was not merged.")
    from microcare_tui.sync.merge import reindex

    with db.transaction():
        db.write_row("providers", {"id": duplicate_id, "merged_into": None, "deleted_at": None})
        reindex(db, {"providers": {duplicate_id}})
