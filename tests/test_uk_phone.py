"""domain.uk_phone shows UK numbers exactly as phonenumbers does, without importing it."""

from __future__ import annotations

import random

import phonenumbers

from microcare_tui.domain.parse import format_phone
from microcare_tui.domain.uk_phone import GB_FORMATS, national


def _by_phonenumbers(e164: str) -> str:
    number = phonenumbers.parse(e164, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def test_the_table_is_libphonenumbers_own() -> None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("GB")
    assert metadata is not None
    theirs = tuple(
        (f.pattern, f.format, f.leading_digits_pattern[-1]) for f in metadata.number_format
    )
    assert theirs == GB_FORMATS
    assert {f.national_prefix_formatting_rule for f in metadata.number_format} == {"0\\1"}


def test_same_text_as_phonenumbers_for_every_leading_prefix() -> None:
    """Every 3-digit start in each length, and the 6-digit starts of the 5-digit area codes
    (1387x, 1524x, 1539x, 1697x, 1768x, 1946x) and their neighbours."""
    rng = random.Random(8)
    starts = [f"{n:03d}" for n in range(100, 1000)]
    starts += [f"{n}" for n in range(138700, 138800)] + [f"{n}" for n in range(152400, 152500)]
    starts += [f"{n}" for n in range(153900, 154000)] + [f"{n}" for n in range(169700, 169800)]
    starts += [f"{n}" for n in range(176800, 176900)] + [f"{n}" for n in range(194600, 194700)]
    checked = 0
    for start in starts:
        for length in (7, 9, 10):
            if length < len(start):
                continue
            digits = start + "".join(rng.choice("0123456789") for _ in range(length - len(start)))
            e164 = "+44" + digits
            ours = national(e164)
            if ours is not None:
                assert ours == _by_phonenumbers(e164), e164
                checked += 1
    assert checked > 1_500


def test_numbers_it_cannot_place_go_to_phonenumbers() -> None:
    assert national("+33142685300") is None
    assert format_phone("+33142685300") == "+33 1 42 68 53 00"
    assert national("+4412") is None
    assert format_phone("+441233629000") == "01233 629000"
    assert format_phone("+447700900123") == "07700 900123"
    assert format_phone("+442079460000") == "020 7946 0000"
