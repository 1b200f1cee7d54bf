"""Showing a stored UK number (E.164, +441233123456) as people write it (01233 123456),
without importing phonenumbers (~80 M instructions, a third of `microcare search`).

The formats are libphonenumber's own for GB (region GB's number formats: the pattern, the
format and the most specific leading-digits pattern), applied as its national formatting
does; tests/test_uk_phone.py checks this table against the installed phonenumbers and
compares the results over every leading-digits prefix. Anything else (another country, a
number no GB format fits) returns None and `domain.parse.format_phone` asks phonenumbers.
"""

from __future__ import annotations

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
# Each format as plain digits (the nsn's leading prefixes and its groups' widths), worked out
# from the table above on first use: compiling its regular expressions cost each
# `microcare search` process ~2 ms, more than formatting the numbers.
_Plan = tuple[tuple[str, ...], tuple[int, ...], int, int]
_PLANS: list[_Plan] = []
_GB_PREFIX = "+44"


def national(e164: str) -> str | None:
    """'+441233123456' -> '01233 123456'; None when this table cannot say (ask phonenumbers)."""
    nsn = e164[len(_GB_PREFIX) :]
    if not e164.startswith(_GB_PREFIX) or not 7 <= len(nsn) <= 10 or not nsn.isascii():
        return None
    if not nsn.isdigit():
        return None
    if nsn[0] == "0":
        return None
    for prefixes, widths, shortest_last, longest_last in _plans():
        last = len(nsn) - sum(widths)
        if shortest_last <= last <= longest_last and nsn.startswith(prefixes):
            parts, at = [], 0
            for width in widths:
                parts.append(nsn[at : at + width])
                at += width
            parts.append(nsn[at:])
            return "0" + " ".join(parts)
    return None


def _plans() -> list[_Plan]:
    if not _PLANS:
        for pattern, fmt, leading in GB_FORMATS:
            groups = pattern[1:-1].split(")(")  # "(\d{3})(\d{4})" -> ["\d{3}", "\d{4}"]
            spans = [tuple(int(n) for n in g[3:-1].split(",")) for g in groups]
            # Every GB format is digit groups, all fixed but the last, shown joined by spaces.
            assert all(len(span) == 1 for span in spans[:-1]), pattern
            assert fmt == " ".join(f"\\{i}" for i in range(1, len(groups) + 1)), fmt
            widths = tuple(span[0] for span in spans[:-1])
            _PLANS.append((tuple(_expand(leading)), widths, spans[-1][0], spans[-1][-1]))
    return _PLANS


def _expand(pattern: str) -> list[str]:
    """Every digit string a leading-digits pattern matches at the start: libphonenumber's
    are digits, classes ([2-69]) and groups of alternatives ((?:0|6[03-9])), no repeats."""
    found, end = _sequence(pattern, 0)
    assert end == len(pattern), pattern
    return found


def _sequence(p: str, i: int) -> tuple[list[str], int]:
    """The alternatives at p[i:] up to a ')' or the end, joined by '|'."""
    options: list[str] = []
    while True:
        branch = [""]
        while i < len(p) and p[i] not in "|)":
            if p[i] == "[":
                close = p.index("]", i)
                atom, i = _digit_class(p[i + 1 : close]), close + 1
            elif p.startswith("(?:", i):
                atom, i = _sequence(p, i + 3)
                assert p[i] == ")", p
                i += 1
            else:
                assert p[i].isdigit(), p
                atom, i = [p[i]], i + 1
            branch = [head + tail for head in branch for tail in atom]
        options += branch
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        return options, i


def _digit_class(inside: str) -> list[str]:
    digits, i = [], 0
    while i < len(inside):
        if i + 2 < len(inside) and inside[i + 1] == "-":
            digits += [str(d) for d in range(int(inside[i]), int(inside[i + 2]) + 1)]
            i += 3
        else:
            digits.append(inside[i])
            i += 1
    return digits
