"""Evidence items for a provider and its people (metadata only), the form's checks, and the
evidence list: each requirement that applies and the item that meets it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain.applicability import ItemStatus, RequirementState
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.parse import format_date, format_money, parse_date
from microcare_tui.services.standing import assess, requirements_for
from microcare_tui.store import evidence as repo
from microcare_tui.store import people as people_repo
from microcare_tui.store import providers as providers_repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store

VERIFIED_HOW: list[tuple[str, str]] = [
    ("Original seen", "seen original"),
    ("Copy seen", "copy seen"),
    ("Online check", "online check"),
    ("DBS Update Service", "update service"),
    ("Self-declared", "self declared"),
]
DATE_FIELDS = ("issued_on", "expires_on", "seen_on")

# The word shown for each status, with a symbol: status is never colour alone.
STATUS_WORDS: dict[ItemStatus, str] = {
    ItemStatus.MET: "✓",
    ItemStatus.EXPIRING: "!",
    ItemStatus.LAPSED: "✗",
    ItemStatus.MISSING: "?",
    ItemStatus.NOT_APPLICABLE: "–",
}


@dataclass(frozen=True)
class EvidenceLine:
    """One line of the evidence list: a requirement (or other evidence on file)."""

    label: str  # 'Enhanced DBS check: Sam Patel'
    mandatory: bool
    status: str  # met | expiring | lapsed | missing | not_applicable | other
    text: str  # '✓ met until 03/11/2027', '✗ lapsed: expired 12/10/2026', '? missing'
    detail: str  # reference, cover, how verified, seen by and on
    item_id: str | None
    type_code: str = ""
    person_id: str | None = None


@dataclass(frozen=True)
class SavedEvidence:
    """A saved item and anything the worker should know (cover below the minimum)."""

    item: m.EvidenceItem
    warnings: list[str]


def type_choices(db: Store) -> list[tuple[str, str]]:
    """(label, code) of the live evidence types, in the council's order."""
    labels = repo.type_labels(db)
    return [(t.label, t.code) for t in reference.evidence_types(db) if t.code in labels]


def _check_dates(data: dict[str, Any], today: date) -> dict[str, date | None]:
    """Parse the three dates, naming each one that cannot be."""
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for field in DATE_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            try:
                days[field] = parse_date(value, today)
            except ValueError as exc:
                errors[field] = str(exc)
        else:
            days[field] = value if isinstance(value, date) else None
    issued, expires, seen = days.get("issued_on"), days.get("expires_on"), days.get("seen_on")
    if not errors:
        if issued and issued > today:
            errors["issued_on"] = "The issue date is in the future"
        if issued and expires and expires < issued:
            errors["expires_on"] = (
                f"The expiry date {format_date(expires)} is before the issue date "
                f"{format_date(issued)}"
            )
        if seen and seen > today:
            errors["seen_on"] = "It cannot have been seen in the future"
    if errors:
        raise ValidationFailed(errors)
    return days


def save_evidence(
    db: Store,
    provider_id: str,
    values: dict[str, Any],
    item_id: str | None = None,
    today: date | None = None,
) -> SavedEvidence:
    """Validate and save an evidence item; ValidationFailed names each bad field (unknown
    type, expiry before issue, dates that cannot be, a person not of this provider) and
    nothing is saved. Cover below the rule's minimum saves with a warning."""
    today = today or date.today()
    provider = providers_repo.get_provider(db, provider_id)
    existing = repo.get_item(db, item_id) if item_id else None
    data = m.form_data(m.EvidenceItem, values, existing)
    data["provider_id"] = provider_id
    labels = repo.type_labels(db)
    code = data.get("evidence_type_code")
    if code not in labels:
        raise ValidationFailed({"evidence_type_code": f"'{code or ''}' is not an evidence type"})
    person_id = data.get("person_id") or None
    if person_id and person_id not in {p.id for p in people_repo.people_for(db, provider_id)}:
        raise ValidationFailed({"person_id": "That person does not work for this provider"})
    data["person_id"] = person_id
    data.update(_check_dates(data, today))
    item = m.validate_model(m.EvidenceItem, data)
    saved = repo.save_item(db, item)
    return SavedEvidence(saved, _cover_warnings(db, provider, saved, today))


def _cover_warnings(
    db: Store, provider: m.Provider, item: m.EvidenceItem, today: date
) -> list[str]:
    for state in requirements_for(db, provider, today):
        if state.item is not None and state.item.id == item.id and state.cover_short:
            minimum = format_money(state.requirement.min_cover_pence)
            return [f"Cover {format_money(item.cover_pence)} is below the minimum {minimum}"]
    return []


def evidence_lines(db: Store, provider_id: str, today: date | None = None) -> list[EvidenceLine]:
    """Each requirement that applies with the item that meets it (or 'missing', 'lapsed',
    'expires in 21 days'), mandatory first; then any other evidence on file."""
    today = today or date.today()
    provider = providers_repo.get_provider(db, provider_id)
    states = assess(db, provider, today).requirements
    items = {i.id: i for i in repo.items_for(db, provider_id)}
    lines = [_line(s, items) for s in sorted(states, key=lambda s: not s.requirement.mandatory)]
    used = {s.item.id for s in states if s.item is not None}
    labels = repo.type_labels(db)
    for item in items.values():
        if item.id not in used:
            lines.append(
                EvidenceLine(
                    label=labels.get(item.evidence_type_code, item.evidence_type_code),
                    mandatory=False,
                    status="other",
                    text=f"on file ({item.status.value.replace('_', ' ')})",
                    detail=_detail(item),
                    item_id=item.id,
                    type_code=item.evidence_type_code,
                    person_id=item.person_id,
                )
            )
    return lines


def _line(state: RequirementState, items: dict[str, m.EvidenceItem]) -> EvidenceLine:
    item = items.get(state.item.id) if state.item else None
    text = f"{STATUS_WORDS[state.status]} {state.text}"
    if state.cover_short:
        text += " (cover below minimum)"
    return EvidenceLine(
        label=state.requirement.label,
        mandatory=state.requirement.mandatory,
        status=state.status.value,
        text=text,
        detail=_detail(item) if item else "",
        item_id=item.id if item else None,
        type_code=state.requirement.type_code,
        person_id=state.requirement.person_id,
    )


def _detail(item: m.EvidenceItem) -> str:
    parts = [
        f"ref {item.reference}" if item.reference else "",
        f"cover {format_money(item.cover_pence)}" if item.cover_pence else "",
        f"issued {format_date(item.issued_on)}" if item.issued_on else "",
        item.verified_how or "",
        f"seen by {item.seen_by}" if item.seen_by else "",
        f"on {format_date(item.seen_on)}" if item.seen_on else "",
    ]
    return ", ".join(p for p in parts if p)


def get_item(db: Store, item_id: str) -> m.EvidenceItem:
    """One evidence item (NotFound when withdrawn)."""
    return repo.get_item(db, item_id)
