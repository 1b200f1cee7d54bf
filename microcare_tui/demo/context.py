"""What every step of the demo shares: the store, the seed's random streams, today, the areas
and services it reads once, and the batched writer that puts rows through the store."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from microcare_tui.demo.vocabulary import KENT_TOWNS
from microcare_tui.domain import models as m
from microcare_tui.store import reference
from microcare_tui.store.db import Store

Progress = Callable[[str, int, int], None]

BATCH_ROWS = 10_000


@dataclass
class Context:
    """The generator's state: read once from the store, shared by the planner and writers."""

    store: Store
    seed: int
    today: date
    progress: Progress
    areas: list[m.Area]
    area_index: dict[str, int]
    neighbours: list[list[int]]
    services: list[m.ServiceType]
    labels: dict[str, str]
    counts: dict[str, int]
    districts: list[list[str]]  # per area, the postcode districts that map back to it

    @classmethod
    def load(cls, store: Store, seed: int, today: date, progress: Progress) -> Context:
        """The context for a run on `store`: its areas (with neighbours and postcode districts)
        and service catalogue, read once."""
        areas = reference.areas(store)
        services = reference.service_types(store)
        area_index = {a.id: i for i, a in enumerate(areas)}
        district_owner = reference.district_map(store)
        return cls(
            store=store,
            seed=seed,
            today=today,
            progress=progress,
            areas=areas,
            area_index=area_index,
            neighbours=[[area_index[n] for n in a.neighbours if n in area_index] for a in areas],
            services=services,
            labels={s.code: s.label for s in services},
            counts={},
            districts=[
                [d.upper() for d in a.postcode_districts if district_owner.get(d.upper()) == a.id]
                for a in areas
            ],  # fmt: skip
        )

    def rng(self, part: str) -> random.Random:
        """An independent stream per part, so changing one part leaves the others alone."""
        return random.Random(f"microcare-demo:{self.seed}:{part}")

    def town(self, rng: random.Random, area: int) -> str:
        """A town in the area (the area's own name where no towns are known)."""
        name = self.areas[area].name
        return rng.choice(KENT_TOWNS.get(name) or [name])

    def write(self, table: str, rows: Iterable[dict[str, Any]], total: int,
              after: Callable[[list[dict[str, Any]]], None] | None = None) -> int:  # fmt: skip
        """Insert rows in batches, one transaction each, reporting progress."""
        done = 0
        self.progress(table, 0, total)
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            nonlocal done
            with self.store.transaction():
                self.store.insert_many(table, batch)
                if after is not None:
                    after(batch)
            done += len(batch)
            self.progress(table, done, max(total, done))
            batch.clear()

        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                flush()
        if batch:
            flush()
        self.counts[table] = self.counts.get(table, 0) + done
        return done
