"""Shared set-up for the training and register tests: providers with people, courses and
sessions around the fixed TODAY (Sunday 22/11/2026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.services import providers as ps
from microcare_tui.store.db import Store


@dataclass
class Seeded:
    """Ids of what `seed_training` made."""

    oak: m.Provider
    birch: m.Provider
    people: dict[str, str]  # name -> provider_people id
    first_aid: str  # course id (gives a first-aid certificate for 36 months)
    business: str  # course id (no certificate)
    upcoming: str  # session on Tue 24/11/2026, capacity 2
    held: str  # session on Fri 20/11/2026, three booked


def add_person(store: Store, provider_id: str, name: str, role: str = "worker") -> str:
    row = store.write_row(
        "provider_people", {"provider_id": provider_id, "name": name, "role": role}
    )
    return str(row["id"])


def add_session(
    store: Store, course_id: str, day: date, capacity: int | None = 12, venue: str = "Hall"
) -> str:
    starts = datetime.combine(day, time(10, 0)).astimezone()
    row = store.write_row(
        "training_sessions",
        {"course_id": course_id, "starts_at": starts, "venue": venue,
         "trainer": "Pat Trainer", "capacity": capacity},
    )  # fmt: skip
    return str(row["id"])


def book_row(store: Store, session_id: str, provider_id: str, person_id: str | None, name: str,
             status: str = "booked") -> str:  # fmt: skip
    row = store.write_row(
        "training_attendance",
        {"session_id": session_id, "provider_id": provider_id, "person_id": person_id,
         "attendee_name": name, "status": status},
    )  # fmt: skip
    return str(row["id"])


def seed_training(store: Store, **provider: Any) -> Seeded:
    """Two providers (Oak with two people, Birch with one), two courses, a held session with
    three booked and an upcoming one with room for two."""
    with store.transaction():
        oak = ps.save_provider(store, {"name": "Oak Tree Companions", "phone": "01233 629000",
                                       "postcode": "TN23 4AB", "services": ["companionship"],
                                       **provider})  # fmt: skip
        birch = ps.save_provider(store, {"name": "Birch Home Help", "postcode": "CT1 1AA",
                                         "services": ["home_help"]})  # fmt: skip
        people = {
            "Ann Owner": add_person(store, oak.id, "Ann Owner", "owner"),
            "Ben Worker": add_person(store, oak.id, "Ben Worker"),
            "Cara Helper": add_person(store, birch.id, "Cara Helper", "owner"),
        }
        first_aid = str(store.write_row("training_courses", {
            "title": "Emergency first aid", "topic": "first aid",
            "evidence_type_code": "first_aid", "validity_months": 36,
            "mandatory_for": '["all"]'})["id"])  # fmt: skip
        business = str(store.write_row("training_courses", {
            "title": "Pricing your service", "topic": "business"})["id"])  # fmt: skip
        held = add_session(store, first_aid, date(2026, 11, 20), capacity=10)
        upcoming = add_session(store, first_aid, date(2026, 11, 24), capacity=2)
        for name in ("Ann Owner", "Ben Worker"):
            book_row(store, held, oak.id, people[name], name)
        book_row(store, held, birch.id, people["Cara Helper"], "Cara Helper")
    return Seeded(oak, birch, people, first_aid, business, upcoming, held)
