"""Evidence items, the council's evidence rules, and what standing reads about QA actions and
concerns. Metadata only: no copy of any certificate is ever stored."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from microcare_tui.store.db import Store
from microcare_tui.store.providers import LISTED_SQL

if TYPE_CHECKING:
    from microcare_tui.domain import models as m
    from microcare_tui.domain.applicability import EvidenceRule


def evidence_rules(store: Store) -> list[EvidenceRule]:
    """The council's live evidence rules, in the order they were written (seeded first)."""
    # Imported here: Home's radar reads this module first thing after start, without rules.
    from microcare_tui.domain.applicability import EvidenceRule

    rows = store.query(
        "SELECT evidence_type_code, condition, services, mandatory, min_cover_pence, note "
        "FROM evidence_rules WHERE deleted_at IS NULL ORDER BY rowid"
    )
    return [
        EvidenceRule(
            type_code=r["evidence_type_code"],
            condition=r["condition"],
            services=tuple(json.loads(r["services"] or "[]")),
            mandatory=bool(r["mandatory"]),
            min_cover_pence=r["min_cover_pence"],
            note=r["note"] or "",
        )
        for r in rows
    ]


def type_labels(store: Store) -> dict[str, str]:
    """Evidence type code -> label, for live types."""
    rows = store.query("SELECT code, label FROM evidence_types WHERE deleted_at IS NULL")
    return {r["code"]: r["label"] for r in rows}


def items_for(store: Store, provider_id: str) -> list[m.EvidenceItem]:
    """A provider's live evidence items, newest expiry last (as recorded within a day)."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.EvidenceItem, provider_id=provider_id)


def get_item(store: Store, item_id: str) -> m.EvidenceItem:
    """One evidence item by id (NotFound when withdrawn)."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.get(store, m.EvidenceItem, item_id)


def save_item(store: Store, item: m.EvidenceItem) -> m.EvidenceItem:
    """Insert or update an evidence item (logged)."""
    from microcare_tui.store import records

    with store.transaction():
        return records.save(store, item)


class ActionRow(NamedTuple):
    description: str
    due_on: date | None
    done: bool


class ConcernRow(NamedTuple):
    kind: str
    raised_on: date
    open: bool


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def qa_actions(store: Store, qa_check_id: str) -> list[ActionRow]:
    """The live actions of one QA check."""
    rows = store.query(
        "SELECT description, due_on, done_on FROM actions WHERE source = 'qa_check' "
        "AND source_id = ? AND deleted_at IS NULL ORDER BY due_on",
        (qa_check_id,),
    )
    return [ActionRow(r["description"], _day(r["due_on"]), r["done_on"] is not None) for r in rows]


def open_concerns(store: Store, provider_id: str) -> list[ConcernRow]:
    """A provider's open concerns (of every kind), oldest first."""
    rows = store.query(
        "SELECT kind, raised_on FROM concerns WHERE provider_id = ? AND deleted_at IS NULL "
        "AND status = 'open' ORDER BY raised_on",
        (provider_id,),
    )
    return [ConcernRow(r["kind"], date.fromisoformat(r["raised_on"][:10]), True) for r in rows]


class DueRow(NamedTuple):
    """Something on the radar: evidence, a certificate or a QA review, and when it is due."""

    provider_id: str
    provider_name: str
    kind: str  # evidence | certificate | review
    what: str  # the evidence type code, the attendee's name or the review kind
    person: str | None
    due_on: date
    worker: str | None  # who looks after the provider (who did its latest QA check)


_WORKER = """(SELECT q.checked_by FROM qa_checks q WHERE q.provider_id = p.id
              AND q.deleted_at IS NULL ORDER BY q.checked_on DESC, q.rowid DESC LIMIT 1)"""


