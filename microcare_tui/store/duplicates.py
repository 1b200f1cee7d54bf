"""Providers that may be one provider registered twice (on two laptops before they synced)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from microcare_tui.store.db import Store

# Pairs of live, unmerged providers with the same phone (stored normalised, E.164) or the
# same name (any case, trimmed) and postcode (stored normalised). Each pair once, older first.
# Two equality joins (SQLite builds an index on the materialised rows for each), not one join
# with an OR: that compared every pair, minutes for the 16,000 providers of a big import.
_PAIRS = """
WITH live AS MATERIALIZED (
    SELECT id, phone, postcode, lower(trim(name)) AS name_key FROM providers
     WHERE deleted_at IS NULL AND merged_into IS NULL
),
shared AS MATERIALIZED (  -- only providers sharing a phone, or a name and postcode
    SELECT * FROM live
     WHERE phone IN (SELECT phone FROM live WHERE phone IS NOT NULL
                      GROUP BY phone HAVING count(*) > 1)
        OR (postcode, name_key) IN (SELECT postcode, name_key FROM live
                      WHERE postcode IS NOT NULL AND name_key IS NOT NULL
                      GROUP BY postcode, name_key HAVING count(*) > 1)
),
pairs AS (
    SELECT a.id AS first_id, b.id AS second_id, 'phone' AS reason
      FROM shared a JOIN shared b ON b.phone = a.phone AND a.id < b.id
     WHERE a.phone IS NOT NULL
    UNION ALL
    SELECT a.id, b.id, 'name_postcode'
      FROM shared a JOIN shared b ON b.postcode = a.postcode AND b.name_key = a.name_key
                                 AND a.id < b.id
     WHERE a.postcode IS NOT NULL AND a.name_key IS NOT NULL
)
SELECT first_id, second_id, MAX(reason) AS reason FROM pairs
 GROUP BY first_id, second_id
 ORDER BY first_id, second_id
"""


# The columns the pairs are found by: a record an import wrote none of these in (nor
# inserted) makes no new pair, so the import's report need not look for one.
MATCHED_ON = frozenset({"phone", "name", "postcode", "deleted_at", "merged_into"})

# From this many providers, `duplicate_pairs_with` finds every pair and keeps theirs.
WHOLE_FROM = 2000

# The pairs with at least one side among some providers (temp._dup_ids): the ones an import
# brought. Each of those is looked for among all live providers, with one scan of them.
_PAIRS_WITH = """
WITH live AS MATERIALIZED (
    SELECT id, phone, postcode, lower(trim(name)) AS name_key FROM providers
     WHERE deleted_at IS NULL AND merged_into IS NULL
),
mine AS MATERIALIZED (
    SELECT * FROM live WHERE id IN (SELECT id FROM temp._dup_ids)
),
pairs AS (
    SELECT min(a.id, b.id) AS first_id, max(a.id, b.id) AS second_id, 'phone' AS reason
      FROM mine a JOIN live b ON b.phone = a.phone AND b.id != a.id
     WHERE a.phone IS NOT NULL
    UNION ALL
    SELECT min(a.id, b.id), max(a.id, b.id), 'name_postcode'
      FROM mine a JOIN live b ON b.postcode = a.postcode AND b.name_key = a.name_key
                              AND b.id != a.id
     WHERE a.postcode IS NOT NULL AND a.name_key IS NOT NULL
)
SELECT first_id, second_id, MAX(reason) AS reason FROM pairs
 GROUP BY first_id, second_id
 ORDER BY first_id, second_id
"""


def duplicate_pairs(store: Store) -> list[dict[str, Any]]:
    """(first_id, second_id, reason) of providers that may be the same one."""
    return store.query(_PAIRS)


def duplicate_pairs_with(store: Store, ids: Iterable[str]) -> list[dict[str, Any]]:
    """`duplicate_pairs` that involve at least one of these providers (no query at all when
    there are none: an import of edits to notes costs nothing here)."""
    wanted = [(i,) for i in ids]
    if not wanted:
        return []
    if len(wanted) >= WHOLE_FROM:
        # Most of the providers (a new laptop's first import): every pair found at once is
        # less work than a lookup for each, then kept if it has a side among them.
        among = {i for (i,) in wanted}
        return [p for p in store.query(_PAIRS) if p["first_id"] in among or p["second_id"] in among]
    conn = store.conn
    with store.private_writes():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _dup_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("DELETE FROM temp._dup_ids")
        conn.executemany("INSERT OR IGNORE INTO temp._dup_ids (id) VALUES (?)", wanted)
        try:
            return store.query(_PAIRS_WITH)
        finally:
            conn.execute("DELETE FROM temp._dup_ids")


def provider_brief(store: Store, provider_id: str) -> dict[str, Any] | None:
    """A provider's id, name, phone, postcode, who made it and merge pointer."""
    rows = store.query(
        "SELECT id, name, phone, postcode, created_by, created_at, merged_into, deleted_at"
        " FROM providers WHERE id = ?",
        (provider_id,),
    )
    return rows[0] if rows else None
