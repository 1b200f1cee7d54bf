"""Training's forms and the record's training part: a new session, a course in the
catalogue, cancelling a session, and one provider's training as the record shows it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from microcare_tui.domain.errors import MicrocareError, NotFound, ValidationFailed
from microcare_tui.domain.parse import parse_date, parse_whole_number
from microcare_tui.domain.training import MANDATORY_ALL, expiry_band, expiry_words, status_words
from microcare_tui.services.training import session_day, session_when
from microcare_tui.store import reference
from microcare_tui.store import training as repo
from microcare_tui.store.db import Store

Choice = tuple[str, str]  # (words shown, value)
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
DEFAULT_START = time(10, 0)


@dataclass(frozen=True)
class TrainingChoices:
    """The options of the session and course forms."""

    courses: list[Choice]
    evidence_types: list[Choice]
    mandatory: list[Choice]  # 'All providers' then each service


def training_choices(db: Store) -> TrainingChoices:
    """Courses for a new session; evidence types and 'mandatory for' for a course."""
    return TrainingChoices(
        courses=[(c["title"], c["id"]) for c in repo.courses(db)],
        evidence_types=[(t.label, t.code) for t in reference.evidence_types(db)],
        mandatory=[("All providers", MANDATORY_ALL)]
        + [(s.label, s.code) for s in reference.service_types(db)],
    )


def parse_time(text: str) -> time:
    """'9:30', '09.30', '14:00', '2pm', '10' -> a time of day; ValueError in words."""
    m = _TIME.match(text.strip().lower())
    if not m:
        raise ValueError(f"'{text}' is not a time: try 09:30 or 2pm")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "pm" and hour < 12:
        hour += 12
    elif m.group(3) == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text}' is not a time: try 09:30 or 2pm")
    return time(hour, minute)


def _text(values: dict[str, Any], key: str, longest: int = 120) -> str:
    return str(values.get(key) or "").strip()[:longest]


def _session_fields(db: Store, values: dict[str, Any], today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    course_id = values.get("course_id")
    if not course_id or repo.course(db, str(course_id)) is None:
        errors["course_id"] = "Choose the course (add one first with c in the course list)"
    out["course_id"] = course_id
    day: date | None = None
    try:
        day = parse_date(_text(values, "day"), today)
        if day < today:
            errors["day"] = "A new session is today or later (attendance is for held ones)"
    except ValueError as exc:
        errors["day"] = str(exc)
    start = DEFAULT_START
    if _text(values, "start"):
        try:
            start = parse_time(_text(values, "start"))
        except ValueError as exc:
            errors["start"] = str(exc)
    capacity = None
    if _text(values, "capacity"):
        try:
            capacity = parse_whole_number(_text(values, "capacity"), 1, 500)
        except ValueError as exc:
            errors["capacity"] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    out["starts_at"] = datetime.combine(day, start).astimezone()  # local time, stored UTC
    out.update(venue=_text(values, "venue") or None, trainer=_text(values, "trainer") or None,
               capacity=capacity)  # fmt: skip
    return out


def save_session(db: Store, values: dict[str, Any], today: date) -> str:
    """Add a session from the form's values (course_id, day, start, venue, trainer,
    capacity); returns its id. ValidationFailed by field, nothing saved."""
    row = _session_fields(db, values, today)
    with db.transaction():
        saved = repo.write(db, "training_sessions", row)
    return str(saved["id"])


def cancel_session(db: Store, session_id: str, today: date) -> str:
    """Call a session off (its list is kept, for the record); returns what to say."""
    row = repo.session(db, session_id)
    if row is None:
        raise NotFound("That session is no longer in the training list.")
    if row["cancelled_on"]:
        raise MicrocareError("This session is already cancelled.")
    if row["attended"]:
        raise MicrocareError("People attended this session: it cannot be cancelled.")
    with db.transaction():
        repo.write(db, "training_sessions", {"id": session_id, "cancelled_on": today})
    booked = int(row["taken"] or 0)
    tell = f" Tell the {booked} booked." if booked else ""
    return f"Cancelled {row['title']} on {session_when(row['starts_at'])}.{tell}"


def save_course(db: Store, values: dict[str, Any]) -> str:
    """Add a course to the catalogue (title, topic, evidence_type_code, validity_months,
    mandatory_for); returns its id. ValidationFailed by field, nothing saved."""
    errors: dict[str, str] = {}
    title = _text(values, "title")
    if len(title) < 2:
        errors["title"] = "Give the course a title (at least 2 characters)"
    code = values.get("evidence_type_code") or None
    known = {t.code for t in reference.evidence_types(db)}
    if code is not None and code not in known:
        errors["evidence_type_code"] = f"'{code}' is not an evidence type"
    months = None
    if _text(values, "validity_months"):
        try:
            months = parse_whole_number(_text(values, "validity_months"), 1, 240)
        except ValueError as exc:
            errors["validity_months"] = str(exc)
        if code is None and "validity_months" not in errors:
            errors["validity_months"] = "Only a course that gives a certificate has a validity"
    mandatory = [str(v) for v in values.get("mandatory_for") or []]
    services = {s.code for s in reference.service_types(db)} | {MANDATORY_ALL}
    unknown = [v for v in mandatory if v not in services]
    if unknown:
        errors["mandatory_for"] = f"Not a service: {', '.join(unknown)}"
    if errors:
        raise ValidationFailed(errors)
    row = {"title": title, "topic": _text(values, "topic") or None,
           "evidence_type_code": code, "validity_months": months,
           "mandatory_for": mandatory}  # fmt: skip
    with db.transaction():
        saved = repo.write(db, "training_courses", row)
    return str(saved["id"])


# -- the provider record's training part -----------------------------------------------------


@dataclass(frozen=True)
class PlaceLine:
    """A place a provider's person had on a session."""

    when: str  # 'Tue 24/11/2026 09:30'
    title: str
    who: str
    status: str  # '✓ attended', '· booked', ...
    upcoming: bool


