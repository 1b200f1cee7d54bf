"""Which evidence applies to a provider, and how each requirement stands today.

A pure function of the provider's set-up (services, regulated activity and any CQC
exemption, staff count, legal form), its people (one DBS line per person who works
one-to-one) and the council's rules as data (the `evidence_rules` table, seeded from
DEFAULT_RULES). Nothing here reads a database: store/ loads the rows, services/ calls these.

Conditions a rule may carry (evidence_rules.condition):
- always: every provider;
- has_staff: more than one person works for the provider (staff count > 1);
- regulated_activity: the provider does a regulated activity and is not CQC-exempt;
- offers_services: the provider offers any of the rule's services (e.g. meals -> food hygiene);
- per_person_one_to_one: one line per current person who works one-to-one (DBS). A provider
  with no people recorded yet gets one line for the provider itself (the owner, unnamed);
  an item recorded for no one in particular counts for the owner (it was recorded before
  the provider's people were);
- sole_trader: the provider's legal form is sole trader (HMRC registration).
An unknown condition applies to nobody (a typo in a council's rule must not demand evidence
from every provider).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from microcare_tui.domain.parse import format_date

GBP = 100  # pence
PUBLIC_LIABILITY_MIN_PENCE = 5_000_000 * GBP  # GBP 5m, as Leeds' criteria ask (a rule's data)
SOON_DAYS = 30  # "expires in 21 days" within this many days


class Condition(StrEnum):
    """When an evidence rule applies (see the module docstring)."""

    ALWAYS = "always"
    HAS_STAFF = "has_staff"
    REGULATED_ACTIVITY = "regulated_activity"
    OFFERS_SERVICES = "offers_services"
    PER_PERSON_ONE_TO_ONE = "per_person_one_to_one"
    SOLE_TRADER = "sole_trader"


@dataclass(frozen=True)
class EvidenceRule:
    """One council rule: evidence of `type_code` applies when `condition` holds."""

    type_code: str
    condition: str = Condition.ALWAYS
    services: tuple[str, ...] = ()  # for offers_services
    mandatory: bool = True
    min_cover_pence: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ProviderSetup:
    """The parts of a provider that decide which evidence applies."""

    services: frozenset[str] = frozenset()
    regulated_activity: bool = False
    cqc_exempt: bool = False
    staff_count: int = 1
    legal_form: str = ""

    @property
    def has_staff(self) -> bool:
        """More than the owner works for the provider (employer's liability applies)."""
        return self.staff_count > 1


@dataclass(frozen=True)
class PersonState:
    """A provider's person, as far as evidence is concerned."""

    id: str
    name: str
    works_one_to_one: bool = True
    left: bool = False  # no longer with the provider: nothing applies to them
    owner: bool = False  # items recorded for no one in particular count for the owner


@dataclass(frozen=True)
class Requirement:
    """One line of what a provider must (or should) show."""

    type_code: str
    label: str  # the evidence type in words, with the person's name when per person
    person_id: str | None
    person_name: str | None
    mandatory: bool
    min_cover_pence: int | None
    per_person: bool = False  # from a per_person_one_to_one rule
    owner: bool = False  # the line is the owner's (takes items recorded for no one)

    @property
    def key(self) -> tuple[str, str | None]:
        """(evidence type, person): the slot evidence items fill."""
        return (self.type_code, self.person_id)


# The defaults a new database is seeded with (store.reference gives them fixed ids).
# (type code, condition, services, mandatory, min cover in pence, note)
DEFAULT_RULES: tuple[EvidenceRule, ...] = (
    EvidenceRule("identity", Condition.ALWAYS),
    EvidenceRule("dbs_enhanced", Condition.PER_PERSON_ONE_TO_ONE,
                 note="The owner and each person who works one-to-one"),
    EvidenceRule("dbs_update_service", Condition.PER_PERSON_ONE_TO_ONE, mandatory=False,
                 note="Check on the DBS Update Service, where the person subscribes"),
    EvidenceRule("public_liability", Condition.ALWAYS,
                 min_cover_pence=PUBLIC_LIABILITY_MIN_PENCE),
    EvidenceRule("employers_liability", Condition.HAS_STAFF),
    EvidenceRule("safeguarding_training", Condition.ALWAYS),
    EvidenceRule("first_aid", Condition.OFFERS_SERVICES,
                 ("personal_care", "sitting_respite", "day_activities")),
    EvidenceRule("moving_handling", Condition.OFFERS_SERVICES, ("personal_care",)),
    EvidenceRule("medication", Condition.OFFERS_SERVICES, ("medication", "personal_care"),
                 mandatory=False, note="Where they give or prompt medication"),
    EvidenceRule("food_hygiene", Condition.OFFERS_SERVICES, ("meals",)),
    EvidenceRule("cqc_registration", Condition.REGULATED_ACTIVITY),
    EvidenceRule("ico_registration", Condition.ALWAYS),
    EvidenceRule("hmrc_registration", Condition.SOLE_TRADER),
    EvidenceRule("policy_safeguarding", Condition.ALWAYS),
    EvidenceRule("policy_complaints", Condition.ALWAYS),
    EvidenceRule("policy_data_protection", Condition.ALWAYS),
    EvidenceRule("policy_lone_working", Condition.ALWAYS),
    EvidenceRule("risk_assessment", Condition.ALWAYS),
    EvidenceRule("references", Condition.ALWAYS),
    EvidenceRule("quality_standards_agreement", Condition.ALWAYS),
)  # fmt: skip


def rule_holds(rule: EvidenceRule, setup: ProviderSetup) -> bool:
    """True when a provider-wide rule applies to this set-up (per-person rules: see below)."""
    match rule.condition:
        case Condition.ALWAYS | Condition.PER_PERSON_ONE_TO_ONE:
            return True
        case Condition.HAS_STAFF:
            return setup.has_staff
        case Condition.REGULATED_ACTIVITY:
            return setup.regulated_activity and not setup.cqc_exempt
        case Condition.OFFERS_SERVICES:
            return bool(setup.services.intersection(rule.services))
        case Condition.SOLE_TRADER:
            return setup.legal_form == "sole_trader"
    return False


def applicable_evidence(
    setup: ProviderSetup,
    people: Iterable[PersonState],
    rules: Iterable[EvidenceRule],
    labels: Mapping[str, str] | None = None,
) -> list[Requirement]:
    """The evidence that applies to a provider, one line per (type, person), in rule order.

    Two rules for the same slot merge: mandatory if either is, the higher minimum cover.
    """
    labels = labels or {}
    current = [p for p in people if not p.left]
    one_to_one = [p for p in current if p.works_one_to_one]
    lines: dict[tuple[str, str | None], Requirement] = {}
    for rule in rules:
        if not rule_holds(rule, setup):
            continue
        name = labels.get(rule.type_code) or _words(rule.type_code)
        if rule.condition == Condition.PER_PERSON_ONE_TO_ONE:
            # No people recorded yet: the provider (its owner) still needs the check.
            targets = (
                [(p.id, p.name, p.owner) for p in one_to_one] if current else [(None, None, True)]
            )
        else:
            targets = [(None, None, False)]
        for person_id, person_name, owner in targets:
            line = Requirement(
                type_code=rule.type_code,
                label=f"{name}: {person_name}" if person_name else name,
                person_id=person_id,
                person_name=person_name,
                mandatory=rule.mandatory,
                min_cover_pence=rule.min_cover_pence,
                per_person=rule.condition == Condition.PER_PERSON_ONE_TO_ONE,
                owner=owner,
            )
            before = lines.get(line.key)
            if before is not None:
                line = _merge(before, line)
            lines[line.key] = line
    return list(lines.values())


def _merge(a: Requirement, b: Requirement) -> Requirement:
    covers = [c for c in (a.min_cover_pence, b.min_cover_pence) if c is not None]
    return Requirement(
        type_code=a.type_code,
        label=a.label,
        person_id=a.person_id,
        person_name=a.person_name,
        mandatory=a.mandatory or b.mandatory,
        min_cover_pence=max(covers) if covers else None,
        per_person=a.per_person,
        owner=a.owner,
    )


def _words(code: str) -> str:
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


# ---- how each requirement stands today -------------------------------------------------


class ItemStatus(StrEnum):
    """How a requirement stands: the word shown, never colour alone."""

    MET = "met"
    EXPIRING = "expiring"  # met, but lapses within SOON_DAYS
    LAPSED = "lapsed"  # every item that met it has expired
    MISSING = "missing"  # nothing recorded that meets it
    NOT_APPLICABLE = "not_applicable"  # recorded as not applicable by a worker


@dataclass(frozen=True)
class ItemState:
    """An evidence item as far as requirements care (metadata only)."""

    id: str
    type_code: str
    person_id: str | None
    status: str  # met | not_met | not_applicable (EvidenceStatus values)
    expires_on: date | None = None
    cover_pence: int | None = None


@dataclass(frozen=True)
class RequirementState:
    """A requirement, the item that meets it (if any) and how it stands today."""

    requirement: Requirement
    status: ItemStatus
    item: ItemState | None
    text: str  # 'met', 'missing', 'lapsed: expired 12/10/2026', 'expires in 21 days'
    cover_short: bool = False  # the item's cover is below the rule's minimum (a warning)


def requirement_states(
    requirements: Iterable[Requirement],
    items: Iterable[ItemState],
    today: date,
    soon_days: int = SOON_DAYS,
) -> list[RequirementState]:
    """Each requirement with the item that meets it best, and its status on `today`.

    An item expiring today is still valid; one that expired yesterday has lapsed. Among met
    items the one that lasts longest counts (no expiry lasts longest), so a renewal recorded
    as a new item supersedes the old one.
    """
    pool = list(items)
    states = []
    for req in requirements:
        slot = [i for i in pool if in_slot(req, i)]
        states.append(_state(req, slot, today, soon_days))
    return states


def in_slot(req: Requirement, item: ItemState) -> bool:
    """True when `item` fills the requirement's slot: the same type and, for a per-person
    line, the same person; the owner's line (or the unnamed line while no people are
    recorded) also takes items recorded for no one in particular. Provider-wide lines take
    items of the type whoever they name."""
    if item.type_code != req.type_code:
        return False
    if req.per_person:
        return item.person_id == req.person_id or (req.owner and item.person_id is None)
    return True


def best_item(slot: Iterable[ItemState]) -> ItemState | None:
    """The met item that lasts longest (None expiry = does not expire), or None."""
    met = [i for i in slot if i.status == "met"]
    if not met:
        return None
    return max(met, key=lambda i: (i.expires_on is None, i.expires_on or date.min))


def _state(
    req: Requirement, slot: list[ItemState], today: date, soon_days: int
) -> RequirementState:
    item = best_item(slot)
    if item is None:
        if any(i.status == "not_applicable" for i in slot):
            na = next(i for i in slot if i.status == "not_applicable")
            return RequirementState(req, ItemStatus.NOT_APPLICABLE, na, "not applicable")
        return RequirementState(req, ItemStatus.MISSING, None, "missing")
    short = (
        req.min_cover_pence is not None
        and item.cover_pence is not None
        and item.cover_pence < req.min_cover_pence
    )
    expires = item.expires_on
    if expires is None:
        return RequirementState(req, ItemStatus.MET, item, "met", short)
    if expires < today:
        return RequirementState(
            req, ItemStatus.LAPSED, item, f"lapsed: expired {format_date(expires)}", short
        )
    days = (expires - today).days
    if days <= soon_days:
        when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
        return RequirementState(req, ItemStatus.EXPIRING, item, f"expires {when}", short)
    return RequirementState(req, ItemStatus.MET, item, f"met until {format_date(expires)}", short)


def lapse_day(expires_on: date) -> date:
    """The first day an item is no longer valid (it is valid on its expiry day)."""
    return expires_on + timedelta(days=1)
