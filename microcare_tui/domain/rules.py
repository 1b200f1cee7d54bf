"""Business rules as pure functions, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from microcare_tui.domain.enums import QAOutcome, SizeBand, Stage, Standing

DEFAULT_MICRO_THRESHOLD = 5  # "fewer than five staff" (Kent); a setting, since councils differ


def size_band(staff_count: int, micro_threshold: int = DEFAULT_MICRO_THRESHOLD) -> SizeBand:
    """Size band by staff: micro is under the threshold, small up to 25, medium up to 250."""
    if staff_count < micro_threshold:
        return SizeBand.MICRO
    if staff_count <= 25:
        return SizeBand.SMALL
    if staff_count <= 250:
        return SizeBand.MEDIUM
    return SizeBand.LARGE


# Stages move forward and sometimes back (a provider may pause, or need checks again).
_NEXT_STAGES: dict[Stage, set[Stage]] = {
    Stage.ENQUIRY: {Stage.DEVELOPING, Stage.CEASED},
    Stage.DEVELOPING: {Stage.ENQUIRY, Stage.CHECKS, Stage.PAUSED, Stage.CEASED},
    Stage.CHECKS: {Stage.DEVELOPING, Stage.REGISTERED, Stage.PAUSED, Stage.CEASED},
    Stage.REGISTERED: {Stage.CHECKS, Stage.ACTIVE, Stage.PAUSED, Stage.CEASED},
    Stage.ACTIVE: {Stage.REGISTERED, Stage.PAUSED, Stage.CEASED},
    Stage.PAUSED: {Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED, Stage.ACTIVE, Stage.CEASED},
    Stage.CEASED: {Stage.ENQUIRY, Stage.DEVELOPING},
}


def allowed_next_stages(current: Stage) -> set[Stage]:
    """The stages a provider may move to from `current`."""
    return set(_NEXT_STAGES[current])


def can_move(current: Stage, target: Stage) -> bool:
    """True when a provider at `current` may move to `target` (staying put is allowed)."""
    return current == target or target in _NEXT_STAGES[current]


LISTED_STAGES = frozenset({Stage.REGISTERED, Stage.ACTIVE})


@dataclass(frozen=True)
class EvidenceState:
    """The part of an evidence item that decides standing."""

    code: str
    met: bool
    expires_on: date | None


def standing(
    stage: Stage,
    latest_qa: QAOutcome | None,
    evidence: Iterable[EvidenceState] = (),
    today: date | None = None,
) -> Standing:
    """Is this provider in good standing today?

    Listed stages (registered, active) are needed. Once a QA check exists, its outcome must be
    approved (with or without actions). Any met evidence whose expiry has passed makes the
    provider lapsed until it is renewed.
    """
    today = today or date.today()
    if stage not in LISTED_STAGES:
        return Standing.NOT_LISTED
    if latest_qa is QAOutcome.NOT_APPROVED:
        return Standing.NOT_LISTED
    for item in evidence:
        if item.met and item.expires_on is not None and item.expires_on < today:
            return Standing.LAPSED
    return Standing.GOOD


def lapsing_within(
    evidence: Iterable[EvidenceState], days: int = 30, today: date | None = None
) -> list[EvidenceState]:
    """Met evidence that lapses in the next `days` days (not already lapsed)."""
    today = today or date.today()
    horizon = today + timedelta(days=days)
    return [
        e
        for e in evidence
        if e.met and e.expires_on is not None and today <= e.expires_on <= horizon
    ]


def add_months(start: date, months: int) -> date:
    """`start` plus whole months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
