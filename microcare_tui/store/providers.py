"""Providers: save with their search index and stage history, page through the register."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.standing_sql import LISTED_SQL as LISTED_SQL  # for its importers
from microcare_tui.store.standing_sql import QA_NEWEST_FIRST, STANDING_SQL

if TYPE_CHECKING:
    from microcare_tui.domain import models as m

# Model classes (pydantic) and the record helpers are imported inside the functions that
# build models: the home screen's counts need only SQL, so the first frame paints without
# pydantic (about 100 ms of start-up). The app imports them in the background once ready.


def save_provider(store: Store, provider: m.Provider, note: str | None = None) -> m.Provider:
    """Save a provider, its search index and (when the stage changed) a dated stage move."""
    from microcare_tui.domain import models as m
    from microcare_tui.domain.enums import Stage
    from microcare_tui.store import records

    with store.transaction():
        previous = store.scalar(
            "SELECT stage FROM providers WHERE id = ? AND deleted_at IS NULL", (provider.id,)
        )
        if previous != provider.stage.value:
            provider = provider.model_copy(update={"stage_changed_on": date.today()})
        saved = records.save(store, provider)
        if previous != provider.stage.value:
            records.save(
                store,
                m.StageMove(
                    provider_id=saved.id,
                    from_stage=Stage(previous) if previous else None,
                    to_stage=saved.stage,
                    note=note,
                ),
            )
        index_providers(store, [saved])
    return saved


class IndexText(NamedTuple):
    """Lookup tables to turn codes and ids into the words people search for."""

    service_words: dict[str, str]
    area_words: dict[str, str]

    @classmethod
    def load(cls, store: Store) -> IndexText:
        services = {
            st.code: " ".join([st.label, *st.synonyms]) for st in reference.service_types(store)
        }
        areas = {a.id: " ".join([a.name, *a.postcode_districts]) for a in reference.areas(store)}
        return cls(services, areas)


def index_providers(
    store: Store, providers: list[m.Provider], text: IndexText | None = None
) -> None:
    """Refresh the full-text rows of these providers (in the caller's transaction)."""
    text = text or IndexText.load(store)
    ids = [(p.id,) for p in providers]
    # The index row shares the provider's rowid, so updates and joins use the rowid
    # (an UNINDEXED id column would mean a scan of the whole index per save).
    store.write_derived_many(
        "DELETE FROM provider_fts WHERE rowid = (SELECT rowid FROM providers WHERE id = ?)", ids
    )
    rows = []
    for p in providers:
        if p.deleted_at:
            continue
        area_ids = list(
            dict.fromkeys([*(p.areas_served or []), *([p.area_id] if p.area_id else [])])
        )
        rows.append(
            (
                p.id,
                p.name,
                " ".join(text.service_words.get(code, code) for code in p.services),
                " ".join(text.area_words.get(a, "") for a in area_ids),
                " ".join(
                    [
                        *p.languages,
                        *p.specialisms,
                        p.lead_contact or "",
                        p.description or "",
                        p.postcode or "",
                    ]
                ),
            )
        )
    store.write_derived_many(
        "INSERT INTO provider_fts (rowid, provider_id, name, services, areas, extra) "
        "VALUES ((SELECT rowid FROM providers WHERE id = ?1), ?1, ?2, ?3, ?4, ?5)",
        rows,
    )


def delete_provider(store: Store, provider_id: str) -> None:
    """Withdraw a provider: a soft delete, and out of the search index."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    with store.transaction():
        records.soft_delete(store, m.Provider, provider_id)
        store.write_derived(
            "DELETE FROM provider_fts WHERE rowid = (SELECT rowid FROM providers WHERE id = ?)",
            (provider_id,),
        )


# Renames: a provider's index row holds the words of its services and areas (labels, callers'
# words, postcode districts), so a change to those words re-indexes the providers that use
# them, in the same transaction as the change: the index never holds a word the register
# no longer has.
_USING_SERVICE = """SELECT * FROM providers p WHERE p.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM json_each(p.services) WHERE value = ?)"""
_USING_AREA = """SELECT * FROM providers p WHERE p.deleted_at IS NULL
    AND (p.area_id = ?1 OR EXISTS (SELECT 1 FROM json_each(p.areas_served) WHERE value = ?1))"""


def save_service_type(store: Store, service: m.ServiceType) -> m.ServiceType:
    """Save a service in the catalogue and re-index the providers offering it, in one
    transaction (their index rows hold the service's label and synonyms)."""
    from microcare_tui.store import records

    with store.transaction():
        saved = records.save(store, service)
        _reindex(store, _USING_SERVICE, saved.code)
    return saved


def save_area(store: Store, area: m.Area) -> m.Area:
    """Save an area and re-index the providers based in or serving it, in one transaction
    (their index rows hold the area's name and postcode districts)."""
    from microcare_tui.store import records

    with store.transaction():
        saved = records.save(store, area)
        _reindex(store, _USING_AREA, saved.id)
    return saved


def remove_area(store: Store, area_id: str) -> None:
    """Remove an area (a soft delete) and take its words out of the index rows of the
    providers that still list it as served, in one transaction."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    with store.transaction():
        records.soft_delete(store, m.Area, area_id)
        _reindex(store, _USING_AREA, area_id)


def _reindex(store: Store, sql: str, key: str) -> None:
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    providers = [records.row_to_model(m.Provider, r) for r in store.query(sql, (key,))]
    if providers:
        index_providers(store, providers)


def get_provider(store: Store, provider_id: str) -> m.Provider:
    """One live provider, or NotFound."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.get(store, m.Provider, provider_id)


class ProviderRow(NamedTuple):
    """A provider as a line in the register."""

    id: str
    name: str
    stage: str
    area: str
    services: list[str]
    phone: str | None
    standing: str
    taking: bool


def _filter_sql(
    text: str, stage: str | None, today: date | None = None, phone: str | None = None
) -> tuple[str, dict[str, Any]]:
    where = ["p.deleted_at IS NULL"]
    params: dict[str, Any] = {"today": (today or date.today()).isoformat()}
    if stage:
        where.append("p.stage = :stage")
        params["stage"] = stage
    if phone:
        # Phones are stored as E.164: a whole number matches itself, a run of digits
        # ('629000', the national digits without the 0) matches the numbers holding it.
        where.append("instr(p.phone, :phone) > 0")
        params["phone"] = phone
    from microcare_tui.store.search import fts_match

    match = fts_match(text.split())
    if match:
        where.append("p.rowid IN (SELECT rowid FROM provider_fts WHERE provider_fts MATCH :m)")
        params["m"] = match
    return " AND ".join(where), params


def count_providers(
    store: Store, text: str = "", stage: str | None = None, phone: str | None = None
) -> int:
    """How many live providers match the list's filter (words, stage, part of a phone)."""
    where, params = _filter_sql(text, stage, phone=phone)
    return int(store.scalar(f"SELECT COUNT(*) FROM providers p WHERE {where}", params) or 0)


def page_providers(
    store: Store,
    offset: int = 0,
    limit: int = 50,
    text: str = "",
    stage: str | None = None,
    today: date | None = None,
    phone: str | None = None,
) -> list[ProviderRow]:
    """One page of the register, by name (never the whole table); standing as of `today`.

    `phone` is an E.164 number or a run of its digits: providers whose phone holds it."""
    where, params = _filter_sql(text, stage, today, phone)
    params.update(limit=limit, offset=offset)
    rows = store.query(
        f"""SELECT p.id, p.name, p.stage, p.services, p.phone, p.accepting_new_clients,
                   a.name AS area, {STANDING_SQL} AS standing
            FROM providers p LEFT JOIN areas a ON a.id = p.area_id
            WHERE {where} ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit OFFSET :offset""",
        params,
    )
    labels = reference.service_labels(store)
    return [
        ProviderRow(
            id=r["id"],
            name=r["name"],
            stage=r["stage"],
            area=r["area"] or "",
            services=[labels.get(c, c) for c in json.loads(r["services"])],
            phone=r["phone"],
            standing=r["standing"],
            taking=bool(r["accepting_new_clients"]),
        )
        for r in rows
    ]


def provider_standing(store: Store, provider_id: str, today: date | None = None) -> str:
    """Standing of one provider on `today` ('good', 'lapsed' or 'not_listed')."""
    return str(
        store.scalar(
            f"SELECT {STANDING_SQL} FROM providers p WHERE p.id = :id",
            {"id": provider_id, "today": (today or date.today()).isoformat()},
        )
    )


def stage_counts(store: Store) -> dict[str, int]:
    """Live providers per development stage."""
    rows = store.query(
        "SELECT stage, COUNT(*) AS n FROM providers WHERE deleted_at IS NULL GROUP BY stage"
    )
    return {r["stage"]: r["n"] for r in rows}


def stage_history(store: Store, provider_id: str) -> list[m.StageMove]:
    """A provider's dated stage moves, oldest first."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.StageMove, provider_id=provider_id, order=("moved_on", "rowid"))


def evidence_for(store: Store, provider_id: str) -> list[m.EvidenceItem]:
    """A provider's live evidence items, in the order they were recorded."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.EvidenceItem, provider_id=provider_id)


def qa_checks_for(store: Store, provider_id: str) -> list[m.QACheck]:
    """A provider's live QA checks, the latest first (as STANDING_SQL picks it)."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.QACheck, provider_id=provider_id, order=QA_NEWEST_FIRST)


class Referral(NamedTuple):
    """A signpost to a provider, with the enquiry it came from."""

    enquiry_id: str
    signposted_at: str
    enquirer_kind: str
    outcome: str | None
    reported_outcome: str
    needs: list[str]  # the enquiry's service codes


def referrals_for(store: Store, provider_id: str, limit: int = 20) -> tuple[int, list[Referral]]:
    """How many live enquiries signposted this provider, and the latest `limit` of them."""
    rows = store.query(
        """SELECT s.enquiry_id, s.signposted_at, s.reported_outcome, e.enquirer_kind, e.outcome,
                  e.needs, COUNT(*) OVER () AS total
           FROM signposts s JOIN enquiries e ON e.id = s.enquiry_id
           WHERE s.provider_id = ? AND s.deleted_at IS NULL AND e.deleted_at IS NULL
           ORDER BY s.signposted_at DESC, s.rowid DESC LIMIT ?""",
        (provider_id, limit),
    )
    referrals = [
        Referral(
            enquiry_id=r["enquiry_id"],
            signposted_at=r["signposted_at"],
            enquirer_kind=r["enquirer_kind"],
            outcome=r["outcome"],
            reported_outcome=r["reported_outcome"],
            needs=json.loads(r["needs"] or "[]"),
        )
        for r in rows
    ]
    return (int(rows[0]["total"]) if rows else 0), referrals


def referral_outcome_counts(store: Store, provider_id: str) -> dict[str, int]:
    """Live signposts to this provider (from live enquiries) by what happened after."""
    rows = store.query(
        """SELECT s.reported_outcome, COUNT(*) AS n
           FROM signposts s JOIN enquiries e ON e.id = s.enquiry_id
           WHERE s.provider_id = ? AND s.deleted_at IS NULL AND e.deleted_at IS NULL
           GROUP BY s.reported_outcome""",
        (provider_id,),
    )
    return {r["reported_outcome"]: r["n"] for r in rows}


def count_based_in_area(store: Store, area_id: str) -> int:
    """How many live providers have this area as their base."""
    return int(
        store.scalar(
            "SELECT COUNT(*) FROM providers WHERE area_id = ? AND deleted_at IS NULL", (area_id,)
        )
        or 0
    )


def count_offering_service(store: Store, service_code: str) -> int:
    """How many live providers offer this service."""
    return int(
        store.scalar(
            """SELECT COUNT(*) FROM providers p WHERE p.deleted_at IS NULL
               AND EXISTS (SELECT 1 FROM json_each(p.services) WHERE value = ?)""",
            (service_code,),
        )
        or 0
    )
