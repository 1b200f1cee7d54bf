"""Training rules as pure functions: attendance states, certificates and their expiry, and
whether a place on a session may be booked. Tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.parse import format_date
from microcare_tui.domain.rules import add_months

# The horizons of the expiry lists (Home's radar uses the same bands).
EXPIRY_BANDS: tuple[int, ...] = (30, 60, 90)
MANDATORY_ALL = "all"  # training_courses.mandatory_for: every provider


class AttendanceStatus(StrEnum):
    """A place on a session, from invitation to what happened on the day."""

    INVITED = "invited"
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


# The places that count against a session's capacity (an invitation holds no place yet).
TAKES_A_PLACE = frozenset({AttendanceStatus.BOOKED, AttendanceStatus.ATTENDED,
                           AttendanceStatus.NO_SHOW})  # fmt: skip

# Status with a symbol, so the checklist reads without colour (UX.md).
STATUS_WORDS: dict[str, str] = {
    AttendanceStatus.INVITED: "? invited",
    AttendanceStatus.BOOKED: "· booked",
    AttendanceStatus.ATTENDED: "✓ attended",
    AttendanceStatus.NO_SHOW: "✗ no-show",
    AttendanceStatus.CANCELLED: "– cancelled",
}


def status_words(status: str) -> str:
    """'✓ attended', '✗ no-show', ...; an unknown status as it is."""
    return STATUS_WORDS.get(status, status.replace("_", " "))


def toggle_attended(status: AttendanceStatus) -> AttendanceStatus:
    """The attendance key: attended <-> booked (an invited or no-show person came after all)."""
    if status is AttendanceStatus.ATTENDED:
        return AttendanceStatus.BOOKED
    return AttendanceStatus.ATTENDED


def toggle_no_show(status: AttendanceStatus) -> AttendanceStatus:
    """The no-show key: no-show <-> booked."""
    if status is AttendanceStatus.NO_SHOW:
        return AttendanceStatus.BOOKED
    return AttendanceStatus.NO_SHOW


def certificate_expiry(attended_on: date, validity_months: int | None) -> date | None:
    """When a certificate from a session on `attended_on` lapses: that day plus the course's
    validity in months (None: it does not lapse). It is still valid on that day and lapsed
    the day after, as the standing rule reads every expiry date."""
    if validity_months is None:
        return None
    return add_months(attended_on, validity_months)


def expiry_band(expires_on: date | None, today: date) -> int | None:
    """0 when lapsed (expired before today), else the smallest of 30/60/90 days within which
    it expires (today counts as within 30), or None when further off or it never lapses."""
    if expires_on is None:
        return None
    if expires_on < today:
        return 0
    days = (expires_on - today).days
    return next((band for band in EXPIRY_BANDS if days <= band), None)


def expiry_words(expires_on: date | None, today: date) -> str:
    """'! expired 12/10/2026', 'expires today', 'expires in 25 days (17/12/2026)',
    'valid to 01/02/2029', 'does not lapse'."""
    if expires_on is None:
        return "does not lapse"
    when = format_date(expires_on)
    if expires_on < today:
        return f"! expired {when}"
    days = (expires_on - today).days
    if days == 0:
        return "! expires today"
    if days <= EXPIRY_BANDS[-1]:
        unit = "day" if days == 1 else "days"
        return f"expires in {days} {unit} ({when})"
    return f"valid to {when}"


class BookingRefused(MicrocareError):
    """A place could not be booked; `full` when only the capacity stood in the way (the
    worker may book over it on purpose)."""

    def __init__(self, message: str, full: bool = False) -> None:
        super().__init__(message)
        self.full = full


@dataclass(frozen=True)
class SessionState:
    """What decides whether a session takes bookings."""

    held_on: date
    capacity: int | None
    places_taken: int
    cancelled: bool


def check_booking(
    session: SessionState,
    already_booked: bool,
    who: str,
    today: date,
    over_capacity: bool = False,
) -> None:
    """Raise BookingRefused when `who` may not be booked on the session: it was cancelled,
    it has been held, they have a place already, or it is full (unless `over_capacity`)."""
    if session.cancelled:
        raise BookingRefused("This session was cancelled: book them on another one.")
    if session.held_on < today:
        raise BookingRefused(
            f"This session was held on {format_date(session.held_on)}: record who came in "
            "its attendance (enter) instead of booking."
        )
    if already_booked:
        raise BookingRefused(f"{who} already has a place on this session.")
    if (
        not over_capacity
        and session.capacity is not None
        and session.places_taken >= session.capacity
    ):
        raise BookingRefused(
            f"The session is full ({session.places_taken} of {session.capacity} places).",
            full=True,
        )


def mandatory_for_provider(mandatory_for: list[str], services: list[str]) -> bool:
    """True when a course with this `mandatory_for` list is mandatory for a provider
    offering `services` ('all', or one of the services named)."""
    if MANDATORY_ALL in mandatory_for:
        return True
    return any(code in mandatory_for for code in services)
