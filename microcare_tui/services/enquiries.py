"""Enquiry use-cases: log a call, signpost, record an unmet need, follow up, grow a provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import EnquirerKind, Outcome, SignpostOutcome, Stage
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.domain.labels import outcome_label
from microcare_tui.domain.parse import format_date, format_phone
from microcare_tui.store import enquiries as repo
from microcare_tui.store import providers as provider_repo
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store


@dataclass(frozen=True)
class SignpostView:
    """A saved signpost of an enquiry, with the provider's name as the screen shows it."""

    id: str
    provider_id: str
    provider_name: str
    reported_outcome: SignpostOutcome


@dataclass(frozen=True)
class EarlierCaller:
    """An earlier enquiry that may be from the same caller, and why it matched."""

    enquiry_id: str
    caller_name: str | None
    caller_phone: str | None  # E.164, as stored
    received_at: str  # ISO, as stored
    reason: str  # "same phone" or "similar name"


def get_enquiry(store: Store, enquiry_id: str) -> m.Enquiry:
    """One live enquiry, or NotFound."""
    return repo.get_enquiry(store, enquiry_id)


def enquiry_signposts(store: Store, enquiry_id: str) -> list[SignpostView]:
    """The providers this enquiry was signposted to, in order, with their names."""
    views = []
    for signpost in repo.signposts_for(store, enquiry_id):
        try:
            name = provider_repo.get_provider(store, signpost.provider_id).name
        except NotFound:
            name = "(provider removed)"
        views.append(
            SignpostView(signpost.id, signpost.provider_id, name, signpost.reported_outcome)
        )
    return views


def validate_enquiry(
    store: Store, values: dict[str, Any], enquiry_id: str | None = None
) -> m.Enquiry:
    """Build an Enquiry from form values, or raise ValidationFailed with per-field messages."""
    existing = repo.get_enquiry(store, enquiry_id) if enquiry_id else None
    data = m.form_data(m.Enquiry, values, existing)
    enquiry = m.validate_model(m.Enquiry, data)
    errors: dict[str, str] = {}
    known = {st.code for st in reference.service_types(store)}
    unknown = [n for n in enquiry.needs if n not in known]
    if unknown:
        errors["needs"] = f"Unknown service(s): {', '.join(unknown)}"
    if enquiry.outcome is Outcome.FOLLOW_UP and not enquiry.follow_up_on:
        errors["follow_up_on"] = "Give a follow-up date (e.g. +3d or tue)"
    if enquiry.outcome is Outcome.NO_SUITABLE_PROVIDER and not enquiry.needs:
        errors["needs"] = "Say which service(s) were needed, so the gap is recorded"
    if errors:
        raise ValidationFailed(errors)
    area_id = enquiry.area_id
    if enquiry.postcode and not values.get("area_id"):
        area_id = reference.area_for_postcode(store, enquiry.postcode) or area_id
    return enquiry.model_copy(update={"area_id": area_id, "worker": enquiry.worker or store.worker})


def log_enquiry(
    store: Store,
    values: dict[str, Any],
    signpost_ids: list[str] | None = None,
    enquiry_id: str | None = None,
) -> m.Enquiry:
    """Save an enquiry with its signposts and (for 'no suitable provider') its unmet needs,
    all in one transaction: nothing half-written if any part fails."""
    enquiry = validate_enquiry(store, values, enquiry_id)
    with store.transaction():
        saved = repo.save_enquiry(store, enquiry)
        already = {s.provider_id for s in repo.signposts_for(store, saved.id)}
        for provider_id in signpost_ids or []:
            if provider_id not in already:
                provider_repo.get_provider(store, provider_id)  # raises NotFound
                records.save(store, m.Signpost(enquiry_id=saved.id, provider_id=provider_id))
                already.add(provider_id)
        if saved.outcome is Outcome.NO_SUITABLE_PROVIDER:
            recorded = {u.service_code for u in repo.unmet_needs_for(store, saved.id)}
            for code in saved.needs:
                if code not in recorded:
                    records.save(
                        store,
                        m.UnmetNeed(
                            enquiry_id=saved.id,
                            service_code=code,
                            area_id=saved.area_id,
                        ),
                    )
    return saved


