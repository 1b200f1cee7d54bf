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
    """The part of an evidence item that decides standing (pass the best item of each
    mandatory requirement that applies: domain.applicability decides which)."""

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
class ActionState:
    """An action from the latest QA check: overdue and not done suspends 'approved with
    actions'."""

    description: str
    due_on: date | None
    done: bool = False


@dataclass(frozen=True)
class ConcernState:
    """A concern about the provider: an open safeguarding one suspends good standing."""

    kind: str  # safeguarding | complaint | compliment
    raised_on: date
    open: bool = True


@dataclass(frozen=True)
class Reason:
    """One reason for a provider's standing, and the day it became true (None: unknown)."""

    text: str
    since: date | None = None


@dataclass(frozen=True)
class StandingVerdict:
    """A provider's standing today and the reasons for it, in words a worker reads out."""

    standing: Standing
    reasons: tuple[str, ...] = ()
    why: tuple[Reason, ...] = ()  # the same reasons with the day each became true

    @property
    def reason(self) -> str:
        """The reasons as one line ('' when there are none)."""
        return "; ".join(self.reasons)

    @property
    def good(self) -> bool:
        """In good standing."""
        return self.standing is Standing.GOOD


def _verdict(standing_: Standing, why: list[Reason]) -> StandingVerdict:
    return StandingVerdict(standing_, tuple(r.text for r in why), tuple(why))


def standing(
    stage: Stage | str,
    latest_qa: QAState | None,
    evidence: Iterable[EvidenceState] = (),
    today: date | None = None,
    *,
    listed: bool | None = None,
    stage_since: date | None = None,
    qa_actions: Iterable[ActionState] = (),
    concerns: Iterable[ConcernState] = (),
) -> StandingVerdict:
    """Is this provider in good standing today, and why?

    In good standing when the stage is listed, the latest QA check (if any) is approved, or
    approved with actions none of which is overdue, no mandatory evidence that applies has
    lapsed, and no safeguarding concern is open. Otherwise every reason is given, with the
    day it became true, worst first: an unlisted stage (alone: nothing else matters yet);
    an open safeguarding concern (suspended); a QA check not approved (not listed); lapsed
    evidence and overdue QA actions (lapsed).

    `stage` is the stage's label in words with `listed` saying whether the stage lists a
    provider (stages are data); a Stage value still works (listed: registered, active).
    Evidence expiring today is still valid; an action due today is not yet overdue.
    Missing mandatory evidence does not change standing: the QA check is where a worker
    decides what was needed, so a rule added later or a person added since does not take
    a provider off the register overnight; the evidence list shows it as missing.
    store.providers.STANDING_SQL is the same rule in SQL; a test holds the two together.
    """
    today = today or date.today()
    if isinstance(stage, Stage):
        stage_words = label(stage.value).lower()
        listed = stage in LISTED_STAGES if listed is None else listed
    else:
        stage_words = stage.lower()
    if not listed:
        return _verdict(Standing.NOT_LISTED, [Reason(f"stage is {stage_words}", stage_since)])
    worst = Standing.GOOD
    why: list[Reason] = []
    for c in sorted(concerns, key=lambda c: c.raised_on):
        if c.open and c.kind == "safeguarding":
            worst = Standing.SUSPENDED
            since = format_date(c.raised_on)
            why.append(Reason(f"safeguarding concern open since {since}", c.raised_on))
    if latest_qa is not None and latest_qa.outcome is QAOutcome.NOT_APPROVED:
        worst = worst if worst is Standing.SUSPENDED else Standing.NOT_LISTED
        checked = format_date(latest_qa.checked_on)
        why.append(Reason(f"QA check on {checked} was not approved", latest_qa.checked_on))
    lapses = _lapses(evidence, qa_actions, today)
    if lapses and worst is Standing.GOOD:
        worst = Standing.LAPSED
    why.extend(lapses)
    if worst is not Standing.GOOD:
        return _verdict(worst, why)
    if latest_qa is None:
        return _verdict(Standing.GOOD, [Reason(f"{stage_words}, no QA check yet", stage_since)])
    outcome = label(latest_qa.outcome.value).lower()  # approved, approved with actions
    checked = format_date(latest_qa.checked_on)
    return _verdict(
        Standing.GOOD, [Reason(f"QA {outcome} on {checked}, nothing lapsed", latest_qa.checked_on)]
    )


def _lapses(
    evidence: Iterable[EvidenceState], actions: Iterable[ActionState], today: date
) -> list[Reason]:
    """Expired evidence (oldest first), then overdue QA actions (longest overdue first)."""
    expired = sorted(
        (e for e in evidence if e.met and e.expires_on is not None and e.expires_on < today),
        key=lambda e: e.expires_on or today,
    )
    why = [
        Reason(
            f"{e.name or label(e.code)} expired {format_date(e.expires_on)}",
            e.expires_on + timedelta(days=1) if e.expires_on else None,
        )
        for e in expired
    ]
    overdue = sorted(
        (a for a in actions if not a.done and a.due_on is not None and a.due_on < today),
        key=lambda a: a.due_on or today,
    )
    why += [
        Reason(
            f"QA action due {format_date(a.due_on)} not done: {a.description}",
            a.due_on + timedelta(days=1) if a.due_on else None,
        )
        for a in overdue
    ]
    return why


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
