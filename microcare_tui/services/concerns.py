"""Concerns, complaints and compliments: raise one, close it with an outcome, list a provider's
and its track record, count open safeguarding concerns (which suspend good standing).

Restricted notes come back from `restricted_notes` only, which a screen calls after the worker
has confirmed they may see them; no view here carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from microcare_tui.domain import concerns as rules
from microcare_tui.domain.concerns import ConcernKind, ConcernOutcome, ConcernStatus, Severity
from microcare_tui.domain.enums import label
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.domain.labels import count_text
from microcare_tui.domain.parse import format_date, parse_date
from microcare_tui.store import concerns as repo
from microcare_tui.store import qa_checks as providers_repo
from microcare_tui.store.db import Store

Choice = tuple[str, str]
CONCERNS_SHOWN = 8


def kind_choices() -> list[Choice]:
    """Safeguarding concern, complaint, compliment."""
    return [(rules.kind_label(k.value), k.value) for k in ConcernKind]


def severity_choices() -> list[Choice]:
    """Low, medium, high."""
    return [(label(s.value), s.value) for s in Severity]


def outcome_choices() -> list[Choice]:
    """Upheld, partly upheld, not upheld, no further action."""
    return [(rules.concern_outcome_label(o.value), o.value) for o in ConcernOutcome]


@dataclass(frozen=True)
class ConcernLine:
    """A concern on the record, in words (never its restricted notes)."""

    id: str
    provider_id: str
    kind: str  # the code
    kind_text: str
    raised_on: str
    raised_by: str
    severity: str
    summary: str
    referred: str  # 'referred 03/11/2026' or ''
    status_text: str  # '! open', '✓ closed', '♥ received'
    outcome: str
    closed_on: str
    has_restricted_notes: bool
    is_open: bool


@dataclass(frozen=True)
class ConcernsPart:
    """The concerns part of a provider's record, with the track record."""

    total: int
    lines: list[ConcernLine]  # open ones first, then the newest
    track_record: str  # '4 compliments, 1 upheld complaint'
    open_safeguarding: int
    open_total: int


def _date(text: str, today: date, field: str, errors: dict[str, str]) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text, today)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _enum(enum: Any, value: str | None) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def save_concern(
    db: Store,
    provider_id: str,
    values: dict[str, Any],
    today: date,
    concern_id: str | None = None,
) -> ConcernLine:
    """Raise (or edit) a concern, complaint or compliment from the form's values.

    values: kind, raised_on, raised_by, severity, summary, referred_on, restricted_notes
    (text as typed). Raises ValidationFailed, with nothing saved, for bad input. A compliment
    has nothing to investigate: it is saved closed, on the day it was received.
    """
    if providers_repo.provider_name(db, provider_id) is None:
        raise NotFound("That provider is no longer on the register.")
    errors: dict[str, str] = {}
    draft = rules.ConcernDraft(
        kind=_enum(ConcernKind, values.get("kind")),
        raised_on=_date(str(values.get("raised_on") or ""), today, "raised_on", errors),
        raised_by=str(values.get("raised_by") or "").strip(),
        severity=_enum(Severity, values.get("severity")),
        summary=str(values.get("summary") or "").strip(),
        referred_on=_date(str(values.get("referred_on") or ""), today, "referred_on", errors),
        restricted_notes=str(values.get("restricted_notes") or "").strip(),
    )
    for field, message in rules.concern_problems(draft, today).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationFailed(errors)
    compliment = draft.kind is ConcernKind.COMPLIMENT
    row: dict[str, Any] = {
        "provider_id": provider_id,
        "kind": draft.kind,
        "raised_on": draft.raised_on,
        "raised_by": draft.raised_by or None,
        "severity": None if compliment else draft.severity,
        "summary": draft.summary,
        "referred_on": None if compliment else draft.referred_on,
    }
    if concern_id is not None:
        row["id"] = concern_id
    elif compliment:
        row.update(status=ConcernStatus.CLOSED, closed_on=draft.raised_on)
    # Blank notes on an edit keep the stored ones: the form never loads them unasked.
    if draft.restricted_notes:
        row["restricted_notes"] = draft.restricted_notes
    stored = repo.save_concern(db, row)
    found = repo.get_concern(db, stored["id"])
    assert found is not None
    return _line(found)


