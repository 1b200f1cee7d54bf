"""Search rows for many records at once, built by SQLite (a sync import's re-index).

The text of each row is the same as `providers.index_providers` and
`enquiries.index_enquiries` write for one record (a test compares them on awkward rows):
the words for codes and ids are read as `IndexText` and `service_labels` read them, put in
a TEMP table, and the rest is joined in SQL. Per-row Python cost
(reading the rows, decoding their JSON lists, building the text) was most of an import of
80,000 new records; here it is a few statements whatever the count. Rows go in rowid
order: FTS5 writes its pending terms out each time a rowid is lower than the last one (5x
slower in id order, which is not rowid order once a merge has inserted some records late).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from microcare_tui.store import reference
from microcare_tui.store.db import Store

# A JSON list column as json_each reads it: text that is not a JSON array reads as empty
# (the Python indexers decode it and fall back to an empty list the same way). An empty
# list ('[]', most rows' needs, languages, specialisms) is '' without opening it.
_LIST = "CASE WHEN json_valid({c}) AND json_type({c}) = 'array' THEN {c} ELSE '[]' END"


def _words_sql(column: str, kind: str, fallback: str) -> str:
    """' '.join(words.get(v, fallback) for v in the list), in list order; '' when empty."""
    lst = _LIST.format(c=column)
    return f"""CASE WHEN {column} = '[]' THEN '' ELSE COALESCE((SELECT group_concat(COALESCE(
            (SELECT w.words FROM temp._ix_words w WHERE w.kind = '{kind}' AND w.key = j.value),
            {fallback}), ' ') FROM json_each({lst}) j), '') END"""


def _joined_sql(column: str) -> str:
    """Each item of a JSON list followed by one space ('' when empty): the start of
    ' '.join([*list, ...]) when more items follow."""
    lst = _LIST.format(c=column)
    return (
        f"CASE WHEN {column} = '[]' THEN '' ELSE"
        f" COALESCE((SELECT group_concat(j.value || ' ', '') FROM json_each({lst}) j), '') END"
    )


def _present(column: str) -> str:
    """' ' and the value when it is not empty (filter(None, ...) then ' '.join)."""
    return f"CASE WHEN {column} IS NULL OR {column} = '' THEN '' ELSE ' ' || {column} END"


# The areas a provider is indexed under: areas served, then its base area, each once, in
# that order (dict.fromkeys in index_providers); a repeat is dropped where it comes later.
_AREAS = f"""CASE WHEN p.areas_served = '[]' AND (p.area_id IS NULL OR p.area_id = '') THEN ''
    ELSE COALESCE((SELECT group_concat(COALESCE(
        (SELECT w.words FROM temp._ix_words w WHERE w.kind = 'area' AND w.key = a.value), ''),
        ' ')
    FROM json_each(CASE WHEN p.area_id IS NULL OR p.area_id = ''
                        THEN {_LIST.format(c="p.areas_served")}
                        ELSE json_insert({_LIST.format(c="p.areas_served")}, '$[#]', p.area_id)
                   END) a
    WHERE NOT EXISTS (
        SELECT 1 FROM json_each(CASE WHEN p.area_id IS NULL OR p.area_id = ''
                        THEN {_LIST.format(c="p.areas_served")}
                        ELSE json_insert({_LIST.format(c="p.areas_served")}, '$[#]', p.area_id)
                   END) b
         WHERE b.key < a.key AND b.value = a.value)), '') END"""

_PROVIDER_ROWS = f"""INSERT INTO provider_fts (rowid, provider_id, name, services, areas, extra)
    SELECT p.rowid, p.id, p.name, {_words_sql("p.services", "service", "j.value")}, {_AREAS},
           {_joined_sql("p.languages")} || {_joined_sql("p.specialisms")}
           || COALESCE(p.lead_contact, '') || ' ' || COALESCE(p.description, '') || ' '
           || COALESCE(p.postcode, '')
      FROM providers p
     WHERE p.id IN (SELECT id FROM temp._ix_ids) AND (p.deleted_at IS NULL OR p.deleted_at = '')
     ORDER BY p.rowid"""

_ENQUIRY_ROWS = f"""INSERT INTO enquiry_fts (rowid, enquiry_id, caller, summary, needs)
    SELECT e.rowid, e.id,
           substr({_present("e.caller_name")} || {_present("e.caller_phone")}
                  || {_present("e.postcode")}, 2),
           COALESCE(e.summary, ''),
           {_words_sql("e.needs", "label", "j.value")}
      FROM enquiries e
     WHERE e.id IN (SELECT id FROM temp._ix_ids) AND (e.deleted_at IS NULL OR e.deleted_at = '')
     ORDER BY e.rowid"""


def _prepare(store: Store, ids: Iterable[str], words: list[tuple[str, str, str]]) -> int:
    """The ids and the words in TEMP tables; returns how many ids."""
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ix_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _ix_words"
        " (kind TEXT, key TEXT, words TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp._ix_ids")
    conn.execute("DELETE FROM temp._ix_words")
    _put_ids(conn, ids)
    conn.executemany(
        "INSERT OR REPLACE INTO temp._ix_words (kind, key, words) VALUES (?, ?, ?)", words
    )
    return int(store.scalar("SELECT COUNT(*) FROM temp._ix_ids"))


def _put_ids(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    """The ids into temp._ix_ids as one JSON list (SQLite's json_each: ~0.05 s for 80,000
    ids, where a bound row each took ~0.15 s of a first import). A list that needs a \\u
    escape (a control character; SQLite 3.40 ends a string at \\u0000) goes row by row, so
    every id is the one Python holds."""
    given = list(ids)
    text = json.dumps(given, ensure_ascii=False)
    if "\\u" in text:
        rows = [(i,) for i in given]
        conn.executemany("INSERT OR IGNORE INTO temp._ix_ids (id) VALUES (?)", rows)
        return
    conn.execute("INSERT OR IGNORE INTO temp._ix_ids (id) SELECT value FROM json_each(?)", (text,))


# The columns each index's text is made from: an update that changes none of them leaves the
# record's search row as it is (a 1,000-change import of notes re-indexed nothing).
_READS = {
    "providers": frozenset(
        {"name", "services", "areas_served", "area_id", "languages", "specialisms"}
        | {"lead_contact", "description", "postcode", "deleted_at", "id"}
    ),
    "enquiries": frozenset(
        {"caller_name", "caller_phone", "postcode", "summary", "needs", "deleted_at", "id"}
    ),
}


def reads_any(table: str, changed: frozenset[str] | None) -> bool:
    """Whether a record's search row may differ after these fields changed (None: a new
    record; a table with no search rows of its own answers True, its caller decides)."""
    reads = _READS.get(table)
    return changed is None or reads is None or not reads.isdisjoint(changed)


def _provider_words(store: Store) -> list[tuple[str, str, str]]:
    """`IndexText.load`'s words in plain SQL (no models: a CLI import would otherwise import
    pydantic, ~0.2 s, to read two small tables): a service's label and synonyms, an area's
    name and postcode districts, of the live rows."""
    words = []
    for code, label, synonyms in store.conn.execute(
        "SELECT code, label, synonyms FROM service_types WHERE deleted_at IS NULL"
        " ORDER BY sort_order, label"  # as IndexText reads them: a repeated key, the last
    ):
        words.append(("service", code, " ".join([label, *json.loads(synonyms or "[]")])))
    for area_id, name, districts in store.conn.execute(
        "SELECT id, name, postcode_districts FROM areas WHERE deleted_at IS NULL"
        " ORDER BY sort_order, name"
    ):
        words.append(("area", area_id, " ".join([name, *json.loads(districts or "[]")])))
    return words


def reindex_providers(store: Store, ids: Iterable[str]) -> None:
    """Refresh the search rows of these providers (the caller's transaction)."""
    count = _prepare(store, ids, _provider_words(store))
    _refresh(store, "provider_fts", "providers", _PROVIDER_ROWS, count)


def reindex_enquiries(store: Store, ids: Iterable[str]) -> None:
    """Refresh the search rows of these enquiries (the caller's transaction)."""
    words = [("label", k, v) for k, v in reference.service_labels(store).items()]
    count = _prepare(store, ids, words)
    _refresh(store, "enquiry_fts", "enquiries", _ENQUIRY_ROWS, count)


# FTS5 writes its pending terms out as a new segment each time they pass `hashsize` bytes
# (1 MB by default), and merges segments as they pile up: for tens of thousands of records
# at once a bigger buffer is ~20% less work. The setting is stored with the index, so it is
# put back in the same transaction (a crash rolls both back).
_BULK_HASHSIZE = 16 << 20
_DEFAULT_HASHSIZE = 1 << 20
_BULK_ROWS = 5000


def _refresh(store: Store, fts: str, table: str, rows_sql: str, count: int) -> None:
    # A record whose rowid is above the index's highest has no search row to remove: the
    # records an import inserted (most of a big one) skip a lookup each in the index.
    top = store.scalar(f"SELECT rowid FROM {fts} ORDER BY rowid DESC LIMIT 1")
    if top is not None:
        store.write_derived(
            f"DELETE FROM {fts} WHERE rowid IN (SELECT t.rowid FROM {table} t"
            " WHERE t.id IN (SELECT id FROM temp._ix_ids) AND t.rowid <= ?)",
            (top,),
        )
    if count < _BULK_ROWS:
        store.write_derived(rows_sql)
    else:
        hashsize = _hashsize(store, fts)
        setting = f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', ?)"
        store.write_derived(setting, (_BULK_HASHSIZE,))
        # Not in a `finally`: a failed insert fails the import, whose rollback undoes the
        # setting too (a second write there could hide the first error, e.g. a full disk).
        store.write_derived(rows_sql)
        store.write_derived(setting, (hashsize,))
    store.conn.execute("DELETE FROM temp._ix_ids")


def _hashsize(store: Store, fts: str) -> int:
    """The index's pending-terms buffer setting (the default unless one was stored)."""
    value = store.scalar(f"SELECT v FROM {fts}_config WHERE k = 'hashsize'")
    return int(value) if value is not None else _DEFAULT_HASHSIZE
