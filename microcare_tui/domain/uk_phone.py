"""Showing a stored UK number (E.164, +441233123456) as people write it (01233 123456),
without importing phonenumbers (~80 M instructions, a third of `microcare search`).

The formats are libphonenumber's own for GB (region GB's number formats: the pattern, the
format and the most specific leading-digits pattern), applied as its national formatting
does; tests/test_uk_phone.py checks this table against the installed phonenumbers and
compares the results over every leading-digits prefix. Anything else (another country, a
number no GB format fits) returns None and `domain.parse.format_phone` asks phonenumbers.
"""

from __future__ import annotations

import re

# (pattern, format, leading digits), in libphonenumber's order: the first that fits wins.
GB_FORMATS: tuple[tuple[str, str, str], ...] = (
    (r"(\d{3})(\d{4})", r"\1 \2", "8001111"),
    (r"(\d{3})(\d{2})(\d{2})", r"\1 \2 \3", "845464"),
    (r"(\d{3})(\d{6})", r"\1 \2", "800"),
    (
        r"(\d{5})(\d{4,5})",
        r"\1 \2",
        r"1(?:3873|5(?:242|39[4-6])|(?:697|768)[347]|9467)",
    ),
    (r"(\d{4})(\d{5,6})", r"\1 \2", r"1(?:[2-69][02-9]|[78])"),
    (r"(\d{2})(\d{4})(\d{4})", r"\1 \2 \3", r"[25]|7(?:0|6(?:[03-9]|2[356]))"),
    (r"(\d{4})(\d{6})", r"\1 \2", "7"),
    (r"(\d{3})(\d{3})(\d{4})", r"\1 \2 \3", "[1389]"),
)
# The patterns stay text: re compiles (and keeps) only those a number reaches, ~half of
# them for a list of landlines and mobiles; all 16 at import cost every process ~1-2 ms.
_NATIONAL = tuple(
    (pattern, fmt.replace(r"\1", r"0\1", 1), leading) for pattern, fmt, leading in GB_FORMATS
)
_GB = re.compile(r"\+44([1-9]\d{6,9})")


def national(e164: str) -> str | None:
    """'+441233123456' -> '01233 123456'; None when this table cannot say (ask phonenumbers)."""
    m = _GB.fullmatch(e164)
    if m is None:
        return None
    nsn = m.group(1)
    for pattern, fmt, leading in _NATIONAL:
        if re.match(leading, nsn) and re.fullmatch(pattern, nsn):
            return re.sub(pattern, fmt, nsn)
    return None
