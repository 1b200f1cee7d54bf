"""The lookup's store query: where a provider works decides its band, and a phone number finds
its provider (and the enquiry list's search its caller) in any UK form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcare_tui.domain.query import BASED, NEARBY, OTHER, SERVES
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.enquiry_list import EnquiryListFilter, load_enquiry_page
from microcare_tui.services.lookup import find_providers
from microcare_tui.store import lookup_page, reference
from microcare_tui.store import search as store_search
from microcare_tui.store.db import Store
from tests.conftest import TODAY
from tests.ui.test_call import open_store, seed_providers


def area_ids(db_path: Path) -> dict[str, str]:
    store = open_store(db_path)
    try:
        return {a.name: a.id for a in reference.areas(store)}
    finally:
        store.close()


def seed_placements(db_path: Path) -> dict[str, str]:
    """The call screen's providers (six based in Ashford, one each in Canterbury and
    Dartford), and three based elsewhere: two in Folkestone that serve Ashford (named to sort
    first: alphabetical ties put them on top before) and one in Dover that serves Canterbury,
    Ashford's neighbour."""
    areas = area_ids(db_path)
    extra: list[dict[str, Any]] = [
        {"name": "Aardvark Folkestone Shopping", "services": ["shopping"],
         "postcode": "CT20 1AA", "areas_served": [areas["Ashford"]], "days": ["tue"],
         "phone": "01303 220011"},
        {"name": "Bramble Folkestone Mondays", "services": ["shopping"],
         "postcode": "CT20 2BB", "areas_served": [areas["Ashford"]], "days": ["mon"],
         "phone": "01303 220022"},
        {"name": "Alder Dover Errands", "services": ["shopping"], "postcode": "CT16 1AA",
         "areas_served": [areas["Canterbury"]], "days": ["tue"], "phone": "01304 330044"},
    ]  # fmt: skip
    return seed_providers(db_path, extra)


# Based in Ashford (Tuesdays all; good and taking first, then good but not taking, lapsed, not
# listed), then based in Folkestone serving Ashford (Tuesday before Monday), then nearby
# (Dover serving Canterbury, Canterbury itself: by name), then another area.
STANDARD_ORDER = [
    ("Ash Lane Shopping", "Ashford"),
    ("Beech Errand Helpers", "Ashford"),
    ("Oak Tree Companions", "Ashford"),
    ("Cedar Not Taking", "Ashford"),
    ("Holly Lapsed Insurance", "Ashford"),
    ("Larch Still Developing", "Ashford"),
    ("Aardvark Folkestone Shopping", "Folkestone and Hythe, serves Ashford"),
    ("Bramble Folkestone Mondays", "Folkestone and Hythe, serves Ashford"),
    ("Alder Dover Errands", "Dover, serves Canterbury, nearby"),
    ("Willow Canterbury Shopping", "Canterbury, nearby"),
    ("Dartford Shop Runners", "Dartford, other area"),
]


@pytest.mark.parametrize("text", ["shopping TN23 tue", "shopping ashford tue"])
def test_based_in_the_area_before_serving_it_then_nearby_then_other(
    db_path: Path, text: str
) -> None:
    seed_placements(db_path)
    store = open_store(db_path)
    try:
        result = find_providers(store, text, today=TODAY)
    finally:
        store.close()
    assert [(r.name, r.place) for r in result.rows] == STANDARD_ORDER
    by_name = {r.name: r for r in result.rows}
    assert by_name["Oak Tree Companions"].placement == BASED
    assert by_name["Aardvark Folkestone Shopping"].placement == SERVES
    assert by_name["Bramble Folkestone Mondays"].misses == ["not Tue"]
    assert by_name["Willow Canterbury Shopping"].placement == NEARBY
    assert by_name["Alder Dover Errands"].placement == NEARBY
    assert by_name["Dartford Shop Runners"].placement == OTHER


def test_without_an_area_the_asked_days_come_before_standing(db_path: Path) -> None:
    seed_placements(db_path)
    store = open_store(db_path)
    try:
        result = find_providers(store, "shopping mon", today=TODAY)
    finally:
        store.close()
    names = [r.name for r in result.rows]
    # The two that work Mondays first (good and taking, by name), then the rest.
    assert names[:2] == ["Beech Errand Helpers", "Bramble Folkestone Mondays"]
    assert names[2] == "Aardvark Folkestone Shopping"  # good and taking, by name
    assert {r.placement for r in result.rows} == {""}
    assert [r.place for r in result.rows[:2]] == ["Ashford", "Folkestone and Hythe"]


QUERIES = [
    "shopping TN23 tue",
    "shopping canterbury",
    "shopping",
    "ashford",
    "shopping tue",
    "shopping ashford canterbury mon",
    "01233 629000",
    "shopping dover taking",
    "shopping ashford weekend evenings",  # days, times and areas from the rank row's masks
    "shopping canterbury mornings nights",
]


