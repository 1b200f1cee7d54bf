"""QA check use-cases: start a check (the checklist pre-filled from the evidence on file),
save it with its lines and actions in one transaction, and list a provider's checks.

Which evidence applies comes from the requirement lines (services/qa_requirements.py); the
rules (pre-fill, outcome, dates) are the domain's (domain/qa.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microcare_tui.domain import qa
from microcare_tui.domain.enums import QAOutcome
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.domain.parse import format_date, parse_date
from microcare_tui.services.qa_requirements import items_on_file, requirements_for
from microcare_tui.store import qa_checks as repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store

Choice = tuple[str, str]  # (words, value)
CHECKS_SHOWN = 5


@dataclass(frozen=True)
class CheckDraft:
    """A new QA check as the checklist screen opens it."""

    provider_id: str
    provider_name: str
    kind: str
    checked_on: date
    next_review_on: date
    review_months: int
    lines: list[qa.ChecklistLine]
    kinds: list[Choice]
    outcomes: list[Choice]


@dataclass(frozen=True)
class SavedCheck:
    """What was saved, for the notification."""

    id: str
    provider_name: str
    outcome_text: str
    lines: int
    actions: int
    next_review: str  # UK date, '' when none


def review_months(db: Store) -> int:
    """The setting: months from a check to its next review (12 unless a council changed it)."""
    try:
        months = int(reference.get_setting(db, "qa_review_months", qa.DEFAULT_REVIEW_MONTHS))
    except (TypeError, ValueError):
        return qa.DEFAULT_REVIEW_MONTHS
    return months if months > 0 else qa.DEFAULT_REVIEW_MONTHS


def provider_title(db: Store, provider_id: str) -> str:
    """The live provider's name, for a screen's title (NotFound when withdrawn)."""
    name = repo.provider_name(db, provider_id)
    if name is None:
        raise NotFound("That provider is no longer on the register.")
    return name


def kind_choices() -> list[Choice]:
    """The kinds of QA check, in words."""
    return [(qa.kind_label(k.value), k.value) for k in qa.QAKind]


def outcome_choices() -> list[Choice]:
    """The outcomes, in words."""
    return [(qa.outcome_label(o.value), o.value) for o in QAOutcome]


def start_check(db: Store, provider_id: str, today: date, kind: str | None = None) -> CheckDraft:
    """A new check for today: one checklist line per requirement that applies, pre-filled from
    the evidence on file (the checker can change each). Raises NotFound for a withdrawn
    provider. No provider (""): an empty check, for a form made in advance and filled for a
    provider as it opens."""
    months = review_months(db)
    name = repo.provider_name(db, provider_id) if provider_id else ""
    if name is None:
        raise NotFound("That provider is no longer on the register.")
    lines: list[qa.ChecklistLine] = []
    if provider_id:
        items = items_on_file(db, provider_id)
        lines = qa.build_checklist(requirements_for(db, provider_id), items, today)
    else:
        kind = kind or qa.QAKind.INITIAL
    if kind is None:
        kind = qa.QAKind.ANNUAL_REVIEW if repo.checks_for(db, provider_id, 1) else qa.QAKind.INITIAL
    return CheckDraft(
        provider_id=provider_id,
        provider_name=name,
        kind=str(kind),
        checked_on=today,
        next_review_on=qa.review_date(today, months),
        review_months=months,
        lines=lines,
        kinds=kind_choices(),
        outcomes=outcome_choices(),
    )


def _date_field(text: str, today: date, field: str, errors: dict[str, str]) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text, today)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def parse_actions(
    rows: Sequence[tuple[str, str]], today: date, errors: dict[str, str]
) -> list[qa.ActionDraft]:
    """Actions as typed (description, due date text); a date that does not parse is an
    error on that action."""
    drafts = []
    for i, (description, due_text) in enumerate(rows, start=1):
        due = _date_field(due_text, today, f"action{i}", errors)
        drafts.append(qa.ActionDraft(description.strip(), due))
    return drafts


def save_check(
    db: Store,
    provider_id: str,
    *,
    kind: str,
    checked_on: str,
    next_review_on: str,
    outcome: str | None,
    lines: Sequence[qa.ChecklistLine],
    actions: Sequence[tuple[str, str]] = (),
    notes: str = "",
    today: date,
) -> SavedCheck:
    """Validate and save a QA check with its checklist lines and actions, in one transaction.

    A next review left blank is the setting's months after the check. Raises
    ValidationFailed (nothing saved) for a check dated in the future, a next review before
    the check, an outcome the checklist does not allow, or an action without a description
    or with a due date before the check.
    """
    name = repo.provider_name(db, provider_id)
    if name is None:
        raise NotFound("That provider is no longer on the register.")
    errors: dict[str, str] = {}
    if kind not in {k.value for k in qa.QAKind}:
        errors["kind"] = "Choose the kind of check"
    on = _date_field(checked_on, today, "checked_on", errors)
    review = _date_field(next_review_on, today, "next_review_on", errors)
    if review is None and on is not None and not next_review_on.strip():
        review = qa.review_date(on, review_months(db))  # left blank: the setting's default
    chosen = QAOutcome(outcome) if outcome in {o.value for o in QAOutcome} else None
    drafts = parse_actions(actions, today, errors)
    if len(notes) > 2000:
        errors["notes"] = "Keep the notes under 2,000 characters"
    problems = qa.check_problems(on, today, review, chosen, lines, drafts)
    for field, message in problems.items():
        errors.setdefault(field, message)
    if errors or on is None:
        raise ValidationFailed(errors or {"checked_on": "Enter the date of the check"})
    stored = repo.save_check(
        db,
        {
            "provider_id": provider_id,
            "checked_on": on,
            "kind": kind,
            "outcome": chosen,
            "next_review_on": review,
            "notes": notes.strip() or None,
            "checked_by": db.worker,
        },
        [
            {
                "evidence_type_code": ln.code,
                "person_id": ln.person_id,
                "result": ln.result,
                "note": ln.note or None,
            }
            for ln in lines
        ],
        [{"description": a.description, "due_on": a.due_on, "worker": a.worker} for a in drafts],
    )
    return SavedCheck(
        id=stored["id"],
        provider_name=name,
        outcome_text=qa.outcome_label(str(chosen)),
        lines=len(lines),
        actions=len(drafts),
        next_review=format_date(review),
    )


@dataclass(frozen=True)
class CheckLine:
    """A QA check on the record: '12/03/2026  Annual review  Approved with actions'."""

    id: str
    checked_on: str
    kind: str
    outcome: str
    checked_by: str
    open_actions: int
    not_met: int


@dataclass(frozen=True)
class ActionLine:
    """An open action from a QA check, with its due date in words."""

    description: str
    due_on: str
    overdue: bool


@dataclass(frozen=True)
class QAHistory:
    """The QA part of a provider's record."""

    total: int
    checks: list[CheckLine]  # the latest first
    review: str  # 'next review 22/11/2027', 'review due today', 'no QA check yet'
    review_due: bool
    open_actions: list[ActionLine]


