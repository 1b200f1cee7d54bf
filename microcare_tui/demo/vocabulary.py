"""Who and where: Kent's towns, dial codes and postcodes, valid UK phone numbers, people's
names (with the languages they may speak) and e-mail addresses, and the demo team.

Every phone number parses as a valid UK number and every postcode maps back to its area, so
the demo's rows pass the app's own validation.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass

import phonenumbers

from microcare_tui.demo.chance import Choice

TEAM_NAME = "Kent Micro-provider Team (DEMO)"
DEMO_WORKER = "Demo worker"
# The demo team: who took the call, made the visit, saw the evidence.
WORKERS = [DEMO_WORKER, "Sam Okafor", "Jo Pilcher", "Priya Mistry"]
WORKER_WEIGHTS = [55, 15, 15, 15]
WORKER = Choice(WORKERS, WORKER_WEIGHTS)

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_WORDS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
# Letters used in the inward code of a UK postcode (never C, I, K, M, O or V).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# ---------------------------------------------------------------------------------------------
# Places and phones

KENT_TOWNS: dict[str, list[str]] = {
    "Ashford": ["Ashford", "Tenterden", "Wye", "Charing", "Hamstreet", "Kennington"],
    "Canterbury": ["Canterbury", "Whitstable", "Herne Bay", "Sturry", "Bridge"],
    "Dartford": ["Dartford", "Swanscombe", "Greenhithe", "Wilmington", "Stone"],
    "Dover": ["Dover", "Deal", "Sandwich", "Aylesham", "Walmer"],
    "Folkestone and Hythe": ["Folkestone", "Hythe", "New Romney", "Lydd", "Dymchurch"],
    "Gravesham": ["Gravesend", "Northfleet", "Meopham", "Higham"],
    "Maidstone": ["Maidstone", "Headcorn", "Marden", "Lenham", "Staplehurst", "Bearsted"],
    "Sevenoaks": ["Sevenoaks", "Swanley", "Edenbridge", "Westerham", "Otford"],
    "Swale": ["Sittingbourne", "Faversham", "Sheerness", "Minster", "Teynham"],
    "Thanet": ["Margate", "Ramsgate", "Broadstairs", "Birchington", "Westgate-on-Sea"],
    "Tonbridge and Malling": ["Tonbridge", "West Malling", "Snodland", "Aylesford", "Hadlow"],
    "Tunbridge Wells": ["Tunbridge Wells", "Paddock Wood", "Cranbrook", "Southborough",
                        "Hawkhurst"],
}  # fmt: skip

# Landline area codes by district (Sevenoaks and Tonbridge share 01732).
KENT_DIAL_CODES: dict[str, list[str]] = {
    "Ashford": ["01233"],
    "Canterbury": ["01227"],
    "Dartford": ["01322"],
    "Dover": ["01304"],
    "Folkestone and Hythe": ["01303"],
    "Gravesham": ["01474"],
    "Maidstone": ["01622"],
    "Sevenoaks": ["01732", "01959"],
    "Swale": ["01795"],
    "Thanet": ["01843"],
    "Tonbridge and Malling": ["01732"],
    "Tunbridge Wells": ["01892", "01580"],
}
_ALL_DIAL_CODES = sorted({c for codes in KENT_DIAL_CODES.values() for c in codes})

# Where providers set up (programme strength) and where enquiries come from (population).
PROVIDER_AREA_WEIGHT = {
    "Ashford": 1.3, "Canterbury": 1.4, "Dartford": 0.5, "Dover": 0.8,
    "Folkestone and Hythe": 1.0, "Gravesham": 0.6, "Maidstone": 1.1, "Sevenoaks": 0.9,
    "Swale": 0.6, "Thanet": 0.8, "Tonbridge and Malling": 0.9, "Tunbridge Wells": 1.2,
}  # fmt: skip
ENQUIRY_AREA_WEIGHT = {
    "Ashford": 1.0, "Canterbury": 1.2, "Dartford": 0.9, "Dover": 0.9,
    "Folkestone and Hythe": 0.9, "Gravesham": 0.8, "Maidstone": 1.3, "Sevenoaks": 0.9,
    "Swale": 1.1, "Thanet": 1.2, "Tonbridge and Malling": 1.0, "Tunbridge Wells": 0.9,
}  # fmt: skip

HOSPITALS = [
    "William Harvey Hospital", "Kent and Canterbury Hospital", "QEQM Hospital",
    "Maidstone Hospital", "Tunbridge Wells Hospital", "Darent Valley Hospital",
]  # fmt: skip


@functools.cache
def _phone_prefixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Mobile prefixes (5 digits after the 0) and landline (code + 2 digits) that are valid.

    Checked once with phonenumbers, so every number made from them parses as a valid
    UK number (Channel Islands and Isle of Man ranges, and 076 pagers, are left out).
    """
    mobiles = []
    for prefix in range(74000, 80000):
        if 76000 <= prefix < 77000:
            continue
        number = phonenumbers.PhoneNumber(country_code=44, national_number=prefix * 100_000 + 23456)
        if phonenumbers.is_valid_number_for_region(number, "GB"):
            mobiles.append(str(prefix))
    landlines = []
    for code in _ALL_DIAL_CODES:
        for first in range(20, 90):
            national = int(f"{code[1:]}{first}4567")
            number = phonenumbers.PhoneNumber(country_code=44, national_number=national)
            if phonenumbers.is_valid_number_for_region(number, "GB"):
                landlines.append(f"{code[1:]}{first}")
    return tuple(mobiles), tuple(landlines)


def mobile_phone(rng: random.Random) -> str:
    """A valid UK mobile number in E.164."""
    mobiles, _ = _phone_prefixes()
    return f"+44{rng.choice(mobiles)}{rng.randrange(100_000):05d}"