@dataclass(frozen=True)
class HeldCertificate:
    """A provider's person's latest certificate of a kind."""

    who: str
    what: str
    words: str  # '! expired 12/10/2026', 'valid to 01/02/2029'
    band: int | None


@dataclass(frozen=True)
class ProviderTraining:
    """The training part of a provider's record."""

    certificates: list[HeldCertificate]
    places: list[PlaceLine]
    summary: str  # '3 certificates (1 expires within 90 days); 2 places booked'


def provider_training(db: Store, provider_id: str, today: date) -> ProviderTraining:
    """A provider's people's certificates (latest of each kind) and their places on
    sessions, booked and past (read in a worker: one provider's rows, indexed)."""
    certificates = []
    for r in repo.provider_certificates(db, provider_id):
        expires = date.fromisoformat(r["expires_on"])
        certificates.append(
            HeldCertificate(
                who=r["attendee_name"],
                what=r["evidence_label"] or r["title"] or r["code"] or "",
                words=expiry_words(expires, today),
                band=expiry_band(expires, today),
            )
        )
    places = [
        PlaceLine(
            when=session_when(r["starts_at"]),
            title=(r["title"] or "(course removed)")
            + (" (session cancelled)" if r["cancelled_on"] else ""),
            who=r["attendee_name"],
            status=status_words(r["status"]),
            upcoming=session_day(r["starts_at"]) >= today,
        )
        for r in repo.provider_attendance(db, provider_id)
    ]
    lapsing = sum(1 for c in certificates if c.band is not None and c.band > 0)
    lapsed = sum(1 for c in certificates if c.band == 0)
    parts = [f"{len(certificates)} certificate{'s' if len(certificates) != 1 else ''}"]
    if lapsed:
        parts.append(f"{lapsed} expired")
    if lapsing:
        parts.append(f"{lapsing} expiring within 90 days")
    booked = sum(1 for p in places if p.upcoming and p.status.endswith("booked"))
    summary = ", ".join(parts) + f"; {booked} place{'s' if booked != 1 else ''} booked"
    return ProviderTraining(certificates, places, summary)
