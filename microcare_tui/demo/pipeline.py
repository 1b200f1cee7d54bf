"""The pipeline's demo data: a lead worker per provider, who made each stage move, how long
each visit took, and the actions visits left (with due dates, most done, some overdue).

Each draws from its own random stream, so the rows the demo wrote before these columns and
tables existed stay byte for byte the same (tests/demo/test_demo.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.chance import Choice, id_on
from microcare_tui.demo.context import Context
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import DEMO_WORKER, WORKERS

# The team lead keeps fewer providers of their own than each field worker.
LEAD = Choice(WORKERS, [22, 26, 26, 26])
# Minutes by kind of contact: (shortest, longest); email takes no time worth recording.
MINUTES = {
    "initial": (45, 120), "development": (30, 120), "qa": (60, 150), "review": (45, 90),
    "support": (20, 90), "closure": (20, 60), "phone": (5, 30),
}  # fmt: skip


def lead_workers(ctx: Context, plans: list[Plan]) -> dict[str, str | None]:
    """Provider id -> its lead worker (a few new enquiries have none yet). The same on every
    call for the same seed: the providers and their stage moves both use it."""
    rng = ctx.rng("lead-workers")
    leads: dict[str, str | None] = {}
    for p in plans:
        unassigned = p.stage == "enquiry" and rng.random() < 0.3
        leads[p.id] = None if unassigned else LEAD(rng)
    return leads


def visit_minutes(rng: random.Random, kind: str) -> int | None:
    """How long a visit of this kind took, in 5-minute steps (None for an email)."""
    span = MINUTES.get(kind)
    if span is None:
        return None
    return rng.randrange(span[0], span[1] + 1, 5)


def visit_action(rng: random.Random, visit: dict[str, Any], today: date) -> dict[str, Any]:
    """The action a visit noted, due two to six weeks on; done if it fell due over three weeks
    ago, else done or still open by chance: some overdue, some due this week."""
    visited = date.fromisoformat(visit["visited_on"])
    due = visited + timedelta(days=rng.randint(14, 42))
    done: date | None = None
    if due < today - timedelta(days=21) or rng.random() < 0.4:
        done = min(today, due - timedelta(days=rng.randint(-5, 10)))
        done = max(done, visited)
    return {
        "id": id_on(rng, visited), "provider_id": visit["provider_id"], "source": "visit",
        "source_id": visit["id"], "description": visit["actions"],
        "due_on": due.isoformat(), "done_on": done.isoformat() if done else None,
        "worker": visit["worker"] or DEMO_WORKER,
    }  # fmt: skip


STALLING_STAGES = ("enquiry", "developing", "checks", "paused")


def stalled_gaps(ctx: Context, plans: list[Plan]) -> dict[str, int]:
    """Provider id -> days since anyone was in touch, for about a third of the providers still
    in development whose last stage move is 60 days old or more: the board's stalled cards."""
    rng = ctx.rng("stalled")
    gaps: dict[str, int] = {}
    for p in plans:
        quiet = (p.end - p.moves[-1][2]).days  # a move is a contact too
        if p.stage not in STALLING_STAGES or quiet < 60 or rng.random() >= 0.35:
            continue
        gap = rng.randint(60, min(160, quiet))
        if p.end - timedelta(days=gap) > p.start + timedelta(days=7):
            gaps[p.id] = gap
    return gaps


def stall(visit: dict[str, Any], p: Plan, gap: int) -> None:
    """Squeeze a stalled provider's visit into the time before contact stopped (`gap` days
    before the end), keeping the order and spacing of its visits."""
    cutoff = p.end - timedelta(days=gap)
    span = max(1, (p.end - p.start).days)

    def squeeze(day: date) -> date:
        return p.start + timedelta(days=(day - p.start).days * (cutoff - p.start).days // span)

    visited = date.fromisoformat(visit["visited_on"])
    moved = squeeze(visited)
    visit["visited_on"] = moved.isoformat()
    if visit["next_visit_on"]:
        planned = date.fromisoformat(visit["next_visit_on"])
        after = squeeze(planned) if planned <= p.end else moved + (planned - visited)
        visit["next_visit_on"] = max(after, moved + timedelta(days=1)).isoformat()
