"""Training for the providers' people: certificate courses three years back (so some
certificates have lapsed and some lapse in the next 30/60/90 days), renewals booked on
sessions to come, and each certificate as an evidence item of the person.

It draws from its own random stream ('training-people') and writes only when provider
people exist (the people part of the demo writes them): the parts before it stay exactly
as they were. A lapsed certificate goes only to providers not listed (still developing,
in checks or paused), so it does not change who is in good standing in the demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.chance import between, id_on, iso, local_ms, uuid7
from microcare_tui.demo.context import Context
from microcare_tui.demo.phrases import TRAINERS
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import WORKER
from microcare_tui.domain import rules
from microcare_tui.store import training as repo

_TRAINED_STAGES = {"developing", "checks", "registered", "active", "paused"}
_LISTED = {"registered", "active"}
_SHARE = 0.6  # of the people of those providers, who have a certificate
_EXPIRY_SPAN = (-60, 420)  # days from today that their certificates lapse (listed: from +1)
_STARTS = [9 * 3600 + 1800, 10 * 3600, 13 * 3600 + 1800]


def write_people_training(ctx: Context, plans: list[Plan]) -> None:
    """Sessions, attendance and certificates (evidence items) for provider people."""
    people = repo.people_by_provider(ctx.store)
    courses = [c for c in repo.courses(ctx.store) if c["evidence_type_code"]]
    if not people or not courses:
        return  # no people recorded (or no certificate course): nothing to write
    rng = ctx.rng("training-people")
    sessions: dict[tuple[str, date], dict[str, Any]] = {}
    attendance: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    renewals: list[tuple[Plan, str, str, dict[str, Any]]] = []
    for p in plans:
        if p.stage not in _TRAINED_STAGES:
            continue
        for person_id, name in people.get(p.id, []):
            if rng.random() > _SHARE:
                continue
            course = rng.choice(courses)
            months = int(course["validity_months"] or 36)
            low = 1 if p.stage in _LISTED else _EXPIRY_SPAN[0]
            expires = ctx.today + timedelta(days=rng.randint(low, _EXPIRY_SPAN[1]))
            held = _weekday(rules.add_months(expires, -months))
            session = _session(ctx, rng, sessions, course, held)
            row = _attended(rng, p, person_id, name, session, held, expires)
            item = _certificate(rng, p, person_id, name, course, held, expires)
            row["evidence_item_id"] = item["id"]
            attendance.append(row)
            evidence.append(item)
            if 0 <= (expires - ctx.today).days <= 90 and rng.random() < 0.5:
                renewals.append((p, person_id, name, course))
    for p, person_id, name, course in renewals:
        day = _weekday(ctx.today + timedelta(days=rng.randint(5, 45)))
        session = _session(ctx, rng, sessions, course, day)
        attendance.append({
            "id": id_on(rng, ctx.today), "session_id": session["id"], "provider_id": p.id,
            "person_id": person_id, "attendee_name": name, "status": "booked",
            "certificate_expires_on": None, "evidence_item_id": None,
        })  # fmt: skip
    ordered = sorted(sessions.values(), key=lambda s: s["starts_at"])
    ctx.write("training_sessions", iter(ordered), len(ordered))
    ctx.write("evidence_items", iter(evidence), len(evidence))
    ctx.write("training_attendance", iter(attendance), len(attendance))


def _weekday(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _session(
    ctx: Context,
    rng: random.Random,
    sessions: dict[tuple[str, date], dict[str, Any]],
    course: dict[str, Any],
    day: date,
) -> dict[str, Any]:
    """The course's session that week (made the first time it is needed)."""
    week = day - timedelta(days=day.weekday())
    key = (course["id"], week)
    if key not in sessions:
        held = between(rng, week, week + timedelta(days=4))
        start = local_ms(held, rng.choice(_STARTS))
        area = rng.randrange(len(ctx.areas))
        sessions[key] = {
            "id": uuid7(rng, start), "course_id": course["id"], "starts_at": iso(start),
            "venue": f"{ctx.town(rng, area)} {rng.choice(['Library', 'Village Hall'])}",
            "trainer": rng.choice(TRAINERS), "capacity": rng.choice([10, 12, 14]),
            "cancelled_on": None,
        }  # fmt: skip
    return sessions[key]


def _attended(
    rng: random.Random, p: Plan, person_id: str, name: str, session: dict[str, Any],
    held: date, expires: date,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id_on(rng, held), "session_id": session["id"], "provider_id": p.id,
        "person_id": person_id, "attendee_name": name, "status": "attended",
        "certificate_expires_on": expires.isoformat(), "evidence_item_id": None,
    }  # fmt: skip


def _certificate(
    rng: random.Random, p: Plan, person_id: str, name: str, course: dict[str, Any],
    held: date, expires: date,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": id_on(rng, held), "provider_id": p.id, "person_id": person_id,
        "evidence_type_code": course["evidence_type_code"], "status": "met",
        "reference": None, "issued_on": held.isoformat(), "expires_on": expires.isoformat(),
        "seen_by": WORKER(rng), "seen_on": held.isoformat(),
        "note": f"{name} attended {course['title']} (training record)",
    }  # fmt: skip
