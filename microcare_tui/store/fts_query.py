"""FTS5 MATCH expressions from what a worker typed (the lookup, the provider list's and the
enquiry list's searches): prefix terms, safe for any input."""

from __future__ import annotations

from microcare_tui.domain.query import phone_at, tokens


def fts_terms(words: list[str] | tuple[str, ...]) -> list[str]:
    """The words' prefix terms for the full-text index (at most 12)."""
    return [t for w in words for t in tokens(w)][:12]


def fts_match(words: list[str] | tuple[str, ...], joiner: str = " ") -> str | None:
    """An FTS5 MATCH expression of prefix terms, safe for any input (operators are dropped)."""
    terms = fts_terms(words)
    if not terms:
        return None
    return joiner.join(f'"{t}"*' for t in terms)


def fts_match_phones(text: str) -> str | None:
    """`fts_match` over the words of `text`, where a phone number written in any UK form
    ("01233 629000", "+44 1233 629000") also matches the E.164 form the index holds."""
    words = tokens(text)
    plain = fts_match(words)
    normalised: list[str] = []
    i = 0
    while i < len(words):
        hit = phone_at(words, i) if words[i][:1] in "+0123456789" else None
        if hit is None:
            normalised.append(words[i])
            i += 1
        else:
            normalised.append(hit[1])
            i += hit[0]
    if plain is None or normalised == words:
        return plain
    # Either form: the number as stored, or the words as typed (a number kept as written).
    return f"({fts_match(normalised)}) OR ({plain})"


def fts_any(words: list[str] | tuple[str, ...]) -> str | None:
    """Like `fts_match`, but any one term matches (a prefilter for fuzzy matching, where one
    misspelt word must not rule a row out)."""
    return fts_match(words, joiner=" OR ")
