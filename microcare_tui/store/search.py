"""The lookup: providers for a parsed query, ranked for the worker on the phone.

Ranking, when the query names an area: providers based in it, then those based elsewhere that
serve it, then those based in or serving a neighbouring area, then the rest (each row says
which). Within each band (and when no area is asked): the asked days met, the asked times met,
more of the asked services, then good standing and taking clients, good standing, lapsed,
then name. Needs (services, languages, specialisms, direct payments, "taking", a phone
number) filter; place and time rank, so the worker still sees who is just over the border.

Over ~400 lines on purpose: the WHERE clause, the ranked query over the cached tables and the
fuzzy fallback are one algorithm whose parts must agree (a test compares the cached and
inline rankings); the per-connection caches themselves are in lookup_cache.py.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache, partial
from typing import Any

from microcare_tui.domain.query import (
    PLACEMENTS,
    SINGLE_WORDS,
    Chip,
    LookupQuery,
    LookupResult,
    LookupRow,
    Vocabulary,
    parse_lookup,
    phone_at,
    tokens,
)
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.lookup_cache import RANK, TAGS, Bits, initial_bit, refresh
from microcare_tui.store.standing_sql import STANDING_SQL

FUZZY_CUTOFF = 80


def fts_terms(words: list[str] | tuple[str, ...]) -> list[str]:
    """The words' prefix terms for the full-text index (at most 12)."""
    return [t for w in words for t in tokens(w)][:12]


def fts_match(words: list[str] | tuple[str, ...], joiner: str = " ") -> str | None:
    """An FTS5 MATCH expression of prefix terms, safe for any input (operators are dropped)."""
    terms = fts_terms(words)
    if not terms:
        return None
    return joiner.join(f'"{t}"*' for t in terms)


def fts_match_phones(text: str) -> str | None:
    """`fts_match` over the words of `text`, where a phone number written in any UK form
    ("01233 629000", "+44 1233 629000") also matches the E.164 form the index holds."""
    words = tokens(text)
    plain = fts_match(words)
    normalised: list[str] = []
    i = 0
    while i < len(words):
        hit = phone_at(words, i) if words[i][:1] in "+0123456789" else None
        if hit is None:
            normalised.append(words[i])
            i += 1
        else:
            normalised.append(hit[1])
            i += hit[0]
    if plain is None or normalised == words:
        return plain
    # Either form: the number as stored, or the words as typed (a number kept as written).
    return f"({fts_match(normalised)}) OR ({plain})"


def fts_any(words: list[str] | tuple[str, ...]) -> str | None:
    """Like `fts_match`, but any one term matches (a prefilter for fuzzy matching, where one
    misspelt word must not rule a row out)."""
    return fts_match(words, joiner=" OR ")


def _json_any(column: str, values: list[str], params: dict[str, Any], prefix: str) -> str:
    names = []
    for i, value in enumerate(values):
        key = f"{prefix}{i}"
        params[key] = value
        names.append(f":{key}")
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE lower(value) IN ({', '.join(names)}))"


def _where(
    store: Store,
    query: LookupQuery,
    params: dict[str, Any],
    only_ids: list[str] | None,
    bits: Bits | None,
) -> tuple[str, bool, int]:
    """The WHERE clause, whether it reads the providers row (False: the lookup cache's rank
    table `r` answers it alone, which makes counting broad matches cheap), and the length
    of the shortest word left for the full-text index (0: none). `bits`: the lookup cache's
    masks (None: answer from the providers table alone)."""
    cached = bits is not None
    where = ["r.live = 1"] if cached else ["p.deleted_at IS NULL", "p.stage != 'ceased'"]
    terms = fts_terms(query.words)
    if bits is not None:
        # A one-letter word is its bit in the rank row's initials (lookup_cache.INITIALS).
        letters = 0
        for term in terms:
            bit = initial_bit(store, bits, term)
            letters |= bit or 0
        terms = [t for t in terms if t not in bits.initials]
        if letters:
            params["initials"] = letters
            where.append("(r.initials & :initials) = :initials")
    if terms:
        params["match"] = " ".join(f'"{t}"*' for t in terms)
        # An index row's rowid is its provider's rowid: no read of the UNINDEXED id per hit.
        # With the cache, the caller joins the index (see _cached_rows) instead.
        if not cached:
            where.append(
                "p.rowid IN (SELECT rowid FROM provider_fts WHERE provider_fts MATCH :match)"
            )
    # With the cache, needs are answered from its rank row's masks (else its tag index)
    # instead of parsing JSON lists.
    where += _needs(query, params, bits)
    reads_row = len(where)
    where += _place_and_ids(query, params, only_ids)
    shortest = min((len(t) for t in terms), default=0)
    return " AND ".join(where), not cached or len(where) > reads_row, shortest


