"""The lookup: providers for a parsed query, ranked for the worker on the phone.

Ranking: in good standing and taking clients first, then in the asked area, then nearby
areas, then the rest (marked). Within that, providers working the asked days come first.
Needs (services, languages, specialisms, direct payments, "taking") filter; place and time
rank, so the worker still sees who is just over the border.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from microcare_tui.domain.query import (
    Chip,
    LookupQuery,
    LookupResult,
    LookupRow,
    Vocabulary,
    tokens,
)
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.providers import STANDING_SQL

FUZZY_CUTOFF = 80


def fts_match(words: list[str] | tuple[str, ...]) -> str | None:
    """An FTS5 MATCH expression of prefix terms, safe for any input (operators are dropped)."""
    terms = [t for w in words for t in tokens(w)]
    if not terms:
        return None
    return " ".join(f'"{t}"*' for t in terms[:12])


def _json_any(column: str, values: list[str], params: dict[str, Any], prefix: str) -> str:
    names = []
    for i, value in enumerate(values):
        key = f"{prefix}{i}"
        params[key] = value
        names.append(f":{key}")
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE lower(value) IN ({', '.join(names)}))"


def _where(query: LookupQuery, params: dict[str, Any], only_ids: list[str] | None) -> str:
    where = ["p.deleted_at IS NULL", "p.stage != 'ceased'"]
    match = fts_match(query.words)
    if match:
        params["match"] = match
        where.append(
            "p.id IN (SELECT provider_id FROM provider_fts WHERE provider_fts MATCH :match)"
        )
    if query.services:
        where.append(_json_any("p.services", query.services, params, "svc"))
    for i, lang in enumerate(query.languages):
        where.append(_json_any("p.languages", [lang], params, f"lang{i}_"))
    for i, spec in enumerate(query.specialisms):
        where.append(_json_any("p.specialisms", [spec], params, f"spec{i}_"))
    if query.wants_dp:
        where.append(_json_any("p.funding_accepted", ["direct_payment"], params, "dp"))
    if query.wants_taking:
        where.append("p.accepting_new_clients = 1")
    districts = query.values("district")
    if districts:
        # A district the council's areas don't know: match the provider's own postcode.
        ors = []
        for i, d in enumerate(districts):
            params[f"pd{i}"] = d + " %"
            ors.append(f"p.postcode LIKE :pd{i}")
        where.append("(" + " OR ".join(ors) + ")")
    if only_ids is not None:
        params["only"] = json.dumps(only_ids)
        where.append("p.id IN (SELECT value FROM json_each(:only))")
    return " AND ".join(where)


def lookup(
    store: Store,
    query: LookupQuery,
    vocab: Vocabulary,
    limit: int = 20,
    offset: int = 0,
    today: date | None = None,
    fuzzy: bool = True,
) -> LookupResult:
    """Providers for `query`, best first; falls back to fuzzy matching when nothing matches."""
    result = _lookup(store, query, limit, offset, today, None)
    if result.total or not fuzzy or not query.words:
        return result
    corrected, only_ids, note = _fuzzy_rewrite(store, query, vocab)
    if corrected is None:
        return result
    retry = _lookup(store, corrected, limit, offset, today, only_ids)
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
) -> LookupResult:
    params: dict[str, Any] = {"today": (today or date.today()).isoformat()}
    where = _where(query, params, only_ids)
    total = int(store.scalar(f"SELECT COUNT(*) FROM providers p WHERE {where}", params) or 0)
    if not total:
        return LookupResult(query=query, rows=[], total=0)

    area_ids = query.area_ids
    near_ids = _neighbours(store, area_ids)
    params["areas"] = json.dumps(area_ids)
    params["near"] = json.dumps(near_ids)
    params["days"] = json.dumps(query.days)
    params["times"] = json.dumps(query.times)
    params["svcs"] = json.dumps(query.services)
    params.update(limit=limit, offset=offset)
    in_area = (
        "(p.area_id IN (SELECT value FROM json_each({0})) OR EXISTS (SELECT 1 FROM "
        "json_each(p.areas_served) s WHERE s.value IN (SELECT value FROM json_each({0}))))"
    )
    sql = f"""
    WITH cand AS (
      SELECT p.id, p.name, p.services, p.areas_served, p.area_id, p.days, p.phone, p.stage,
             p.accepting_new_clients AS taking, {STANDING_SQL} AS standing,
             CASE WHEN json_array_length(:areas) = 0 THEN -1
                  WHEN {in_area.format(":areas")} THEN 0
                  WHEN {in_area.format(":near")} THEN 1 ELSE 2 END AS placement,
             (SELECT COUNT(*) FROM json_each(p.days) d
               WHERE d.value IN (SELECT value FROM json_each(:days))) AS day_hits,
             (SELECT COUNT(*) FROM json_each(p.times) t
               WHERE t.value IN (SELECT value FROM json_each(:times))) AS time_hits,
             (SELECT COUNT(*) FROM json_each(p.services) v
               WHERE v.value IN (SELECT value FROM json_each(:svcs))) AS svc_hits
      FROM providers p WHERE {where}
    )
    SELECT cand.*, a.name AS area_name FROM cand LEFT JOIN areas a ON a.id = cand.area_id
    ORDER BY (standing = 'good' AND taking = 1) DESC, placement,
             (json_array_length(:days) = 0 OR day_hits > 0) DESC,
             (json_array_length(:times) = 0 OR time_hits > 0) DESC,
             svc_hits DESC, standing = 'good' DESC, standing = 'lapsed' DESC,
             name COLLATE NOCASE, id
    LIMIT :limit OFFSET :offset
    """
    rows = store.query(sql, params)
    labels = _service_labels(store)
    out = []
    for r in rows:
        days = json.loads(r["days"])
        misses = [f"not {d.capitalize()}" for d in query.days if d not in days]
        placement = {-1: "", 0: "in area", 1: "nearby", 2: "other area"}[r["placement"]]
        out.append(
            LookupRow(
                id=r["id"],
                name=r["name"],
                services=[labels.get(c, c) for c in json.loads(r["services"])],
                area=r["area_name"] or "",
                days=days,
                standing=r["standing"],
                phone=r["phone"],
                taking=bool(r["taking"]),
                placement=placement,
                stage=r["stage"],
                areas_served=json.loads(r["areas_served"]),
                misses=misses,
            )
        )
    return LookupResult(query=query, rows=out, total=total)


def _neighbours(store: Store, area_ids: list[str]) -> list[str]:
    if not area_ids:
        return []
    rows = store.query(
        "SELECT neighbours FROM areas WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(area_ids),),
    )
    near = {n for r in rows for n in json.loads(r["neighbours"])}
    return sorted(near - set(area_ids))


_label_cache: dict[tuple[str, int], dict[str, str]] = {}


def _service_labels(store: Store) -> dict[str, str]:
    # Labels change rarely; key the cache on the database and its data version.
    version = int(
        store.scalar("SELECT COALESCE(MAX(row_version), 0) + COUNT(*) FROM service_types")
    )
    key = (str(store.path), version)
    if key not in _label_cache:
        _label_cache[key] = {st.code: st.label for st in reference.service_types(store)}
    return _label_cache[key]


def _fuzzy_rewrite(
    store: Store, query: LookupQuery, vocab: Vocabulary
) -> tuple[LookupQuery | None, list[str] | None, str]:
    """Guess what misspelt words meant: a service word, or a provider's name."""
    from rapidfuzz import fuzz, process  # only on a miss: keeps start-up light

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
        names = store.query("SELECT id, name FROM providers WHERE deleted_at IS NULL")
        text = " ".join(leftover)
        hits = process.extract(
            text, [r["name"] for r in names], scorer=fuzz.WRatio, score_cutoff=75, limit=20
        )
        if not hits:
            return None, None, ""
        only_ids = [names[h[2]]["id"] for h in hits]
        notes.append(f"names like '{text}'")
    corrected = LookupQuery(text=query.text, chips=tuple(chips), words=())
    return corrected, only_ids, "No exact match: showing " + ", ".join(notes)
