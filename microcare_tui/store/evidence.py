"""Evidence items, the council's evidence rules, and what standing reads about QA actions and
concerns. Metadata only: no copy of any certificate is ever stored."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

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


# What is due, one SELECT per kind, each giving (pid, name, kind, what, person, due, worker).
# Evidence: each slot (provider, type, person) with an item expiring in the window (the
# expiry index finds them), due on its latest such expiry unless some item of the slot lasts
# beyond the window or never expires (one seek in the slot index per slot; joining every
# item of each slot to take its maximum cost a third more).
_DUE_CTES = """c AS MATERIALIZED (
      SELECT provider_id, evidence_type_code, person_id, MAX(expires_on) AS due
      FROM evidence_items
      WHERE expires_on BETWEEN :s AND :h AND deleted_at IS NULL AND status = 'met'
      GROUP BY provider_id, evidence_type_code, person_id),
    best AS (
      SELECT c.provider_id AS pid, c.evidence_type_code AS code, c.person_id AS person, c.due
      FROM c WHERE NOT EXISTS (
        SELECT 1 FROM evidence_items e WHERE e.provider_id = c.provider_id
          AND e.evidence_type_code = c.evidence_type_code AND e.person_id IS c.person_id
          AND e.deleted_at IS NULL AND e.status = 'met'
          AND (e.expires_on > :h OR e.expires_on IS NULL))),
    certs AS MATERIALIZED (
      SELECT provider_id, attendee_name, MAX(certificate_expires_on) AS due
      FROM training_attendance WHERE deleted_at IS NULL
        AND provider_id IN (SELECT provider_id FROM training_attendance
                            WHERE certificate_expires_on BETWEEN :s AND :h)
        AND certificate_expires_on IS NOT NULL
      GROUP BY provider_id, attendee_name)"""

_DUE_EVIDENCE = f"""SELECT p.id AS pid, p.name, 'evidence' AS kind, best.code AS what,
           pp.name AS person, best.due, {{worker}} AS worker
    FROM best JOIN providers p ON p.id = best.pid
    LEFT JOIN provider_people pp ON pp.id = best.person
    WHERE p.deleted_at IS NULL AND {LISTED_SQL}
      AND (pp.id IS NULL OR (pp.left_on IS NULL AND pp.deleted_at IS NULL))"""

_DUE_CERTIFICATES = f"""SELECT p.id AS pid, p.name, 'certificate' AS kind,
           certs.attendee_name AS what, NULL AS person, certs.due, {{worker}} AS worker
    FROM certs JOIN providers p ON p.id = certs.provider_id
    WHERE certs.due BETWEEN :s AND :h AND p.deleted_at IS NULL AND {LISTED_SQL}"""

_DUE_REVIEWS = f"""SELECT p.id AS pid, p.name, 'review' AS kind, 'review' AS what,
           NULL AS person, q.next_review_on AS due, q.checked_by AS worker
    FROM providers p JOIN qa_checks q ON q.rowid = (
        SELECT q2.rowid FROM qa_checks q2 WHERE q2.provider_id = p.id
          AND q2.deleted_at IS NULL ORDER BY q2.checked_on DESC, q2.rowid DESC LIMIT 1)
    WHERE p.deleted_at IS NULL AND {LISTED_SQL} AND q.next_review_on IS NOT NULL
      AND q.next_review_on <= :h AND q.next_review_on >= :s"""

# The radar's order: soonest first, then by provider; ties by kind, what and person so that
# every list of the radar (Home's few, the Quality section's all) agrees line for line.
_DUE_ORDER = """substr(due, 1, 10), name,
    CASE kind WHEN 'evidence' THEN 0 WHEN 'certificate' THEN 1 ELSE 2 END, what, person"""


def _due_union(with_workers: bool) -> str:
    worker = _WORKER if with_workers else "NULL"
    return (
        f"WITH {_DUE_CTES},\n    due AS ({_DUE_EVIDENCE.format(worker=worker)}\n"
        f"    UNION ALL {_DUE_CERTIFICATES.format(worker=worker)}\n"
        f"    UNION ALL {_DUE_REVIEWS})"
    )


def _due_row(r: dict[str, Any]) -> DueRow:
    due = date.fromisoformat(r["due"][:10])
    return DueRow(r["pid"], r["name"], r["kind"], r["what"], r["person"], due, r["worker"])


def due_by(store: Store, horizon: date, lapsed_since: date) -> list[DueRow]:
    """Evidence (the best item of each slot), certificates and QA reviews of listed
    providers due on or before `horizon`, or lapsed on or after `lapsed_since`, soonest
    first, each with who looks after the provider; grouped in SQL so it stays cheap on a
    county register."""
    params = {"h": horizon.isoformat(), "s": lapsed_since.isoformat()}
    rows = store.query(f"{_due_union(True)} SELECT * FROM due ORDER BY {_DUE_ORDER}", params)
    return [_due_row(r) for r in rows]


class DueSummary(NamedTuple):
    """How many are due in each band, and the soonest few (Home's radar)."""

    lapsed: int  # due before today: lapsed evidence and certificates, overdue reviews
    within_30: int  # due today up to 30 days ahead
    within_60: int
    within_90: int  # the rest, up to the horizon
    soonest: list[DueRow]  # without workers


def due_summary(
    store: Store,
    today: date,
    band_ends: tuple[date, date],
    horizon: date,
    lapsed_since: date,
    shown: int,
) -> DueSummary:
    """`due_by`'s counts per band and its `shown` soonest rows, counted and picked in SQL:
    a county register has hundreds due, and making each a Python row was half of Home's
    radar. Every row is within [lapsed_since, horizon]; the bands are before today, today
    to `band_ends[0]`, to `band_ends[1]`, and to the horizon (all inclusive). The rows name
    no worker (`workers_of` finds them for the few shown)."""
    params = {
        "h": horizon.isoformat(),
        "s": lapsed_since.isoformat(),
        "today": today.isoformat(),
        "d30": band_ends[0].isoformat(),
        "d60": band_ends[1].isoformat(),
        "limit": max(shown, 1),  # one row at least: it carries the counts
    }
    rows = store.query(
        f"""{_due_union(False)}
        SELECT *, COUNT(*) OVER () AS n_all,
               SUM(substr(due, 1, 10) < :today) OVER () AS n_lapsed,
               SUM(substr(due, 1, 10) BETWEEN :today AND :d30) OVER () AS n_30,
               SUM(substr(due, 1, 10) > :d30 AND substr(due, 1, 10) <= :d60) OVER () AS n_60
        FROM due ORDER BY {_DUE_ORDER} LIMIT :limit""",
        params,
    )
    if not rows:
        return DueSummary(0, 0, 0, 0, [])
    first = rows[0]
    lapsed, n30, n60 = int(first["n_lapsed"]), int(first["n_30"]), int(first["n_60"])
    n90 = int(first["n_all"]) - lapsed - n30 - n60
    return DueSummary(lapsed, n30, n60, n90, [_due_row(r) for r in rows[:shown]])


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
