"""Training (section 5): sessions with their places, booking people, the attendance sheet
and the certificates attendance gives, as views the screens show.

Attendance is saved in one transaction with the certificates it creates: each is an
evidence item of the course's evidence type for the person (and their provider), so the
standing rule and the expiry radar read it like any other evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from microcare_tui.domain.errors import MicrocareError, NotFound
from microcare_tui.domain.labels import count_text
from microcare_tui.domain.parse import format_date
from microcare_tui.domain.training import (
    EXPIRY_BANDS,
    AttendanceStatus,
    certificate_expiry,
    expiry_band,
    expiry_words,
    status_words,
)
from microcare_tui.store import training as repo
from microcare_tui.store.db import Store, utc_now

SESSIONS_SHOWN = 200  # upcoming and latest held sessions in the list
CERTIFICATES_SHOWN = 500


def session_day(starts_at: str) -> date:
    """The local date a session is held on (starts_at is stored as UTC)."""
    return datetime.fromisoformat(starts_at).astimezone().date()


def session_when(starts_at: str) -> str:
    """'Tue 24/11/2026 09:30', local time."""
    return datetime.fromisoformat(starts_at).astimezone().strftime("%a %d/%m/%Y %H:%M")


@dataclass(frozen=True)
class SessionLine:
    """A session in the list: 'Tue 24/11/2026 09:30 · Safeguarding adults · 8/12'."""

    id: str
    when: str
    title: str
    venue: str
    trainer: str
    places: str  # '8/12', '8' with no capacity
    state: str  # 'upcoming', 'full', 'held: 7 attended', 'cancelled'
    upcoming: bool


@dataclass(frozen=True)
class CourseLine:
    """A course in the catalogue."""

    id: str
    title: str
    topic: str
    certificate: str  # 'Safeguarding training, 36 months', 'no certificate'
    mandatory: str  # 'all providers', 'Personal care, Meals', ''
    sessions: int


@dataclass(frozen=True)
class CertificateLine:
    """A person's latest certificate of one kind and when it lapses."""

    provider_id: str
    provider: str
    holder: str
    what: str  # the evidence type in words (else the course title)
    expires: str  # ISO date
    words: str  # '! expired 12/10/2026', 'expires in 25 days (17/12/2026)'
    band: int | None  # 0 lapsed, 30/60/90, None later


@dataclass(frozen=True)
class TrainingOverview:
    """What the Training section shows."""

    sessions: list[SessionLine]
    upcoming: int
    held: int
    courses: list[CourseLine]
    certificates: list[CertificateLine]  # expired and expiring within 90 days
    expired: int
    due: dict[int, int] = field(default_factory=dict)  # 30/60/90 -> how many within it


def _places(row: dict[str, object]) -> str:
    taken = int(row["taken"] or 0)  # type: ignore[call-overload]
    return f"{taken}/{row['capacity']}" if row["capacity"] is not None else str(taken)


def _session_line(row: dict[str, object], today: date) -> SessionLine:
    starts_at = str(row["starts_at"])
    upcoming = session_day(starts_at) >= today
    capacity = row["capacity"]
    if row["cancelled_on"]:
        state = "– cancelled"
    elif upcoming:
        full = capacity is not None and int(row["taken"] or 0) >= int(capacity)  # type: ignore[call-overload]
        state = "! full" if full else "upcoming"
    else:
        state = f"held · {row['attended']} came"
    return SessionLine(
        id=str(row["id"]),
        when=session_when(starts_at),
        title=str(row["title"] or "(course removed)"),
        venue=str(row["venue"] or ""),
        trainer=str(row["trainer"] or ""),
        places=_places(row),
        state=state,
        upcoming=upcoming,
    )


def _certificate_line(row: dict[str, object], today: date) -> CertificateLine:
    expires = date.fromisoformat(str(row["expires_on"]))
    return CertificateLine(
        provider_id=str(row["provider_id"]),
        provider=str(row["provider_name"] or ""),
        holder=str(row["attendee_name"] or ""),
        what=str(row["evidence_label"] or row["title"] or row["code"] or ""),
        expires=expires.isoformat(),
        words=expiry_words(expires, today),
        band=expiry_band(expires, today),
    )


