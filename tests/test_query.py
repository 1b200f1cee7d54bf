"""The lookup's query parser: what a worker types becomes filters and words."""

from __future__ import annotations

from microcare_tui.domain.defaults import LANGUAGES, SERVICE_CATALOGUE, SPECIALISMS
from microcare_tui.domain.query import (
    BASED,
    NEARBY,
    OTHER,
    SERVES,
    LookupRow,
    Vocabulary,
    parse_lookup,
    tokens,
)

VOCAB = Vocabulary(
    services={w.lower(): code for code, lab, _, syn in SERVICE_CATALOGUE for w in [lab, *syn]},
    service_labels={code: lab for code, lab, _, _ in SERVICE_CATALOGUE},
    areas={"ashford": "A", "tunbridge wells": "TW", "canterbury": "C"},
    area_names={"A": "Ashford", "TW": "Tunbridge Wells", "C": "Canterbury"},
    districts={"TN23": "A", "TN1": "TW", "CT1": "C"},
    languages=frozenset(LANGUAGES),
    specialisms=frozenset(SPECIALISMS),
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(c.kind, c.value) for c in parse_lookup(text, VOCAB).chips]


def test_mixed_query() -> None:
    assert kinds("shopping ashford tue") == [("service", "shopping"), ("area", "A"), ("day", "tue")]


def test_postcodes_and_districts() -> None:
    assert ("area", "A") in kinds("garden TN23 4AB")
    assert ("area", "A") in kinds("garden tn23")
    # A district the areas do not list (ME99 is no real district) stays a word to search.
    assert kinds("ME99") == []
    assert parse_lookup("ME99", VOCAB).words == ("me99",)


def test_multiword_phrases_and_flags() -> None:
    got = kinds("personal care Tunbridge Wells dp taking weekend evenings")
    assert ("service", "personal_care") in got
    assert ("area", "TW") in got
    assert ("flag", "dp") in got and ("flag", "taking") in got
    assert ("day", "sat") in got and ("day", "sun") in got
    assert ("time", "evening") in got


def test_languages_specialisms_synonyms() -> None:
    got = kinds("companion dementia polish bsl sitting")
    assert ("service", "companionship") in got
    assert ("specialism", "dementia") in got
    assert ("language", "polish") in got and ("language", "bsl") in got
    assert ("service", "sitting_respite") in got


def test_unknown_words_stay_words_and_operators_are_dropped() -> None:
    q = parse_lookup('oak "tree" NEAR * -x AND ünïcode', VOCAB)
    assert q.words == ("oak", "tree", "x", "ünïcode")
    assert not q.chips
    assert tokens("x" * 600) == ["x" * 200]


def test_removing_a_chip() -> None:
    q = parse_lookup("shopping ashford", VOCAB)
    fewer = q.without("area:A")
    assert fewer.area_ids == [] and fewer.services == ["shopping"]


def test_a_phone_number_in_any_uk_form_is_one_phone_chip() -> None:
    for text in ["01233 629000", "01233629000", "+44 1233 629000", "+441233629000",
                 "(01233) 629 000", "01233-629000"]:  # fmt: skip
        q = parse_lookup(text, VOCAB)
        assert [(c.kind, c.value, c.label) for c in q.chips] == [
            ("phone", "+441233629000", "01233 629000")
        ], text
        assert q.words == (), text
        assert q.phones == ["+441233629000"]


def test_a_phone_among_other_words() -> None:
    q = parse_lookup("shopping 07811 234567 tue", VOCAB)
    assert [(c.kind, c.value) for c in q.chips] == [
        ("service", "shopping"), ("phone", "+447811234567"), ("day", "tue")
    ]  # fmt: skip
    assert [c.source for c in q.chips if c.kind == "phone"] == ["07811 234567"]


def test_numbers_that_are_no_phone_stay_words() -> None:
    # A house number, a half-typed number, and Ofcom's drama range (never a real line).
    assert parse_lookup("12 oak", VOCAB).words == ("12", "oak")
    assert parse_lookup("01233 6290", VOCAB).words == ("01233", "6290")
    assert kinds("07700 900123") == []


def test_a_row_says_where_the_provider_works() -> None:
    def place(area: str, placement: str, serves: list[str]) -> str:
        return LookupRow("p", "P", [], area, [], "good", None, True, placement, serves=serves).place

    assert place("Ashford", BASED, []) == "Ashford"
    assert place("Ashford", "", []) == "Ashford"
    assert place("", "", []) == "area not given"
    assert place("Folkestone and Hythe", SERVES, ["Ashford"]) == (
        "Folkestone and Hythe, serves Ashford"
    )
    assert place("Dover", SERVES, ["Ashford", "Folkestone and Hythe"]) == (
        "Dover, serves Ashford & Folkestone and Hythe"
    )
    assert place("", SERVES, ["Ashford"]) == "serves Ashford"
    assert place("Canterbury", NEARBY, []) == "Canterbury, nearby"
    assert place("Dover", NEARBY, ["Canterbury"]) == "Dover, serves Canterbury, nearby"
    assert place("Dartford", OTHER, []) == "Dartford, other area"
