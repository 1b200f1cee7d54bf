"""The checklist lines and actions of the demo's QA checks, and concerns, complaints and
compliments about its providers.

Each draws from its own random stream ("qa-items", "concerns") and only adds rows to tables
the older demo never wrote, so the older tables stay byte-identical (tests/demo/test_demo.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.chance import between, id_on
from microcare_tui.demo.context import Context
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import WORKER
from microcare_tui.store import qa_checks as qa_repo

_ACTIONS = [
    "Send a copy of the renewed public liability certificate",
    "Update the lone working policy",
    "Add the complaints procedure to the leaflet",
    "Book safeguarding refresher training",
    "Register with the ICO and send the number",
    "Send two references from clients",
]
_COMPLIMENTS = [
    "Always on time and cheerful; Mum looks forward to the visits",
    "Went out of their way to fetch a prescription in the snow",
    "Thank you card passed on by the social worker",
    "The group has given Dad his confidence back",
    "Kind, patient and reliable: would recommend to anyone",
]
_COMPLAINTS = [
    ("Arrived late three times in a month", "low"),
    ("Shopping receipts not kept", "medium"),
    ("Cancelled at short notice without telling the family", "medium"),
    ("Charged for a visit that did not happen", "medium"),
    ("Rude to a neighbour who called in", "low"),
]
_SAFEGUARDING = [
    ("Client said cash had gone missing from the house", "high"),
    ("Client found alone and distressed after a visit", "high"),
    ("Unexplained bruising noticed by a family member", "high"),
    ("Worker reported being asked to lend money", "medium"),
]
RAISED_BY = ["Daughter of a client", "Son of a client", "Social worker", "Client", "GP practice",
              "Neighbour of a client", "Care navigator"]  # fmt: skip
_RESTRICTED = [
    "Family contact details held by the safeguarding team; do not share.",
    "Client has capacity; wishes recorded by the social worker.",
    None,
]


def write_check_items(ctx: Context) -> None:
    """Checklist lines for each provider's latest QA check (from the evidence on file that
    day), and an action for each check approved with actions (older ones done)."""
    rng = ctx.rng("qa-items")
    store = ctx.store
    latest = qa_repo.latest_check_per_provider(store)
    evidence: dict[str, list[dict[str, Any]]] = {}
    for row in qa_repo.all_evidence(store):
        evidence.setdefault(row["provider_id"], []).append(row)

    def items() -> Iterator[dict[str, Any]]:
        for check in latest:
            yield from _lines(rng, check, evidence.get(check["provider_id"], []))

    ctx.write("qa_check_items", items(), len(latest) * 12)
    with_actions = qa_repo.checks_with_outcome(store, "approved_with_actions")

    def actions() -> Iterator[dict[str, Any]]:
        for check in with_actions:
            on = date.fromisoformat(check["checked_on"])
            due = on + timedelta(days=rng.choice([14, 30, 30, 60]))
            done = None
            if due < ctx.today - timedelta(days=14) or rng.random() < 0.3:
                done = min(between(rng, on, due + timedelta(days=10)), ctx.today).isoformat()
            yield {
                "id": id_on(rng, on), "provider_id": check["provider_id"], "source": "qa_check",
                "source_id": check["id"], "description": rng.choice(_ACTIONS),
                "due_on": due.isoformat(), "done_on": done, "worker": WORKER(rng),
            }  # fmt: skip

    ctx.write("actions", actions(), len(with_actions))


def _lines(
    rng: random.Random, check: dict[str, Any], on_file: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    on = check["checked_on"]
    seen: set[str] = set()
    failing = check["outcome"] != "approved"
    for item in on_file:
        code = item["evidence_type_code"]
        if code in seen:
            continue
        seen.add(code)
        note: str | None
        if item["status"] == "not_applicable":
            result, note = "not_applicable", "No employees"
        elif item["status"] == "met" and (item["expires_on"] or on) >= on:
            result, note = "met", rng.choice([None, None, "Original seen", "Online check"])
        else:
            result, note = "not_met", "Not seen at the check"
        if failing and result == "met" and rng.random() < 0.15:
            result, note = "not_met", "Out of date; renewal promised"
        yield {
            "id": id_on(rng, date.fromisoformat(on)), "qa_check_id": check["id"],
            "evidence_type_code": code, "person_id": None, "result": result, "note": note,
        }  # fmt: skip


def write_concerns(ctx: Context, plans: list[Plan]) -> None:
    """Compliments and complaints for some listed providers, and a few safeguarding concerns
    (a few still open, which suspend those providers' good standing)."""
    rng = ctx.rng("concerns")
    listed = [p for p in plans if p.listed_from]
    rows: list[dict[str, Any]] = []
    for p in listed:
        assert p.listed_from is not None
        until = min(p.listed_until or ctx.today, ctx.today)
        for _ in range(rng.choices([0, 1, 2, 3], [65, 22, 9, 4])[0]):
            rows.append(_compliment(rng, p, between(rng, p.listed_from, until)))
        if rng.random() < 0.15:
            rows.append(_complaint(rng, p, between(rng, p.listed_from, until), ctx.today))
    # A few open ones, on providers listed today; a few more closed, on any listed provider.
    current = [p for p in listed if p.stage in ("registered", "active")]
    opened = rng.sample(current, min(len(current), max(2, len(listed) // 60)))
    others = [p for p in listed if p not in opened]
    closed = rng.sample(others, min(len(others), max(1, len(listed) // 40)))
    for p in opened + closed:
        assert p.listed_from is not None
        still_open = p in opened
        start = ctx.today - timedelta(days=40) if still_open else p.listed_from
        raised = between(rng, max(start, p.listed_from), ctx.today)
        rows.append(_safeguarding(rng, p, raised, ctx.today, still_open))
    rows.sort(key=lambda r: r["id"])
    ctx.write("concerns", iter(rows), len(rows))


def _base(rng: random.Random, p: Plan, kind: str, raised: date, summary: str) -> dict[str, Any]:
    return {
        "id": id_on(rng, raised), "provider_id": p.id, "kind": kind,
        "raised_on": raised.isoformat(), "raised_by": rng.choice(RAISED_BY), "severity": None,
        "summary": summary, "referred_on": None, "status": "closed", "outcome": None,
        "closed_on": raised.isoformat(), "restricted_notes": None,
    }  # fmt: skip


def _compliment(rng: random.Random, p: Plan, raised: date) -> dict[str, Any]:
    return _base(rng, p, "compliment", raised, rng.choice(_COMPLIMENTS))


def _complaint(rng: random.Random, p: Plan, raised: date, today: date) -> dict[str, Any]:
    summary, severity = rng.choice(_COMPLAINTS)
    row = _base(rng, p, "complaint", raised, summary)
    row["severity"] = severity
    if (today - raised).days < 21 and rng.random() < 0.6:
        row.update(status="open", closed_on=None)
    else:
        outcome = rng.choices(["upheld", "partly_upheld", "not_upheld"], [3, 3, 4])[0]
        closed = min(raised + timedelta(days=rng.randint(7, 35)), today)
        row.update(outcome=outcome, closed_on=closed.isoformat())
    return row


def _safeguarding(
    rng: random.Random, p: Plan, raised: date, today: date, still_open: bool
) -> dict[str, Any]:
    summary, severity = rng.choice(_SAFEGUARDING)
    row = _base(rng, p, "safeguarding", raised, summary)
    referred = min(raised + timedelta(days=rng.randint(0, 2)), today)
    row.update(severity=severity, referred_on=referred.isoformat(),
               restricted_notes=rng.choice(_RESTRICTED))  # fmt: skip
    if still_open:
        row.update(status="open", closed_on=None)
    else:
        closed = min(raised + timedelta(days=rng.randint(14, 60)), today)
        outcome = rng.choices(["not_upheld", "no_further_action", "partly_upheld"], [5, 4, 1])[0]
        row.update(outcome=outcome, closed_on=closed.isoformat())
    return row
