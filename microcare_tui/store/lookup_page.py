"""The lookup's ranked page and its count: from the lookup cache's rank table (the usual way)
or from the tables alone (no cache). store.search builds the WHERE clause and rank terms
these run; the two forms must agree (tests/test_lookup_paths.py compares them on every
prefix of the lookup bench's queries)."""

from __future__ import annotations

from typing import Any

from microcare_tui.store.db import Store
from microcare_tui.store.lookup_cache import RANK
from microcare_tui.store.standing_sql import STANDING_SQL

# More candidates than this, ranked by base_rank alone, and the page is taken by walking
# base_rank's index instead of sorting them all (`_walked_rows`). The first letters typed
# match most providers ('c': 9,000 of 10,000 at ten times county scale): sorting them all
# took ~13 ms of CPU, counting them and walking the index until the page is full is a
# fraction of that. Narrow matches are sorted (a walk would read the whole index to find a
# few).
BROAD = 300


# The ranked page's order, in the cached form (base_rank holds the ranking's last keys).
_FTS_IN = "r.provider_rowid IN (SELECT rowid FROM provider_fts WHERE provider_fts MATCH :match)"
_ORDER = "placement, day_ok DESC, time_ok DESC, svc_hits DESC, br"


def cached_rows(
    store: Store,
    where: str,
    params: dict[str, Any],
    terms: str,
    show: str,
    reads_row: bool,
    count_first: bool,
) -> tuple[list[dict[str, Any]], int]:
    """The page's rows and the count of every match, from the lookup cache's rank table.

    Two steps: rank the candidates on small values only (from the rank table alone when the
    query reads no provider column), then fetch the page's 20 rows to show. base_rank orders
    by (good and taking), good, lapsed, name, id: the ranking's last keys, so ranking by the
    terms before them and then base_rank gives the same order as spelling every key out (the
    inline form; tested to agree).

    The words typed are matched by joining the full-text index (it drives the query; an
    `IN (SELECT rowid ...)` list copied every hit into a temporary index first: ~9,000 for a
    first letter at ten times county, ~2.5 ms), once: the matches are kept (MATERIALIZED)
    and both counted and sorted for the page (a count and then a page each matched the
    index again; `COUNT(*) OVER ()` kept every candidate for the window, then sorted them
    all: ~5 ms at ten times county for 'c'; a top-20 sort keeps 20). Without words typed
    (or only one-letter words: the rank row's initials), a scan of the rank table is cheap:
    a broad match is counted first and its page taken by walking base_rank's index (see
    BROAD), and a page is counted again only when it is full. So is a match ranked by the
    base order alone with a word of two letters (`count_first`): at ten times county 'co'
    matches ~5,000, and keeping them all cost more (~2.9 ms) than matching the index twice,
    to count them and to walk (~2.2 ms)."""
    fts = "match" in params
    source = f"provider_fts f JOIN {RANK} r ON r.provider_rowid = f.rowid" if fts else f"{RANK} r"
    if reads_row:
        source += " JOIN providers p ON p.rowid = r.provider_rowid"
    joined = f"f.provider_fts MATCH :match AND {where}" if fts else where
    count = f"SELECT COUNT(*) FROM {source} WHERE {joined}"
    order = ", ".join(f"page.{key}" for key in _ORDER.split(", "))
    offset, limit = int(params["offset"]), int(params["limit"])
    if fts and not count_first:
        sql = f"""
        WITH m AS MATERIALIZED (
          SELECT r.provider_rowid AS rid, r.standing AS standing, {terms}, r.base_rank AS br
          FROM {source} WHERE {joined}
        ),
        page AS (SELECT * FROM m ORDER BY {_ORDER} LIMIT :limit OFFSET :offset)
        SELECT {show}, page.standing, page.placement, (SELECT COUNT(*) FROM m) AS total
        FROM page JOIN providers p ON p.rowid = page.rid LEFT JOIN areas a ON a.id = p.area_id
        ORDER BY {order}
        """
        rows = store.query(sql, params)
        if rows:
            return rows, int(rows[0]["total"])
        return rows, int(store.scalar(count, params)) if offset else 0
    total: int | None = None
    if count_first:
        total = int(store.scalar(count, params) or 0)
        if total == 0:
            return [], 0
        if total > BROAD:
            walked = f"{_FTS_IN} AND {where}" if fts else where
            return _walked_rows(store, walked, params, show), total
    sql = f"""
    WITH page AS (
      SELECT r.provider_rowid AS rid, r.standing AS standing, {terms}, r.base_rank AS br
      FROM {source} WHERE {joined}
      ORDER BY {_ORDER} LIMIT :limit OFFSET :offset
    )
    SELECT {show}, page.standing, page.placement
    FROM page JOIN providers p ON p.rowid = page.rid LEFT JOIN areas a ON a.id = p.area_id
    ORDER BY {order}
    """
    rows = store.query(sql, params)
    if total is None:
        if rows and offset == 0 and len(rows) < limit:
            total = len(rows)
        elif rows or offset:
            total = int(store.scalar(count, params))
        else:
            total = 0
    return rows, total


