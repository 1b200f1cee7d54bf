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


def test_the_digit_plans_match_what_the_regular_expressions_match() -> None:
    """national() reads GB_FORMATS as digit prefixes and group widths (no regex compiled):
    every 4-digit start, every 5-digit one from 1 (the 5-digit area codes), and each longer
    prefix (0800 1111, 0845 4647) with every last digit, is taken by the same formats."""
    import re

    from microcare_tui.domain.uk_phone import _plans

    starts = [f"{n:04d}" for n in range(10_000)] + [str(n) for n in range(10_000, 20_000)]
    plans = _plans()
    longer = {p for prefixes, *_ in plans for p in prefixes if len(p) > 5}
    assert longer == {"8001111", "845464"}
    starts += [p[:-1] + d for p in longer for d in "0123456789"]
    assert len(plans) == len(GB_FORMATS)
    for (_pattern, _fmt, leading), (prefixes, _widths, _lo, _hi) in zip(
        GB_FORMATS, plans, strict=True
    ):
        compiled = re.compile(leading)
        by_regex = {s for s in starts if compiled.match(s)}
        assert {s for s in starts if s.startswith(prefixes)} == by_regex, leading
        assert by_regex  # each format is reached
