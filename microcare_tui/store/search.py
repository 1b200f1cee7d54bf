"""The lookup: providers for a parsed query, ranked for the worker on the phone.

Ranking, when the query names an area: providers based in it, then those based elsewhere that
serve it, then those based in or serving a neighbouring area, then the rest (each row says
which). Within each band (and when no area is asked): the asked days met, the asked times met,
more of the asked services, then good standing and taking clients, good standing, lapsed,
then name. Needs (services, languages, specialisms, direct payments, "taking", a phone
number) filter; place and time rank, so the worker still sees who is just over the border.

Here: the WHERE clause and the rank terms, and the rows as shown. The ranked page itself is
lookup_page.py (from the per-connection cache of lookup_cache.py, or from the tables alone:
tests compare the two), the fallbacks when nothing matches lookup_fuzzy.py, the full-text
expressions fts_query.py (re-exported here for the provider and enquiry lists).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache, partial
from typing import Any

from microcare_tui.domain.query import (
    PLACEMENTS,
    LookupQuery,
    LookupResult,
    LookupRow,
    Vocabulary,
)
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.fts_query import fts_any, fts_match, fts_match_phones, fts_terms
from microcare_tui.store.lookup_cache import TAGS, Bits, initial_bit, refresh
from microcare_tui.store.lookup_page import cached_rows, inline_rows

__all__ = ["fts_any", "fts_match", "fts_match_phones", "fts_terms", "lookup"]


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
        # With the cache, the caller joins the index (see lookup_page.cached_rows) instead.
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
    from microcare_tui.store.lookup_fuzzy import completed, fuzzy_rewrite  # nothing matched

    completion = completed(query, vocab)
    if completion is not None:
        retry = _lookup(store, completion[0], limit, offset, today, None, cache)
        if retry.total:
            retry.query, retry.fuzzy_note = query, completion[1]
            return retry
    corrected, only_ids, note = fuzzy_rewrite(store, query, vocab)
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
        # counted first, its page walked (see lookup_page.cached_rows).
        count_first = by_base_only and (shortest <= 2)
        rows, total = cached_rows(store, where, params, terms, show, reads_row, count_first)
    else:
        rows, total = inline_rows(store, where, params, terms, show)
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
