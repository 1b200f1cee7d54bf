"""The lookup use-case shared by the lookup screen and `microcare search`."""

from __future__ import annotations

from datetime import date

from microcare_tui.domain.query import LookupQuery, LookupResult, Vocabulary, parse_lookup
from microcare_tui.store import reference, search
from microcare_tui.store.db import Store

_vocab_cache: dict[tuple[str, int], Vocabulary] = {}


def vocabulary(store: Store) -> Vocabulary:
    """The lookup's vocabulary, rebuilt only when reference data changes."""
    version = int(
        store.scalar(
            """SELECT (SELECT COALESCE(SUM(row_version), 0) + COUNT(*) FROM areas)
                    + (SELECT COALESCE(SUM(row_version), 0) + COUNT(*) FROM service_types)
                    + (SELECT COALESCE(SUM(row_version), 0) FROM settings
                       WHERE id IN ('languages', 'specialisms'))"""
        )
    )
    key = (str(store.path), version)
    if key not in _vocab_cache:
        _vocab_cache.clear()
        _vocab_cache[key] = reference.load_vocabulary(store)
    return _vocab_cache[key]


def understand(store: Store, text: str) -> LookupQuery:
    """Parse a lookup line with this council's vocabulary."""
    return parse_lookup(text, vocabulary(store))


def find_providers(
    store: Store,
    text_or_query: str | LookupQuery,
    limit: int = 20,
    offset: int = 0,
    today: date | None = None,
) -> LookupResult:
    """Providers for what the worker typed, best first (see store.search for the ranking)."""
    vocab = vocabulary(store)
    query = parse_lookup(text_or_query, vocab) if isinstance(text_or_query, str) else text_or_query
    return search.lookup(store, query, vocab, limit=limit, offset=offset, today=today)