@pytest.mark.parametrize("text", QUERIES)
def test_the_cached_ranking_agrees_with_the_inline_one(
    db_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup cache's rank table gives the same order as every key spelt out in SQL."""
    seed_placements(db_path)
    store = open_store(db_path)
    try:
        cached = find_providers(store, text, today=TODAY)
        monkeypatch.setattr(store_search, "refresh", lambda store, today: None)
        inline = find_providers(store, text, today=TODAY)
    finally:
        store.close()
    assert cached.total > 0
    assert [(r.id, r.place) for r in cached.rows] == [(r.id, r.place) for r in inline.rows]
    assert cached.total == inline.total


@pytest.mark.parametrize("text", ["a", "s", "shopping"])
def test_a_broad_match_walked_by_base_rank_agrees_with_the_inline_one(
    db_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first letter (or a need alone) that matches many providers (more than BROAD) and
    asks for no area, day or time takes its page by walking base_rank's index; each page is
    the inline ranking's."""
    seed_placements(db_path)
    monkeypatch.setattr(lookup_page, "BROAD", 0)  # every match counts as broad here
    walked: list[int] = []
    walk = lookup_page._walked_rows

    def spy(*args: Any) -> list[dict[str, Any]]:
        walked.append(len(walk(*args)))
        return walk(*args)

    monkeypatch.setattr(lookup_page, "_walked_rows", spy)
    store = open_store(db_path)
    try:
        pages = [find_providers(store, text, limit=2, offset=o, today=TODAY) for o in (0, 2)]
        monkeypatch.setattr(store_search, "refresh", lambda store, today: None)
        inline = [find_providers(store, text, limit=2, offset=o, today=TODAY) for o in (0, 2)]
    finally:
        store.close()
    assert walked == [2, 2]  # both pages walked the index
    assert inline[0].total > 2  # two pages' worth
    for page, expected in zip(pages, inline, strict=True):
        assert [(r.id, r.standing) for r in page.rows] == [
            (r.id, r.standing) for r in expected.rows
        ]
        assert page.total == expected.total


@pytest.mark.parametrize(
    "text",
    ["01233 629000", "01233629000", "+44 1233 629000", "+441233629000", "(01233) 629 000",
     "0044 1233 629000"],
)  # fmt: skip
def test_a_phone_number_in_any_uk_form_finds_its_provider(db_path: Path, text: str) -> None:
    ids = seed_placements(db_path)
    store = open_store(db_path)
    try:
        result = find_providers(store, text, today=TODAY)
    finally:
        store.close()
    assert [(c.kind, c.value, c.label) for c in result.query.chips] == [
        ("phone", "+441233629000", "01233 629000")
    ]
    assert [r.id for r in result.rows] == [ids["Oak Tree Companions"]]


def test_a_mobile_number_and_words_around_it(db_path: Path) -> None:
    ids = seed_placements(db_path)
    store = open_store(db_path)
    try:
        mobile = find_providers(store, "07811 234567", today=TODAY)
        with_need = find_providers(store, "shopping 07811234567 tue", today=TODAY)
        wrong_need = find_providers(store, "gardening 07811 234567", today=TODAY)
    finally:
        store.close()
    assert [r.id for r in mobile.rows] == [ids["Beech Errand Helpers"]]
    assert [c.kind for c in with_need.query.chips] == ["service", "phone", "day"]
    assert [r.id for r in with_need.rows] == [ids["Beech Errand Helpers"]]
    assert wrong_need.total == 0


def log_caller(store: Store, name: str, phone: str) -> str:
    saved = enquiry_service.log_enquiry(
        store, {"enquirer_kind": "family_carer", "caller_name": name, "caller_phone": phone}
    )
    return saved.id


@pytest.mark.parametrize(
    "text",
    ["07811 234567", "07811234567", "+44 7811 234567", "+447811234567", "447811234567",
     "0781 123 4567"],
)  # fmt: skip
def test_the_enquiry_search_finds_a_caller_by_phone_in_any_form(store: Store, text: str) -> None:
    wanted = log_caller(store, "Ann Smith", "07811 234567")
    log_caller(store, "Bob Jones", "01233 629000")
    page = load_enquiry_page(store, EnquiryListFilter(text=text), 0, TODAY)
    assert [r.id for r in page.rows] == [wanted]
    assert page.total == 1


def test_the_enquiry_search_still_finds_words_and_partial_numbers(store: Store) -> None:
    ann = log_caller(store, "Ann Smith", "07811 234567")
    log_caller(store, "Bob Jones", "01233 629000")
    assert [r.id for r in load_enquiry_page(store, EnquiryListFilter("ann"), 0, TODAY).rows] == [
        ann
    ]
    both = load_enquiry_page(store, EnquiryListFilter("ann 07811 234567"), 0, TODAY)
    assert [r.id for r in both.rows] == [ann]
    neither = load_enquiry_page(store, EnquiryListFilter("bob 07811 234567"), 0, TODAY)
    assert neither.total == 0
    # The stored form, as the index holds it, still matches by its leading digits.
    assert [r.id for r in load_enquiry_page(store, EnquiryListFilter("4478"), 0, TODAY).rows] == [
        ann
    ]


def test_a_fts_phone_match_keeps_the_typed_words_as_an_alternative() -> None:
    assert store_search.fts_match_phones("ann") == '"ann"*'
    assert store_search.fts_match_phones("ann 01233 629000") == (
        '("ann"* "+441233629000"*) OR ("ann"* "01233"* "629000"*)'
    )
    assert store_search.fts_match_phones("") is None