# The needs a query may ask for: its tag kind in the lookup cache, its providers column.
_NEEDTAGS = {"services": "svc", "languages": "lang", "specialisms": "spec", "funding": "fund"}
_NEED_COLUMNS = {
    "services": "p.services",
    "languages": "p.languages",
    "specialisms": "p.specialisms",
    "funding": "p.funding_accepted",
}


def _needs(query: LookupQuery, params: dict[str, Any], bits: Bits | None) -> list[str]:
    """Filters for what the caller needs: every service asked is one choice, every language,
    specialism and 'dp' must each be met."""
    asked: list[tuple[str, list[str], str]] = []
    if query.services:
        asked.append(("services", query.services, "svc"))
    asked += [("languages", [v], f"lang{i}_") for i, v in enumerate(query.languages)]
    asked += [("specialisms", [v], f"spec{i}_") for i, v in enumerate(query.specialisms)]
    if query.wants_dp:
        asked.append(("funding", ["direct_payment"], "dp"))
    out = [
        _tagged(bits, _NEEDTAGS[need], values, params, prefix)
        if bits is not None
        else _json_any(_NEED_COLUMNS[need], values, params, prefix)
        for need, values, prefix in asked
    ]
    if query.wants_taking:
        out.append("r.taking = 1" if bits is not None else "p.accepting_new_clients = 1")
    return out


def _place_and_ids(
    query: LookupQuery, params: dict[str, Any], only_ids: list[str] | None
) -> list[str]:
    """Filters read from the providers row: a phone number, an unknown postcode district, a
    fuzzy id list."""
    out = []
    if query.phones:
        out.append(f"p.phone IN ({_bind_list(query.phones, params, 'ph')})")
    districts = query.values("district")
    if districts:
        # A district the council's areas don't know: match the provider's own postcode.
        ors = []
        for i, d in enumerate(districts):
            params[f"pd{i}"] = d + " %"
            ors.append(f"p.postcode LIKE :pd{i}")
        out.append("(" + " OR ".join(ors) + ")")
    if only_ids is not None:
        params["only"] = json.dumps(only_ids)
        out.append("p.id IN (SELECT value FROM json_each(:only))")
    return out


def lookup(
    store: Store,
    query: LookupQuery,
    vocab: Vocabulary,
    limit: int = 20,
    offset: int = 0,
    today: date | None = None,
    fuzzy: bool = True,
    cache: bool = True,
) -> LookupResult:
    """Providers for `query`, best first; falls back to fuzzy matching when nothing matches.

    `cache` False answers from the tables alone: for one search in a process (`microcare
    search`), building the per-connection cache (~60-100 ms at county) costs more than it saves.
    """
    result = _lookup(store, query, limit, offset, today, None, cache)
    if result.total or not fuzzy or not query.words:
        return result
    completed = _completed(query, vocab)
    if completed is not None:
        retry = _lookup(store, completed[0], limit, offset, today, None, cache)
        if retry.total:
            retry.query, retry.fuzzy_note = query, completed[1]
            return retry
    corrected, only_ids, note = _fuzzy_rewrite(store, query, vocab)
    if corrected is None:
        return result
    retry = _lookup(store, corrected, limit, offset, today, only_ids, cache)
    retry.query = query
    retry.fuzzy_note = note if retry.total else None
    return retry if retry.total else result


