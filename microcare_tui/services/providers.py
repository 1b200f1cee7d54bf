"""Provider use-cases: the register a page at a time, the form's choices, save from the form,
move stage, withdraw. The record page is in services/provider_record.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.enums import (
    Approach,
    Day,
    Funding,
    OwnershipModel,
    Stage,
    TimeOfDay,
    label,
)
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.labels import standing_label
from microcare_tui.domain.parse import format_phone, parse_phone
from microcare_tui.services.lookup import vocabulary
from microcare_tui.store import providers as repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store


def validate_provider(
    store: Store, values: dict[str, Any], provider_id: str | None = None
) -> m.Provider:
    """Build a Provider from form values (raw strings welcome), or raise ValidationFailed.

    Fills what follows from the rules: the base area from the postcode district, the size
    band from staff count and the council's threshold, regulated activity from services.
    """
    existing = repo.get_provider(store, provider_id) if provider_id else None
    data = m.form_data(m.Provider, values, existing)
    provider = m.validate_model(m.Provider, data)
    errors: dict[str, str] = {}
    known_services = {st.code: st for st in reference.service_types(store)}
    unknown = [s for s in provider.services if s not in known_services]
    if unknown:
        errors["services"] = f"Unknown service(s): {', '.join(unknown)}"
    known_areas = {a.id for a in reference.areas(store)}
    if any(a not in known_areas for a in provider.areas_served):
        errors["areas_served"] = "Unknown area"
    known_forms = {f.code for f in reference.legal_forms(store)}
    if provider.legal_form not in known_forms:
        errors["legal_form"] = f"Unknown legal form '{provider.legal_form}'"
    if errors:
        raise ValidationFailed(errors)
    threshold = int(reference.get_setting(store, "micro_threshold", rules.DEFAULT_MICRO_THRESHOLD))
    area_id = _base_area(store, provider, existing, explicit="area_id" in values)
    regulated = provider.regulated_activity or any(
        known_services[s].regulated for s in provider.services
    )
    return provider.model_copy(
        update={
            "area_id": area_id,
            "size_band": rules.size_band(provider.staff_count, threshold),
            "regulated_activity": regulated,
        }
    )


def _base_area(
    store: Store, provider: m.Provider, existing: m.Provider | None, explicit: bool
) -> str | None:
    """The base area follows the postcode: a postcode in the council's districts sets it, and
    emptying a postcode clears it (the area came from the postcode, so it went with it). An
    area given explicitly (the CLI, an import) is kept, as is a stored area when the provider
    never had a postcode."""
    if explicit:
        return provider.area_id or reference.area_for_postcode(store, provider.postcode)
    if provider.postcode:
        return reference.area_for_postcode(store, provider.postcode) or provider.area_id
    if existing is not None and existing.postcode:
        return None
    return provider.area_id


def save_provider(
    store: Store, values: dict[str, Any], provider_id: str | None = None
) -> m.Provider:
    """Validate and save a provider in one transaction (with its stage move if it changed)."""
    provider = validate_provider(store, values, provider_id)
    if provider_id:
        current = repo.get_provider(store, provider_id)
        if not rules.can_move(current.stage, provider.stage):
            raise ValidationFailed(
                {
                    "stage": f"A provider at '{current.stage.value}' cannot move to "
                    f"'{provider.stage.value}' directly",
                }
            )
    return repo.save_provider(store, provider)


def move_stage(
    store: Store, provider_id: str, target: Stage, note: str | None = None
) -> m.Provider:
    """Move a provider to another development stage, dated today."""
    target = Stage(target)
    current = repo.get_provider(store, provider_id)
    if not rules.can_move(current.stage, target):
        raise ValidationFailed({"stage": f"Cannot move from {current.stage} to {target}"})
    return repo.save_provider(store, current.model_copy(update={"stage": target}), note=note)


def withdraw_provider(store: Store, provider_id: str) -> None:
    """Remove a provider from the register (soft delete, kept for sync and audit)."""
    repo.get_provider(store, provider_id)
    repo.delete_provider(store, provider_id)


# -- the register, a page at a time ------------------------------------------------------------
TAKING_TEXT = {True: "✓ yes", False: "✗ no"}  # taking new clients: a symbol and a word

_PHONE_CHARS = re.compile(r"[\d\s()+.-]+")
MIN_PHONE_DIGITS = 5  # fewer digits are more likely part of a name or a postcode


def phone_filter(text: str) -> str | None:
    """What a list filter that looks like a phone number matches in the stored E.164 numbers:
    the whole number when it is one ('01233 629000' -> '+441233629000'), else its national
    digits ('629000'); None when the filter is words."""
    text = text.strip()
    digits = re.sub(r"\D", "", text)
    if not _PHONE_CHARS.fullmatch(text) or len(digits) < MIN_PHONE_DIGITS:
        return None
    try:
        return parse_phone(text)
    except ValueError:
        pass
    if text.startswith("+"):
        return "+" + digits  # an international prefix as typed
    if digits.startswith("0044"):
        digits = digits[4:]
    return digits.removeprefix("0")  # E.164 drops the national 0


@dataclass(frozen=True)
class ProviderListRow:
    """A provider as a line in the register, in words."""

    id: str
    name: str
    stage: str  # the code, for filters
    stage_text: str
    area: str  # the base area's name, '' when none
    services: list[str]  # service labels
    standing: str  # the code: good, lapsed, not_listed
    standing_text: str  # symbol and word: '✓ good'
    taking: bool
    taking_text: str  # symbol and word, never colour alone: '✓ yes' or '✗ no'
    phone_text: str  # as people write it, '' when none


@dataclass(frozen=True)
class ProviderListPage:
    """One page of the register and where it sits in the whole list."""

    page: int  # the page shown (0-based; clamped when rows went away)
    pages: int
    total: int
    rows: list[ProviderListRow]


def provider_list_page(
    db: Store,
    text: str = "",
    stage: str | None = None,
    page: int = 0,
    page_size: int = 50,
    today: date | None = None,
) -> ProviderListPage:
    """A page of the register by name, filtered by words and stage; standing as of `today`.

    A filter that looks like a phone number ('01233 629000', '+44 1233 629000', '629000')
    finds the providers with that number, however it was typed."""
    phone = phone_filter(text)
    if phone:
        text = ""
    total = repo.count_providers(db, text, stage, phone=phone)
    pages = max(1, -(-total // page_size))
    page = max(0, min(page, pages - 1))
    rows = repo.page_providers(
        db, page * page_size, page_size, text=text, stage=stage, today=today, phone=phone
    )
    return ProviderListPage(
        page=page,
        pages=pages,
        total=total,
        rows=[
            ProviderListRow(
                id=r.id,
                name=r.name,
                stage=r.stage,
                stage_text=label(r.stage),
                area=r.area,
                services=r.services,
                standing=r.standing,
                standing_text=standing_label(r.standing),
                taking=r.taking,
                taking_text=TAKING_TEXT[r.taking],
                phone_text=format_phone(r.phone),
            )
            for r in rows
        ],
    )


# -- the form --------------------------------------------------------------------------------
Choice = tuple[str, str]  # (words shown, value stored), as a Select or pick list takes them


@dataclass(frozen=True)
class ProviderFormChoices:
    """What each choice on the provider form offers, this council's lists included."""

    areas: list[Choice]
    services: list[Choice]
    legal_forms: list[Choice]
    stages: list[Choice]  # only the stages the provider may move to (all for a new one)
    ownership_models: list[Choice]
    approaches: list[Choice]
    days: list[Choice]
    times: list[Choice]
    funding: list[Choice]
    # The words callers use, phrase -> value, so a pick list's filter understands them too
    # ("cleaning" finds Home help; "TN23" finds Ashford).
    service_words: dict[str, str]
    area_words: dict[str, str]


