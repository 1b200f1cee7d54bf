"""A provider's people: the owner (the lead contact) and, with staff, a few workers, some
of them not one-to-one and one now and then who has left. Drawn from their own random
stream, so every table written before them stays byte-identical. The owner's DBS is the
evidence already written for the provider (an item for no one in particular counts for the
owner); a worker's is missing until recorded, which is the register's work to do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from microcare_tui.demo.chance import between, id_on
from microcare_tui.demo.context import Context
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import random_person

MAX_WORKERS = 3  # a micro-provider's workers named on the register


def write_people(ctx: Context, plans: list[Plan]) -> None:
    """The owner of every provider and up to three workers of those with staff."""
    rng = ctx.rng("people")

    def rows() -> Iterator[dict[str, Any]]:
        for p in plans:
            yield {
                "id": id_on(rng, p.start), "provider_id": p.id, "name": p.lead.name,
                "role": "owner", "works_one_to_one": 1, "phone": p.phone, "email": None,
                "left_on": None,
            }  # fmt: skip
            for _ in range(min(MAX_WORKERS, max(0, p.staff - 1))):
                joined = between(rng, p.start, max(p.start, p.end))
                left = None
                if rng.random() < 0.1 and joined < p.end - timedelta(days=30):
                    left = between(rng, joined + timedelta(days=30), p.end).isoformat()
                yield {
                    "id": id_on(rng, joined), "provider_id": p.id,
                    "name": random_person(rng).name,
                    "role": "volunteer" if rng.random() < 0.1 else "worker",
                    "works_one_to_one": int(rng.random() < 0.7), "phone": None,
                    "email": None, "left_on": left,
                }  # fmt: skip

    total = sum(1 + min(MAX_WORKERS, max(0, p.staff - 1)) for p in plans)
    ctx.write("provider_people", rows(), total)