def _lookup(
    store: Store,
    query: LookupQuery,
    limit: int,
    offset: int,
    today: date | None,
    only_ids: list[str] | None,
    cache: bool = True,
) -> LookupResult:
    # One ranked SELECT for the page, and a COUNT only when the page is full. Standing, the
    # base order and the FTS rowid map come from a per-connection cache (store.lookup_cache);
    # rank terms for days, times, services and areas are constants when the query does not
    # ask for them, and asked values are bound as IN lists: nothing is re-parsed per row.
    params: dict[str, Any] = {"today": (today or date.today()).isoformat()}
    bits = refresh(store, params["today"]) if cache else None
    cached = bits is not None
    where, reads_row, shortest = _where(store, query, params, only_ids, bits)

    area_ids = query.area_ids
    near_ids = _neighbours(store, area_ids)
    if area_ids:
        served = partial(_tag_hits, bits) if bits is not None else _served_in
        based = f"{'r' if cached else 'p'}.area_id IN ({_bind_list(area_ids, params, 'ba')})"
        in_area = served(area_ids, params, "ar")
        in_near = served(near_ids, params, "nr") if near_ids else "0"
        placement = (
            f"CASE WHEN {based} THEN 0 WHEN {in_area} THEN 1 WHEN {in_near} THEN 2 ELSE 3 END"
        )
    else:
        placement = "-1"
    hits = partial(_cached_hits, bits) if bits is not None else _list_hits
    day_ok = hits("p.days", query.days, params, "dy", exists=True)
    time_ok = hits("p.times", query.times, params, "tm", exists=True)
    # With one service asked, every candidate has it (the needs filter): a constant.
    many = query.services if len(query.services) > 1 else []
    svc_hits = hits("p.services", many, params, "sv", exists=False)
    params.update(limit=limit, offset=offset)
    terms = f"""{placement} AS placement, {day_ok} AS day_ok, {time_ok} AS time_ok,
                {svc_hits} AS svc_hits"""
    show = """p.id, p.name, p.services, p.areas_served, p.area_id, p.days, p.phone, p.stage,
              p.accepting_new_clients AS taking, a.name AS area_name"""
    by_base_only = not reads_row and (placement, day_ok, time_ok, svc_hits) == _NO_TERMS
    if cached:
        # A two-letter word matches many (the index's prefix terms make it cheap to count):
        # counted first, its page walked (see _cached_rows).
        count_first = by_base_only and (shortest <= 2)
        rows, total = _cached_rows(store, where, params, terms, show, reads_row, count_first)
    else:
        rows, total = _inline_rows(store, where, params, terms, show)
    if not rows:
        return LookupResult(query=query, rows=[], total=total)
    labels = _service_labels(store)
    area_names = _area_names(store) if area_ids else {}
    asked_days = query.days
    out = []
    for r in rows:
        days = list(_json_list(r["days"]))
        misses = [f"not {d.capitalize()}" for d in asked_days if d not in days]
        placement = PLACEMENTS[r["placement"]] if r["placement"] >= 0 else ""
        areas = list(_json_list(r["areas_served"]))
        out.append(
            LookupRow(
                id=r["id"],
                name=r["name"],
                services=[labels.get(c, c) for c in _json_list(r["services"])],
                area=r["area_name"] or "",
                days=days,
                standing=r["standing"],
                phone=r["phone"],
                taking=bool(r["taking"]),
                placement=placement,
                stage=r["stage"],
                areas_served=areas,
                misses=misses,
                serves=_serves(placement, r["area_id"], areas, area_ids, near_ids, area_names),
            )
        )
    return LookupResult(query=query, rows=out, total=total)


