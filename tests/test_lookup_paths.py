"""The lookup's cached store query gives what the tables alone give, keystroke by keystroke.

The cached path (store.lookup_page.cached_rows: needs and rank terms as bit masks on the rank
row, the full-text index joined, a broad match walked by base_rank) is checked against the
inline path (every key spelt out in SQL over the providers table) on every prefix of the
lookup bench's queries, over the small demo register (60 providers).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from microcare_tui.demo import generate_demo
from microcare_tui.domain.enums import Stage
from microcare_tui.domain.query import Chip, LookupQuery, LookupResult
from microcare_tui.services.database import open_database
from microcare_tui.services.lookup import find_providers
from microcare_tui.services.providers import save_provider
from microcare_tui.store import lookup_cache, lookup_page
from microcare_tui.store import search as store_search
from microcare_tui.store.db import Store
from tests.ui.test_call import seed_providers

TODAY = date(2026, 3, 2)
# bench/lookup_keystroke.py's queries.
QUERIES = [
    "shopping ashford tue", "companion dementia", "garden TN23", "personal care dp weekend",
    "polish", "oak", "sitting canterbury evenings", "transport hospital maidstone",
    "meals thanet taking", "dog walking ct1", "respite swale weekends", "shoping",
    "bsl companionship dover", "cleaning tunbridge wells mornings",
]  # fmt: skip
# Every prefix of the bench's queries (as typed, key by key), and a few more kinds: two
# services, a language, a specialism, a phone number, an unknown district, misspellings.
PREFIXES = sorted({q[:i] for q in QUERIES for i in range(1, len(q) + 1)})
MORE = [
    "shopping gardening", "shopping gardening tue evenings", "polish dementia", "bsl",
    "dp taking", "ME14", "ME14 shopping", "oka tree", "kwnnington", "comapnion",
    "shopping ashford canterbury mon", "zzzz", "garden TN23 weekends mornings",
]  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_database(tmp_path_factory.mktemp("paths") / "demo.db", worker="test")
    generate_demo(store, "small", seed=1, today=TODAY)
    yield store
    store.close()


def shown(result: LookupResult) -> tuple[Any, ...]:
    """Everything the lookup shows of a result."""
    rows = [
        (r.id, r.place, r.standing, r.taking, tuple(r.misses), tuple(r.services))
        for r in result.rows
    ]
    return (result.total, result.fuzzy_note, rows)


def both(
    store: Store, text: str | LookupQuery, monkeypatch: pytest.MonkeyPatch, **kw: Any
) -> tuple[Any, Any]:
    cached = shown(find_providers(store, text, today=TODAY, **kw))
    with monkeypatch.context() as m:
        m.setattr(store_search, "refresh", lambda store, today: None)
        inline = shown(find_providers(store, text, today=TODAY, **kw))
    return cached, inline


def test_every_prefix_typed_gives_the_inline_results(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    differ = []
    found = 0
    for text in [*PREFIXES, *MORE]:
        cached, inline = both(demo, text, monkeypatch)
        found += cached[0] > 0
        if cached != inline:
            differ.append((text, cached, inline))
    assert differ == []
    assert found > len(PREFIXES) // 2  # most prefixes find someone: the rows were compared


@pytest.mark.parametrize("broad", [0, 5])
def test_pages_and_broad_walks_give_the_inline_results(
    demo: Store, monkeypatch: pytest.MonkeyPatch, broad: int
) -> None:
    """With BROAD lowered, every match ranked by base order alone is walked by base_rank's
    index; later pages (offsets) are compared too."""
    monkeypatch.setattr(lookup_page, "BROAD", broad)
    walks: list[int] = []
    walk = lookup_page._walked_rows

    def spy(*args: Any) -> list[dict[str, Any]]:
        walks.append(1)
        return walk(*args)

    monkeypatch.setattr(lookup_page, "_walked_rows", spy)
    differ = []
    for text in ["s", "c", "o", "sh", "co", "companion", "shopping", "dp", "a", "polish", "oak"]:
        for offset in (0, 7, 40):
            cached, inline = both(demo, text, monkeypatch, limit=7, offset=offset)
            if cached != inline:
                differ.append((text, offset, cached, inline))
    assert differ == []
    assert len(walks) > 10


def test_the_needs_masks_match_case_insensitively_and_unknown_values_find_nothing(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A need no provider offers has no bit: nothing matches (as the tag index gave); a
    need asked in capitals matches as the lower-case tags do."""
    query = LookupQuery(
        text="x", chips=(Chip("language", "klingon", "Klingon", "klingon"),), words=()
    )
    cached, inline = both(demo, query, monkeypatch)
    assert cached == inline
    assert cached[0] == 0
    upper = LookupQuery(text="x", chips=(Chip("flag", "dp", "DP", "dp"),), words=())
    cached, inline = both(demo, upper, monkeypatch)
    assert cached == inline
    assert cached[0] > 0


def test_a_letter_typed_before_a_save_finds_what_was_saved(db_path: Path) -> None:
    """A one-letter word is the rank rows' bit for that letter, set on its first use; a save
    rebuilds the rank rows, so the letter is asked of the full-text index again (and the
    names kept for fuzzy matching are read again)."""
    seed_providers(db_path)
    store = open_database(db_path, worker="test")
    try:
        before = find_providers(store, "q", today=TODAY)
        misspelt_before = find_providers(store, "quinse helpers", today=TODAY)
        assert "q" in store_search.refresh(store, TODAY.isoformat()).initials  # type: ignore[union-attr]
        save_provider(
            store,
            {"name": "Quince Helpers", "stage": Stage.ACTIVE.value, "services": ["shopping"],
             "postcode": "TN23 4AB"},
        )  # fmt: skip
        after = find_providers(store, "q", today=TODAY)
        with_need = find_providers(store, "shopping q", today=TODAY)
        misspelt = find_providers(store, "quinse helpers", today=TODAY)
    finally:
        store.close()
    assert before.total == 0
    assert [r.name for r in after.rows] == ["Quince Helpers"]
    assert [r.name for r in with_need.rows] == ["Quince Helpers"]
    # The names kept for fuzzy matching (by first letter) are read again after the save.
    assert misspelt_before.total == 0
    assert [r.name for r in misspelt.rows] == ["Quince Helpers"]
    assert misspelt.fuzzy_note == "No exact match: showing names like 'quinse helpers'"


def test_kinds_with_more_values_than_bits_use_the_tag_index(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two bits a kind, most kinds have no masks: their needs and rank terms are
    answered from the tags kept for them, and give what the tables give."""
    monkeypatch.setattr(lookup_cache, "_BITS", 2)
    store = open_database(demo.path, worker="test")  # a new connection: a new cache
    try:
        bits = lookup_cache.refresh(store, TODAY.isoformat())
        assert bits is not None
        assert {"svc", "area", "day"} - set(bits) == {"svc", "area", "day"}  # no masks
        differ = []
        for text in [*MORE, "shopping ashford tue", "companion dementia", "polish", "dp"]:
            cached, inline = both(store, text, monkeypatch)
            if cached != inline:
                differ.append((text, cached, inline))
    finally:
        store.close()
    assert differ == []
