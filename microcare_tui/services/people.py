"""A provider's people: the owner and each worker or volunteer (name, role, works one-to-one
or not). Personal data: the fewest fields that do the job, no copies of certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.parse import format_date, format_phone
from microcare_tui.store import people as repo
from microcare_tui.store import providers as providers_repo
from microcare_tui.store.db import Store

ROLES: list[tuple[str, str]] = [
    ("Owner", "owner"),
    ("Worker", "worker"),
    ("Volunteer", "volunteer"),
]


@dataclass(frozen=True)
class PersonLine:
    """One person as the record lists them."""

    id: str
    name: str
    role: str  # in words
    one_to_one: str  # 'works one-to-one' or 'not one-to-one'
    contact: str  # phone as people write it, or email, or ''
    left: str  # 'left 12/10/2026' or ''
    current: bool


def person_lines(db: Store, provider_id: str) -> list[PersonLine]:
    """A provider's people, current first (owner first), then those who have left."""
    words = {code: text for text, code in ROLES}
    return [
        PersonLine(
            id=p.id,
            name=p.name,
            role=words.get(p.role, p.role),
            one_to_one="works one-to-one" if p.works_one_to_one else "not one-to-one",
            contact=format_phone(p.phone) or p.email or "",
            left=f"left {format_date(p.left_on)}" if p.left_on else "",
            current=p.left_on is None,
        )
        for p in repo.people_for(db, provider_id)
    ]


def get_person(db: Store, person_id: str) -> m.ProviderPerson:
    """One person (NotFound when withdrawn)."""
    return repo.get_person(db, person_id)


def save_person(
    db: Store, provider_id: str, values: dict[str, Any], person_id: str | None = None
) -> m.ProviderPerson:
    """Validate and save a person of the provider; ValidationFailed names the bad fields."""
    providers_repo.get_provider(db, provider_id)  # NotFound for a withdrawn provider
    existing = repo.get_person(db, person_id) if person_id else None
    data = m.form_data(m.ProviderPerson, values, existing)
    data["provider_id"] = provider_id
    data["role"] = data.get("role") or "worker"
    if data["role"] not in {code for _, code in ROLES}:
        raise ValidationFailed({"role": "Choose owner, worker or volunteer"})
    person = m.validate_model(m.ProviderPerson, data)
    return repo.save_person(db, person)


def mark_left(db: Store, person_id: str, on: date | None = None) -> m.ProviderPerson:
    """Record that a person no longer works for the provider (nothing applies to them
    from then on; their history stays)."""
    person = repo.get_person(db, person_id)
    return repo.save_person(db, person.model_copy(update={"left_on": on or date.today()}))


def person_choices(db: Store, provider_id: str) -> list[tuple[str, str]]:
    """(name, id) of the provider's current people, for the evidence form."""
    return [(p.name, p.id) for p in repo.people_for(db, provider_id) if p.left_on is None]