@lru_cache(maxsize=8192)
def _json_list(text: str) -> tuple[Any, ...]:
    """A JSON list column (days, services, areas served), parsed once per distinct text: the
    same lists recur across providers, and json.loads for the ~60 of a page was a fifth of
    the store's CPU for a keystroke. A tuple, so no caller can change the kept value."""
    return tuple(json.loads(text))


# The rank terms of a query that asks for no area, day, time or second service: constants.
_NO_TERMS = ("-1", "1", "1", "0")
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


def _cached_rows(
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


def _inline_rows(
    store: Store, where: str, params: dict[str, Any], terms: str, show: str
) -> tuple[list[dict[str, Any]], int]:
    """The page's rows and the count of every match, from the tables alone (no cache).

    Standing (several lookups a provider) is worked out only for the candidates that can
    reach the page: those ranked no lower on the cheaper terms than the last row of the page
    would be (`cut`). "shopping ashford tue" on the county demo: 205 candidates, standing for
    ~30. The candidates are counted in the same statement."""
    sql = f"""
    WITH c AS MATERIALIZED (SELECT p.rowid AS rid, {terms} FROM providers p WHERE {where}),
    cut AS (
      SELECT placement, day_ok, time_ok, svc_hits FROM c
      ORDER BY placement, day_ok DESC, time_ok DESC, svc_hits DESC
      LIMIT 1 OFFSET :limit + :offset - 1
    )
    SELECT {show}, {STANDING_SQL} AS standing, c.placement, (SELECT COUNT(*) FROM c) AS total
    FROM c JOIN providers p ON p.rowid = c.rid LEFT JOIN areas a ON a.id = p.area_id
    WHERE NOT EXISTS (SELECT 1 FROM cut)
       OR (c.placement, -c.day_ok, -c.time_ok, -c.svc_hits)
          <= (SELECT placement, -day_ok, -time_ok, -svc_hits FROM cut)
    ORDER BY c.placement, c.day_ok DESC, c.time_ok DESC, c.svc_hits DESC,
             (standing = 'good' AND taking = 1) DESC, standing = 'good' DESC,
             standing = 'lapsed' DESC, p.name COLLATE NOCASE, p.id
    LIMIT :limit OFFSET :offset
    """
    rows = store.query(sql, params)
    if rows:
        return rows, int(rows[0]["total"])
    if not int(params["offset"]):
        return rows, 0
    return rows, int(store.scalar(f"SELECT COUNT(*) FROM providers p WHERE {where}", params))


def _bind_list(values: list[str], params: dict[str, Any], prefix: str) -> str:
    names = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        names.append(f":{prefix}{i}")
    return ", ".join(names)


def _served_in(area_ids: list[str], params: dict[str, Any], prefix: str) -> str:
    """The provider is based in, or serves, one of these areas."""
    names = _bind_list(area_ids, params, prefix)
    return (
        f"(p.area_id IN ({names}) OR EXISTS (SELECT 1 FROM json_each(p.areas_served) s "
        f"WHERE s.value IN ({names})))"
    )


_TAG_COLUMNS = {"p.services": "svc", "p.days": "day", "p.times": "time"}


def _tagged(bits: Bits, kind: str, values: list[str], params: dict[str, Any], prefix: str) -> str:
    """Providers with any of these values in a list (the rank row's mask, else the cache's
    tag index)."""
    masked = _masked(bits, kind, values, params, f"{prefix}mask")
    if masked is not None:
        return masked
    names = _bind_list(values, params, prefix)
    return (
        f"r.provider_rowid IN (SELECT t.provider_rowid FROM {TAGS} t "
        f"WHERE t.kind = '{kind}' AND t.value IN ({names}))"
    )


def _masked(
    bits: Bits, kind: str, values: list[str], params: dict[str, Any], key: str
) -> str | None:
    """Any of `values` on the candidate's rank row (its bit mask for `kind`), or None when
    this kind has no masks."""
    mask = bits.mask(kind, values)
    if mask is None:
        return None
    params[key] = mask
    return f"(r.{kind}_mask & :{key}) != 0"


def _tag_hits(bits: Bits, area_ids: list[str], params: dict[str, Any], prefix: str) -> str:
    """_served_in, from the lookup cache: based in, or serving, one of these areas."""
    masked = _masked(bits, "area", area_ids, params, f"{prefix}_mask")
    if masked is not None:
        return masked
    names = _bind_list(area_ids, params, prefix)
    return (
        f"EXISTS (SELECT 1 FROM {TAGS} t WHERE t.provider_rowid = r.provider_rowid "
        f"AND t.kind = 'area' AND t.value IN ({names}))"
    )


def _cached_hits(
    bits: Bits, column: str, values: list[str], params: dict[str, Any], prefix: str, exists: bool
) -> str:
    """_list_hits, from the lookup cache (bit masks, else the tag index)."""
    if not values:
        return "1" if exists else "0"
    kind = _TAG_COLUMNS[column]
    masked = _masked(bits, kind, values, params, f"{prefix}_mask") if exists else None
    if masked is not None:
        return masked
    names = _bind_list(values, params, prefix)
    match = (
        f"FROM {TAGS} t WHERE t.provider_rowid = r.provider_rowid AND t.kind = '{kind}' "
        f"AND t.value IN ({names})"
    )
    return f"EXISTS (SELECT 1 {match})" if exists else f"(SELECT COUNT(*) {match})"


def _list_hits(
    column: str, values: list[str], params: dict[str, Any], prefix: str, exists: bool
) -> str:
    """Rank term over a JSON list column: 1/0 (any asked value present) or a count.

    When nothing is asked, every provider is equal on this term: a constant."""
    if not values:
        return "1" if exists else "0"
    names = _bind_list(values, params, prefix)
    if exists:
        return f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value IN ({names}))"
    return f"(SELECT COUNT(*) FROM json_each({column}) j WHERE j.value IN ({names}))"


