"""What the standing rule reads about providers, for many providers in a few statements.

services.standing decides a provider's standing and reasons with the domain's rule from the
provider's set-up, people, evidence items, latest QA check and its actions, and open
concerns. Read one provider at a time as models (the record's path) that is ~eight queries
and a few dozen validated models each: ~1.7 ms a provider, ~95 ms for the Quality section's
55 at county. Here each kind is one statement for all of them, and the rows become the
domain's plain states directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

from microcare_tui.domain.applicability import ItemState, PersonState, ProviderSetup
from microcare_tui.domain.enums import QAOutcome, Stage
from microcare_tui.domain.rules import ActionState, ConcernState, QAState
from microcare_tui.store.db import Store

_CHUNK = 500  # ids bound per statement (SQLite's older builds allow 999)


class StandingInputs(NamedTuple):
    """Everything the standing rule reads about one provider."""

    setup: ProviderSetup
    stage: Stage
    stage_since: date | None
    people: list[PersonState]  # current first (the owner first), then by name
    items: list[ItemState]  # live evidence items, as recorded
    latest_qa: QAState | None
    qa_actions: list[ActionState]  # the latest check's live actions, soonest due first
    concerns: list[ConcernState]  # open concerns, oldest first


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _chunks(ids: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    for at in range(0, len(ids), _CHUNK):
        part = list(ids[at : at + _CHUNK])
        yield ", ".join("?" * len(part)), part


def _rows(store: Store, sql: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """`sql` with `{ids}` for the bound ids, run per chunk of ids."""
    out: list[dict[str, Any]] = []
    for marks, part in _chunks(ids):
        out.extend(store.query(sql.format(ids=marks), part))
    return out


def standing_inputs(store: Store, provider_ids: Sequence[str]) -> dict[str, StandingInputs]:
    """The standing rule's inputs for each live provider of `provider_ids` (the others are
    left out), read in one statement per kind."""
    ids = list(dict.fromkeys(provider_ids))
    people: dict[str, list[PersonState]] = {}
    for r in _rows(
        store,
        """SELECT provider_id, id, name, works_one_to_one, left_on, role FROM provider_people
           WHERE deleted_at IS NULL AND provider_id IN ({ids})
           ORDER BY provider_id, left_on IS NOT NULL, role != 'owner', name, rowid""",
        ids,
    ):
        people.setdefault(r["provider_id"], []).append(
            PersonState(
                r["id"],
                r["name"],
                bool(r["works_one_to_one"]),
                r["left_on"] is not None,
                r["role"] == "owner",
            )  # fmt: skip
        )
    items: dict[str, list[ItemState]] = {}
    for r in _rows(
        store,
        """SELECT provider_id, id, evidence_type_code, person_id, status, expires_on,
                  cover_pence
           FROM evidence_items WHERE deleted_at IS NULL AND provider_id IN ({ids})
           ORDER BY rowid""",
        ids,
    ):
        items.setdefault(r["provider_id"], []).append(
            ItemState(
                r["id"],
                r["evidence_type_code"],
                r["person_id"] or None,
                r["status"],
                _day(r["expires_on"]),
                r["cover_pence"],
            )  # fmt: skip
        )
    latest: dict[str, tuple[str, QAState]] = {}
    for r in _rows(
        store,
        # The latest check as STANDING_SQL and the record pick it (newest date, then the
        # last recorded that day): one seek a provider, not every check it ever had.
        """SELECT provider_id, id, outcome, checked_on FROM qa_checks WHERE rowid IN (
             SELECT (SELECT q.rowid FROM qa_checks q
                     WHERE q.provider_id = p.id AND q.deleted_at IS NULL
                     ORDER BY q.checked_on DESC, q.rowid DESC LIMIT 1)
             FROM providers p WHERE p.id IN ({ids}))""",
        ids,
    ):
        checked = date.fromisoformat(r["checked_on"][:10])
        latest[r["provider_id"]] = (r["id"], QAState(QAOutcome(r["outcome"]), checked))
    actions: dict[str, list[ActionState]] = {}
    for r in _rows(
        store,
        """SELECT source_id, description, due_on, done_on FROM actions
           WHERE source = 'qa_check' AND source_id IN ({ids}) AND deleted_at IS NULL
           ORDER BY due_on""",
        [check_id for check_id, _ in latest.values()],
    ):
        actions.setdefault(r["source_id"], []).append(
            ActionState(r["description"], _day(r["due_on"]), r["done_on"] is not None)
        )
    concerns: dict[str, list[ConcernState]] = {}
    for r in _rows(
        store,
        """SELECT provider_id, kind, raised_on FROM concerns
           WHERE provider_id IN ({ids}) AND deleted_at IS NULL AND status = 'open'
           ORDER BY raised_on""",
        ids,
    ):
        raised = date.fromisoformat(r["raised_on"][:10])
        concerns.setdefault(r["provider_id"], []).append(ConcernState(r["kind"], raised, True))
    out: dict[str, StandingInputs] = {}
    for r in _rows(
        store,
        """SELECT id, stage, stage_changed_on, services, regulated_activity, cqc_exempt,
                  staff_count, legal_form
           FROM providers WHERE deleted_at IS NULL AND id IN ({ids})""",
        ids,
    ):
        pid = r["id"]
        setup = ProviderSetup(
            services=frozenset(json.loads(r["services"] or "[]")),
            regulated_activity=bool(r["regulated_activity"]),
            cqc_exempt=bool(r["cqc_exempt"]),
            staff_count=r["staff_count"],
            legal_form=r["legal_form"],
        )
        check_id, qa = latest.get(pid, (None, None))
        out[pid] = StandingInputs(
            setup, Stage(r["stage"]), _day(r["stage_changed_on"]), people.get(pid, []),
            items.get(pid, []), qa, actions.get(check_id, []) if check_id else [],
            concerns.get(pid, []),
        )  # fmt: skip
    return out
