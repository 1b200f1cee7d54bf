"""What the lookup shows, as text: a provider's two lines, the understood chips, the status
line; and taking a chip's words out of the query line. Pure functions, tested directly."""

from __future__ import annotations

import re

from textual.content import Content

from microcare_tui.domain.labels import days_text, standing_label
from microcare_tui.domain.parse import format_phone
from microcare_tui.domain.query import BASED, NEARBY, OTHER, SERVES, Chip, LookupResult, LookupRow

STANDING_STYLE = {
    "good": "$success", "lapsed": "$warning", "not_listed": "$text-muted", "suspended": "$error",
}  # fmt: skip
PLACEMENT_STYLE = {BASED: "$success", SERVES: "", NEARBY: "$text-muted", OTHER: "$warning"}


def row_content(row: LookupRow, signposted: bool = False) -> Content:
    """Two lines per provider: name, standing, taking, phone; then area, days, services."""
    standing = standing_label(row.standing)
    standing_style = STANDING_STYLE.get(row.standing, "")
    first: list[str | tuple[str, str]] = []
    if signposted:
        first.append(("→ ", "bold $accent"))
    first += [
        (row.name, "bold"),
        "  ",
        (standing, standing_style),
        " · ",
        ("taking" if row.taking else "not taking", "" if row.taking else "$warning"),
        "  ",
        (format_phone(row.phone) or "no phone", "" if row.phone else "$text-muted"),
    ]
    if signposted:
        first.append(("  signposted", "$accent"))
    # Where and when first: the query already says what; services trail off at 80 columns.
    # Where it works in words ("Folkestone and Hythe, serves Ashford"), not colour alone.
    style = PLACEMENT_STYLE.get(row.placement, "")
    second: list[str | tuple[str, str]] = ["  "]
    if row.placement == BASED:
        second.append((row.area_word, style))
    else:
        second += [row.area_word, (row.place_note, style)]
    second += [" · ", days_text(row.days)]
    if row.misses:
        second += [" ", (f"({', '.join(row.misses)})", "$warning")]
    second += [" · ", ", ".join(row.services) or "no services listed"]
    return Content.assemble(*first, "\n", *second)


def chips_content(chips: tuple[Chip, ...]) -> Content:
    """[service: Shopping and errands ×] [area: Ashford ×] ... with how to remove them."""
    if not chips:
        return Content.styled(
            "Understood: nothing yet (service, area or postcode, day, language, dp, taking)",
            "$text-muted",
        )
    parts: list[str | tuple[str, str]] = []
    for chip in chips:
        parts += [(f"[{chip.kind}: {chip.label} ×]", "$accent"), " "]
    return Content.assemble(*parts[:-1])


def status_text(result: LookupResult, offset: int) -> str:
    """'37 providers · showing 1-20 · pgdn for more · No exact match: ...'"""
    if not result.total:
        if result.query.is_empty:
            return "No providers on the register yet: 3 then n adds one."
        hint = "remove a chip (F6) or use fewer words" if result.query.chips else "try other words"
        return f"No providers match: {hint}."
    shown = len(result.rows)
    noun = "provider" if result.total == 1 else "providers"
    parts = [f"{result.total:,} {noun}"]
    if result.total > shown or offset:
        parts.append(f"showing {offset + 1}-{offset + shown}")
        if offset + shown < result.total:
            parts.append("pgdn for more")
    if result.fuzzy_note:
        parts.append(result.fuzzy_note)
    elif result.query.chips:
        parts.append("F6 removes the last chip")
    return " · ".join(parts)


def remove_words(text: str, source: str) -> str:
    """Take a chip's source words out of the query line (case-insensitive, whole words)."""
    words = [re.escape(w) for w in source.split()]
    if not words:
        return text
    pattern = r"(?<![0-9A-Za-z\u00C0-\u024F])" + r"[^0-9A-Za-z\u00C0-\u024F]+".join(words)
    pattern += r"s?(?![0-9A-Za-z\u00C0-\u024F])"
    out = re.sub(pattern, " ", text, count=1, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out).strip()
