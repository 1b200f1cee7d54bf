"""Which evidence a QA check asks for: the requirement lines that apply to one provider.

The one source is domain/applicability.py (the council's evidence rules over the provider's
services, set-up and people). Until that module is on this branch, the seeded evidence types'
`mandatory_when` words are read the same way the demo reads them, so the checklist works on
any database.
"""

from __future__ import annotations

import json

from microcare_tui.domain import qa
from microcare_tui.store import reference
from microcare_tui.store.db import Store


def requirements_for(db: Store, provider_id: str) -> list[qa.Requirement]:
    """The evidence that applies to this provider, one line per requirement (per person where
    the evidence is per person), in the evidence types' order."""
    return _from_evidence_types(db, provider_id)


def _from_evidence_types(db: Store, provider_id: str) -> list[qa.Requirement]:
    rows = db.query(
        "SELECT staff_count, regulated_activity, services FROM providers WHERE id = ?",
        (provider_id,),
    )
    if not rows:
        return []
    p = rows[0]
    services = set(json.loads(p["services"] or "[]"))
    facts = {
        "always": True,
        "staff": int(p["staff_count"] or 0) > 1,
        "personal_care": bool(p["regulated_activity"]),
        "food": bool(services & {"meal_preparation", "meals"}),
        "personal_data": True,
        "never": False,
    }
    return [
        qa.Requirement(code=t.code, label=t.label, mandatory=True)
        for t in reference.evidence_types(db)
        if facts.get(t.mandatory_when, True)
    ]
