"""QA checks as pure rules: the checklist built from the evidence that applies and the evidence
on file, the outcome rules, the next review date and what makes a check impossible to save.

Nothing here reads a database: services hand in the requirement lines and the evidence items
(domain.applicability decides which apply and how each stands), and get back lines a checker
can change, or messages by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from microcare_tui.domain.applicability import (
    ItemState,
    ItemStatus,
    Requirement,
    RequirementState,
    requirement_states,
)
from microcare_tui.domain.enums import EvidenceStatus, QAOutcome, label
from microcare_tui.domain.parse import format_date, format_money
from microcare_tui.domain.rules import add_months

DEFAULT_REVIEW_MONTHS = 12  # the setting qa_review_months: reviews are yearly by default
NOTE_LONGEST = 500
DESCRIPTION_LONGEST = 200


class QAKind(StrEnum):
    """Why a QA check was made."""

    INITIAL = "initial"
    ANNUAL_REVIEW = "annual_review"
    SPOT_CHECK = "spot_check"
    COMPLAINT_TRIGGERED = "complaint_triggered"


KIND_LABELS: dict[str, str] = {
    QAKind.INITIAL: "Initial",
    QAKind.ANNUAL_REVIEW: "Annual review",
    QAKind.SPOT_CHECK: "Spot check",
    QAKind.COMPLAINT_TRIGGERED: "Complaint-triggered",
}
OUTCOME_LABELS: dict[str, str] = {
    QAOutcome.APPROVED: "Approved",
    QAOutcome.APPROVED_WITH_ACTIONS: "Approved with actions",
    QAOutcome.NOT_APPROVED: "Not approved",
}
# A line's result as a symbol and a word: status is never colour alone.
RESULT_WORDS: dict[str, str] = {
    EvidenceStatus.MET: "✓ met",
    EvidenceStatus.NOT_MET: "✗ not met",
    EvidenceStatus.NOT_APPLICABLE: "– n/a",
}
# space cycles met -> not met -> n/a -> met
_CYCLE = [EvidenceStatus.MET, EvidenceStatus.NOT_MET, EvidenceStatus.NOT_APPLICABLE]


def kind_label(kind: str) -> str:
    """A QA check's kind in words ('Annual review')."""
    return KIND_LABELS.get(kind, label(kind))


def outcome_label(outcome: str) -> str:
    """A QA outcome in words ('Approved with actions')."""
    return OUTCOME_LABELS.get(outcome, label(outcome))


def next_result(result: EvidenceStatus) -> EvidenceStatus:
    """The result after `result` when the checker presses space."""
    return _CYCLE[(_CYCLE.index(result) + 1) % len(_CYCLE)]


@dataclass(frozen=True)
class ChecklistLine:
    """One line of a QA check: a requirement, its result and the checker's note."""

    code: str
    label: str  # the evidence type in words, with the person's name when per person
    person_id: str | None
    mandatory: bool
    result: EvidenceStatus
    note: str = ""
    found: str = ""  # what the evidence on file said when the list was built

    @property
    def title(self) -> str:
        """The line in words: 'Enhanced DBS check: Jo Oak'."""
        return self.label

    def with_result(self, result: EvidenceStatus) -> ChecklistLine:
        """This line with another result (the checker's call)."""
        return replace(self, result=result)

    def with_note(self, note: str) -> ChecklistLine:
        """This line with another note."""
        return replace(self, note=note.strip())


def prefill(state: RequirementState) -> ChecklistLine:
    """The line for one requirement, pre-filled from how it stands on the check's day
    (domain.applicability.requirement_states: the same reading as standing and the record).

    Met when a valid item exists (expiring on the day still counts); not met when it is
    missing or lapsed, or when its cover is below the rule's minimum (the record only warns;
    a QA check is where someone decides, so the line starts as not met and says why); not
    applicable when a worker recorded it so. The note says what was found; the checker
    may change both.
    """
    req, item = state.requirement, state.item
    if state.status is ItemStatus.NOT_APPLICABLE:
        result, found = EvidenceStatus.NOT_APPLICABLE, "recorded as not applicable"
    elif state.status is ItemStatus.MISSING:
        result, found = EvidenceStatus.NOT_MET, "nothing on file"
    elif state.status is ItemStatus.LAPSED and item is not None and item.expires_on:
        result, found = EvidenceStatus.NOT_MET, f"lapsed {format_date(item.expires_on)}"
    elif state.cover_short and item is not None and item.cover_pence is not None:
        cover, need = format_money(item.cover_pence), format_money(req.min_cover_pence)
        result, found = EvidenceStatus.NOT_MET, f"cover {cover}, below {need}"
    elif item is not None and item.expires_on is not None:
        result, found = EvidenceStatus.MET, f"on file, expires {format_date(item.expires_on)}"
    else:
        result, found = EvidenceStatus.MET, "on file"
    return ChecklistLine(
        code=req.type_code,
        label=req.label,
        person_id=req.person_id,
        mandatory=req.mandatory,
        result=result,
        note=found,
        found=found,
    )


