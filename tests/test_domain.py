"""Domain rules and parsing, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from microcare_tui.domain import parse, rules
from microcare_tui.domain.enums import QAOutcome, SizeBand, Stage, Standing
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.ids import new_id
from microcare_tui.domain.impact import SavingsInputs, estimate_savings
from microcare_tui.domain.models import Enquiry, Provider, validate_model

TODAY = date(2026, 11, 22)  # Sunday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22/11/2026", date(2026, 11, 22)),
        ("1/2/27", date(2027, 2, 1)),
        ("22/11", date(2026, 11, 22)),
        ("2026-12-01", date(2026, 12, 1)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 23)),
        ("+3d", date(2026, 11, 25)),
        ("+2w", date(2026, 12, 6)),
        ("+1m", date(2026, 12, 22)),
        ("tue", date(2026, 11, 24)),
        ("Sunday", date(2026, 11, 29)),  # the next Sunday, not today
    ],
)
def test_parse_date_forgiving(text: str, expected: date) -> None:
    assert parse.parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "31/02/2026", "next week", "32/1"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_date(text, TODAY)


@pytest.mark.parametrize(
    ("text", "pence"), [("15.68", 1568), ("£15.68", 1568), ("£1,016", 101600), ("7.5", 750)]
)
def test_parse_money(text: str, pence: int) -> None:
    assert parse.parse_money(text) == pence
    assert parse.format_money(pence).startswith("£")


@pytest.mark.parametrize("text", ["abc", "15.678", "-3", "£"])
def test_parse_money_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_money(text)


@pytest.mark.parametrize(
    "text", ["01233 123456", "(01233) 123456", "+44 1233 123456", "0044 1233 123456", "01233123456"]
)
def test_phone_normalised_to_e164(text: str) -> None:
    assert parse.parse_phone(text) == "+441233123456"
    assert parse.format_phone("+441233123456") == "01233 123456"


@pytest.mark.parametrize("text", ["12345", "phone me", "01233 12"])
def test_phone_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_phone(text)


def test_postcodes() -> None:
    assert parse.parse_postcode("tn234ab") == "TN23 4AB"
    assert parse.parse_postcode(" ME1  1AA ") == "ME1 1AA"
    assert parse.postcode_district("TN23 4AB") == "TN23"
    assert parse.is_postcode_district("ct1")
    with pytest.raises(ValueError):
        parse.parse_postcode("TN23")
    with pytest.raises(ValueError):
        parse.parse_postcode("12345")


def test_email() -> None:
    assert parse.parse_email("Jo@Example.ORG") == "Jo@example.org"
    with pytest.raises(ValueError):
        parse.parse_email("not-an-email")


def test_ids_are_uuid7_and_sortable() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert ids == sorted(ids)
    assert all(i[14] == "7" for i in ids)


def test_size_band_threshold_is_a_setting() -> None:
    assert rules.size_band(4) is SizeBand.MICRO
    assert rules.size_band(5) is SizeBand.SMALL
    assert rules.size_band(7, micro_threshold=9) is SizeBand.MICRO
    assert rules.size_band(300) is SizeBand.LARGE


def test_stage_moves() -> None:
    assert rules.can_move(Stage.ENQUIRY, Stage.DEVELOPING)
    assert not rules.can_move(Stage.ENQUIRY, Stage.ACTIVE)
    assert rules.can_move(Stage.ACTIVE, Stage.PAUSED)
    assert rules.can_move(Stage.PAUSED, Stage.ACTIVE)
    assert Stage.CHECKS in rules.allowed_next_stages(Stage.DEVELOPING)


def test_standing() -> None:
    lapsed = rules.EvidenceState("dbs_enhanced", True, date(2026, 11, 1))
    fine = rules.EvidenceState("public_liability", True, date(2027, 1, 1))
    approved = rules.QAState(QAOutcome.APPROVED, date(2026, 10, 1))
    refused = rules.QAState(QAOutcome.NOT_APPROVED, date(2026, 10, 1))
    assert rules.standing(Stage.DEVELOPING, None, [], TODAY).standing is Standing.NOT_LISTED
    assert rules.standing(Stage.ACTIVE, None, [fine], TODAY).standing is Standing.GOOD
    assert rules.standing(Stage.ACTIVE, approved, [fine, lapsed], TODAY).standing is Standing.LAPSED
    assert rules.standing(Stage.REGISTERED, refused, [], TODAY).standing is Standing.NOT_LISTED
    soon = rules.lapsing_within([fine, lapsed], days=45, today=TODAY)
    assert soon == [fine]


def test_add_months_clamps() -> None:
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 22), 12) == date(2027, 11, 22)


def test_savings_model_keeps_inputs() -> None:
    inputs = SavingsInputs(100, 1968, 1568, 1415, 0.3)
    result = estimate_savings(inputs)
    assert result.against_commissioned_pence == 100 * 52 * 400
    assert result.direct_payment_pence == round(100 * 52 * 0.3 * 553)
    assert result.inputs is inputs


def test_provider_model_normalises_and_reports_by_field() -> None:
    p = validate_model(
        Provider,
        {
            "name": "Oak Tree",
            "phone": "01233 123456",
            "postcode": "tn23 4ab",
            "hourly_rate_pence": "£15.68",
            "days": "Tuesdays, sat",
            "languages": "Polish, polish",
        },
    )
    assert (p.phone, p.postcode, p.hourly_rate_pence) == ("+441233123456", "TN23 4AB", 1568)
    assert [d.value for d in p.days] == ["tue", "sat"]
    assert p.languages == ["Polish"]
    with pytest.raises(ValidationFailed) as info:
        validate_model(Provider, {"name": "", "phone": "123", "email": "x", "postcode": "zz"})
    assert set(info.value.errors) == {"name", "phone", "email", "postcode"}
    assert "phone" in info.value.message


def test_enquiry_keeps_a_postcode_district() -> None:
    e = validate_model(Enquiry, {"enquirer_kind": "family_carer", "postcode": "tn23"})
    assert e.postcode == "TN23"
    with pytest.raises(ValidationFailed) as info:
        validate_model(Enquiry, {"caller_name": "Jo"})
    assert "enquirer_kind" in info.value.errors


def test_labels_name_every_code_of_their_enums() -> None:
    """domain.labels keys its tables by the stored codes (it does not import the enums, for
    `microcare search`'s start): they must stay the enums' codes, all of them."""
    from microcare_tui.domain import labels
    from microcare_tui.domain.enums import Day, EnquirerKind, Outcome, Standing

    assert tuple(Day) == labels.DAY_ORDER
    for table, enum in (
        (labels.KIND_LABELS, EnquirerKind),
        (labels.KIND_SHORT, EnquirerKind),
        (labels.OUTCOME_LABELS, Outcome),
        (labels.OUTCOME_SHORT, Outcome),
        (labels.STANDING_WORDS, Standing),
    ):
        assert sorted(table) == sorted(e.value for e in enum), enum
    assert labels.kind_label("new_kind") == "New kind"
    assert labels.outcome_label("referred_elsewhere") == "Referred elsewhere"
