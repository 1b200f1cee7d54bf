"""Understanding what the worker types into the lookup.

"shopping ashford tue dp" becomes filters (service: shopping, area: Ashford, day: Tue,
accepts direct payments) and leftover words for a name search. Each understood piece is a
Chip the screen shows and the worker can remove. Pure: the vocabulary is passed in.
"""

# No `from __future__ import annotations` here: with it, typing.NamedTuple turns each field's
# annotation text into a ForwardRef, which compile()s it, and a process's first compile() costs
# ~10 M instructions (~5 ms): a seventh of `microcare search`'s work beyond `--version`.

import re
from typing import Any, NamedTuple

from microcare_tui.domain import parse

MAX_QUERY_CHARS = 200

_TIME_WORDS = {
    "morning": "morning",
    "mornings": "morning",
    "am": "morning",
    "afternoon": "afternoon",
    "afternoons": "afternoon",
    "pm": "afternoon",
    "evening": "evening",
    "evenings": "evening",
    "night": "night",
    "nights": "night",
    "overnight": "night",
}
_DAY_GROUPS = {
    "weekend": ["sat", "sun"],
    "weekends": ["sat", "sun"],
    "weekday": ["mon", "tue", "wed", "thu", "fri"],
    "weekdays": ["mon", "tue", "wed", "thu", "fri"],
}
# Words understood on their own that no vocabulary lists: what a word still being typed
# ("morni", "weeke") may be completing (store.search's fallback before fuzzy matching).
SINGLE_WORDS = (*_TIME_WORDS, *_DAY_GROUPS)
_DP_PHRASES = {"dp", "direct payment", "direct payments", "directpayment"}
_TAKING_PHRASES = {"taking", "accepting", "available", "taking clients", "new clients", "vacancy"}
_STOP_WORDS = {
    "and",
    "or",
    "in",
    "on",
    "at",
    "for",
    "with",
    "the",
    "a",
    "an",
    "to",
    "of",
    "help",
    "my",
    "mum",
    "dad",
    "someone",
    "anyone",
    "who",
    "can",
    "near",
}


# These classes are NamedTuples and slotted classes, not dataclasses: `microcare search` is a
# process of its own, and importing `dataclasses` (it imports `inspect`, `ast`, `dis`...)
# and making each dataclass was over a third of what it did beyond `microcare --version`.


class Chip(NamedTuple):
    """One understood piece of the query: kind is service, area, district, day, time,
    language, specialism, phone (value E.164) or flag."""

    kind: str
    value: str
    label: str
    source: str  # the words it came from

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


class Vocabulary:
    """Words the lookup understands, built from reference data."""

    __slots__ = (
        "services",
        "service_labels",
        "areas",
        "area_names",
        "districts",
        "languages",
        "specialisms",
        "_index",
    )

    def __init__(
        self,
        services: dict[str, str],  # phrase -> service code
        service_labels: dict[str, str],  # code -> label
        areas: dict[str, str],  # lower-case area name -> area id
        area_names: dict[str, str],  # area id -> name
        districts: dict[str, str],  # postcode district -> area id
        languages: frozenset[str] = frozenset(),
        specialisms: frozenset[str] = frozenset(),
    ) -> None:
        self.services = services
        self.service_labels = service_labels
        self.areas = areas
        self.area_names = area_names
        self.districts = districts
        self.languages = languages
        self.specialisms = specialisms
        # phrases() and the longest phrase's word count, made once: parsing a query (every
        # keystroke in the lookup) rebuilt ~150 phrases and split each (~0.3 ms a key).
        self._index: list[tuple[dict[str, tuple[str, str]], int]] = []

    def phrase_index(self) -> tuple[dict[str, tuple[str, str]], int]:
        """(phrases(), the most words in one of them), made on first use."""
        if not self._index:
            known = self.phrases()
            self._index.append((known, max((len(p.split()) for p in known), default=1)))
        return self._index[0]

    def phrases(self) -> dict[str, tuple[str, str]]:
        """Every known phrase -> (kind, value)."""
        known: dict[str, tuple[str, str]] = {}
        for phrase in _DP_PHRASES:
            known[phrase] = ("flag", "dp")
        for phrase in _TAKING_PHRASES:
            known[phrase] = ("flag", "taking")
        for phrase, code in self.services.items():
            known[phrase] = ("service", code)
        for name in self.languages:
            known[name] = ("language", name)
        for name in self.specialisms:
            known[name] = ("specialism", name)
            if name.endswith("s"):
                known[name[:-1]] = ("specialism", name)
        for name, area_id in self.areas.items():
            known[name] = ("area", area_id)
        return known


