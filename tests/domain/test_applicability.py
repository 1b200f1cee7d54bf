"""Which evidence applies to a provider (rules as data), and how each requirement stands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcare_tui.domain.applicability import (
    DEFAULT_RULES,
    PUBLIC_LIABILITY_MIN_PENCE,
    EvidenceRule,
    ItemState,
    ItemStatus,
    PersonState,
    ProviderSetup,
    applicable_evidence,
    requirement_states,
)

TODAY = date(2026, 11, 22)
OWNER = PersonState("p1", "Sam Patel", works_one_to_one=True)
HELPER = PersonState("p2", "Jo Reed", works_one_to_one=True)
OFFICE = PersonState("p3", "Ali Khan", works_one_to_one=False)
GONE = PersonState("p4", "Lee Ward", works_one_to_one=True, left=True)
COMPANION = ProviderSetup(frozenset({"companionship"}), staff_count=1, legal_form="cic")


def codes(setup: ProviderSetup, people: list[PersonState] | None = None) -> set[str]:
    return {r.type_code for r in applicable_evidence(setup, people or [], DEFAULT_RULES)}


def test_a_companion_sole_worker_needs_the_core_but_nothing_conditional() -> None:
    found = codes(COMPANION, [OWNER])
    core = {"dbs_enhanced", "public_liability", "safeguarding_training", "ico_registration",
            "policy_lone_working", "references", "quality_standards_agreement"}  # fmt: skip
    assert core <= found
    for absent in ("employers_liability", "food_hygiene", "cqc_registration",
                   "moving_handling", "medication", "hmrc_registration", "first_aid"):  # fmt: skip
        assert absent not in found


@pytest.mark.parametrize(
    ("setup", "code", "applies"),
    [
        (ProviderSetup(staff_count=2), "employers_liability", True),
        (ProviderSetup(staff_count=1), "employers_liability", False),
        (ProviderSetup(frozenset({"meals"})), "food_hygiene", True),
        (ProviderSetup(frozenset({"shopping"})), "food_hygiene", False),
        (ProviderSetup(regulated_activity=True), "cqc_registration", True),
        (ProviderSetup(regulated_activity=True, cqc_exempt=True), "cqc_registration", False),
        (ProviderSetup(regulated_activity=False), "cqc_registration", False),
        (ProviderSetup(frozenset({"personal_care"})), "moving_handling", True),
        (ProviderSetup(frozenset({"personal_care"})), "medication", True),
        (ProviderSetup(frozenset({"gardening"})), "medication", False),
        (ProviderSetup(legal_form="sole_trader"), "hmrc_registration", True),
        (ProviderSetup(legal_form="limited_company"), "hmrc_registration", False),
    ],
)
def test_conditions(setup: ProviderSetup, code: str, applies: bool) -> None:
    assert (code in codes(setup, [OWNER])) is applies


def test_dbs_is_one_line_per_current_person_working_one_to_one() -> None:
    lines = applicable_evidence(COMPANION, [OWNER, HELPER, OFFICE, GONE], DEFAULT_RULES)
    dbs = [r for r in lines if r.type_code == "dbs_enhanced"]
    assert [(r.person_id, r.label) for r in dbs] == [
        ("p1", "Dbs enhanced: Sam Patel"),
        ("p2", "Dbs enhanced: Jo Reed"),
    ]
    assert all(r.mandatory and r.per_person for r in dbs)
    update = [r for r in lines if r.type_code == "dbs_update_service"]
    assert [r.mandatory for r in update] == [False, False]


def test_no_people_recorded_still_asks_the_provider_for_a_dbs() -> None:
    labels = {"dbs_enhanced": "Enhanced DBS check"}
    dbs = [r for r in applicable_evidence(COMPANION, [], DEFAULT_RULES, labels)
           if r.type_code == "dbs_enhanced"]  # fmt: skip
    assert [(r.person_id, r.label, r.per_person) for r in dbs] == [
        (None, "Enhanced DBS check", True)
    ]


def test_people_none_one_to_one_need_no_dbs() -> None:
    assert "dbs_enhanced" not in codes(COMPANION, [OFFICE])


def test_labels_minimum_cover_and_merged_rules() -> None:
    rules = [
        EvidenceRule("public_liability", min_cover_pence=PUBLIC_LIABILITY_MIN_PENCE),
        EvidenceRule("public_liability", "has_staff", mandatory=False, min_cover_pence=10**9),
        EvidenceRule("first_aid", "offers_services", ("meals",), mandatory=False),
        EvidenceRule("first_aid", "offers_services", ("shopping",), mandatory=True),
        EvidenceRule("typo", "when_the_moon_is_full"),
    ]
    setup = ProviderSetup(frozenset({"meals"}), staff_count=3)
    lines = applicable_evidence(setup, [], rules, {"public_liability": "Public liability"})
    assert [(r.label, r.mandatory, r.min_cover_pence) for r in lines] == [
        ("Public liability", True, 10**9),
        ("First aid", False, None),
    ]


def _states(items: list[ItemState], people: list[PersonState] | None = None) -> dict:
    lines = applicable_evidence(COMPANION, people or [OWNER], DEFAULT_RULES)
    return {(s.requirement.type_code, s.requirement.person_id): s
            for s in requirement_states(lines, items, TODAY)}  # fmt: skip


@pytest.mark.parametrize(
    ("expires", "status", "text"),
    [
        (TODAY, ItemStatus.EXPIRING, "expires today"),  # still valid on its expiry day
        (TODAY - timedelta(days=1), ItemStatus.LAPSED, "lapsed: expired 21/11/2026"),
        (TODAY + timedelta(days=1), ItemStatus.EXPIRING, "expires tomorrow"),
        (TODAY + timedelta(days=21), ItemStatus.EXPIRING, "expires in 21 days"),
        (TODAY + timedelta(days=31), ItemStatus.MET, "met until 23/12/2026"),
        (None, ItemStatus.MET, "met"),
    ],
)
def test_boundary_days(expires: date | None, status: ItemStatus, text: str) -> None:
    item = ItemState("e1", "public_liability", None, "met", expires)
    state = _states([item])[("public_liability", None)]
    assert (state.status, state.text, state.item) == (status, text, item)


def test_a_renewal_supersedes_the_lapsed_item_and_not_met_is_missing() -> None:
    old = ItemState("e1", "public_liability", None, "met", TODAY - timedelta(days=300))
    new = ItemState("e2", "public_liability", None, "met", TODAY + timedelta(days=300))
    waiting = ItemState("e3", "safeguarding_training", None, "not_met")
    states = _states([old, new, waiting])
    assert states[("public_liability", None)].item == new
    assert states[("safeguarding_training", None)].status is ItemStatus.MISSING
    assert states[("references", None)].text == "missing"


def test_per_person_items_fill_only_their_own_line() -> None:
    mine = ItemState("e1", "dbs_enhanced", "p1", "met", TODAY + timedelta(days=400))
    provider_wide = ItemState("e2", "dbs_enhanced", None, "met", TODAY + timedelta(days=400))
    states = _states([mine, provider_wide], [OWNER, HELPER])
    assert states[("dbs_enhanced", "p1")].item == mine
    assert states[("dbs_enhanced", "p2")].status is ItemStatus.MISSING
    # With no people recorded, the provider's own line takes the item not tied to anyone.
    alone = _states([mine, provider_wide], [GONE])
    assert alone[("dbs_enhanced", None)].item == provider_wide


def test_cover_below_the_minimum_is_warned_not_failed() -> None:
    low = ItemState("e1", "public_liability", None, "met", None, cover_pence=2_000_000 * 100)
    state = _states([low])[("public_liability", None)]
    assert (state.status, state.cover_short) == (ItemStatus.MET, True)
    enough = ItemState("e1", "public_liability", None, "met", None, PUBLIC_LIABILITY_MIN_PENCE)
    assert _states([enough])[("public_liability", None)].cover_short is False


def test_recorded_not_applicable() -> None:
    na = ItemState("e1", "references", None, "not_applicable")
    assert _states([na])[("references", None)].status is ItemStatus.NOT_APPLICABLE


def test_an_item_for_no_one_counts_for_the_owner_only() -> None:
    owner = PersonState("p1", "Sam Patel", owner=True)
    unnamed = ItemState("e1", "dbs_enhanced", None, "met", TODAY + timedelta(days=400))
    states = _states([unnamed], [owner, HELPER])
    assert states[("dbs_enhanced", "p1")].item == unnamed
    assert states[("dbs_enhanced", "p2")].status is ItemStatus.MISSING
