"""The checks on each provider: evidence items (met, missing, lapsed or lapsing soon) and QA
checks (the first one when listed, failed ones, annual reviews and spot checks)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.chance import between, id_on
from microcare_tui.demo.context import Context
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import WORKER
from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.store import reference

_QA_NOTES: dict[str, list[str | None]] = {
    "approved": ["All evidence seen and in date.", "Approved; policies are clear.", None],
    "approved_with_actions": ["Actions: update lone working policy within 30 days.",
                              "Actions: renew insurance before it lapses.",
                              "Actions: add a complaints procedure to the leaflet."],
    "not_approved": ["Not approved: no public liability insurance in place.",
                     "Not approved: DBS check outstanding.",
                     "Not approved: references not received."],
}  # fmt: skip


# The evidence types this writer has always drawn from: types added since (issue 9) get
# their demo items from demo.people's own random stream, so these rows stay byte-identical.
_FIRST_TYPES = frozenset({
    "identity", "dbs_enhanced", "public_liability", "employers_liability",
    "safeguarding_training", "first_aid", "policy_safeguarding", "policy_complaints",
    "policy_data_protection", "policy_lone_working", "ico_registration", "references",
    "risk_assessment", "food_hygiene", "cqc_registration",
})  # fmt: skip


def write_evidence(ctx: Context, plans: list[Plan]) -> None:
    """Write the evidence of every provider that reached checks."""
    types = [t for t in reference.evidence_types(ctx.store) if t.code in _FIRST_TYPES]
    evidence = _Evidence(ctx.rng("evidence"), types, ctx.today)
    with_checks = [p for p in plans if p.checks_on]

    def rows() -> Iterator[dict[str, Any]]:
        for p in with_checks:
            yield from evidence.rows(p)

    ctx.write("evidence_items", rows(), len(with_checks) * 10)


def _applies(p: Plan, when: str, holds_data: bool) -> bool:
    return {
        "always": True, "staff": p.staff > 1, "personal_care": p.regulated,
        "food": p.food, "personal_data": holds_data, "never": False,
    }.get(when, True)  # fmt: skip


def _reference_for(rng: random.Random, code: str) -> str | None:
    if code == "dbs_enhanced":
        return f"{rng.randrange(10**11, 10**12):012d}"
    if code in ("public_liability", "employers_liability"):
        return f"{rng.choice(['PL', 'HX', 'SB', 'CA'])}-{rng.randrange(100000, 999999)}"
    if code == "ico_registration":
        return f"ZB{rng.randrange(100000, 999999)}"
    if code == "cqc_registration":
        return f"1-{rng.randrange(10**9, 10**10)}"
    return None


@dataclass
class _Evidence:
    rng: random.Random
    types: list[m.EvidenceType]
    today: date

    def rows(self, p: Plan) -> Iterator[dict[str, Any]]:
        """The provider's evidence items; some not met while it is still gathering them."""
        assert p.checks_on is not None
        rng = self.rng
        holds_data = rng.random() < 0.7
        applicable = [t for t in self.types if _applies(p, t.mandatory_when, holds_data)]
        lapsed, lapsing = self._lapses(p, applicable)
        for t in applicable:
            yield self._row(p, t, lapsed, lapsing)
        if p.staff <= 1 and any(t.code == "employers_liability" for t in self.types) \
                and rng.random() < 0.5:  # fmt: skip
            yield {
                "id": id_on(rng, p.checks_on), "provider_id": p.id,
                "evidence_type_code": "employers_liability", "status": "not_applicable",
                "reference": None, "issued_on": None, "expires_on": None,
                "seen_by": WORKER(rng),
                "seen_on": p.checks_on.isoformat(), "note": "No employees",
            }  # fmt: skip

    def _lapses(self, p: Plan, applicable: list[m.EvidenceType]) -> tuple[str | None, str | None]:
        """A few listed providers have let something lapse; more have something lapsing soon."""
        lasting = [t for t in applicable if t.validity_months]
        if p.listed_from and p.end >= self.today and lasting:
            roll = self.rng.random()
            if roll < 0.06:
                return self.rng.choice(lasting).code, None
            if roll < 0.18:
                return None, self.rng.choice(lasting).code
        return None, None

    def _row(
        self, p: Plan, t: m.EvidenceType, lapsed: str | None, lapsing: str | None
    ) -> dict[str, Any]:
        assert p.checks_on is not None
        rng, today = self.rng, self.today
        pending = p.listed_from is None  # still gathering evidence
        if pending and rng.random() < 0.35:
            status, issued, expires = "not_met", None, None
        else:
            status = "met"
            issued, expires = self._dates(p, t, lapsed, lapsing)
        seen = None
        if status == "met":
            base = min(max(p.checks_on, issued or p.checks_on), today)
            seen = between(rng, base, min(base + timedelta(days=14), today))
        return {
            "id": id_on(rng, seen or p.checks_on), "provider_id": p.id,
            "evidence_type_code": t.code, "status": status,
            "reference": _reference_for(rng, t.code) if status == "met" else None,
            "issued_on": issued.isoformat() if issued else None,
            "expires_on": expires.isoformat() if expires else None,
            "seen_by": WORKER(rng) if seen else None,
            "seen_on": seen.isoformat() if seen else None,
            "note": "Waiting for the certificate" if status == "not_met" else None,
        }  # fmt: skip

    def _dates(
        self, p: Plan, t: m.EvidenceType, lapsed: str | None, lapsing: str | None
    ) -> tuple[date | None, date | None]:
        """(issued, expires) of evidence that is met."""
        assert p.checks_on is not None
        rng, today = self.rng, self.today
        if not t.validity_months:
            issued = None
            if t.code != "identity":
                issued = p.checks_on - timedelta(days=rng.randint(0, 60))
            return issued, None
        if t.code == lapsed:
            expires = today - timedelta(days=rng.randint(1, 75))
        elif t.code == lapsing:
            expires = today + timedelta(days=rng.randint(0, 30))
        else:
            anchor = p.end if p.end < today else today
            span = t.validity_months * 30
            expires = anchor + timedelta(days=rng.randint(31, max(32, span - 5)))
        return rules.add_months(expires, -t.validity_months), expires


