"""Property tests (Hypothesis) for the money, phone, postcode and date parsers.

The promise of the forms: whatever is stored, shown the way the app shows it and typed back
in, is read as the same value; and the other ways people write that value read the same too.
The strategies are written from the rules as published (Royal Mail's letter positions, the
UK numbering plan), not from the parsers' own patterns, so they can disagree with the code.
"""

from __future__ import annotations

from datetime import date, timedelta

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from microcare_tui.domain import parse

# -- money ---------------------------------------------------------------------------------

# The models store up to £1,000,000.00 (Pence in domain/models.py).
pence_values = st.integers(min_value=0, max_value=100_000_000)


@given(pence_values)
def test_money_shown_and_typed_back_is_the_same(pence: int) -> None:
    assert parse.parse_money(parse.format_money(pence)) == pence


@given(pence_values)
def test_money_written_other_ways_is_the_same(pence: int) -> None:
    pounds, rest = divmod(pence, 100)
    assert parse.parse_money(f"{pounds}.{rest:02d}") == pence
    assert parse.parse_money(f"£{pounds:,}.{rest:02d}") == pence
    assert parse.parse_money(f"GBP {pounds:,}.{rest:02d}") == pence
    if rest == 0:
        assert parse.parse_money(f"{pounds}") == pence
        assert parse.parse_money(f"£{pounds:,}") == pence
    if rest % 10 == 0:
        assert parse.parse_money(f"{pounds}.{rest // 10}") == pence


@given(st.integers(min_value=0, max_value=999_999), st.integers(min_value=0, max_value=99))
def test_a_decimal_comma_is_never_read_as_thousands(pounds: int, rest: int) -> None:
    with pytest.raises(ValueError, match=rf"^Use a point for pence: {pounds:,}\.{rest:02d}$"):
        parse.parse_money(f"{pounds},{rest:02d}")


@given(st.text(alphabet="0123456789,. £", max_size=14))
def test_any_amount_accepted_reads_back_the_same(typed: str) -> None:
    try:
        pence = parse.parse_money(typed)
    except ValueError:
        return  # refused: nothing is stored
    assert parse.parse_money(parse.format_money(pence)) == pence


# -- phone ---------------------------------------------------------------------------------


@st.composite
def uk_numbers(draw: st.DrawFn) -> str:
    """A valid UK number in E.164, as parse_phone stores it."""
    first = draw(st.sampled_from("12378"))
    rest = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    number = phonenumbers.parse(f"+44{first}{rest}")
    assume(phonenumbers.is_valid_number(number))
    return f"+44{first}{rest}"


@given(uk_numbers())
def test_phone_shown_and_typed_back_is_the_same(e164: str) -> None:
    assert parse.parse_phone(e164) == e164
    assert parse.parse_phone(parse.format_phone(e164)) == e164


@given(uk_numbers(), st.sampled_from(["0{}", "+44 {}", "0044{}", "(0{}", "+44 (0){}"]))
def test_phone_written_other_ways_is_the_same(e164: str, shape: str) -> None:
    national = e164.removeprefix("+44")
    typed = shape.format(f"{national[:4]}) {national[4:]}" if "(" in shape else national)
    assert parse.parse_phone(typed) == e164


# -- postcodes -----------------------------------------------------------------------------

# Royal Mail's rules, letter by letter (see the Postcode Address File programmers' guide).
FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"  # never Q, V, X
SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"  # never I, J, Z
THIRD_A9A = "ABCDEFGHJKPSTUW"
FOURTH_AA9A = "ABEHMNPRVWXY"
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O, V
digits = st.sampled_from("0123456789")


@st.composite
def outward_codes(draw: st.DrawFn) -> str:
    """An outward code (district) in one of the six shapes."""
    a, b = draw(st.sampled_from(FIRST)), draw(st.sampled_from(SECOND))
    d, e = draw(digits), draw(digits)
    shapes = {
        "A9": a + d,
        "A99": a + d + e,
        "A9A": a + d + draw(st.sampled_from(THIRD_A9A)),
        "AA9": a + b + d,
        "AA99": a + b + d + e,
        "AA9A": a + b + d + draw(st.sampled_from(FOURTH_AA9A)),
    }
    return shapes[draw(st.sampled_from(sorted(shapes)))]


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    """A postcode in the stored form, 'TN23 4AB'."""
    inward = draw(digits) + draw(st.sampled_from(INWARD)) + draw(st.sampled_from(INWARD))
    return f"{draw(outward_codes())} {inward}"


