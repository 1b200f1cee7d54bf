"""Visits and contacts with a provider: log one (with actions and the next visit), correct
one (a new row that points at the original, which stays in the history), the provider's
visits, actions and stage history for its record (Home's actions due and next visits:
services/agenda.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from microcare_tui.domain import parse
from microcare_tui.domain.enums import VisitKind, label
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.services.agenda import due_state
from microcare_tui.store import pipeline as pipeline_repo
from microcare_tui.store import reference
from microcare_tui.store import visits as repo
from microcare_tui.store.db import Store

ACTION_SLOTS = 3  # action lines on the visit form
MAX_MINUTES = 24 * 60

KIND_CHOICES: list[tuple[str, str]] = [
    ("Initial", VisitKind.INITIAL),
    ("Development", VisitKind.DEVELOPMENT),
    ("QA", VisitKind.QA),
    ("Review", VisitKind.REVIEW),
    ("Support", VisitKind.SUPPORT),
    ("Closure", VisitKind.CLOSURE),
    ("Phone call", VisitKind.PHONE),
    ("Email", VisitKind.EMAIL),
]
KIND_WORDS = {str(value): words for words, value in KIND_CHOICES}

_DURATION = re.compile(r"^(?:(\d{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,4})\s*m(?:in(?:ute)?s?)?)?$")


def parse_duration(text: str) -> int | None:
    """Minutes from '45', '45m', '1h', '1h30', '1h 30m', '2 hours'; None when blank."""
    raw = text.strip().lower()
    if not raw:
        return None
    if raw.isdigit():
        minutes = int(raw)
    else:
        m = _DURATION.match(raw.replace("h30", "h 30m") if raw.endswith("h30") else raw)
        if not m or not (m.group(1) or m.group(2)):
            raise ValueError(f"'{text}' is not a length of time: try 45, 1h or 1h30")
        minutes = int(m.group(1) or 0) * 60 + int(m.group(2) or 0)
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError("Enter the minutes it took, from 1 to 1440 (a day)")
    return minutes


def days_ahead_allowed(db: Store) -> int:
    """The setting: how many days after today a visit may be dated (0: not at all)."""
    return int(reference.get_setting(db, "visit_days_ahead", 0) or 0)


def _date_field(
    values: dict[str, Any], key: str, today: date, errors: dict[str, str]
) -> date | None:
    text = str(values.get(key) or "").strip()
    if not text:
        return None
    try:
        return parse.parse_date(text, today)
    except ValueError as exc:
        errors[key] = str(exc)
        return None


def _actions(values: dict[str, Any], today: date, errors: dict[str, str]) -> list[dict[str, Any]]:
    actions = []
    for n in range(1, ACTION_SLOTS + 1):
        what = str(values.get(f"action_{n}") or "").strip()
        due_text = str(values.get(f"action_{n}_due") or "").strip()
        if not what and not due_text:
            continue
        if not what:
            errors[f"action_{n}"] = "Say what is to be done (or clear the due date)"
            continue
        if len(what) > 300:
            errors[f"action_{n}"] = "Keep this under 300 characters"
            continue
        if not due_text:
            errors[f"action_{n}_due"] = "When is it due? e.g. +2w, 22/11, fri"
            continue
        due = _date_field(values, f"action_{n}_due", today, errors)
        if due is not None:
            actions.append({"description": what, "due_on": due.isoformat()})
    return actions


def validate_visit(
    db: Store, provider_id: str, values: dict[str, Any], today: date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Check a visit form's values (raw text welcome); the row and its actions, or
    ValidationFailed with a message by field. Nothing is written."""
    today = today or date.today()
    errors: dict[str, str] = {}
    visited = _date_field(values, "visited_on", today, errors)
    if visited is None and "visited_on" not in errors:
        errors["visited_on"] = "When was it? e.g. today, 22/11, tue"
    ahead = days_ahead_allowed(db)
    if visited is not None and visited > today + timedelta(days=ahead):
        limit = (
            "today"
            if ahead == 0
            else f"{ahead} days ahead ({parse.format_date(today + timedelta(days=ahead))})"
        )
        errors["visited_on"] = (
            f"A visit cannot be dated after {limit}: log it once it has happened "
            "(Settings: visits may be dated ahead)"
        )
    kind = str(values.get("kind") or "")
    if kind not in KIND_WORDS:
        errors["kind"] = "Choose what kind of contact it was"
    duration: int | None = None
    try:
        duration = parse_duration(str(values.get("duration_minutes") or ""))
    except ValueError as exc:
        errors["duration_minutes"] = str(exc)
    notes = str(values.get("notes") or "").strip() or None
    if notes and len(notes) > 10_000:
        errors["notes"] = "Keep this under 10,000 characters"
    next_on = _date_field(values, "next_visit_on", today, errors)
    if next_on is not None and visited is not None and next_on <= visited:
        errors["next_visit_on"] = "The next visit comes after this one"
    actions = _actions(values, today, errors)
    if errors:
        raise ValidationFailed(errors)
    assert visited is not None
    row = {
        "provider_id": provider_id,
        "visited_on": visited.isoformat(),
        "kind": kind,
        "duration_minutes": duration,
        "notes": notes,
        "next_visit_on": next_on.isoformat() if next_on else None,
        "worker": db.worker,
    }
    return row, actions


