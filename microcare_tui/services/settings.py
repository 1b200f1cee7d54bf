"""Settings and the council's own reference lists (areas, service catalogue)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain import parse
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.store import providers as provider_repo
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store

# (key, label, kind) — kind says how the form's text is read.
PROGRAMME_SETTINGS: list[tuple[str, str, str]] = [
    ("worker_name", "Your name", "text"),
    ("team_name", "Team or council", "text"),
    ("micro_threshold", "Micro-provider means fewer staff than", "number"),
    ("commissioned_rate_pence", "Commissioned care hourly rate", "money"),
    ("micro_rate_pence", "Micro-provider hourly rate", "money"),
    ("direct_payment_rate_pence", "Direct payment hourly rate", "money"),
    ("qa_review_months", "QA review every (months)", "number"),
    ("stalled_after_days", "Stalled after no contact for (days)", "number"),
    ("visit_days_ahead", "Visits may be dated ahead by (days)", "days"),
]


def read_settings(store: Store) -> dict[str, Any]:
    """The programme settings as stored (pence for money)."""
    return {key: reference.get_setting(store, key) for key, _, _ in PROGRAMME_SETTINGS}


# -- views for the settings screen and its forms ----------------------------------------------
@dataclass(frozen=True)
class ProgrammeSetting:
    """One programme setting with its value as typed in a form ('' when not set)."""

    key: str
    label: str
    kind: str  # text, number, days (0 allowed) or money: how the form's text is read
    text: str  # money as '£19.68'


@dataclass(frozen=True)
class AreaRow:
    """An area as a line in the settings list."""

    id: str
    name: str
    districts: str  # 'TN23 TN24'
    neighbours: str  # 'Folkestone, Maidstone'


@dataclass(frozen=True)
class ServiceRow:
    """A service in the catalogue as a line in the settings list."""

    id: str
    label: str
    regulated: str  # 'regulated' or 'no'
    synonyms: str  # the words callers use, comma separated


@dataclass(frozen=True)
class SettingsOverview:
    """Everything the settings screen lists."""

    programme: list[ProgrammeSetting]
    areas: list[AreaRow]
    services: list[ServiceRow]


def programme_settings(store: Store) -> list[ProgrammeSetting]:
    """The programme settings in form order, each with its text as a worker would type it."""
    values = read_settings(store)
    settings = []
    for key, label, kind in PROGRAMME_SETTINGS:
        value = values.get(key)
        text = parse.format_money(value) if kind == "money" and value is not None else value
        settings.append(ProgrammeSetting(key, label, kind, "" if text is None else str(text)))
    return settings


def settings_overview(store: Store) -> SettingsOverview:
    """The programme settings, the areas and the service catalogue, in words."""
    areas = reference.areas(store)
    names = {a.id: a.name for a in areas}
    return SettingsOverview(
        programme=programme_settings(store),
        areas=[
            AreaRow(
                a.id,
                a.name,
                " ".join(a.postcode_districts),
                ", ".join(names.get(n, "?") for n in a.neighbours),
            )
            for a in areas
        ],
        services=[
            ServiceRow(
                st.id, st.label, "regulated" if st.regulated else "no", ", ".join(st.synonyms)
            )
            for st in reference.service_types(store)
        ],
    )


@dataclass(frozen=True)
class AreaFormValues:
    """An area as its form shows it."""

    name: str
    districts: str  # 'TN23 TN24'
    neighbours: str  # names, comma separated


def area_form_values(store: Store, area_id: str) -> AreaFormValues:
    """An area's current values for its form (NotFound when removed)."""
    area = records.get(store, m.Area, area_id)
    names = {a.id: a.name for a in reference.areas(store)}
    return AreaFormValues(
        area.name,
        " ".join(area.postcode_districts),
        ", ".join(names.get(n, "") for n in area.neighbours),
    )


@dataclass(frozen=True)
class ServiceFormValues:
    """A service in the catalogue as its form shows it."""

    label: str
    synonyms: str  # comma separated
    regulated: bool


def service_form_values(store: Store, service_type_id: str) -> ServiceFormValues:
    """A service's current values for its form (NotFound when removed)."""
    st = records.get(store, m.ServiceType, service_type_id)
    return ServiceFormValues(st.label, ", ".join(st.synonyms), st.regulated)