@given(postcodes())
def test_postcode_shown_and_typed_back_is_the_same(postcode: str) -> None:
    assert parse.parse_postcode(postcode) == postcode
    assert parse.parse_postcode(postcode.lower().replace(" ", "")) == postcode
    assert parse.parse_postcode(f"  {postcode.lower().replace(' ', '   ')} ") == postcode


@given(postcodes())
def test_postcode_district_agrees_with_is_postcode_district(postcode: str) -> None:
    district = parse.postcode_district(postcode)
    assert postcode.startswith(f"{district} ")
    assert parse.is_postcode_district(district)
    assert parse.postcode_district(district) == district


@given(postcodes(), st.sampled_from("CIKMOV"), st.integers(min_value=1, max_value=2))
def test_an_inward_letter_royal_mail_never_uses_is_refused(
    postcode: str, letter: str, position: int
) -> None:
    wrong = (
        postcode[: len(postcode) - 3 + position] + letter + postcode[len(postcode) - 2 + position :]
    )
    assert wrong != postcode
    with pytest.raises(ValueError, match="is not a UK postcode"):
        parse.parse_postcode(wrong)


@given(outward_codes(), st.sampled_from("QVX"))
def test_an_area_letter_royal_mail_never_uses_is_refused(outward: str, letter: str) -> None:
    wrong = letter + outward[1:]
    assert not parse.is_postcode_district(wrong)
    with pytest.raises(ValueError):
        parse.postcode_district(f"{wrong} 1AA")


@given(st.text(alphabet="ACGIKNQTVWXZ0123456789 ", max_size=9))
def test_any_postcode_accepted_reads_back_the_same(typed: str) -> None:
    try:
        postcode = parse.parse_postcode(typed)
    except ValueError:
        return  # refused: nothing is stored
    assert parse.parse_postcode(postcode) == postcode
    assert parse.is_postcode_district(parse.postcode_district(postcode))


# -- dates ---------------------------------------------------------------------------------

dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@given(dates, dates)
def test_date_shown_and_typed_back_is_the_same(day: date, today: date) -> None:
    assert parse.parse_date(parse.format_date(day), today) == day
    assert parse.parse_date(day.isoformat(), today) == day


@given(dates, dates)
def test_date_written_in_words_is_the_same(day: date, today: date) -> None:
    month = MONTHS[day.month - 1]
    weekday = DAYS[day.weekday()]
    assert parse.parse_date(f"{day.day} {month} {day.year}", today) == day
    assert parse.parse_date(f"{weekday} {day.day} {month.lower()} {day.year}", today) == day
    assert parse.parse_date(f"{month} {day.day}, {day.year}", today) == day


@given(dates.filter(lambda d: d.year < 9999))
def test_date_without_a_year_is_in_this_year(today: date) -> None:
    day = today + timedelta(days=40)
    assume(day.year == today.year)
    assert parse.parse_date(f"{day.day} {MONTHS[day.month - 1]}", today) == day
    assert parse.parse_date(f"{day.day}/{day.month}", today) == day


@given(dates, st.integers(min_value=0, max_value=6))
def test_a_day_name_is_the_next_such_day(today: date, target: int) -> None:
    assume(today.year < 9999)
    found = parse.parse_date(DAYS[target], today)
    assert found.weekday() == target
    assert 1 <= (found - today).days <= 7
    if target > today.weekday():  # later this week: "next" could mean two days
        with pytest.raises(ValueError, match="could be"):
            parse.parse_date(f"next {DAYS[target]}", today)
    else:
        assert parse.parse_date(f"next {DAYS[target]}", today) == found


@given(dates, st.integers(min_value=0, max_value=6), st.integers(min_value=1, max_value=6))
def test_a_day_name_that_disagrees_with_the_date_is_refused(day: date, _: int, shift: int) -> None:
    wrong = DAYS[(day.weekday() + shift) % 7]
    typed = f"{wrong} {day.day} {MONTHS[day.month - 1]} {day.year}"
    try:
        parse.parse_date(typed, day)
    except ValueError as exc:
        assert "not a" in str(exc)
    else:
        raise AssertionError(f"{typed!r} was accepted")