class LookupQuery(NamedTuple):
    """What the lookup will search for."""

    text: str = ""
    chips: tuple[Chip, ...] = ()
    words: tuple[str, ...] = ()  # leftover words: searched in names, descriptions, notes

    def values(self, kind: str) -> list[str]:
        return [c.value for c in self.chips if c.kind == kind]

    @property
    def services(self) -> list[str]:
        return self.values("service")

    @property
    def area_ids(self) -> list[str]:
        return self.values("area")

    @property
    def days(self) -> list[str]:
        return self.values("day")

    @property
    def times(self) -> list[str]:
        return self.values("time")

    @property
    def languages(self) -> list[str]:
        return self.values("language")

    @property
    def specialisms(self) -> list[str]:
        return self.values("specialism")

    @property
    def phones(self) -> list[str]:
        return self.values("phone")

    @property
    def wants_dp(self) -> bool:
        return "dp" in self.values("flag")

    @property
    def wants_taking(self) -> bool:
        return "taking" in self.values("flag")

    @property
    def is_empty(self) -> bool:
        return not self.chips and not self.words

    def without(self, chip_key: str) -> "LookupQuery":
        """The same query with one chip removed (the worker pressed its remove key)."""
        return self._replace(chips=tuple(c for c in self.chips if c.key != chip_key))


_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F+']+")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; every other character (quotes, *, -, FTS operators) is dropped."""
    return [t.lower().strip("'") for t in _TOKEN.findall(text[:MAX_QUERY_CHARS]) if t.strip("'")]