def due_by(
    store: Store, horizon: date, lapsed_since: date, with_workers: bool = True
) -> list[DueRow]:
    """Evidence (the best item of each slot), certificates and QA reviews of listed
    providers due on or before `horizon`, or lapsed on or after `lapsed_since`; one query
    each, grouped in SQL so it stays cheap on a county register. Without `with_workers`,
    evidence and certificates say no worker (`workers_of` finds them for the few shown):
    the latest check of each of hundreds of lines' providers was a fifth of Home's radar."""
    params = {"h": horizon.isoformat(), "s": lapsed_since.isoformat()}
    worker = _WORKER if with_workers else "NULL"
    # Slots with an item expiring in the window (the expiry index finds them), then each
    # slot's best item: it is due only if nothing in the slot lasts longer than the window.
    evidence = store.query(
        f"""WITH c AS MATERIALIZED (
              SELECT DISTINCT provider_id, evidence_type_code, person_id FROM evidence_items
              WHERE expires_on BETWEEN :s AND :h AND deleted_at IS NULL AND status = 'met'),
            best AS (
              SELECT e.provider_id AS pid, e.evidence_type_code AS code, e.person_id AS person,
                     MAX(COALESCE(e.expires_on, '9999-12-31')) AS due
              FROM c JOIN evidence_items e ON e.provider_id = c.provider_id
                AND e.evidence_type_code = c.evidence_type_code
                AND +e.person_id IS c.person_id  -- + : by provider, not the person index
              WHERE e.deleted_at IS NULL AND e.status = 'met'
              GROUP BY e.provider_id, e.evidence_type_code, e.person_id)
            SELECT p.id AS pid, p.name, best.code AS what, pp.name AS person, best.due,
                   {worker} AS worker
            FROM best JOIN providers p ON p.id = best.pid
            LEFT JOIN provider_people pp ON pp.id = best.person
            WHERE best.due <= :h AND p.deleted_at IS NULL AND {LISTED_SQL}
              AND (pp.id IS NULL OR (pp.left_on IS NULL AND pp.deleted_at IS NULL))""",
        params,
    )
    certificates = store.query(
        f"""WITH c AS MATERIALIZED (
              SELECT provider_id, attendee_name, MAX(certificate_expires_on) AS due
              FROM training_attendance WHERE deleted_at IS NULL
                AND provider_id IN (SELECT provider_id FROM training_attendance
                                    WHERE certificate_expires_on BETWEEN :s AND :h)
                AND certificate_expires_on IS NOT NULL
              GROUP BY provider_id, attendee_name)
            SELECT p.id AS pid, p.name, c.attendee_name AS what, NULL AS person, c.due,
                   {worker} AS worker
            FROM c JOIN providers p ON p.id = c.provider_id
            WHERE c.due BETWEEN :s AND :h AND p.deleted_at IS NULL AND {LISTED_SQL}""",
        params,
    )
    reviews = store.query(
        f"""SELECT p.id AS pid, p.name, 'review' AS what, NULL AS person, q.next_review_on AS due,
                   q.checked_by AS worker
            FROM providers p JOIN qa_checks q ON q.id = (
                SELECT q2.id FROM qa_checks q2 WHERE q2.provider_id = p.id
                  AND q2.deleted_at IS NULL ORDER BY q2.checked_on DESC, q2.rowid DESC LIMIT 1)
            WHERE p.deleted_at IS NULL AND {LISTED_SQL} AND q.next_review_on IS NOT NULL
              AND q.next_review_on <= :h AND q.next_review_on >= :s""",
        params,
    )
    out = []
    for kind, rows in (("evidence", evidence), ("certificate", certificates), ("review", reviews)):
        out += [
            DueRow(r["pid"], r["name"], kind, r["what"], r["person"],
                   date.fromisoformat(r["due"][:10]), r["worker"])
            for r in rows
        ]  # fmt: skip
    return out


def workers_of(store: Store, provider_ids: list[str]) -> dict[str, str]:
    """Who looks after each provider (who did its latest QA check); providers never checked
    are left out."""
    if not provider_ids:
        return {}
    marks = ", ".join("?" * len(provider_ids))
    rows = store.query(
        f"""SELECT p.id, {_WORKER} AS worker FROM providers p WHERE p.id IN ({marks})""",
        list(provider_ids),
    )
    return {r["id"]: r["worker"] for r in rows if r["worker"]}


def providers_not_good(store: Store, today: date) -> list[tuple[str, str, str]]:
    """(id, name, standing) of live providers at a listed stage not in good standing, by
    name: the same rule as everywhere (STANDING_SQL)."""
    from microcare_tui.store.providers import STANDING_SQL

    rows = store.query(
        f"""SELECT id, name, standing FROM (
              SELECT p.id, p.name, {STANDING_SQL} AS standing FROM providers p
              WHERE p.deleted_at IS NULL AND {LISTED_SQL})
            WHERE standing != 'good' ORDER BY name COLLATE NOCASE, id""",
        {"today": today.isoformat()},
    )
    return [(r["id"], r["name"], r["standing"]) for r in rows]
