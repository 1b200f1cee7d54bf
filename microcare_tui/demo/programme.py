"""The development programme around each provider: visits, training (courses, sessions and
who came), seed-fund grants and the quarterly returns of active providers."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.chance import Choice, between, id_on, iso, local_ms, uuid7
from microcare_tui.demo.context import Context
from microcare_tui.demo.phrases import (
    COURSES,
    GRANT_PURPOSES,
    GRANT_PURPOSES_FOR,
    TRAINERS,
    VISIT_ACTIONS,
    VISIT_NOTES,
)
from microcare_tui.demo.pipeline import stall, stalled_gaps, visit_action, visit_minutes
from microcare_tui.demo.plan import Plan, stage_on
from microcare_tui.demo.vocabulary import WORKER, random_person
from microcare_tui.domain import rules
from microcare_tui.store import reference

_KINDS_BY_STAGE = {
    "enquiry": ["development"], "developing": ["development"], "checks": ["qa", "development"],
    "registered": ["review", "support"], "active": ["review", "support", "support"],
    "paused": ["support"], "ceased": ["closure"],
}  # fmt: skip
_COURSE_WEIGHTS = [9, 7, 5, 4, 4, 6, 5, 3, 3, 3]


def write_visits(ctx: Context, plans: list[Plan], total: int) -> None:
    """Write `total` visits, spread over providers by how long they have been with us."""
    rng = ctx.rng("visits")
    if not plans or total <= 0:
        ctx.counts["visits"] = 0
        return
    weights = [max(30, (p.end - p.start).days) * (1.6 if p.stage in ("developing", "checks")
                                                   else 1.0) for p in plans]  # fmt: skip
    per = [0] * len(plans)
    for i in rng.choices(range(len(plans)), weights, k=total):
        per[i] += 1

    extra = ctx.rng("visit-extras")  # durations and actions: a stream of their own
    actions: list[dict[str, Any]] = []
    gaps = stalled_gaps(ctx, plans)

    def rows() -> Iterator[dict[str, Any]]:
        for p, n in zip(plans, per, strict=True):
            for visit in _visits(rng, p, n) if n else ():
                if p.id in gaps:
                    stall(visit, p, gaps[p.id])
                visit["duration_minutes"] = visit_minutes(extra, visit["kind"])
                if visit["actions"]:
                    actions.append(visit_action(extra, visit, ctx.today))
                yield visit

    ctx.write("visits", rows(), total)
    ctx.write("actions", actions, len(actions))


def _visits(rng: random.Random, p: Plan, n: int) -> Iterator[dict[str, Any]]:
    """The provider's `n` visits: the first on the day it started, a closing one if it ceased."""
    days = sorted(between(rng, p.start, p.end) for _ in range(n))
    days[0] = p.start
    if p.stage == "ceased" and n > 1:
        days[-1] = p.end
    for k, day in enumerate(days):
        if k == 0:
            kind = "initial"
        elif p.stage == "ceased" and k == n - 1:
            kind = "closure"
        else:
            kind = rng.choice(_KINDS_BY_STAGE.get(stage_on(p, day), ["support"]))
        if k + 1 < n:
            next_on: date | None = days[k + 1] if days[k + 1] > day else None
        elif p.stage != "ceased":
            next_on = day + timedelta(days=rng.randint(14, 90))
        else:
            next_on = None
        note = rng.choice(VISIT_NOTES[kind]).format(town=p.town,
                                                     people=rng.randint(2, 9))  # fmt: skip
        yield {
            "id": id_on(rng, day), "provider_id": p.id, "visited_on": day.isoformat(),
            "kind": kind, "notes": note,
            "actions": rng.choice(VISIT_ACTIONS) if rng.random() < 0.35 else None,
            "next_visit_on": next_on.isoformat() if next_on else None,
            "worker": WORKER(rng),
        }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Training