def signpost(store: Store, enquiry_id: str, provider_id: str) -> m.Signpost:
    """Record that the caller was given this provider's details."""
    repo.get_enquiry(store, enquiry_id)
    provider_repo.get_provider(store, provider_id)
    with store.transaction():
        for existing in repo.signposts_for(store, enquiry_id):
            if existing.provider_id == provider_id:
                return existing
        return records.save(store, m.Signpost(enquiry_id=enquiry_id, provider_id=provider_id))


def record_signpost_outcome(store: Store, signpost_id: str, outcome: SignpostOutcome) -> m.Signpost:
    """Later: what happened after signposting (contacted, started, declined)."""
    current = records.get(store, m.Signpost, signpost_id)
    return records.save(store, current.model_copy(update={"reported_outcome": outcome}))


@dataclass(frozen=True)
class FollowUpView:
    """What the follow-up dialog says about the enquiry before asking what was done."""

    enquiry_id: str
    caller: str  # 'Ann Smith · 07911 123456'
    needs: str  # labels, or 'needs not recorded'
    outcome: str
    due: str  # '25/11/2026', or '(no date)'
    earlier_notes: str


def follow_up_view(db: Store, enquiry_id: str) -> FollowUpView:
    """The enquiry behind a follow-up, in words (NotFound if it is gone)."""
    e = repo.get_enquiry(db, enquiry_id)
    labels = reference.service_labels(db)
    return FollowUpView(
        enquiry_id=e.id,
        caller=f"{e.caller_name or '(no name)'} · {format_phone(e.caller_phone) or 'no phone'}",
        needs=", ".join(labels.get(n, n) for n in e.needs) or "needs not recorded",
        outcome=outcome_label(e.outcome),
        due=format_date(e.follow_up_on) or "(no date)",
        earlier_notes=e.follow_up_note or "",
    )


def complete_follow_up(store: Store, enquiry_id: str, note: str) -> m.Enquiry:
    """Mark a follow-up done and log what was done."""
    if not note.strip():
        raise ValidationFailed({"follow_up_note": "Say what was done"})
    enquiry = repo.get_enquiry(store, enquiry_id)
    done = enquiry.model_copy(
        update={
            "follow_up_done_at": datetime.now(UTC),
            "follow_up_note": "\n".join(filter(None, [enquiry.follow_up_note, note.strip()])),
        }
    )
    return repo.save_enquiry(store, done)


def become_provider(store: Store, enquiry_id: str) -> m.Provider:
    """Turn a would-be provider's enquiry into a provider record at stage 'enquiry'."""
    enquiry = repo.get_enquiry(store, enquiry_id)
    if enquiry.enquirer_kind is not EnquirerKind.WOULD_BE_PROVIDER:
        raise ValidationFailed(
            {"enquirer_kind": "Only a would-be provider's enquiry can become a provider"}
        )
    if enquiry.provider_id:
        return provider_repo.get_provider(store, enquiry.provider_id)
    name = enquiry.caller_name or "New provider"
    with store.transaction():
        provider = m.Provider(
            name=name if len(name) >= 2 else f"{name} (new provider)",
            lead_contact=enquiry.caller_name,
            phone=enquiry.caller_phone,
            postcode=enquiry.postcode if enquiry.postcode and " " in enquiry.postcode else None,
            area_id=enquiry.area_id,
            areas_served=[enquiry.area_id] if enquiry.area_id else [],
            services=enquiry.needs,
            stage=Stage.ENQUIRY,
            enquiry_id=enquiry.id,
            notes=enquiry.summary,
        )
        saved = provider_repo.save_provider(store, provider)
        repo.save_enquiry(
            store,
            enquiry.model_copy(
                update={
                    "provider_id": saved.id,
                    "outcome": enquiry.outcome or Outcome.REFERRED_TO_PROGRAMME,
                }
            ),
        )
    return saved


def possible_contacts(
    store: Store, phone_text: str | None, name: str | None, exclude_id: str | None = None
) -> list[EarlierCaller]:
    """Earlier enquiries that may be from this caller (same phone, or a similar name).

    The phone may be half-typed or odd; it is normalised when it parses and ignored otherwise.
    """
    from microcare_tui.domain.parse import parse_phone

    phone = None
    if phone_text and phone_text.strip():
        try:
            phone = parse_phone(phone_text)
        except ValueError:
            phone = None
    return [
        EarlierCaller(c.enquiry_id, c.caller_name, c.caller_phone, c.received_at, c.reason)
        for c in repo.possible_contacts(store, phone, name, exclude_id)
    ]