def qa_history(db: Store, provider_id: str, today: date, shown: int = CHECKS_SHOWN) -> QAHistory:
    """A provider's QA checks (outcome, date, who, open actions) and the next review."""
    rows = repo.checks_for(db, provider_id, shown)
    checks = [
        CheckLine(
            id=r["id"],
            checked_on=format_date(r["checked_on"]),
            kind=qa.kind_label(r["kind"]),
            outcome=qa.outcome_label(r["outcome"]),
            checked_by=r["checked_by"] or "",
            open_actions=int(r["open_actions"] or 0),
            not_met=int(r["not_met"] or 0),
        )
        for r in rows
    ]
    if rows:
        latest = rows[0]["next_review_on"]
        next_review = date.fromisoformat(latest[:10]) if latest else None
        review, due = qa.review_words(next_review, today), qa.review_due(next_review, today)
    else:
        review, due = "no QA check yet", False
    actions = [
        ActionLine(
            description=a["description"],
            due_on=format_date(a["due_on"]),
            overdue=bool(a["due_on"]) and a["due_on"] < today.isoformat(),
        )
        for a in repo.open_actions_for(db, provider_id)
    ]
    return QAHistory(
        total=int(rows[0]["total"]) if rows else 0,
        checks=checks,
        review=review,
        review_due=due,
        open_actions=actions,
    )