class _ChipCollector:
    """The chips of one lookup line, each kind:value once, in the order they were said."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.chips: list[Chip] = []
        self.leftover: list[str] = []
        self._seen: set[str] = set()

    def add(self, kind: str, value: str, label: str, source: str) -> None:
        key = f"{kind}:{value}"
        if key not in self._seen:
            self._seen.add(key)
            self.chips.append(Chip(kind, value, label, source))

    def add_district(self, district: str, source: str) -> None:
        area_id = self.vocab.districts.get(district)
        if area_id:
            name = self.vocab.area_names.get(area_id, district)
            self.add("area", area_id, f"{name} ({district})", source)
        else:
            self.add("district", district, district, source)


def parse_lookup(text: str, vocab: Vocabulary) -> LookupQuery:
    """Understand a lookup line. Longest known phrase wins; unknown words stay as words."""
    words = tokens(text)
    known, longest = vocab.phrase_index()
    found = _ChipCollector(vocab)
    i = 0
    while i < len(words):
        used = _phone(found, words, i)
        used = used or _full_postcode(found, words, i)
        used = used or _known_phrase(found, words, i, known, longest)
        if not used:
            _single_word(found, words[i])
            used = 1
        i += used
    return LookupQuery(text=text, chips=tuple(found.chips), words=tuple(found.leftover))


_PHONE_PART = re.compile(r"\+?\d+")
_MAX_PHONE_PARTS = 5  # "+44 (0) 1233 629 000": the most pieces a UK number is written in


def phone_at(words: list[str] | tuple[str, ...], i: int) -> tuple[int, str] | None:
    """A UK phone number written as the run of number tokens starting at word i, in any
    common form ("01233 629000", "01233629000", "+44 1233 629000"): (tokens used, E.164),
    the longest run that is a valid number; None if the run is no phone number."""
    run: list[str] = []
    for word in words[i : i + _MAX_PHONE_PARTS]:
        if not _PHONE_PART.fullmatch(word) or (run and word.startswith("+")):
            break
        run.append(word)
    for n in range(len(run), 0, -1):
        joined = "".join(run[:n])
        # A UK number has 10 or 11 digits, up to 14 with 0044 (0): anything shorter or longer
        # is a house number or a count, and skips the (comparatively slow) phone parser.
        if not 10 <= sum(ch.isdigit() for ch in joined) <= 14:
            continue
        try:
            return n, parse.parse_phone(joined)
        except ValueError:
            continue
    return None


def _phone(found: _ChipCollector, words: list[str], i: int) -> int:
    """A phone number: its provider is wanted (a chip, matched on the number stored)."""
    hit = phone_at(words, i)
    if hit is None:
        return 0
    used, e164 = hit
    found.add("phone", e164, parse.format_phone(e164), " ".join(words[i : i + used]))
    return used


def _full_postcode(found: _ChipCollector, words: list[str], i: int) -> int:
    """A full postcode is two tokens: "TN23 4AB" -> district TN23. Tokens used, or 0."""
    word = words[i]
    if not (parse.is_postcode_district(word) and i + 1 < len(words)):
        return 0
    if not re.fullmatch(r"\d[a-z]{2}", words[i + 1]):
        return 0
    found.add_district(word.upper(), f"{word} {words[i + 1]}")
    return 2


def _known_phrase(
    found: _ChipCollector,
    words: list[str],
    i: int,
    known: dict[str, tuple[str, str]],
    longest: int,
) -> int:
    """The longest known phrase starting at word i (plurals too). Tokens used, or 0."""
    for n in range(min(longest, len(words) - i), 0, -1):
        phrase = " ".join(words[i : i + n])
        hit = known.get(phrase)
        if hit is None and n == 1 and phrase.endswith("s"):
            hit = known.get(phrase[:-1])
        if hit is not None:
            kind, value = hit
            found.add(kind, value, _chip_label(kind, value, found.vocab), phrase)
            return n
    return 0


def _single_word(found: _ChipCollector, word: str) -> None:
    """Days, day groups, times of day and postcode districts; anything else is a word."""
    if word in _DAY_GROUPS:
        for day in _DAY_GROUPS[word]:
            found.add("day", day, day.capitalize(), word)
    elif parse.day_code(word) and len(word) >= 3:
        code = parse.day_code(word) or word
        found.add("day", code, code.capitalize(), word)
    elif word in _TIME_WORDS:
        found.add("time", _TIME_WORDS[word], _TIME_WORDS[word].capitalize(), word)
    elif parse.is_postcode_district(word) and word.upper() in found.vocab.districts:
        found.add_district(word.upper(), word)
    elif word not in _STOP_WORDS:
        found.leftover.append(word)


def _chip_label(kind: str, value: str, vocab: Vocabulary) -> str:
    if kind == "service":
        return vocab.service_labels.get(value, value)
    if kind == "area":
        return vocab.area_names.get(value, value)
    if kind == "flag":
        return {"dp": "Accepts direct payments", "taking": "Taking new clients"}[value]
    if kind == "language":
        return value.upper() if value == "bsl" else value.capitalize()
    return value.capitalize()


# Where a provider works, against the areas the query asked for, best first: based in one,
# serving one (based elsewhere), based in or serving a neighbouring area, or none of those.
BASED = "based in area"
SERVES = "serves area"
NEARBY = "nearby"
OTHER = "other area"
PLACEMENTS = (BASED, SERVES, NEARBY, OTHER)


class _Plain:
    """Equality and repr from __slots__, as a dataclass would give."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Plain) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a plain dataclass

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class LookupRow(_Plain):
    """One provider in the lookup's results, with why it ranks where it does."""

    __slots__ = (
        "id",
        "name",
        "services",
        "area",
        "days",
        "standing",
        "phone",
        "taking",
        "placement",
        "stage",
        "areas_served",
        "misses",
        "serves",
    )

    def __init__(
        self,
        id: str,  # noqa: A002  # the provider's id, named as everywhere else
        name: str,
        services: list[str],
        area: str,  # the base area's name
        days: list[str],
        standing: str,
        phone: str | None,
        taking: bool,
        placement: str,  # one of PLACEMENTS, or "" when the query asked for no area
        stage: str = "",
        areas_served: list[str] | None = None,
        misses: list[str] | None = None,  # e.g. ["not Tue"]
        # The asked areas it serves (SERVES), or the neighbouring ones (NEARBY, when it is
        # not based in one): names, for the words below.
        serves: list[str] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.services = services
        self.area = area
        self.days = days
        self.standing = standing
        self.phone = phone
        self.taking = taking
        self.placement = placement
        self.stage = stage
        self.areas_served: list[str] = [] if areas_served is None else areas_served
        self.misses: list[str] = [] if misses is None else misses
        self.serves: list[str] = [] if serves is None else serves

    @property
    def place(self) -> str:
        """Where it works, in the words a row shows: 'Ashford' (based there), 'Folkestone and
        Hythe, serves Ashford', 'Canterbury, nearby', 'Dartford, other area'."""
        return self.area_word + self.place_note

    @property
    def area_word(self) -> str:
        """The base area, or what stands in for it."""
        if self.area:
            return self.area
        return "" if self.serves else "area not given"

    @property
    def place_note(self) -> str:
        """What follows the base area: ', serves Ashford', ', nearby', ', other area' or ''."""
        lead = ", " if self.area_word else ""
        # '&' between names: area names have 'and' in them ('Folkestone and Hythe').
        served = f"serves {' & '.join(self.serves)}" if self.serves else ""
        if self.placement == SERVES and served:
            return lead + served
        if self.placement == NEARBY:
            return lead + (f"{served}, nearby" if served else "nearby")
        if self.placement == OTHER:
            return lead + "other area"
        return ""


class LookupResult(_Plain):
    """A page of the lookup's results for a query, and how many providers match in all."""

    __slots__ = ("query", "rows", "total", "fuzzy_note")

    def __init__(
        self,
        query: LookupQuery,
        rows: list[LookupRow],
        total: int,
        fuzzy_note: str | None = None,  # set when the exact search found nothing and we guessed
    ) -> None:
        self.query = query
        self.rows = rows
        self.total = total
        self.fuzzy_note = fuzzy_note