def log_visit(
    db: Store,
    provider_id: str,
    values: dict[str, Any],
    today: date | None = None,
    corrects: str | None = None,
) -> dict[str, Any]:
    """Log a visit or contact with its actions in one transaction; with `corrects`, as a
    correction of that visit (which stays in the history, marked corrected)."""
    if repo.provider_exists(db, provider_id) is None:
        raise NotFound("That provider is no longer on the register.")
    row, actions = validate_visit(db, provider_id, values, today)
    if corrects is not None:
        original = repo.get_visit(db, corrects)
        if original is None or original["provider_id"] != provider_id:
            raise NotFound("The visit to correct is no longer there.")
        if original["corrected"]:
            raise ValidationFailed(
                {"visited_on": "That visit has already been corrected: correct the newer entry"}
            )
        row["corrects_visit_id"] = corrects
    return repo.add_visit(db, row, actions)


@dataclass(frozen=True)
class VisitFormValues:
    """What the visit form opens with (a correction starts from the original)."""

    provider_name: str
    values: dict[str, str]
    corrects: str | None


def visit_form_values(
    db: Store, provider_id: str, corrects: str | None = None, today: date | None = None
) -> VisitFormValues:
    """The form's starting values: today and a development visit, or the visit corrected.
    No provider (""): a form made in advance, named when it is filled for one."""
    name = repo.provider_exists(db, provider_id) if provider_id else ""
    if name is None:
        raise NotFound("That provider is no longer on the register.")
    today = today or date.today()
    values = {"visited_on": parse.format_date(today), "kind": VisitKind.DEVELOPMENT.value}
    if corrects is not None:
        original = repo.get_visit(db, corrects)
        if original is None:
            raise NotFound("The visit to correct is no longer there.")
        minutes = original["duration_minutes"]
        values = {
            "visited_on": parse.format_date(original["visited_on"]),
            "kind": original["kind"],
            "duration_minutes": str(minutes) if minutes else "",
            "notes": original["notes"] or "",
            "next_visit_on": parse.format_date(original["next_visit_on"]),
        }
    return VisitFormValues(name, values, corrects)


# -- the provider's record: visits, actions and stage history ---------------------------------
@dataclass(frozen=True)
class VisitLine:
    """A visit in the record's history."""

    id: str
    visited_on: str  # 22/11/2026
    kind: str  # in words
    duration: str  # '45 min', '' when not given
    notes: str
    next_visit: str  # 'next 06/12/2026' or ''
    worker: str
    corrected: bool  # a later entry corrects this one
    is_correction: bool


@dataclass(frozen=True)
class ActionLine:
    """An action in the record: what, when due, and its state in words."""

    id: str
    description: str
    due: str
    state: str  # 'overdue 3 days', 'due in 5 days', 'done 20/11/2026'
    open: bool


@dataclass(frozen=True)
class MoveLine:
    """A stage move in the record: when, from and to, who and why."""

    moved_on: str
    text: str  # 'Developing → Checks submitted'
    by: str
    reason: str


@dataclass(frozen=True)
class RecordVisits:
    """A provider's visits, actions and stage history, for its record."""

    visits: list[VisitLine]
    actions: list[ActionLine]
    moves: list[MoveLine]


def _minutes(value: int | None) -> str:
    if not value:
        return ""
    hours, minutes = divmod(int(value), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


def record_visits(db: Store, provider_id: str, today: date | None = None) -> RecordVisits:
    """A provider's visits (newest first; corrected ones marked), actions and stage moves."""
    today = today or date.today()
    labels = {s.code: s.label for s in pipeline_repo.stages(db)}
    visits = [
        VisitLine(
            id=v["id"],
            visited_on=parse.format_date(v["visited_on"]),
            kind=KIND_WORDS.get(v["kind"], label(v["kind"])),
            duration=_minutes(v["duration_minutes"]),
            notes=" ".join(x for x in (v["notes"], v["actions"]) if x),
            next_visit=f"next {parse.format_date(v['next_visit_on'])}"
            if v["next_visit_on"]
            else "",
            worker=v["worker"] or "",
            corrected=bool(v["corrected"]),
            is_correction=bool(v["corrects_visit_id"]),
        )
        for v in repo.visits_for(db, provider_id)
    ]
    actions = [
        ActionLine(
            id=a["id"],
            description=a["description"],
            due=parse.format_date(a["due_on"]),
            state=due_state(a["due_on"], a["done_on"], today),
            open=a["done_on"] is None,
        )
        for a in repo.actions_for(db, provider_id)
    ]
    moves = [
        MoveLine(
            moved_on=parse.format_date(mv["moved_on"]),
            text=(
                f"{labels.get(mv['from_stage'], mv['from_stage'])} → "
                f"{labels.get(mv['to_stage'], mv['to_stage'])}"
                if mv["from_stage"]
                else f"Added at {labels.get(mv['to_stage'], mv['to_stage'])}"
            ),
            by=mv["moved_by"] or "",
            reason=mv["note"] or "",
        )
        for mv in pipeline_repo.moves_for(db, provider_id)
    ]
    return RecordVisits(visits, actions, moves)


def complete_action(db: Store, action_id: str, today: date | None = None) -> None:
    """Mark an action done today (NotFound when it is gone or already done)."""
    if repo.complete_action(db, action_id, today or date.today()) is None:
        raise NotFound("That action is already done or no longer there.")
