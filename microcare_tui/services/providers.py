"""Provider use-cases: save from a form, move stage, withdraw."""

from __future__ import annotations

from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.enums import Stage
from microcare_tui.domain.errors import ValidationFailed
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
    area_id = provider.area_id or reference.area_for_postcode(store, provider.postcode)
    if provider.postcode and "area_id" not in values:
        area_id = reference.area_for_postcode(store, provider.postcode) or provider.area_id
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
