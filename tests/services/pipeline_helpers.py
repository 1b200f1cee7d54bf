"""Providers with fixed dates for the pipeline's tests and snapshots (today is TODAY)."""

from __future__ import annotations

from datetime import date, timedelta

from microcare_tui.store import reference
from microcare_tui.store.db import Store
from tests.conftest import TODAY

# (name, stage, area, lead worker, days in stage, days since the last visit or None)
BOARD: list[tuple[str, str, str, str, int, int | None]] = [
    ("Oak Tree Companions", "enquiry", "Ashford", "Sam Tester", 3, None),
    ("Birch Home Help", "exploring", "Canterbury", "Priya Shah", 20, 5),
    ("Cedar Day Club", "developing", "Ashford", "Priya Shah", 90, 74),
    ("Damson Drivers", "developing", "Dover", "Sam Tester", 12, 12),
    ("Elm Wellbeing", "checks", "Ashford", "Sam Tester", 30, 2),
    ("Fern Shopping Help", "registered", "Maidstone", "Priya Shah", 200, 150),
    ("Gorse Gardening", "active", "Ashford", "", 400, 100),
    ("Hazel Sitters", "paused", "Dover", "Sam Tester", 61, 61),
    ("Ivy Meals", "ceased", "Canterbury", "Priya Shah", 300, 300),
]


def seed_board(store: Store, today: date = TODAY) -> dict[str, str]:
    """Write BOARD's providers, each with one stage move and maybe a visit; name -> id."""
    areas = {a.name: a.id for a in reference.areas(store)}
    ids: dict[str, str] = {}
    with store.transaction():
        for name, stage, area, lead, in_stage, last_visit in BOARD:
            since = today - timedelta(days=in_stage)
            row = store.write_row(
                "providers",
                {
                    "name": name,
                    "stage": stage,
                    "area_id": areas[area],
                    "lead_worker": lead or None,
                    "stage_changed_on": since.isoformat(),
                },
            )
            ids[name] = row["id"]
            store.write_row(
                "stage_moves",
                {
                    "provider_id": row["id"],
                    "from_stage": None,
                    "to_stage": stage,
                    "moved_on": since.isoformat(),
                    "note": "seeded",
                },
            )
            if last_visit is not None:
                store.write_row(
                    "visits",
                    {
                        "provider_id": row["id"],
                        "visited_on": (today - timedelta(days=last_visit)).isoformat(),
                        "kind": "development",
                    },
                )
    return ids
