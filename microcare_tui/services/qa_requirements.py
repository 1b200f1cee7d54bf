"""Which evidence a QA check asks for: the requirement lines that apply to one provider, and
its evidence items, read from the store for domain.applicability (the one rule: the record,
standing and the checklist all ask it)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from microcare_tui.domain.applicability import (
    EvidenceRule,
    ItemState,
    PersonState,
    ProviderSetup,
    Requirement,
    applicable_evidence,
)
from microcare_tui.store import qa_checks as repo
from microcare_tui.store.db import Store


def requirements_for(db: Store, provider_id: str) -> list[Requirement]:
    """The evidence that applies to this provider, one line per requirement (per person where
    the evidence is per person), in the council's rules' order; [] for an unknown provider."""
    row = repo.provider_setup(db, provider_id)
    if row is None:
        return []
    setup = ProviderSetup(
        services=frozenset(json.loads(row["services"] or "[]")),
        regulated_activity=bool(row["regulated_activity"]),
        cqc_exempt=bool(row["cqc_exempt"]),
        staff_count=int(row["staff_count"] or 0),
        legal_form=row["legal_form"] or "",
    )
    people = [
        PersonState(p["id"], p["name"], bool(p["works_one_to_one"]), p["left_on"] is not None)
        for p in repo.people_of(db, provider_id)
    ]
    rules = [_rule(r) for r in repo.evidence_rules(db)]
    return applicable_evidence(setup, people, rules, repo.type_labels(db))


def _rule(row: dict[str, Any]) -> EvidenceRule:
    return EvidenceRule(
        type_code=row["evidence_type_code"],
        condition=row["condition"],
        services=tuple(json.loads(row["services"] or "[]")),
        mandatory=bool(row["mandatory"]),
        min_cover_pence=row["min_cover_pence"],
        note=row["note"] or "",
    )


def items_on_file(db: Store, provider_id: str) -> list[ItemState]:
    """The provider's evidence items, as the requirement rules read them."""
    return [
        ItemState(
            id=r["id"],
            type_code=r["evidence_type_code"],
            person_id=r["person_id"],
            status=r["status"],
            expires_on=date.fromisoformat(r["expires_on"][:10]) if r["expires_on"] else None,
            cover_pence=r["cover_pence"],
        )
        for r in repo.evidence_on_file(db, provider_id)
    ]
