"""The lookup use-case shared by the lookup screen and `microcare search`."""

from __future__ import annotations

from datetime import date

from microcare_tui.domain.query import LookupQuery, LookupResult, Vocabulary, parse_lookup
from microcare_tui.store import reference, search
from microcare_tui.store.db import Store


def vocabulary(store: Store) -> Vocabulary:
    """The lookup's vocabulary, kept on the connection until the data changes (a rename in
    the settings, on this connection or another, is understood on the next query)."""
    return store.cached("lookup.vocabulary", lambda: reference.load_vocabulary(store))


def understand(store: Store, text: str) -> LookupQuery:
    """Parse a lookup line with this council's vocabulary."""
    return parse_lookup(text, vocabulary(store))


def find_providers(
    store: Store,
    text_or_query: str | LookupQuery,
    limit: int = 20,
    offset: int = 0,
    today: date | None = None,
    cache: bool = True,
) -> LookupResult:
    """Providers for what the worker typed, best first (see store.search for the ranking).

    `cache` False for a single search in a process (`microcare search`): it skips building
    the per-connection tables that make the next keystrokes cheap."""
    vocab = vocabulary(store)
    query = parse_lookup(text_or_query, vocab) if isinstance(text_or_query, str) else text_or_query
    return search.lookup(store, query, vocab, limit=limit, offset=offset, today=today, cache=cache)
