"""Example tests for the forgiving parsers: each defect of issue 7 ("Forms read what people
mean") and the forms that must keep working. Property tests are in test_parse_properties.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from microcare_tui.domain import parse
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.models import Enquiry, Provider, validate_model

TODAY = date(2026, 11, 22)  # a Sunday, as in tests/conftest.py


# -- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("15.68", 1568),
        ("£15.68", 1568),
        ("£1,016", 101_600),
        ("1,016", 101_600),
        ("£1,016.50", 101_650),
        ("12,345,678", 1_234_567_800),
        ("15", 1500),
        ("£ 15.68", 1568),
        ("GBP 15.68", 1568),
        ("1 016", 101_600),
        ("0.05", 5),
    ],
)
def test_money_accepts(text: str, pence: int) -> None:
    assert parse.parse_money(text) == pence


def test_money_decimal_comma_is_refused_with_a_hint() -> None:
    # Issue 7: "15,68" was stored as GBP 1,568.00, a 100x error.
    with pytest.raises(ValueError, match=r"Use a point for pence: 15\.68"):
        parse.parse_money("15,68")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("£15,68", "15.68"),
        ("1,5", "1.50"),
        ("1.016,50", "1,016.50"),
    ],
)
def test_money_decimal_comma_hints(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match=f"Use a point for pence: {hint}$"):
        parse.parse_money(text)


@pytest.mark.parametrize("text", ["1,0160", "12,34,567", "1,016,5000", ",016", "1,,016", "15 68"])
def test_money_commas_only_separate_thousands(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_money(text)


def test_provider_form_refuses_a_decimal_comma() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_model(Provider, {"name": "Jo Care", "hourly_rate_pence": "15,68"})
    assert info.value.errors["hourly_rate_pence"] == "Use a point for pence: 15.68"


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("1,016", 1016), (" 7 ", 7)])
def test_whole_numbers(text: str, value: int) -> None:
    assert parse.parse_whole_number(text, 0, 10_000) == value


@pytest.mark.parametrize("text", ["1,5", "15,68", "1,0160", "1.5", "-1"])
def test_whole_numbers_refuse_a_comma_that_is_not_thousands(text: str) -> None:
    # "1,5" was read as 15: the same slip as "15,68" in money.
    with pytest.raises(ValueError, match="is not a whole number"):
        parse.parse_whole_number(text, 0, 10_000)


# -- postcodes -----------------------------------------------------------------------------

REAL_POSTCODES = [
    ("GIR 0AA", "GIR"),
    ("EC1A 1BB", "EC1A"),
    ("W1A 0AX", "W1A"),
    ("SW1A 1AA", "SW1A"),
    ("TN23 1AB", "TN23"),
    ("BT1 1AA", "BT1"),
    ("M1 1AE", "M1"),
    ("B33 8TH", "B33"),
    ("CR2 6XH", "CR2"),
    ("DN55 1PT", "DN55"),
    ("ME14 1XQ", "ME14"),
    ("CT1 2EH", "CT1"),
    ("DA9 9ZZ", "DA9"),
    ("E1W 1YW", "E1W"),
    ("N1C 4AG", "N1C"),
    ("NW1W 7AA", "NW1W"),
]


@pytest.mark.parametrize(("postcode", "district"), REAL_POSTCODES)
def test_real_postcodes_are_accepted(postcode: str, district: str) -> None:
    assert parse.parse_postcode(postcode) == postcode
    assert parse.parse_postcode(postcode.lower().replace(" ", "")) == postcode
    assert parse.postcode_district(postcode) == district
    assert parse.is_postcode_district(district)
    assert parse.postcode_district(district) == district


@pytest.mark.parametrize(
    "text",
    [
        "Q1 1AA",  # Q is never first
        "V1 1AA",
        "X1 1AA",
        "ZZ99 9ZZ",  # Z is never second
        "AI1 1AA",  # nor I
        "AJ1 1AA",  # nor J
        "TN23 4CI",  # C and I are never in the inward letters
        "TN23 4AK",
        "TN23 4MA",
        "TN23 4OA",
        "TN23 4AV",
        "W1I 1AA",  # I is not a third letter of A9A
        "W1L 1AA",
        "EC1C 1BB",  # C is not a fourth letter of AA9A
        "EC1I 1BB",
        "GIR 1AA",
    ],
)
def test_impossible_postcodes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a UK postcode"):
        parse.parse_postcode(text)


@pytest.mark.parametrize("district", ["Q1", "ZZ99", "AI1", "W1I", "EC1C", "VX1"])
def test_impossible_districts_are_refused(district: str) -> None:
    assert not parse.is_postcode_district(district)
    with pytest.raises(ValueError):
        parse.postcode_district(district)
    with pytest.raises(ValueError):
        parse.postcode_district(f"{district} 1AA")


def test_caller_postcode_district_follows_the_same_rules() -> None:
    assert (
        validate_model(Enquiry, {"enquirer_kind": "family_carer", "postcode": "ec1a"}).postcode
        == "EC1A"
    )
    with pytest.raises(ValidationFailed) as info:
        validate_model(Enquiry, {"enquirer_kind": "family_carer", "postcode": "Q1"})
    assert info.value.errors == {
        "postcode": "'Q1' is not a UK postcode or district (e.g. TN23 4AB or TN23)"
    }


def test_money_over_the_register_limit_is_refused_in_pounds() -> None:
    assert parse.parse_money("12,345,678") == 1_234_567_800  # the parser reads it
    with pytest.raises(ValidationFailed) as info:
        validate_model(Provider, {"name": "Jo Care", "hourly_rate_pence": "12,345,678"})
    assert info.value.errors == {"hourly_rate_pence": "Enter an amount up to £1,000,000.00"}


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next tue", date(2026, 11, 24)),  # the next Tuesday, as "tue" is
        ("next Tuesday", date(2026, 11, 24)),
        ("next sun", date(2026, 11, 29)),  # never today
        ("29 nov", date(2026, 11, 29)),  # this year, as "29/11" is
        ("29 November", date(2026, 11, 29)),
        ("29 Nov 2026", date(2026, 11, 29)),
        ("29th Nov", date(2026, 11, 29)),
        ("29-nov-26", date(2026, 11, 29)),
        ("Nov 29", date(2026, 11, 29)),
        ("1 dec", date(2026, 12, 1)),
        ("1 Sept", date(2026, 9, 1)),
        ("tue 1 dec", date(2026, 12, 1)),
        ("Monday 30 November", date(2026, 11, 30)),
        ("mon 30/11", date(2026, 11, 30)),
        ("3 jan 2027", date(2027, 1, 3)),
    ],
)
def test_dates_people_say(text: str, expected: date) -> None:
    assert parse.parse_date(text, TODAY) == expected


def test_a_weekday_that_matches_the_date_is_accepted() -> None:
    # The example: in 2025, 1 December is a Monday.
    assert parse.parse_date("mon 1 dec", date(2025, 11, 20)) == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon 2 dec", "2 Dec 2026 is a Wednesday, not a Monday"),
        ("mon 1 dec", "1 Dec 2026 is a Tuesday, not a Monday"),
        ("Monday, 1 December 2026", "1 Dec 2026 is a Tuesday, not a Monday"),
        ("fri 22/11", "22 Nov 2026 is a Sunday, not a Friday"),
    ],
)
def test_a_weekday_that_does_not_match_the_date_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        parse.parse_date(text, TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22/11/2026", date(2026, 11, 22)),
        ("22/11", date(2026, 11, 22)),
        ("1/2/27", date(2027, 2, 1)),
        ("2026-12-01", date(2026, 12, 1)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 23)),
        ("+3d", date(2026, 11, 25)),
        ("+2w", date(2026, 12, 6)),
        ("tue", date(2026, 11, 24)),
    ],
)
def test_existing_date_forms_keep_their_meaning(text: str, expected: date) -> None:
    assert parse.parse_date(text, TODAY) == expected


def test_next_weekday_is_refused_when_it_could_mean_two_dates() -> None:
    monday = date(2026, 11, 23)
    with pytest.raises(ValueError, match=r"^'next tue' could be Tue 24 Nov or Tue 1 Dec"):
        parse.parse_date("next tue", monday)
    # On a Monday "next mon" can only be a week today; "tue" alone keeps meaning tomorrow.
    assert parse.parse_date("next mon", monday) == date(2026, 11, 30)
    assert parse.parse_date("tue", monday) == date(2026, 11, 24)


@pytest.mark.parametrize(
    "text", ["next week", "31 feb", "29 foo", "next", "mon tomorrow", "next 1 dec", "32 dec"]
)
def test_dates_that_mean_nothing_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_date(text, TODAY)