def close_concern(
    db: Store, concern_id: str, outcome: str | None, closed_on: str, today: date
) -> ConcernLine:
    """Close an open concern or complaint with its outcome and date (ValidationFailed, nothing
    saved, for a missing outcome or an impossible date)."""
    found = repo.get_concern(db, concern_id)
    if found is None:
        raise NotFound("That concern is no longer on record.")
    if found["status"] != ConcernStatus.OPEN:
        raise ValidationFailed({"outcome": "It is already closed"})
    errors: dict[str, str] = {}
    on = _date(closed_on, today, "closed_on", errors)
    chosen = _enum(ConcernOutcome, outcome)
    raised = date.fromisoformat(found["raised_on"][:10])
    for field, message in rules.closing_problems(chosen, on, raised, today).items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationFailed(errors)
    repo.save_concern(
        db, {"id": concern_id, "status": ConcernStatus.CLOSED, "outcome": chosen, "closed_on": on}
    )
    closed = repo.get_concern(db, concern_id)
    assert closed is not None
    return _line(closed)


def concern_line(db: Store, concern_id: str) -> ConcernLine:
    """One concern in words (without its restricted notes); NotFound when it is gone."""
    found = repo.get_concern(db, concern_id)
    if found is None:
        raise NotFound("That concern is no longer on record.")
    return _line(found)


def restricted_notes(db: Store, concern_id: str) -> str:
    """The restricted notes of one concern ('' when none), for a worker who asked to see them."""
    return repo.restricted_notes(db, concern_id) or ""


def open_safeguarding_count(db: Store, provider_id: str | None = None) -> int:
    """Open safeguarding concerns (of one provider, or all): each suspends good standing."""
    return repo.open_safeguarding_count(db, provider_id)


def concerns_part(db: Store, provider_id: str, shown: int = CONCERNS_SHOWN) -> ConcernsPart:
    """A provider's concerns, complaints and compliments for the record, and its track record."""
    rows = repo.concerns_for(db, provider_id, shown)
    counts = repo.kind_counts(db, provider_id)
    return ConcernsPart(
        total=int(rows[0]["total"]) if rows else 0,
        lines=[_line(r) for r in rows],
        track_record=track_record_text(counts),
        open_safeguarding=sum(
            c["n"] for c in counts if rules.suspends_standing(c["kind"], c["status"])
        ),
        open_total=sum(
            c["n"]
            for c in counts
            if c["status"] == ConcernStatus.OPEN and c["kind"] != ConcernKind.COMPLIMENT
        ),
    )


def track_record_text(counts: list[dict[str, Any]]) -> str:
    """'3 compliments, 1 upheld complaint' (commissioners may use past performance)."""
    compliments = sum(c["n"] for c in counts if c["kind"] == ConcernKind.COMPLIMENT)
    upheld = sum(
        c["n"]
        for c in counts
        if c["kind"] == ConcernKind.COMPLAINT
        and rules.counts_on_track_record(c["kind"], c["outcome"])
    )
    if not compliments and not upheld:
        return "No compliments or upheld complaints recorded."
    parts = []
    if compliments:
        parts.append(count_text(compliments, "compliment"))
    if upheld:
        parts.append(count_text(upheld, "upheld complaint"))
    return ", ".join(parts)


def _line(r: dict[str, Any]) -> ConcernLine:
    kind = r["kind"]
    return ConcernLine(
        id=r["id"],
        provider_id=r["provider_id"],
        kind=kind,
        kind_text=rules.kind_label(kind),
        raised_on=format_date(r["raised_on"]),
        raised_by=r["raised_by"] or "",
        severity=label(r["severity"]) if r["severity"] else "",
        summary=r["summary"],
        referred=f"referred {format_date(r['referred_on'])}" if r["referred_on"] else "",
        status_text=rules.status_words(r["status"], kind),
        outcome=rules.concern_outcome_label(r["outcome"]),
        closed_on=format_date(r["closed_on"]),
        has_restricted_notes=bool(r["has_restricted_notes"]),
        is_open=r["status"] == ConcernStatus.OPEN and kind != ConcernKind.COMPLIMENT,
    )