def write_training(ctx: Context, plans: list[Plan], total: int) -> None:
    """Write the courses, sessions over the last two years (and the next two months), and
    `total` places on them taken by providers who had started by then."""
    rng = ctx.rng("training")
    evidence_codes = {t.code for t in reference.evidence_types(ctx.store)}
    courses = []
    for title, topic, code, months in COURSES:
        if code not in evidence_codes:
            code, months = None, None
        courses.append({
            "id": id_on(rng, ctx.today - timedelta(days=760)), "title": title, "topic": topic,
            "evidence_type_code": code, "validity_months": months,
        })  # fmt: skip
    ctx.write("training_courses", courses, len(courses))

    sessions, attendance = _sessions(ctx, rng, plans, courses, total)
    ctx.write("training_sessions", sessions, len(sessions))

    course_by_id = {c["id"]: c for c in courses}

    def rows() -> Iterator[dict[str, Any]]:
        for session_index, who in attendance:
            session = sessions[session_index]
            course = course_by_id[session["course_id"]]
            held = date.fromisoformat(session["starts_at"][:10])
            for i in who:
                yield _attendance(rng, ctx.today, plans[i], session, course, held)

    ctx.write("training_attendance", rows(), total)


def _sessions(
    ctx: Context, rng: random.Random, plans: list[Plan], courses: list[dict[str, Any]], total: int
) -> tuple[list[dict[str, Any]], list[tuple[int, list[int]]]]:
    """Sessions until `total` places are taken, and (session index, provider indexes) each."""
    sessions: list[dict[str, Any]] = []
    attendance: list[tuple[int, list[int]]] = []  # (session index, provider indexes)
    by_start = sorted(range(len(plans)), key=lambda i: plans[i].start)
    starts = [plans[i].start for i in by_start]
    remaining = total
    pick_course = Choice(range(len(courses)), _COURSE_WEIGHTS)
    attempts = 0
    while remaining > 0 and plans and attempts < total * 4 + 100:
        attempts += 1
        when, session = _session(ctx, rng, courses, pick_course)
        sessions.append(session)
        # Attendees: providers already started and not yet ceased on the day (drawn at random
        # from those started, rather than scanning them all: the large scale has 10,000).
        started = bisect.bisect_right(starts, when)
        size = min(remaining, session["capacity"] - rng.randint(0, 4), started)
        who: list[int] = []
        for _ in range(size * 3):
            if len(who) >= size:
                break
            i = by_start[rng.randrange(started)]
            alive = plans[i].stage != "ceased" or plans[i].end >= when
            if alive and i not in who:
                who.append(i)
        if who:
            attendance.append((len(sessions) - 1, who))
            remaining -= len(who)
    return sessions, attendance


def _session(
    ctx: Context, rng: random.Random, courses: list[dict[str, Any]], pick_course: Choice[int]
) -> tuple[date, dict[str, Any]]:
    """A weekday session of a course somewhere in Kent (or online): its day and row."""
    when = between(rng, ctx.today - timedelta(days=700), ctx.today + timedelta(days=60))
    if when.weekday() >= 5:
        when -= timedelta(days=when.weekday() - 4)
    course = pick_course(rng)
    area = rng.randrange(len(ctx.areas))
    capacity = rng.choice([8, 10, 12, 12, 14, 16])
    online = rng.random() < 0.25
    place = rng.choice(["Library", "Community Centre", "Gateway", "Village Hall"])
    venue = "Online (Teams)" if online else f"{ctx.town(rng, area)} {place}"
    start_s = rng.choice([9 * 3600 + 1800, 10 * 3600, 13 * 3600 + 1800, 18 * 3600])
    return when, {
        "id": uuid7(rng, local_ms(when, start_s)), "course_id": courses[course]["id"],
        "starts_at": iso(local_ms(when, start_s)), "venue": venue,
        "trainer": rng.choice(TRAINERS), "capacity": capacity,
    }  # fmt: skip


