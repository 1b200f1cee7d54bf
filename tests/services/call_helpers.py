"""Shared by the call session tests: providers to signpost, a clock to move, small readers."""

from __future__ import annotations

from typing import Any

from microcare_tui.domain.enums import Stage
from microcare_tui.domain.query import LookupResult, LookupRow
from microcare_tui.services.call import CallSession
from microcare_tui.services.lookup import find_providers
from microcare_tui.services.providers import save_provider
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from tests.conftest import TODAY

PROVIDERS: list[dict[str, Any]] = [
    {"name": "Oak Tree Companions", "services": ["shopping", "companionship"],
     "postcode": "TN23 4AB", "days": ["tue", "wed"], "phone": "01233 629000"},
    {"name": "Beech Errand Helpers", "services": ["shopping"], "postcode": "TN24 8XY",
     "days": ["mon", "tue"], "phone": "07811 234567"},
    {"name": "Ash Lane Shopping", "services": ["shopping", "meals"], "postcode": "TN23 1AA",
     "days": ["tue", "thu"], "phone": "01233 612345"},
]  # fmt: skip


class Clock:
    """A call timer that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def seed_providers(store: Store) -> dict[str, str]:
    """Three good, taking, Tuesday shopping providers in Ashford: name -> id."""
    return {
        p.name: p.id
        for p in (save_provider(store, {"stage": Stage.ACTIVE.value, **v}) for v in PROVIDERS)
    }


def new_call(store: Store, clock: Clock | None = None) -> CallSession:
    return CallSession(store, TODAY, clock=clock or Clock())


def lookup(store: Store, text: str) -> LookupResult:
    return find_providers(store, text, today=TODAY)


def area_id(store: Store, name: str) -> str:
    return {a.name: a.id for a in reference.areas(store)}[name]


def row(provider_id: str, name: str, standing: str = "good", taking: bool = True) -> LookupRow:
    return LookupRow(provider_id, name, ["shopping"], "Ashford", ["tue"], standing, None, taking,
                     "in area")  # fmt: skip


def live_count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT COUNT(*) FROM {table} WHERE deleted_at IS NULL"))