def _serves(
    placement: str,
    base: str | None,
    served: list[str],
    area_ids: list[str],
    near_ids: list[str],
    names: dict[str, str],
) -> list[str]:
    """The names a row gives for where it works besides its base: the asked areas a provider
    based elsewhere serves, or the neighbouring ones one not based in a neighbour serves."""
    if placement == PLACEMENTS[1]:
        wanted = area_ids
    elif placement == PLACEMENTS[2] and base not in near_ids:
        wanted = near_ids
    else:
        return []
    return [names.get(a, a) for a in wanted if a in served]


def _area_names(store: Store) -> dict[str, str]:
    """Area id -> name, kept on the connection until the data changes."""
    return store.cached("lookup.area_names", lambda: reference.area_names(store))


def _neighbours(store: Store, area_ids: list[str]) -> list[str]:
    if not area_ids:
        return []
    rows = store.query(
        "SELECT neighbours FROM areas WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(area_ids),),
    )
    near = {n for r in rows for n in json.loads(r["neighbours"])}
    return sorted(near - set(area_ids))


def _service_labels(store: Store) -> dict[str, str]:
    """Service code -> label, kept on the connection until the data changes."""
    return store.cached("service_labels", lambda: reference.service_labels(store))


def _provider_names(store: Store, process: Any) -> dict[int, tuple[str, str]]:
    """Each provider's rowid -> (id, processed name) for fuzzy matching, kept on the
    connection until the data changes (reading 10,000 names costs more than matching them)."""

    def load() -> dict[int, tuple[str, str]]:
        rows = store.query("SELECT rowid, id, name FROM providers WHERE deleted_at IS NULL")
        return {int(r["rowid"]): (r["id"], process(r["name"])) for r in rows}

    return store.cached("lookup.names", load)


