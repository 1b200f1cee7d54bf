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
    """The action a visit noted, due two to six weeks on; done if it fell due a while ago
    (mostly), else still open: some overdue, some due this week."""
    visited = date.fromisoformat(visit["visited_on"])
    due = visited + timedelta(days=rng.randint(14, 42))
    done: date | None = None
    if due < today - timedelta(days=10) and rng.random() < 0.9:
        done = min(today, due - timedelta(days=rng.randint(-5, 10)))
        done = max(done, visited)
    return {
        "id": id_on(rng, visited), "provider_id": visit["provider_id"], "source": "visit",
        "source_id": visit["id"], "description": visit["actions"],
        "due_on": due.isoformat(), "done_on": done.isoformat() if done else None,
        "worker": visit["worker"] or DEMO_WORKER,
    }  # fmt: skip