def _walked_rows(
    store: Store, where: str, params: dict[str, Any], show: str
) -> list[dict[str, Any]]:
    """The page of a broad match ranked by base_rank alone, walking base_rank's index until
    the page is full (see BROAD)."""
    sql = f"""
    WITH page AS (
      SELECT r.provider_rowid AS rid, r.standing AS standing, -1 AS placement,
             r.base_rank AS br
      FROM {RANK} r INDEXED BY lookup_rank_base WHERE {where}
      ORDER BY r.base_rank LIMIT :limit OFFSET :offset
    )
    SELECT {show}, page.standing, page.placement
    FROM page JOIN providers p ON p.rowid = page.rid LEFT JOIN areas a ON a.id = p.area_id
    ORDER BY page.br
    """
    return store.query(sql, params)


def inline_rows(
    store: Store, where: str, params: dict[str, Any], terms: str, show: str
) -> tuple[list[dict[str, Any]], int]:
    """The page's rows and the count of every match, from the tables alone (no cache).

    Standing (several lookups a provider) is worked out only for the candidates that can
    reach the page: those ranked no lower on the cheaper terms than the last row of the page
    would be (`cut`). "shopping ashford tue" on the county demo: 205 candidates, standing for
    ~30. The candidates are counted in the same statement. Standing is worked out once a
    candidate (`s`): named in the ORDER BY, SQLite writes the whole expression out again at
    each mention, and four copies made the statement ~1.7 ms to prepare, more than the
    query's run (half of what `microcare search` adds to a bare start)."""
    sql = f"""
    WITH c AS MATERIALIZED (SELECT p.rowid AS rid, {terms} FROM providers p WHERE {where}),
    cut AS (
      SELECT placement, day_ok, time_ok, svc_hits FROM c
      ORDER BY placement, day_ok DESC, time_ok DESC, svc_hits DESC
      LIMIT 1 OFFSET :limit + :offset - 1
    ),
    s AS MATERIALIZED (
      SELECT c.*, {STANDING_SQL} AS standing
      FROM c JOIN providers p ON p.rowid = c.rid
      WHERE NOT EXISTS (SELECT 1 FROM cut)
         OR (c.placement, -c.day_ok, -c.time_ok, -c.svc_hits)
            <= (SELECT placement, -day_ok, -time_ok, -svc_hits FROM cut)
    )
    SELECT {show}, s.standing, s.placement, (SELECT COUNT(*) FROM c) AS total
    FROM s JOIN providers p ON p.rowid = s.rid LEFT JOIN areas a ON a.id = p.area_id
    ORDER BY s.placement, s.day_ok DESC, s.time_ok DESC, s.svc_hits DESC,
             (s.standing = 'good' AND p.accepting_new_clients = 1) DESC,
             s.standing = 'good' DESC, s.standing = 'lapsed' DESC,
             p.name COLLATE NOCASE, p.id
    LIMIT :limit OFFSET :offset
    """
    rows = store.query(sql, params)
    if rows:
        return rows, int(rows[0]["total"])
    if not int(params["offset"]):
        return rows, 0
    return rows, int(store.scalar(f"SELECT COUNT(*) FROM providers p WHERE {where}", params))