def build_checklist(
    requirements: Iterable[Requirement], items: Iterable[ItemState], on: date
) -> list[ChecklistLine]:
    """One line per requirement, in the requirements' order, pre-filled from the evidence
    items on file as they stand on day `on`."""
    return [prefill(s) for s in requirement_states(requirements, items, on)]


def review_date(checked_on: date, months: int = DEFAULT_REVIEW_MONTHS) -> date:
    """The default next review: `months` after the check (a setting, yearly by default)."""
    return add_months(checked_on, max(1, months))


def review_due(next_review_on: date | None, today: date) -> bool:
    """True when a review is due: its date is today or has passed."""
    return next_review_on is not None and next_review_on <= today


def review_words(next_review_on: date | None, today: date) -> str:
    """'review due today', 'review overdue since 01/11/2026', 'next review 22/11/2027'."""
    if next_review_on is None:
        return "no review date"
    if next_review_on == today:
        return "review due today"
    if next_review_on < today:
        return f"review overdue since {format_date(next_review_on)}"
    return f"next review {format_date(next_review_on)}"


def suggested_outcome(lines: Sequence[ChecklistLine]) -> QAOutcome:
    """What the checklist points to: approved when every mandatory line is met or not
    applicable, otherwise approved with actions (the checker may choose not approved)."""
    if unmet_mandatory(lines):
        return QAOutcome.APPROVED_WITH_ACTIONS
    return QAOutcome.APPROVED


def unmet_mandatory(lines: Sequence[ChecklistLine]) -> list[ChecklistLine]:
    """The mandatory lines marked not met."""
    return [ln for ln in lines if ln.mandatory and ln.result is EvidenceStatus.NOT_MET]


@dataclass(frozen=True)
class ActionDraft:
    """An action agreed at a QA check: what to do and by when."""

    description: str
    due_on: date | None
    worker: str | None = None


def outcome_problem(
    outcome: QAOutcome | None, lines: Sequence[ChecklistLine], actions: Sequence[ActionDraft]
) -> str | None:
    """Why this outcome cannot go with this checklist, or None when it can.

    "Approved" with a mandatory line not met is refused, not merely confirmed: the standing
    rule would list the provider as in good standing while required evidence is missing.
    Such a check is "approved with actions" (with an action to put each right, by a date) or
    "not approved". "Approved with actions" needs at least one action.
    """
    if outcome is None:
        return "Choose an outcome: approved, approved with actions or not approved."
    unmet = unmet_mandatory(lines)
    if outcome is QAOutcome.APPROVED and unmet:
        names = ", ".join(ln.title for ln in unmet[:3])
        more = f" and {len(unmet) - 3} more" if len(unmet) > 3 else ""
        return (
            f"Approved needs every mandatory line met; not met: {names}{more}. "
            "Choose approved with actions (add an action for each, with a due date) "
            "or not approved."
        )
    if outcome is QAOutcome.APPROVED and actions:
        return "A check with actions is approved with actions: change the outcome."
    if outcome is QAOutcome.APPROVED_WITH_ACTIONS and not actions:
        return "Approved with actions needs at least one action: press + to add one."
    return None


def check_problems(
    checked_on: date | None,
    today: date,
    next_review_on: date | None,
    outcome: QAOutcome | None,
    lines: Sequence[ChecklistLine],
    actions: Sequence[ActionDraft],
) -> dict[str, str]:
    """Everything that stops a QA check being saved, by field (empty when it may be saved)."""
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Enter the date of the check"
    elif checked_on > today:
        errors["checked_on"] = "A QA check cannot be dated in the future"
    if checked_on is not None and next_review_on is not None and next_review_on < checked_on:
        errors["next_review_on"] = "The next review cannot be before the check"
    problem = outcome_problem(outcome, lines, actions)
    if problem:
        errors["outcome"] = problem
    for i, line in enumerate(lines):
        if len(line.note) > NOTE_LONGEST:
            errors[f"line{i}"] = f"{line.title}: keep the note under {NOTE_LONGEST} characters"
        elif line.mandatory and line.result is EvidenceStatus.NOT_APPLICABLE and not line.note:
            errors[f"line{i}"] = f"{line.title} is mandatory: say why it does not apply"
    for i, action in enumerate(actions, start=1):
        message = action_problem(action, checked_on)
        if message:
            errors[f"action{i}"] = f"Action {i}: {message}"
    return errors


def action_problem(action: ActionDraft, checked_on: date | None) -> str | None:
    """Why an action cannot be saved, or None."""
    if not action.description.strip():
        return "describe what is to be done"
    if len(action.description) > DESCRIPTION_LONGEST:
        return f"keep the description under {DESCRIPTION_LONGEST} characters"
    if action.due_on is None:
        return "give a due date"
    if checked_on is not None and action.due_on < checked_on:
        return "the due date cannot be before the check"
    return None