def _course_line(row: dict[str, object], services: dict[str, str]) -> CourseLine:
    code = row["evidence_type_code"]
    if code:
        months = row["validity_months"]
        lasts = f"{months} months" if months else "does not lapse"
        certificate = f"{row['evidence_label'] or code}, {lasts}"
    else:
        certificate = "no certificate"
    mandatory_for = list(row["mandatory_for"] or [])  # type: ignore[call-overload]
    if "all" in mandatory_for:
        mandatory = "all providers"
    else:
        mandatory = ", ".join(services.get(c, c) for c in mandatory_for)
    return CourseLine(
        id=str(row["id"]),
        title=str(row["title"]),
        topic=str(row["topic"] or ""),
        certificate=certificate,
        mandatory=mandatory,
        sessions=int(row["sessions"] or 0),  # type: ignore[call-overload]
    )


def training_overview(db: Store, today: date) -> TrainingOverview:
    """Sessions (upcoming first), the course catalogue, and the certificates lapsed or
    lapsing within 90 days. Read on the reader thread (it grows with the training held); kept
    on the connection until the data changes (Store.cached), so showing the section again
    reads nothing (~45 ms at county otherwise)."""
    return db.cached("training.overview", lambda: _read_overview(db, today), today)


def _read_overview(db: Store, today: date) -> TrainingOverview:
    from microcare_tui.store import reference

    iso = today.isoformat()
    upcoming, held = repo.session_counts(db, iso)
    horizon = (today + timedelta(days=EXPIRY_BANDS[-1])).isoformat()
    certificates = [
        _certificate_line(r, today) for r in repo.certificates_due(db, horizon, CERTIFICATES_SHOWN)
    ]
    services = reference.service_labels(db)
    return TrainingOverview(
        sessions=[_session_line(r, today) for r in repo.sessions(db, iso, SESSIONS_SHOWN)],
        upcoming=upcoming,
        held=held,
        courses=[_course_line(r, services) for r in repo.courses(db)],
        certificates=certificates,
        expired=sum(1 for c in certificates if c.band == 0),
        due={
            band: sum(1 for c in certificates if c.band is not None and 0 < c.band <= band)
            for band in EXPIRY_BANDS
        },
    )


# -- the attendance sheet ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeLine:
    """One person on a session's list."""

    id: str  # the attendance row
    name: str
    provider: str
    status: AttendanceStatus


@dataclass(frozen=True)
class SessionSheet:
    """A session and its list, for the attendance checklist."""

    id: str
    title: str
    when: str
    venue: str
    trainer: str
    places: str
    cancelled: bool
    held: bool  # today or earlier: attendance may be recorded
    certificate: str  # what attending gives: 'Safeguarding training, valid 36 months', ''
    people: list[AttendeeLine]


def session_sheet(db: Store, session_id: str, today: date) -> SessionSheet:
    """A session and everyone on its list (one indexed read: a session has a few dozen)."""
    row = repo.session(db, session_id)
    if row is None:
        raise NotFound("That session is no longer in the training list.")
    certificate = ""
    if row["evidence_type_code"]:
        months = row["validity_months"]
        what = row["evidence_label"] or row["evidence_type_code"]
        certificate = f"attending gives a certificate ({what}"
        certificate += f", valid {months} months)" if months else ", does not lapse)"
    people = [
        AttendeeLine(
            id=a["id"],
            name=a["attendee_name"],
            provider=a["provider_name"] or "",
            status=_status(a["status"]),
        )
        for a in repo.attendance_for_session(db, session_id)
    ]
    return SessionSheet(
        id=row["id"],
        title=row["title"] or "(course removed)",
        when=session_when(row["starts_at"]),
        venue=row["venue"] or "",
        trainer=row["trainer"] or "",
        places=_places(row),
        cancelled=bool(row["cancelled_on"]),
        held=session_day(row["starts_at"]) <= today,
        certificate=certificate,
        people=people,
    )


def _status(value: str) -> AttendanceStatus:
    try:
        return AttendanceStatus(value)
    except ValueError:
        return AttendanceStatus.BOOKED


