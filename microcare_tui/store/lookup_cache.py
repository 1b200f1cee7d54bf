"""The lookup's per-connection cache: each provider's standing and base order, and the needs
as rows, in TEMP tables that make every keystroke cheap (see store.search for their use)."""

from __future__ import annotations

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
ALL_TAGS = "temp.lookup_tags_all"  # every tag, while the masks are made (no indexes)
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


# A word typed as one letter (the first key of every word) matches most of the register:
# '"c"*' in the full-text index is ~9,000 of 10,000 providers at ten times county, and
# joining them cost ~2-4 ms a keystroke. Each rank row keeps a bit per letter or digit (its
# `initials`): set when the index has a word of that provider's starting with it, asked of
# the index itself ('"c"*', so the answer is the index's) the first time that letter is
# typed after a rebuild (~0.5 ms at county, ~5-10 ms at ten times), then arithmetic.
INITIALS = "abcdefghijklmnopqrstuvwxyz0123456789"


class Bits(dict[str, dict[str, int]]):
    """kind -> value -> its bit in the rank table's `<kind>_mask` (only kinds that fit); and
    the letters whose bit is set in the rank rows' `initials` so far."""

    def __init__(self) -> None:
        super().__init__()
        self.initials: dict[str, int] = {}

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
            "live INTEGER NOT NULL, area_id TEXT, initials INTEGER NOT NULL DEFAULT 0, "
            + ", ".join(f"{kind}_mask INTEGER NOT NULL DEFAULT 0" for kind in MASKED)
            + ")"
        )
        for table in (TAGS, ALL_TAGS):
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {table} "
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
            # Every tag goes to a table without indexes first; the masks are worked out from
            # it, and only the tags still read (a service's: several services asked rank by
            # how many a provider lists; a kind with too many values for masks) are indexed.
            # Kept and indexed, every tag made the TEMP database ~15 MB at ten times county,
            # more than its page cache, so each scan of the rank table read pages back (~3x
            # the CPU); and a mask each by a correlated UPDATE cost ~0.1 s a kind there.
            conn.execute(f"DELETE FROM {ALL_TAGS}")
            conn.execute(f"INSERT OR IGNORE INTO {ALL_TAGS} {TAG_ROWS}")  # skips JSON nulls
            bits = _set_masks(conn)
            spent = [kind for kind in bits if kind != "svc"]
            conn.execute(f"DELETE FROM {TAGS}")
            marks = ", ".join("?" for _ in spent)
            keep = f" WHERE kind NOT IN ({marks})" if spent else ""
            conn.execute(f"INSERT INTO {TAGS} SELECT * FROM {ALL_TAGS}{keep}", spent)
            conn.execute(f"DELETE FROM {ALL_TAGS}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return bits


def _set_masks(conn: sqlite3.Connection) -> Bits:
    """Give each value of the masked kinds a bit (in the order first met: any order ranks
    the same) and each rank row its masks, in one pass over the tags."""
    seen: dict[str, dict[str, int]] = {kind: {} for kind in MASKED}
    slots = {kind: i for i, kind in enumerate(MASKED)}
    masks: dict[int, list[int]] = {}
    for kind, value, rowid in conn.execute(f"SELECT kind, value, provider_rowid FROM {ALL_TAGS}"):
        table = seen.get(kind)
        if table is None:
            continue  # not a masked kind, or one with more values than bits
        bit = table.get(value)
        if bit is None:
            if len(table) == _BITS:
                del seen[kind]
                continue
            bit = table[value] = 1 << len(table)
        row = masks.get(rowid)
        if row is None:
            row = masks[rowid] = [0] * len(MASKED)
        row[slots[kind]] |= bit
    bits = Bits()
    bits.update(seen)
    if masks and len(bits):  # (a Bits is true even when empty)
        columns = ", ".join(f"{kind}_mask = ?" for kind in bits)
        picked = [slots[kind] for kind in bits]
        conn.executemany(
            f"UPDATE {RANK} SET {columns} WHERE provider_rowid = ?",
            ([*(row[i] for i in picked), rowid] for rowid, row in masks.items()),
        )
    return bits


def initial_bit(store: Store, bits: Bits, letter: str) -> int | None:
    """The rank rows' bit for a word starting with `letter` (what the full-text index's
    '"letter"*' matches), set in every rank row on its first use; None: ask the index."""
    bit = bits.initials.get(letter)
    if bit is not None:
        return bit
    index = INITIALS.find(letter) if len(letter) == 1 else -1
    conn = store.conn
    if index < 0 or conn.in_transaction:
        return None  # in a transaction: a rollback would undo the bits but not `initials`
    bit = 1 << index
    try:
        with store.private_writes():
            conn.execute("BEGIN")
            try:
                conn.execute(
                    f"UPDATE {RANK} SET initials = initials | :bit WHERE provider_rowid IN "
                    "(SELECT rowid FROM provider_fts WHERE provider_fts MATCH :match)",
                    {"bit": bit, "match": f'"{letter}"*'},
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except sqlite3.Error:
        return None
    bits.initials[letter] = bit
    return bit
