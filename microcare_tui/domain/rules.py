"""Business rules as pure functions, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from microcare_tui.domain.enums import QAOutcome, SizeBand, Stage, Standing, label
from microcare_tui.domain.parse import format_date

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
    Stage.ENQUIRY: {Stage.EXPLORING, Stage.DEVELOPING, Stage.CEASED, Stage.NOT_PROCEEDING},
    Stage.EXPLORING: {Stage.ENQUIRY, Stage.DEVELOPING, Stage.PAUSED, Stage.NOT_PROCEEDING},
    Stage.DEVELOPING: {
        Stage.ENQUIRY,
        Stage.EXPLORING,
        Stage.CHECKS,
        Stage.PAUSED,
        Stage.CEASED,
        Stage.NOT_PROCEEDING,
    },
    Stage.CHECKS: {
        Stage.DEVELOPING,
        Stage.REGISTERED,
        Stage.PAUSED,
        Stage.CEASED,
        Stage.NOT_PROCEEDING,
    },
    Stage.REGISTERED: {Stage.CHECKS, Stage.ACTIVE, Stage.PAUSED, Stage.CEASED},
    Stage.ACTIVE: {Stage.REGISTERED, Stage.PAUSED, Stage.CEASED},
    Stage.PAUSED: {Stage.DEVELOPING, Stage.CHECKS, Stage.REGISTERED, Stage.ACTIVE, Stage.CEASED},
    Stage.CEASED: {Stage.ENQUIRY, Stage.DEVELOPING},
    Stage.NOT_PROCEEDING: {Stage.ENQUIRY, Stage.EXPLORING, Stage.DEVELOPING},
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
    name: str = ""  # the evidence type in words, for the reasons ('' shows the code)


@dataclass(frozen=True)
class QAState:
    """The part of a provider's latest QA check that decides standing."""

    outcome: QAOutcome
    checked_on: date


@dataclass(frozen=True)
class StandingVerdict:
    """A provider's standing today and the reasons for it, in words a worker reads out."""

    standing: Standing
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The reasons as one line ('' when there are none)."""
        return "; ".join(self.reasons)


def standing(
    stage: Stage,
    latest_qa: QAState | None,
    evidence: Iterable[EvidenceState] = (),
    today: date | None = None,
) -> StandingVerdict:
    """Is this provider in good standing today, and why?

    Listed stages (registered, active) are needed. Once a QA check exists, the latest one's
    outcome must be approved (with or without actions). Any met evidence whose expiry has
    passed makes the provider lapsed until it is renewed. store.providers.STANDING_SQL is
    the same rule in SQL for lists and the lookup; a test holds the two together.
    """
    today = today or date.today()
    stage_words = label(stage.value).lower()
    if stage not in LISTED_STAGES:
        return StandingVerdict(Standing.NOT_LISTED, (f"stage is {stage_words}",))
    if latest_qa is not None and latest_qa.outcome is QAOutcome.NOT_APPROVED:
        checked = format_date(latest_qa.checked_on)
        return StandingVerdict(Standing.NOT_LISTED, (f"QA check on {checked} was not approved",))
    expired = sorted(
        (e for e in evidence if e.met and e.expires_on is not None and e.expires_on < today),
        key=lambda e: e.expires_on or today,
    )
    if expired:
        return StandingVerdict(
            Standing.LAPSED,
            tuple(
                f"{e.name or label(e.code)} expired {format_date(e.expires_on)}" for e in expired
            ),
        )
    if latest_qa is None:
        return StandingVerdict(Standing.GOOD, (f"{stage_words}, no QA check yet",))
    outcome = label(latest_qa.outcome.value).lower()  # approved, approved with actions
    checked = format_date(latest_qa.checked_on)
    return StandingVerdict(Standing.GOOD, (f"QA {outcome} on {checked}, nothing lapsed",))


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