def _attendance(
    rng: random.Random,
    today: date,
    p: Plan,
    session: dict[str, Any],
    course: dict[str, Any],
    held: date,
) -> dict[str, Any]:
    if held >= today:
        status = "booked" if rng.random() < 0.8 else "invited"
    else:
        status = rng.choices(["attended", "no_show", "cancelled"], [85, 8, 7])[0]
    name = p.lead.name if p.staff <= 1 or rng.random() < 0.6 else random_person(rng).name
    expires = None
    if status == "attended" and course["validity_months"]:
        expires = rules.add_months(held, int(course["validity_months"])).isoformat()
    return {
        "id": id_on(rng, min(held, today)), "session_id": session["id"],
        "provider_id": p.id, "attendee_name": name, "status": status,
        "certificate_expires_on": expires,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Grants and returns


def write_grants(ctx: Context, plans: list[Plan], total: int) -> None:
    """Write `total` seed-fund grants to providers that developed (more to those listed)."""
    rng = ctx.rng("grants")
    eligible = [p for p in plans if len(p.moves) > 1 and p.moves[1][1] == "developing"]
    if not eligible or total <= 0:
        ctx.counts["grants"] = 0
        return
    weights = [3.0 if p.listed_from else 1.0 for p in eligible]

    def rows() -> Iterator[dict[str, Any]]:
        for p in rng.choices(eligible, weights, k=total):
            purposes = GRANT_PURPOSES + [
                purpose for code in p.services for purpose in GRANT_PURPOSES_FOR.get(code, ())
            ] * 2  # fmt: skip
            developing_on = p.moves[1][2]
            latest = min(ctx.today, developing_on + timedelta(days=180))
            applied = between(rng, developing_on, latest)
            requested = rng.randrange(100, 1001, 10) * 100
            awarded = decided = paid = None
            status = "applied"
            if (ctx.today - applied).days > 14:
                decided = min(ctx.today, applied + timedelta(days=rng.randint(7, 30)))
                if rng.random() < 0.1:
                    status = "declined"
                else:
                    awarded = requested
                    if rng.random() < 0.2:  # part-funded, to the nearest £10
                        awarded = int(requested * rng.uniform(0.5, 0.9)) // 1000 * 1000
                    paid_on = decided + timedelta(days=rng.randint(3, 21))
                    status, paid = ("paid", paid_on) if paid_on <= ctx.today else ("awarded", None)
            yield {
                "id": id_on(rng, applied), "provider_id": p.id,
                "purpose": rng.choice(purposes), "amount_requested_pence": requested,
                "amount_awarded_pence": awarded, "status": status,
                "applied_on": applied.isoformat(),
                "decided_on": decided.isoformat() if decided else None,
                "paid_on": paid.isoformat() if paid else None,
            }  # fmt: skip

    ctx.write("grants", rows(), total)


def _quarters(start: date, end: date) -> Iterator[tuple[date, date]]:
    """Calendar quarters that end after `start` and on or before `end`."""
    q_start = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while True:
        q_end = rules.add_months(q_start, 3) - timedelta(days=1)
        if q_end > end:
            return
        yield q_start, q_end
        q_start = rules.add_months(q_start, 3)


def write_returns(ctx: Context, plans: list[Plan]) -> None:
    """Write the quarterly returns of providers while active (not every quarter is sent)."""
    rng = ctx.rng("returns")
    active = [p for p in plans if p.active_from]

    def rows() -> Iterator[dict[str, Any]]:
        for p in active:
            assert p.active_from is not None
            size = rng.triangular(1, 12, 5)
            until = min(p.active_until or ctx.today, ctx.today)
            for q_start, q_end in _quarters(p.active_from, until):
                if rng.random() > 0.8:
                    continue  # not every provider sends every return
                people = max(1, min(12, round(size + rng.uniform(-1.5, 1.5))))
                hours = max(5.0, min(60.0, round(people * rng.uniform(3.5, 7.0) * 2) / 2))
                on_dp = sum(1 for _ in range(people) if rng.random() < p.dp_share)
                yield {
                    "id": id_on(rng, min(q_end + timedelta(days=14), ctx.today)),
                    "provider_id": p.id, "period_start": q_start.isoformat(),
                    "period_end": q_end.isoformat(), "people_supported": people,
                    "hours_per_week": hours, "people_on_direct_payments": on_dp,
                    "hourly_rate_pence": p.rate,
                }  # fmt: skip

    ctx.write("provider_returns", rows(), len(active) * 6)