def landline_phone(rng: random.Random, area_name: str) -> str:
    """A valid landline number in E.164 with one of the area's dial codes."""
    _, landlines = _phone_prefixes()
    code = rng.choice(KENT_DIAL_CODES.get(area_name) or _ALL_DIAL_CODES)[1:]
    for _ in range(20):
        head = f"{code}{rng.randrange(20, 90)}"
        if head in _landline_set():
            return f"+44{head}{rng.randrange(10_000):04d}"
    return f"+44{rng.choice(landlines)}{rng.randrange(10_000):04d}"


@functools.cache
def _landline_set() -> frozenset[str]:
    return frozenset(_phone_prefixes()[1])


def random_postcode(rng: random.Random, districts: list[str]) -> str | None:
    """A full postcode in one of `districts` (None if there are none)."""
    if not districts:
        return None
    district = rng.choice(districts).upper()
    inward = f"{rng.randrange(1, 10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{district} {inward}"


# ---------------------------------------------------------------------------------------------
# People

# (weight, women's first names, men's first names, surnames, languages they may also speak)
NAME_GROUPS: list[tuple[int, list[str], list[str], list[str], list[str]]] = [
    (78,
     ["Margaret", "Susan", "Sarah", "Karen", "Julie", "Tracey", "Emma", "Claire", "Lisa",
      "Helen", "Jo", "Maggie", "Pauline", "Janet", "Lorraine", "Debbie", "Nicola", "Hannah",
      "Amy", "Sophie", "Charlotte", "Gemma", "Kelly", "Joanne", "Ann", "Carol", "Linda",
      "Sandra", "Wendy", "Jackie", "Rachel", "Kirsty", "Leanne", "Zoë", "Bev", "Shirley"],
     ["David", "John", "Paul", "Mark", "Andrew", "Steve", "Peter", "Gary", "Ian", "Tony",
      "Chris", "Dave", "Mike", "Rob", "Kevin", "Darren", "Lee", "Wayne", "Tom", "James",
      "Daniel", "Ben", "Sam", "Ryan", "Alan", "Keith", "Colin", "Derek", "Graham", "Terry"],
     ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
      "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
      "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Hill", "Harris", "Cooper",
      "Ward", "Martin", "King", "Baker", "Parker", "Cook", "Bennett", "Fletcher", "Marsh",
      "Hobbs", "Pettit", "Pilcher", "Kemp", "Castle", "Sayer", "Hoad", "Gilbert", "Bourne",
      "Packham", "Beal", "Finn", "Friend", "Godden", "Mockett"],
     []),
    (8,
     ["Priya", "Sunita", "Harpreet", "Manjit", "Anjali", "Fatima", "Aisha", "Nasreen", "Rupa"],
     ["Raj", "Sanjay", "Gurpreet", "Amrik", "Imran", "Mohammed", "Ali", "Vikram", "Sunil"],
     ["Patel", "Shah", "Sandhu", "Gill", "Khan", "Hussain", "Ahmed", "Sharma", "Chopra",
      "Mistry"],
     ["punjabi", "urdu", "gujarati", "hindi", "bengali"]),
    (5,
     ["Agnieszka", "Katarzyna", "Magdalena", "Ewa", "Joanna", "Małgorzata"],
     ["Tomasz", "Piotr", "Marek", "Krzysztof", "Paweł", "Łukasz"],
     ["Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając"],
     ["polish"]),
    (4,
     ["Sita", "Gita", "Bimala", "Sarita", "Kamala"],
     ["Ram", "Bikash", "Hari", "Dil", "Krishna"],
     ["Gurung", "Rai", "Limbu", "Thapa", "Tamang", "Pun"],
     ["nepali"]),
    (3,
     ["Adaeze", "Grace", "Blessing", "Funmi", "Ama"],
     ["Kwame", "Tunde", "Chidi", "Kofi", "Emeka"],
     ["Okafor", "Adeyemi", "Mensah", "Boateng", "Okoye"],
     []),
    (2,
     ["Elena", "Ioana", "Oksana", "Olena"],
     ["Andrei", "Mihai", "Taras", "Bogdan"],
     ["Popescu", "Ionescu", "Shevchenko", "Kovalenko"],
     ["romanian", "ukrainian"]),
]  # fmt: skip
_GROUP = Choice(range(len(NAME_GROUPS)), [g[0] for g in NAME_GROUPS])


@dataclass(frozen=True)
class Person:
    """A made-up person: names, sex (for relationships) and the name group they come from."""

    first: str
    last: str
    female: bool
    group: int

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def random_person(rng: random.Random, female: bool | None = None) -> Person:
    """Someone with a name from one of Kent's communities (`female` None: either)."""
    group = _GROUP(rng)
    _, women, men, surnames, _ = NAME_GROUPS[group]
    if female is None:
        female = rng.random() < 0.7  # most care micro-providers and family carers are women
    return Person(rng.choice(women if female else men), rng.choice(surnames), female, group)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-"))


def email_for(rng: random.Random, person: Person, business: str | None) -> str:
    """An address for the person or (often) their business, at a reserved example domain."""
    # Addresses use the reserved example domains, so no real mailbox is ever named.
    domain = rng.choice(["example.com", "example.org", "example.net"])
    if business and rng.random() < 0.6:
        return f"{_ascii(business.lower().replace('&', 'and'))}@{domain}"
    style = rng.random()
    first, last = _ascii(person.first.lower()), _ascii(person.last.lower())
    if style < 0.5:
        return f"{first}.{last}@{domain}"
    if style < 0.8:
        return f"{first[0]}{last}{rng.randrange(1, 99)}@{domain}"
    return f"{first}{last}@{domain}"
