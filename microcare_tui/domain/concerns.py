"""Concerns, complaints and compliments about a provider, as pure rules.

Who raised it is a role or relationship ("daughter of a client", "social worker"), never a
member of the public's name. Restricted notes are shown only when asked for and never go into
reports or exports. An open safeguarding concern suspends good standing until it is closed;
compliments and upheld complaints are the provider's track record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from microcare_tui.domain.enums import label

SUMMARY_LONGEST = 300
RAISED_BY_LONGEST = 80
RESTRICTED_LONGEST = 4000


class ConcernKind(StrEnum):
    SAFEGUARDING = "safeguarding"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ConcernStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ConcernOutcome(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    NO_FURTHER_ACTION = "no_further_action"


KIND_LABELS: dict[str, str] = {
    ConcernKind.SAFEGUARDING: "Safeguarding concern",
    ConcernKind.COMPLAINT: "Complaint",
    ConcernKind.COMPLIMENT: "Compliment",
}
OUTCOME_LABELS: dict[str, str] = {
    ConcernOutcome.UPHELD: "Upheld",
    ConcernOutcome.PARTLY_UPHELD: "Partly upheld",
    ConcernOutcome.NOT_UPHELD: "Not upheld",
    ConcernOutcome.NO_FURTHER_ACTION: "No further action",
}
# Outcomes that count against a provider on its track record.
UPHELD = frozenset({ConcernOutcome.UPHELD, ConcernOutcome.PARTLY_UPHELD})


def kind_label(kind: str) -> str:
    """'Safeguarding concern', 'Complaint', 'Compliment'."""
    return KIND_LABELS.get(kind, label(kind))


def concern_outcome_label(outcome: str | None) -> str:
    """An outcome in words ('' when there is none yet)."""
    return OUTCOME_LABELS.get(outcome, label(outcome)) if outcome else ""


def status_words(status: str, kind: str) -> str:
    """Status as symbol and word, never colour alone: '! open', '✓ closed'.

    A compliment has nothing to close: it is 'received'.
    """
    if kind == ConcernKind.COMPLIMENT:
        return "♥ received"
    return "! open" if status == ConcernStatus.OPEN else "✓ closed"


@dataclass(frozen=True)
class ConcernDraft:
    """What the concern form sends: the typed values, already parsed."""

    kind: ConcernKind | None
    raised_on: date | None
    raised_by: str
    severity: Severity | None
    summary: str
    referred_on: date | None = None
    restricted_notes: str = ""


def concern_problems(draft: ConcernDraft, today: date) -> dict[str, str]:
    """What stops a concern being saved, by field (empty when it may be saved)."""
    errors: dict[str, str] = {}
    if draft.kind is None:
        errors["kind"] = "Choose safeguarding, complaint or compliment"
    if draft.raised_on is None:
        errors["raised_on"] = "Enter when it was raised"
    elif draft.raised_on > today:
        errors["raised_on"] = "It cannot have been raised in the future"
    if len(draft.raised_by) > RAISED_BY_LONGEST:
        errors["raised_by"] = f"A role, in under {RAISED_BY_LONGEST} characters"
    if not draft.summary.strip():
        errors["summary"] = "Say in a line what it is about"
    elif len(draft.summary) > SUMMARY_LONGEST:
        errors["summary"] = f"Keep the summary under {SUMMARY_LONGEST} characters"
    needs_severity = draft.kind is not None and draft.kind is not ConcernKind.COMPLIMENT
    if needs_severity and draft.severity is None:
        errors["severity"] = "Choose low, medium or high"
    referral = _referral_problem(draft, today)
    if referral:
        errors["referred_on"] = referral
    if len(draft.restricted_notes) > RESTRICTED_LONGEST:
        errors["restricted_notes"] = f"Keep the notes under {RESTRICTED_LONGEST} characters"
    return errors


def _referral_problem(draft: ConcernDraft, today: date) -> str | None:
    if draft.referred_on is None:
        return None
    if draft.referred_on > today:
        return "A referral cannot be dated in the future"
    if draft.raised_on is not None and draft.referred_on < draft.raised_on:
        return "The referral cannot be before it was raised"
    return None


def closing_problems(
    outcome: ConcernOutcome | None, closed_on: date | None, raised_on: date, today: date
) -> dict[str, str]:
    """What stops a concern being closed, by field."""
    errors: dict[str, str] = {}
    if outcome is None:
        errors["outcome"] = "Choose the outcome"
    if closed_on is None:
        errors["closed_on"] = "Enter the date it was closed"
    elif closed_on > today:
        errors["closed_on"] = "It cannot be closed in the future"
    elif closed_on < raised_on:
        errors["closed_on"] = "It cannot be closed before it was raised"
    return errors


def suspends_standing(kind: str, status: str) -> bool:
    """True for an open safeguarding concern: it suspends good standing until closed."""
    return kind == ConcernKind.SAFEGUARDING and status == ConcernStatus.OPEN


def counts_on_track_record(kind: str, outcome: str | None) -> bool:
    """Compliments and upheld (or partly upheld) complaints form the track record."""
    if kind == ConcernKind.COMPLIMENT:
        return True
    return kind == ConcernKind.COMPLAINT and outcome in UPHELD
