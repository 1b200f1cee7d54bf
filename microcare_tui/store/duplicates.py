"""Providers that may be one provider registered twice (on two laptops before they synced)."""

from __future__ import annotations

from typing import Any

from microcare_tui.store.db import Store

# Pairs of live, unmerged providers with the same phone (stored normalised, E.164) or the
# same name (any case, trimmed) and postcode (stored normalised). Each pair once, older first.
_PAIRS = """
WITH live AS (
    SELECT id, name, phone, postcode, created_at FROM providers
     WHERE deleted_at IS NULL AND merged_into IS NULL
)
SELECT a.id AS first_id, b.id AS second_id,
       CASE WHEN a.phone IS NOT NULL AND a.phone = b.phone THEN 'phone'
            ELSE 'name_postcode' END AS reason
  FROM live a JOIN live b ON a.id < b.id
 WHERE (a.phone IS NOT NULL AND a.phone = b.phone)
    OR (a.postcode IS NOT NULL AND a.postcode = b.postcode
        AND lower(trim(a.name)) = lower(trim(b.name)))
 ORDER BY a.id, b.id
"""


def duplicate_pairs(store: Store) -> list[dict[str, Any]]:
    """(first_id, second_id, reason) of providers that may be the same one."""
    return store.query(_PAIRS)


def provider_brief(store: Store, provider_id: str) -> dict[str, Any] | None:
    """A provider's id, name, phone, postcode, who made it and merge pointer."""
    rows = store.query(
        "SELECT id, name, phone, postcode, created_by, created_at, merged_into, deleted_at"
        " FROM providers WHERE id = ?",
        (provider_id,),
    )
    return rows[0] if rows else None
