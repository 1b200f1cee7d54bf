"""A provider's people (owner, workers, volunteers): read and save through the change log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microcare_tui.store.db import Store

if TYPE_CHECKING:
    from microcare_tui.domain import models as m


def people_for(store: Store, provider_id: str) -> list[m.ProviderPerson]:
    """A provider's live people: current ones first (owner first), then those who left."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    people = records.find(store, m.ProviderPerson, provider_id=provider_id, order=("name",))
    return sorted(people, key=lambda p: (p.left_on is not None, p.role != "owner"))


def get_person(store: Store, person_id: str) -> m.ProviderPerson:
    """One person by id (NotFound when withdrawn)."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.get(store, m.ProviderPerson, person_id)


def save_person(store: Store, person: m.ProviderPerson) -> m.ProviderPerson:
    """Insert or update a person (logged)."""
    from microcare_tui.store import records

    with store.transaction():
        return records.save(store, person)
