"""A provider's standing and why, and which evidence applies and how it stands: the domain's
rules (domain.rules.standing, domain.applicability) applied to what the store holds.

store.providers.STANDING_SQL is the same rule for lists, the lookup and Home's counts;
tests/test_store.py and tests/services/test_standing.py hold the two together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.applicability import (
    EvidenceRule,
    ItemState,
    ItemStatus,
    PersonState,
    ProviderSetup,
    RequirementState,
    applicable_evidence,
    requirement_states,
)
from microcare_tui.store import evidence as evidence_store
from microcare_tui.store import people as people_store
from microcare_tui.store import providers as repo
from microcare_tui.store.db import Store
from microcare_tui.store.standing_inputs import StandingInputs, standing_inputs


@dataclass(frozen=True)
class Assessment:
    """A provider's standing today, with the requirements that decided it."""

    verdict: rules.StandingVerdict
    requirements: list[RequirementState]


def setup_of(provider: m.Provider) -> ProviderSetup:
    """The parts of a provider that decide which evidence applies."""
    return ProviderSetup(
        services=frozenset(provider.services),
        regulated_activity=provider.regulated_activity,
        cqc_exempt=provider.cqc_exempt,
        staff_count=provider.staff_count,
        legal_form=provider.legal_form,
    )


def item_state(item: m.EvidenceItem) -> ItemState:
    """An evidence item as the requirement rules see it."""
    return ItemState(
        id=item.id,
        type_code=item.evidence_type_code,
        person_id=item.person_id,
        status=item.status.value,
        expires_on=item.expires_on,
        cover_pence=item.cover_pence,
    )


def requirements_for(db: Store, provider: m.Provider, today: date) -> list[RequirementState]:
    """Each piece of evidence that applies to the provider, with the item meeting it."""
    return _requirements(
        setup_of(provider),
        _people_states(db, provider.id),
        [item_state(i) for i in evidence_store.items_for(db, provider.id)],
        evidence_store.evidence_rules(db),
        evidence_store.type_labels(db),
        today,
    )


def _people_states(db: Store, provider_id: str) -> list[PersonState]:
    return [
        PersonState(p.id, p.name, p.works_one_to_one, p.left_on is not None, p.role == "owner")
        for p in people_store.people_for(db, provider_id)
    ]


def _requirements(
    setup: ProviderSetup,
    people: list[PersonState],
    items: list[ItemState],
    evidence_rules: list[EvidenceRule],
    labels: dict[str, str],
    today: date,
) -> list[RequirementState]:
    lines = applicable_evidence(setup, people, evidence_rules, labels)
    return requirement_states(lines, items, today)


def _decide(
    inputs: StandingInputs,
    evidence_rules: list[EvidenceRule],
    labels: dict[str, str],
    today: date,
) -> Assessment:
    """The standing rule applied to one provider's inputs: the one place the record, the
    Quality section and every other verdict is decided."""
    requirements = _requirements(
        inputs.setup, inputs.people, inputs.items, evidence_rules, labels, today
    )
    lapsed = [
        rules.EvidenceState(
            s.requirement.type_code, True, s.item.expires_on if s.item else None,
            s.requirement.label,
        )
        for s in requirements
        if s.requirement.mandatory and s.status is ItemStatus.LAPSED
    ]  # fmt: skip
    verdict = rules.standing(
        inputs.stage,
        inputs.latest_qa,
        lapsed,
        today,
        stage_since=inputs.stage_since,
        qa_actions=inputs.qa_actions,
        concerns=inputs.concerns,
    )
    return Assessment(verdict, requirements)


def assess(db: Store, provider: m.Provider, today: date) -> Assessment:
    """The standing rule applied to everything the store holds about the provider."""
    checks = repo.qa_checks_for(db, provider.id)
    latest = rules.QAState(checks[0].outcome, checks[0].checked_on) if checks else None
    actions = (
        [
            rules.ActionState(a.description, a.due_on, a.done)
            for a in evidence_store.qa_actions(db, checks[0].id)
        ]
        if checks
        else []
    )
    concerns = [
        rules.ConcernState(c.kind, c.raised_on, c.open)
        for c in evidence_store.open_concerns(db, provider.id)
    ]
    inputs = StandingInputs(
        setup_of(provider),
        provider.stage,
        provider.stage_changed_on,
        _people_states(db, provider.id),
        [item_state(i) for i in evidence_store.items_for(db, provider.id)],
        latest,
        actions,
        concerns,
    )
    return _decide(inputs, evidence_store.evidence_rules(db), evidence_store.type_labels(db), today)


def verdicts_for(
    db: Store, provider_ids: Sequence[str], today: date
) -> dict[str, rules.StandingVerdict]:
    """Each live provider's standing today and why (a list's worth at once: a few
    statements for all of them, where provider_verdict reads ~eight per provider)."""
    evidence_rules = evidence_store.evidence_rules(db)
    labels = evidence_store.type_labels(db)
    return {
        pid: _decide(inputs, evidence_rules, labels, today).verdict
        for pid, inputs in standing_inputs(db, provider_ids).items()
    }


def provider_verdict(db: Store, provider: m.Provider, today: date) -> rules.StandingVerdict:
    """The provider's standing today and why."""
    return assess(db, provider, today).verdict
