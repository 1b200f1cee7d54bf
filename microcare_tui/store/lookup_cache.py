"""The lookup's per-connection cache: each provider's standing and base order, and the needs
as rows, in TEMP tables that make every keystroke cheap (see store.search for their use)."""

from __future__ import annotations

import json
import sqlite3

from microcare_tui.store.db import Store
from microcare_tui.store.standing_sql import STANDING_SQL

# Per connection, two TEMP tables make every keystroke cheap. Standing (QA, lapsed evidence,
# stage) takes two correlated lookups per provider and ordering by name needs a collation per
# row; over a broad first keystroke ("s": ~90% of the register) those dominated. So each
# connection keeps every provider's standing, liveness, base area and base order (RANK) and
# the needs as rows (TAGS); FTS rows share their provider's rowid, so no id map is needed. They are
# rebuilt only when user data changed (Store.data_generation: the newest change-log row,
# looked at again only after a commit by any connection; a call draft logs nothing and
# costs no rebuild) or the day did. A commit landing between the check and the query is
# seen by the next keystroke.
RANK = "temp.lookup_rank"
TAGS = "temp.lookup_tags"
# The needs and rank lists as rows: (kind, value, provider). Needs match case-insensitively
# (as store.search's JSON filters do); days, times and areas as stored (as its rank terms do).
TAG_ROWS = """
SELECT 'svc', lower(j.value), p.rowid FROM providers p, json_each(p.services) j
UNION ALL SELECT 'lang', lower(j.value), p.rowid FROM providers p, json_each(p.languages) j
UNION ALL SELECT 'spec', lower(j.value), p.rowid FROM providers p, json_each(p.specialisms) j
UNION ALL SELECT 'fund', lower(j.value), p.rowid FROM providers p, json_each(p.funding_accepted) j
UNION ALL SELECT 'day', j.value, p.rowid FROM providers p, json_each(p.days) j
UNION ALL SELECT 'time', j.value, p.rowid FROM providers p, json_each(p.times) j
UNION ALL SELECT 'area', j.value, p.rowid FROM providers p, json_each(p.areas_served) j
UNION ALL SELECT 'area', p.area_id, p.rowid FROM providers p WHERE p.area_id IS NOT NULL
"""


# The rank terms (days, times, areas served) and the needs (services, languages, specialisms,
# funding) as bit masks on each rank row, so ranking and filtering a candidate is arithmetic
# on its row instead of a lookup in the tag index per term (most of a broad keystroke's
# query; a need's IN list over the tag index cost ~6 ms at ten times county for
# 'personal care dp w'). A kind with more values than bits has no masks (its terms and
# filters use the tag index, as before).
MASKED = ("day", "time", "area", "svc", "lang", "spec", "fund")
_BITS = 62


class Bits(dict[str, dict[str, int]]):
    """kind -> value -> its bit in the rank table's `<kind>_mask` (only kinds that fit)."""

    def mask(self, kind: str, values: list[str]) -> int | None:
        """The mask for any of `values`, or None if this kind has no masks."""
        bits = self.get(kind)
        if bits is None:
            return None
        return sum({bits[v] for v in values if v in bits})

    def __bool__(self) -> bool:
        return True  # the cache is there, even when no kind fits in masks


def refresh(store: Store, today_iso: str) -> Bits | None:
    """Make sure this connection's lookup cache is current: its bit masks; None if it
    cannot be kept."""
    try:
        return store.cached("lookup.rank", lambda: _rebuild_cache(store, today_iso), today_iso)
    except sqlite3.Error:
        return None  # e.g. a connection that cannot write even TEMP tables: no cache


def _rebuild_cache(store: Store, today_iso: str) -> Bits | None:
    conn = store.conn
    if conn.in_transaction:
        return None  # a rollback would undo the rebuild but not the key: stay inline
    with store.private_writes():  # TEMP tables: they change nothing other caches read
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {RANK} (provider_rowid INTEGER PRIMARY KEY, "
            "standing TEXT NOT NULL, taking INTEGER NOT NULL, base_rank INTEGER NOT NULL, "
            "live INTEGER NOT NULL, area_id TEXT, "
            + ", ".join(f"{kind}_mask INTEGER NOT NULL DEFAULT 0" for kind in MASKED)
            + ")"
        )
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TAGS} "
            "(kind TEXT NOT NULL, value TEXT NOT NULL, provider_rowid INTEGER NOT NULL)"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {TAGS}_value ON lookup_tags (kind, value)")
        # A broad match ranked only by base_rank takes its page by walking this index
        # (store.search: the first letter typed matches most providers).
        conn.execute(f"CREATE INDEX IF NOT EXISTS {RANK}_base ON lookup_rank (base_rank)")
        conn.execute(
            f"CREATE INDEX IF NOT EXISTS {TAGS}_provider "
            "ON lookup_tags (provider_rowid, kind, value)"
        )
        conn.execute("BEGIN")
        try:
            conn.execute(f"DELETE FROM {RANK}")
            conn.execute(
                f"""INSERT INTO {RANK}
                  (provider_rowid, standing, taking, base_rank, live, area_id)
                SELECT rid, standing, taking, ROW_NUMBER() OVER (
                         ORDER BY (standing = 'good' AND taking = 1) DESC,
                                  standing = 'good' DESC, standing = 'lapsed' DESC,
                                  name COLLATE NOCASE, id), live, area_id
                FROM (SELECT p.rowid AS rid, p.id, p.name, p.area_id,
                             p.accepting_new_clients AS taking,
                             {STANDING_SQL} AS standing,
                             COALESCE(p.deleted_at IS NULL AND p.stage != 'ceased', 0) AS live
                      FROM providers p)""",
                {"today": today_iso},
            )
            conn.execute(f"DELETE FROM {TAGS}")
            conn.execute(f"INSERT OR IGNORE INTO {TAGS} {TAG_ROWS}")  # skips JSON nulls
            bits = _set_masks(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return bits


def _set_masks(conn: sqlite3.Connection) -> Bits:
    """Give each value of the masked kinds a bit and each rank row its masks."""
    bits = Bits()
    for kind in MASKED:
        values = [
            str(r[0])
            for r in conn.execute(
                f"SELECT DISTINCT value FROM {TAGS} WHERE kind = ? ORDER BY value", (kind,)
            )
        ]
        if len(values) <= _BITS:
            bits[kind] = {value: 1 << i for i, value in enumerate(values)}
    for kind, table in bits.items():
        conn.execute(
            f"UPDATE {RANK} SET {kind}_mask = (SELECT COALESCE(SUM(DISTINCT b.value), 0) "
            f"FROM {TAGS} t JOIN json_each(:bits) b ON b.key = t.value "
            "WHERE t.provider_rowid = lookup_rank.provider_rowid AND t.kind = :kind)",
            {"bits": json.dumps(table), "kind": kind},
        )
    return bits