def _enum_choices(values: Iterable[str]) -> list[Choice]:
    return [(label(v), v) for v in values]


def stage_choices(current: Stage | None) -> list[Choice]:
    """The stages a provider at `current` may be given (itself included); all for a new one."""
    if current is None:
        return _enum_choices(s.value for s in Stage)
    allowed = rules.allowed_next_stages(current) | {current}
    return _enum_choices(s.value for s in Stage if s in allowed)


def provider_form_choices(db: Store, current_stage: Stage | None = None) -> ProviderFormChoices:
    """The provider form's choices, for a new provider or one now at `current_stage`."""
    words = vocabulary(db)
    return ProviderFormChoices(
        areas=[(a.name, a.id) for a in reference.areas(db)],
        services=[(st.label, st.code) for st in reference.service_types(db)],
        legal_forms=[(f.label, f.code) for f in reference.legal_forms(db)],
        stages=stage_choices(current_stage),
        ownership_models=_enum_choices(o.value for o in OwnershipModel),
        approaches=_enum_choices(a.value for a in Approach),
        days=_enum_choices(d.value for d in Day),
        times=_enum_choices(t.value for t in TimeOfDay),
        funding=_enum_choices(f.value for f in Funding),
        service_words=dict(words.services),
        area_words={district.lower(): area for district, area in words.districts.items()},
    )


def get_provider(db: Store, provider_id: str) -> m.Provider:
    """One live provider, to fill the form (NotFound when withdrawn)."""
    return repo.get_provider(db, provider_id)


def base_area_name(db: Store, postcode: str) -> str | None:
    """The name of the area a postcode's district is in, or None outside the council."""
    area_id = reference.area_for_postcode(db, postcode)
    if area_id is None:
        return None
    return next((a.name for a in reference.areas(db) if a.id == area_id), "?")