def write_qa_checks(ctx: Context, plans: list[Plan], total: int) -> None:
    """Write `total` QA checks: each listed provider's first, some failed, then reviews."""
    rng = ctx.rng("qa")
    months = int(reference.get_setting(ctx.store, "qa_review_months", 12) or 12)
    listed = [p for p in plans if p.listed_from]
    failing = [p for p in plans if p.stage == "checks" and p.checks_on and rng.random() < 0.25]
    checks: list[tuple[Plan, date, str, str]] = []
    for p in listed:
        assert p.listed_from is not None
        outcome = "approved" if rng.random() < 0.85 else "approved_with_actions"
        checks.append((p, p.listed_from, "initial", outcome))
    for p in failing:
        assert p.checks_on is not None
        checks.append((p, between(rng, p.checks_on, ctx.today), "initial", "not_approved"))
    checks = checks[:total]
    extra = total - len(checks)
    if extra > 0 and listed:
        checks += _reviews(rng, listed, extra, ctx.today)

    def rows() -> Iterator[dict[str, Any]]:
        for p, on, kind, outcome in checks:
            yield {
                "id": id_on(rng, on), "provider_id": p.id, "checked_on": on.isoformat(),
                "kind": kind, "outcome": outcome,
                "next_review_on": rules.add_months(on, months).isoformat(),
                "notes": rng.choice(_QA_NOTES[outcome]),
                "checked_by": WORKER(rng),
            }  # fmt: skip

    ctx.write("qa_checks", rows(), len(checks))


def _reviews(
    rng: random.Random, listed: list[Plan], count: int, today: date
) -> list[tuple[Plan, date, str, str]]:
    """Annual reviews and spot checks while listed, more for those listed longer."""
    weights = [max(1, ((p.listed_until or today) - (p.listed_from or today)).days)
               for p in listed]  # fmt: skip
    checks = []
    for p in rng.choices(listed, weights, k=count):
        assert p.listed_from is not None
        on = between(rng, p.listed_from + timedelta(days=1), p.listed_until or today)
        kind = "annual_review" if rng.random() < 0.6 else "spot_check"
        outcome = rng.choices(["approved", "approved_with_actions", "not_approved"],
                              [88, 10, 2])[0]  # fmt: skip
        checks.append((p, on, kind, outcome))
    return checks