@dataclass(frozen=True)
class AttendanceSaved:
    """What one save of the attendance sheet did."""

    changed: int
    attended: int
    certificates: int  # created by this save
    withdrawn: int  # certificates taken back (marked attended by mistake)

    @property
    def message(self) -> str:
        """'Saved attendance: 7 attended, 7 certificates recorded.'"""
        if not self.changed:
            return "Nothing changed."
        parts = [f"{self.attended} attended"]
        if self.certificates:
            parts.append(f"{count_text(self.certificates, 'certificate')} recorded")
        if self.withdrawn:
            parts.append(f"{count_text(self.withdrawn, 'certificate')} withdrawn")
        return f"Saved attendance: {', '.join(parts)}."


def save_attendance(
    db: Store, session_id: str, marks: dict[str, AttendanceStatus], today: date
) -> AttendanceSaved:
    """Record what happened at a session, in one transaction: each changed status, and for a
    course that gives a certificate, the certificate (an evidence item with its expiry) for
    each person newly attended, or its withdrawal for one no longer marked attended.

    Refused (nothing saved) for a cancelled session, and for attendance at a session not
    held yet."""
    row = repo.session(db, session_id)
    if row is None:
        raise NotFound("That session is no longer in the training list.")
    held_on = session_day(row["starts_at"])
    if row["cancelled_on"]:
        raise MicrocareError("This session was cancelled: there is no attendance to record.")
    current = {a["id"]: a for a in repo.attendance_for_session(db, session_id)}
    changes = {
        k: AttendanceStatus(v)
        for k, v in marks.items()
        if k in current and current[k]["status"] != v
    }
    came = {AttendanceStatus.ATTENDED, AttendanceStatus.NO_SHOW}
    if held_on > today and any(v in came for v in changes.values()):
        raise MicrocareError(
            f"This session is on {format_date(held_on)}: record who came on the day or after."
        )
    created = withdrawn = 0
    with db.transaction():
        for attendance_id, status in changes.items():
            before = current[attendance_id]
            update: dict[str, object] = {"id": attendance_id, "status": status.value}
            if status is AttendanceStatus.ATTENDED and row["evidence_type_code"]:
                update.update(_certificate(db, row, before, held_on, today))
                created += 1
            elif before["status"] == AttendanceStatus.ATTENDED and before["evidence_item_id"]:
                repo.write(db, "evidence_items",
                           {"id": before["evidence_item_id"], "deleted_at": utc_now()})  # fmt: skip
                update.update(certificate_expires_on=None, evidence_item_id=None)
                withdrawn += 1
            elif before["status"] == AttendanceStatus.ATTENDED:
                update["certificate_expires_on"] = None
            repo.write(db, "training_attendance", update)
    attended = sum(
        1
        for k, a in current.items()
        if changes.get(k, _status(a["status"])) is AttendanceStatus.ATTENDED
    )
    return AttendanceSaved(len(changes), attended, created, withdrawn)


def _certificate(
    db: Store, session: dict[str, object], before: dict[str, object], held_on: date, today: date
) -> dict[str, object]:
    """Write the certificate an attendance gives; the attendance fields that point at it."""
    expires = certificate_expiry(held_on, session["validity_months"])  # type: ignore[arg-type]
    out: dict[str, object] = {"certificate_expires_on": expires}
    if not before["provider_id"]:
        return out  # no provider to hang evidence on: the date stays on the attendance
    evidence = repo.write(
        db,
        "evidence_items",
        {
            "provider_id": before["provider_id"],
            "person_id": before["person_id"],
            "evidence_type_code": session["evidence_type_code"],
            "status": "met",
            "issued_on": held_on,
            "expires_on": expires,
            "seen_by": db.worker,
            "seen_on": today,
            "note": f"{before['attendee_name']} attended {session['title']} on "
            f"{format_date(held_on)} (training record)",
        },
    )
    out["evidence_item_id"] = evidence["id"]
    return out


__all__ = [
    "AttendanceSaved",
    "AttendanceStatus",
    "CertificateLine",
    "CourseLine",
    "SessionLine",
    "SessionSheet",
    "TrainingOverview",
    "save_attendance",
    "session_sheet",
    "status_words",
    "training_overview",
]