def _name_candidates(store: Store, words: list[str], process: Any) -> tuple[list[str], list[str]]:
    """The ids and processed names of the providers whose name has a word starting with the
    first letter of one of `words`: the names worth scoring. Scoring every name cost ~3 ms
    at county scale (30 at ten times). One letter, not two: "Oka Tree" must still find Oak
    Tree (a slip in the second letter is common; in the first, rare). Kept on the
    connection for each set of letters until the data changes: asking the index and
    gathering the names cost ~0.5 ms at county (~3-6 ms at ten times) for every misspelt
    keystroke, which mostly start with the same letter as the one before."""
    match = fts_any([w[:1] for w in words if w[:1].isalnum()])
    if match is None:
        return [], []
    kept: dict[str, tuple[list[str], list[str]]] = store.cached("lookup.name_lists", dict)
    found = kept.get(match)
    if found is None:
        rowids = store.query(
            "SELECT rowid FROM provider_fts WHERE provider_fts MATCH :m",
            {"m": f"name : ({match})"},
        )
        names = _provider_names(store, process)
        hits = [names[r["rowid"]] for r in rowids if r["rowid"] in names]
        found = ([h[0] for h in hits], [h[1] for h in hits])
        if len(kept) >= 64:
            kept.clear()
        kept[match] = found
    return found


def _completed(query: LookupQuery, vocab: Vocabulary) -> tuple[LookupQuery, str] | None:
    """The query with its last word, still being typed ("morni", "weeke", "shopp"),
    completed to the one known word it starts ("morning", "weekend", "shopping"), when that
    makes it understood; and the note to show. Cheaper than fuzzy matching (no register
    names are matched) and what the worker is typing."""
    words = tokens(query.text)
    if not words or len(words[-1]) < 3 or words[-1] not in query.words:
        return None
    word = words[-1]
    meanings: dict[object, str] = {}
    for phrase, meaning in vocab.phrases().items():
        if phrase.startswith(word) and " " not in phrase:
            meanings.setdefault(meaning, phrase)
            meanings[meaning] = min(meanings[meaning], phrase, key=len)
    for single in SINGLE_WORDS:
        if single.startswith(word):
            key = tuple(c.key for c in parse_lookup(single, vocab).chips)
            meanings[key] = min(meanings.get(key, single), single, key=len)
    if len(meanings) != 1:
        return None
    completion = next(iter(meanings.values()))
    cut = query.text.lower().rfind(word)
    completed = parse_lookup(query.text[:cut] + completion + query.text[cut + len(word) :], vocab)
    if completion in completed.words:
        return None
    return completed, f"No exact match: showing '{word}' as {completion}"


def _fuzzy_rewrite(
    store: Store, query: LookupQuery, vocab: Vocabulary
) -> tuple[LookupQuery | None, list[str] | None, str]:
    """Guess what misspelt words meant: a service word, or a provider's name."""
    from rapidfuzz import fuzz, process, utils  # only on a miss: keeps start-up light

    phrases = list(vocab.phrases().items())
    phrase_texts = [p for p, _ in phrases]
    chips = list(query.chips)
    leftover: list[str] = []
    notes: list[str] = []
    for word in query.words:
        best = process.extractOne(word, phrase_texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None and len(word) >= 3:
            kind, value = phrases[best[2]][1]
            label = vocab.service_labels.get(value, value) if kind == "service" else best[0]
            if kind == "area":
                label = vocab.area_names.get(value, value)
            chips.append(Chip(kind, value, label, word))
            notes.append(f"'{word}' as {label}")
        else:
            leftover.append(word)
    only_ids: list[str] | None = None
    if leftover:
        ids, names = _name_candidates(store, leftover, utils.default_process)
        text = " ".join(leftover)
        hits = process.extract(
            utils.default_process(text),
            names,
            scorer=fuzz.WRatio,
            score_cutoff=75,
            limit=20,
        )  # names are pre-processed (case, punctuation): "oak" finds "Oak Tree"
        if not hits:
            return None, None, ""
        only_ids = [ids[h[2]] for h in hits]
        notes.append(f"names like '{text}'")
    corrected = LookupQuery(text=query.text, chips=tuple(chips), words=())
    return corrected, only_ids, "No exact match: showing " + ", ".join(notes)
