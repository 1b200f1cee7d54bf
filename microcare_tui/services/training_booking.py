"""Booking people on a training session: who can be booked, and the booking with its
checks (capacity, a place already, a cancelled or past session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microcare_tui.domain.errors import NotFound
from microcare_tui.domain.training import AttendanceStatus, SessionState, check_booking
from microcare_tui.services.training import session_day
from microcare_tui.store import training as repo
from microcare_tui.store.db import Store


@dataclass(frozen=True)
class BookableLine:
    """Someone who can be booked: a provider's person, or its lead contact."""

    person_id: str | None
    provider_id: str
    name: str
    provider: str
    role: str


def find_bookable(db: Store, text: str, limit: int = 40) -> list[BookableLine]:
    """People whose name, or whose provider's name, holds `text`."""
    return [
        BookableLine(r["person_id"], r["provider_id"], r["name"], r["provider_name"], r["role"])
        for r in repo.bookable_people(db, text, limit)
    ]


def book(
    db: Store,
    session_id: str,
    who: BookableLine,
    today: date,
    over_capacity: bool = False,
) -> str:
    """Book `who` on a session; returns the attendance id. BookingRefused (nothing saved)
    when the session was cancelled or held, they have a place, or it is full (unless
    `over_capacity`, the worker having said yes)."""
    with db.transaction():
        row = repo.session(db, session_id)
        if row is None:
            raise NotFound("That session is no longer in the training list.")
        state = SessionState(
            held_on=session_day(row["starts_at"]),
            capacity=row["capacity"],
            places_taken=int(row["taken"] or 0),
            cancelled=bool(row["cancelled_on"]),
        )
        booked = repo.has_place(db, session_id, who.provider_id, who.person_id, who.name)
        check_booking(state, booked, who.name, today, over_capacity)
        saved = repo.write(
            db,
            "training_attendance",
            {
                "session_id": session_id,
                "provider_id": who.provider_id,
                "person_id": who.person_id,
                "attendee_name": who.name,
                "status": AttendanceStatus.BOOKED.value,
            },
        )
    return str(saved["id"])