def save_settings(store: Store, values: dict[str, str]) -> dict[str, Any]:
    """Validate typed settings ('£19.68', '5') and store them in one transaction."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, _label, kind in PROGRAMME_SETTINGS:
        if key not in values:
            continue
        text = str(values[key] or "").strip()
        try:
            if kind == "text":
                if key == "worker_name" and len(text) < 2:
                    raise ValueError("Enter your name (at least 2 characters)")
                parsed[key] = text
            elif kind in ("number", "days"):  # days may be 0 ("not at all")
                parsed[key] = parse.parse_whole_number(text, 0 if kind == "days" else 1, 1000)
            else:
                parsed[key] = parse.parse_money(text)
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    with store.transaction():
        for key, value in parsed.items():
            if reference.get_setting(store, key) != value:
                reference.set_setting(store, key, value)
        if "worker_name" in parsed:
            store.worker = parsed["worker_name"]
    return parsed


def save_area(store: Store, values: dict[str, Any], area_id: str | None = None) -> m.Area:
    """Add or change an area: its name, postcode districts and neighbouring areas (names)."""
    name = str(values.get("name") or "").strip()
    errors: dict[str, str] = {}
    others = [a for a in reference.areas(store) if a.id != area_id]
    if len(name) < 2:
        errors["name"] = "Give the area a name"
    elif any(a.name.lower() == name.lower() for a in others):
        errors["name"] = f"There is already an area called {name}"
    districts: list[str] = []
    for word in re.split(r"[\s,;]+", str(values.get("postcode_districts") or "")):
        if not word:
            continue
        if not parse.is_postcode_district(word):
            errors["postcode_districts"] = f"'{word}' is not a postcode district (e.g. TN23)"
            break
        districts.append(word.upper())
    taken = {d: a.name for a in others for d in a.postcode_districts}
    clash = [f"{d} ({taken[d]})" for d in districts if d in taken]
    if clash and "postcode_districts" not in errors:
        errors["postcode_districts"] = f"Already in another area: {', '.join(clash)}"
    by_name = {a.name.lower(): a.id for a in others}
    neighbours = []
    for word in parse.split_list(str(values.get("neighbours") or "")):
        if word.lower() not in by_name:
            errors["neighbours"] = f"No area called '{word}'"
            break
        neighbours.append(by_name[word.lower()])
    if errors:
        raise ValidationFailed(errors)
    if area_id:
        area = records.get(store, m.Area, area_id).model_copy(
            update={"name": name, "postcode_districts": districts, "neighbours": neighbours}
        )
    else:
        area = m.Area(
            name=name, postcode_districts=districts, neighbours=neighbours, sort_order=len(others)
        )
    # With the providers' search index: their rows hold the area's name and districts.
    return provider_repo.save_area(store, area)


def remove_area(store: Store, area_id: str) -> None:
    """Remove an area no provider is based in (a soft delete)."""
    based = provider_repo.count_based_in_area(store, area_id)
    if based:
        area = records.get(store, m.Area, area_id)
        raise ValidationFailed(
            {"area": f"{based} provider(s) are based in {area.name}: change their area first"}
        )
    # Providers may still serve it: their index rows lose its words in the same transaction.
    provider_repo.remove_area(store, area_id)


def save_service_type(
    store: Store, values: dict[str, Any], service_type_id: str | None = None
) -> m.ServiceType:
    """Add or change a service in the catalogue: its label, the words callers use, regulated."""
    label = str(values.get("label") or "").strip()
    errors: dict[str, str] = {}
    others = [s for s in reference.service_types(store) if s.id != service_type_id]
    if len(label) < 2:
        errors["label"] = "Give the service a name"
    elif any(s.label.lower() == label.lower() for s in others):
        errors["label"] = f"There is already a service called {label}"
    if errors:
        raise ValidationFailed(errors)
    synonyms = [w.lower() for w in parse.split_list(str(values.get("synonyms") or ""))]
    regulated = bool(values.get("regulated"))
    if service_type_id:
        service = records.get(store, m.ServiceType, service_type_id).model_copy(
            update={"label": label, "synonyms": synonyms, "regulated": regulated}
        )
    else:
        code = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "service"
        codes = {s.code for s in others}
        base, n = code, 2
        while code in codes:
            code = f"{base}_{n}"
            n += 1
        service = m.ServiceType(
            code=code,
            label=label,
            synonyms=synonyms,
            regulated=regulated,
            sort_order=len(others),
        )
    # With the providers' search index: their rows hold the service's label and synonyms.
    return provider_repo.save_service_type(store, service)


def remove_service_type(store: Store, service_type_id: str) -> None:
    """Remove a service no provider offers (a soft delete)."""
    service = records.get(store, m.ServiceType, service_type_id)
    offering = provider_repo.count_offering_service(store, service.code)
    if offering:
        raise ValidationFailed(
            {"service": f"{offering} provider(s) offer {service.label}: change them first"}
        )
    records.soft_delete(store, m.ServiceType, service_type_id)
