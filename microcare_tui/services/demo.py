"""Demo data: a deterministic, realistic Kent market of care micro-providers.

`generate_demo` fills a new (migrated and seeded) database with providers, their stage history,
evidence, QA checks, visits, training, seed-fund grants and quarterly returns, and two years
of enquiries with signposts, unmet needs and follow-ups. The same seed and `today` give the
same content: every random choice comes from `random.Random` streams seeded from `seed`, and
row ids are UUIDv7 minted from those streams with the timestamp of the record's own date.

Every row goes through `Store.insert_many` (bookkeeping columns and the change log), in one
transaction per batch, and the providers' and enquiries' full-text rows are written alongside.
"""

from __future__ import annotations

import bisect
import functools
import random
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from microcare_tui.domain import defaults, rules
from microcare_tui.domain import models as m
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.providers import IndexText, index_providers

Progress = Callable[[str, int, int], None]

# Counts of the tables the scale sets directly. The rest follow from them in proportion:
# stage moves (~4 per provider), evidence items (~10 per provider past checks), signposts
# (~1.2 per enquiry), unmet needs, training sessions, quarterly provider returns.
_COUNTY: dict[str, int] = {
    "providers": 1_000,
    "enquiries": 100_000,
    "visits": 50_000,
    "training_attendance": 20_000,
    "qa_checks": 10_000,
    "grants": 350,
}
SCALES: dict[str, dict[str, int]] = {
    "small": {
        "providers": 60,
        "enquiries": 500,
        "visits": 300,
        "training_attendance": 150,
        "qa_checks": 60,
        "grants": 20,
    },
    "county": dict(_COUNTY),
    "large": {table: count * 10 for table, count in _COUNTY.items()},
}

BATCH_ROWS = 10_000
DEMO_CACHE_KIB = 256 * 1024  # SQLite page cache while generating (see generate_demo)
TEAM_NAME = "Kent Micro-provider Team (DEMO)"
DEMO_WORKER = "Demo worker"
# The demo team: who took the call, made the visit, saw the evidence.
WORKERS = [DEMO_WORKER, "Sam Okafor", "Jo Pilcher", "Priya Mistry"]
WORKER_WEIGHTS = [55, 15, 15, 15]

T = TypeVar("T")


class _Choice(Generic[T]):
    """A weighted choice with its cumulative weights worked out once (hot loops call it a lot)."""

    def __init__(self, options: Iterable[T], weights: Iterable[float]) -> None:
        self.options = list(options)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        if not self.options or total <= 0:
            raise ValueError("a weighted choice needs options with some weight")
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.options[bisect.bisect(self.cumulative, rng.random() * self.total,
                                          0, len(self.options) - 1)]  # fmt: skip


_WORKER = _Choice(WORKERS, WORKER_WEIGHTS)

try:
    _LONDON: ZoneInfo | None = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # no tz database: UK times are stored as if GMT
    _LONDON = None

_EPOCH = date(1970, 1, 1)
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAY_WORDS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
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
_PROVIDER_AREA_WEIGHT = {
    "Ashford": 1.3, "Canterbury": 1.4, "Dartford": 0.5, "Dover": 0.8,
    "Folkestone and Hythe": 1.0, "Gravesham": 0.6, "Maidstone": 1.1, "Sevenoaks": 0.9,
    "Swale": 0.6, "Thanet": 0.8, "Tonbridge and Malling": 0.9, "Tunbridge Wells": 1.2,
}  # fmt: skip
_ENQUIRY_AREA_WEIGHT = {
    "Ashford": 1.0, "Canterbury": 1.2, "Dartford": 0.9, "Dover": 0.9,
    "Folkestone and Hythe": 0.9, "Gravesham": 0.8, "Maidstone": 1.3, "Sevenoaks": 0.9,
    "Swale": 1.1, "Thanet": 1.2, "Tonbridge and Malling": 1.0, "Tunbridge Wells": 0.9,
}  # fmt: skip

_HOSPITALS = [
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


def _mobile(rng: random.Random) -> str:
    mobiles, _ = _phone_prefixes()
    return f"+44{rng.choice(mobiles)}{rng.randrange(100_000):05d}"


def _landline(rng: random.Random, area_name: str) -> str:
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


def _postcode(rng: random.Random, districts: list[str]) -> str | None:
    if not districts:
        return None
    district = rng.choice(districts).upper()
    inward = f"{rng.randrange(1, 10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{district} {inward}"


# ---------------------------------------------------------------------------------------------
# People

# (weight, women's first names, men's first names, surnames, languages they may also speak)
_NAME_GROUPS: list[tuple[int, list[str], list[str], list[str], list[str]]] = [
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
_GROUP = _Choice(range(len(_NAME_GROUPS)), [g[0] for g in _NAME_GROUPS])


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    female: bool
    group: int

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def _person(rng: random.Random, female: bool | None = None) -> _Person:
    group = _GROUP(rng)
    _, women, men, surnames, _ = _NAME_GROUPS[group]
    if female is None:
        female = rng.random() < 0.7  # most care micro-providers and family carers are women
    return _Person(rng.choice(women if female else men), rng.choice(surnames), female, group)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in ".-"))


def _email(rng: random.Random, person: _Person, business: str | None) -> str:
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


# ---------------------------------------------------------------------------------------------
# Services, names and words

_SERVICE_WEIGHT = {
    "companionship": 16, "home_help": 15, "shopping": 10, "gardening": 8, "personal_care": 5,
    "meals": 6, "sitting_respite": 6, "transport": 5, "day_activities": 7, "wellbeing": 6,
    "arts": 5, "pet_care": 3,
}  # fmt: skip
_NEED_WEIGHT = {
    "companionship": 18, "home_help": 15, "shopping": 12, "personal_care": 11,
    "sitting_respite": 8, "transport": 8, "meals": 7, "gardening": 6, "day_activities": 6,
    "wellbeing": 4, "arts": 3, "pet_care": 2,
}  # fmt: skip
# Services that go together (a companion often shops; a cook often helps at home).
_GOES_WITH = {
    "companionship": ["shopping", "transport", "sitting_respite", "meals"],
    "home_help": ["shopping", "meals", "companionship", "pet_care"],
    "shopping": ["companionship", "home_help", "transport"],
    "personal_care": ["meals", "home_help", "sitting_respite", "companionship"],
    "meals": ["home_help", "shopping", "companionship"],
    "sitting_respite": ["companionship", "personal_care", "meals"],
    "transport": ["shopping", "companionship"],
    "gardening": ["pet_care", "home_help"],
    "day_activities": ["arts", "wellbeing", "meals"],
    "wellbeing": ["day_activities", "arts"],
    "arts": ["day_activities", "wellbeing"],
    "pet_care": ["gardening", "companionship"],
}

_SERVICE_PHRASES = {
    "personal_care": ["Home Care", "Care at Home", "Homecare", "Personal Care"],
    "home_help": ["Home Help", "Helping Hands", "Home Helpers", "Household Help"],
    "companionship": ["Companions", "Companionship", "Befriending", "Friendly Visits"],
    "shopping": ["Shopping and Errands", "Errands", "Shop and Drop"],
    "meals": ["Home Cooking", "Meals at Home", "Kitchen Table"],
    "sitting_respite": ["Sitting Service", "Respite Care", "Carer Breaks"],
    "transport": ["Lifts and Escorts", "Driving Service", "Community Car"],
    "gardening": ["Garden Care", "Gardening and Odd Jobs", "Handyperson"],
    "day_activities": ["Lunch Club", "Social Club", "Friendship Group", "Day Club"],
    "wellbeing": ["Wellbeing", "Chair Yoga", "Walking Group", "Seated Exercise"],
    "arts": ["Arts and Crafts", "Music Mornings", "Creative Afternoons", "Community Choir"],
    "pet_care": ["Pet Care", "Dog Walking", "Pet Pals"],
}
# "Breathe Easy with Opera": activities named after the person who runs them.
_WITH_NAME = {
    "wellbeing": ["Breathe Easy", "Move More", "Chair Yoga", "Stretch and Smile"],
    "arts": ["Sing Along", "Paint and Natter", "Crafty Afternoons", "Music and Memories"],
    "day_activities": ["Tea and Chat", "Games Afternoons"],
    "gardening": ["Green Fingers"],
    "companionship": ["Walk and Talk", "Tea and Company"],
}
_NATURE = ["Oak Tree", "Willow", "Bluebell", "Primrose", "Orchard", "Hop Garden", "Oast House",
           "White Cliffs", "Cherry Tree", "Beech", "Meadow", "Harbour", "Downs", "Weald",
           "Kingfisher", "Lavender", "Acorn", "Cobnut", "Saltmarsh", "Heron", "Apple Blossom",
           "Chalk Hill", "Riverside", "Seaside", "Honeysuckle", "Foxglove", "Old Mill"]  # fmt: skip
# Community groups: what they are called by what they mainly do, and what they mainly do.
_GROUP_NAMES = {
    "day_activities": ["Lunch Club", "Friendship Group", "Community Café", "Memory Café"],
    "companionship": ["Good Neighbours", "Friendship Group", "Befriending Scheme"],
    "wellbeing": ["Walking Group", "Chair Exercise Group", "Tai Chi Group"],
    "arts": ["Singing Group", "Craft Club", "Community Choir"],
    "transport": ["Good Neighbours Car Scheme", "Community Car Scheme"],
    "gardening": ["Men's Shed", "Community Garden"],
    "meals": ["Lunch Club", "Community Café"],
}
_GROUP_SERVICE_WEIGHT = {
    "day_activities": 5, "companionship": 4, "wellbeing": 3, "arts": 3, "transport": 2,
    "gardening": 1, "meals": 2,
}  # fmt: skip
_LEGAL_SUFFIX = {"cic": " CIC", "limited_company": " Ltd", "cooperative": " Co-operative",
                 "charity": " Trust"}  # fmt: skip
_LEGAL_WEIGHT = {
    "sole_trader": 55, "cic": 10, "partnership": 5, "limited_company": 7, "community_group": 9,
    "charity": 4, "social_enterprise": 4, "cooperative": 3, "other": 3,
}  # fmt: skip

_NEED_PHRASES = {
    "personal_care": ["help with washing and dressing", "help getting up and dressed",
                      "help with a shower twice a week", "someone to prompt medication"],
    "home_help": ["help with cleaning and laundry", "a hand with the housework",
                  "help with ironing and changing the beds"],
    "companionship": ["some company and a chat", "a befriender to visit",
                      "someone to go out for a walk with"],
    "shopping": ["help with shopping", "someone to collect prescriptions and shopping",
                 "help with the weekly shop"],
    "meals": ["someone to cook a hot meal", "help preparing meals", "lunches cooked at home"],
    "sitting_respite": ["a sitter so the family can have a break", "a few hours of respite a week",
                        "someone to sit with them for a few hours"],
    "transport": ["lifts to hospital appointments", "an escort to the GP and the bank",
                  "transport to a day club"],
    "gardening": ["help keeping the garden tidy", "someone to mow the lawn",
                  "small jobs around the house"],
    "day_activities": ["a day club or group to join", "a lunch club nearby",
                       "something to do during the day"],
    "wellbeing": ["gentle exercise such as chair yoga", "a walking group",
                  "help to get moving again"],
    "arts": ["a singing or craft group", "music sessions", "an art class"],
    "pet_care": ["someone to walk the dog", "help looking after the cat",
                 "dog walking while in hospital"],
}  # fmt: skip
_REASONS = ["after a fall", "since coming out of hospital", "with early dementia",
            "after a stroke", "after a hip replacement", "and is getting lonely",
            "as their sight is failing", "since a Parkinson's diagnosis", "", ""]  # fmt: skip
# Only what a son, daughter or grandchild would say (not a husband or wife).
_FAMILY_REASONS = ["since being widowed", "as the family live a long way away",
                   "while I am at work", "as I live in London"]  # fmt: skip
_SELF_REASONS = ["since my operation", "as my family are in London", "after a fall last month",
                 "as I've stopped driving", ""]  # fmt: skip
_BACKGROUNDS = ["Has helped a neighbour for two years", "Retired nurse",
                "Former care agency worker", "Recently retired teacher",
                "Runs a community lunch club", "Qualified yoga teacher",
                "Looked after her own mum for years", "Gardener with a van",
                "Ex-army, now retired", "Student nurse looking for flexible work",
                "Hairdresser who visits older clients at home",
                "Musician who plays in care homes"]  # fmt: skip
# (relationship, summary) for stakeholders
_STAKEHOLDER = [
    ("parish council", "Parish council in {town} asking how to promote local micro-providers"),
    ("social prescriber",
     "Social prescriber at a {town} surgery wants the latest list of {label} providers"),
    ("housing officer", "Housing officer asking about {label} for tenants in {town}"),
    ("church", "Church in {town} wants to start a {label} group"),
    ("voluntary sector", "Voluntary sector partner asking for leaflets for {town}"),
]  # fmt: skip
_OTHER = ["Asked about {label}; gave general information",
          "Wanted advice about paying for care", "Asked how direct payments work",
          "Wanted the council's care needs assessment team"]  # fmt: skip
_PROFESSIONAL_ROLES = [
    ("social worker", "Social worker referral"), ("occupational therapist", "OT referral"),
    ("social prescriber", "Social prescriber referral"),
    ("district nurse", "District nurse referral"),
    ("hospital discharge coordinator", "Hospital discharge"),
]  # fmt: skip
_PROFESSIONAL_EXTRA = ["Has a direct payment.", "Self-funding.", "Direct payment being set up.",
                       "Agency cannot cover such short calls.", "Lives with a learning disability.",
                       "Family visit at weekends.", ""]  # fmt: skip

_STAGE_WEIGHT = {
    "active": 45, "registered": 14, "enquiry": 8, "developing": 12, "checks": 9, "paused": 6,
    "ceased": 6,
}  # fmt: skip
_MOVE_NOTES: dict[str, list[str | None]] = {
    "enquiry": ["First call: interested in setting up", "Referred by a social worker",
                "Came to a drop-in session", None],
    "developing": ["Business plan started", "Working on pricing and insurance", None],
    "checks": ["DBS applied for; insurance in place", "Evidence being gathered for QA", None],
    "registered": ["QA approved", "Passed QA; added to the directory", None],
    "active": ["First clients started", "Delivering to first clients", None],
    "paused": ["Paused: provider unwell", "Paused: caring for a family member",
               "Paused for the summer"],
    "ceased": ["Ceased: moved away", "Ceased: took a job with an agency", "Ceased: retired",
               "Ceased: not enough work"],
}  # fmt: skip
_VISIT_NOTES = {
    "initial": ["First meeting at home; talked through what they want to offer and to whom.",
                "Met at {town} library; keen to start. Explained the programme and the QA steps."],
    "development": ["Worked through pricing and a simple business plan.",
                    "Helped with insurance quotes; public liability about £90 a year.",
                    "Went through the safeguarding policy template.",
                    "Set up a bookkeeping spreadsheet together.",
                    "Talked about registering with HMRC as self-employed."],
    "qa": ["Went through the QA checklist; DBS and insurance seen.",
           "Checked policies and risk assessments.", "QA visit: references followed up."],
    "review": ["Review: going well, {people} people supported.",
               "Review: feedback from clients positive; wants to take on more in {town}.",
               "Annual review of evidence and policies."],
    "support": ["Support call: wants more clients in {town}.",
                "Advised on raising prices for the new year.",
                "Helped with a difficult conversation with a client's family.",
                "Talked about taking on a first employee."],
    "closure": ["Closing visit: thanked them for their work.", "Closing: records returned."],
}  # fmt: skip
_VISIT_ACTIONS = ["Send DBS application link", "Email insurance contacts",
                  "Book on safeguarding course", "Chase references", "Share policy templates",
                  "Add to the directory", "Introduce to the local social work team"]  # fmt: skip

_COURSES = [
    ("Safeguarding adults (level 2)", "safeguarding", "safeguarding_training", 36),
    ("Emergency first aid", "first aid", "first_aid", 36),
    ("Moving and handling", "moving and handling", None, None),
    ("Medication awareness", "medication", None, None),
    ("Food hygiene (level 2)", "food hygiene", "food_hygiene", 36),
    ("Dementia awareness", "dementia", None, None),
    ("Business skills: pricing, tax and insurance", "business", None, None),
    ("Data protection for small providers", "data protection", None, None),
    ("Lone working and personal safety", "lone working", None, None),
    ("Mental health first aid", "mental health", None, None),
]
_TRAINERS = ["Kent Safeguarding Training Ltd", "St John Ambulance", "Alison Beal",
             "Community Learning Kent", "Demo worker"]  # fmt: skip
_GRANT_PURPOSES = ["Public liability insurance (first year)", "DBS check fee", "First aid course",
                   "Laptop and phone for bookings", "Leaflets and a simple website"]  # fmt: skip
# Purposes that only make sense for some services.
_GRANT_PURPOSES_FOR = {
    "gardening": ["Equipment: gardening tools", "Equipment: strimmer and mower"],
    "arts": ["Art and craft materials", "Keyboard and songbooks"],
    "wellbeing": ["Seated exercise equipment", "Venue hire for three months"],
    "day_activities": ["Venue hire for three months", "Tables, chairs and a tea urn"],
    "meals": ["Food hygiene course and kitchen kit"],
    "personal_care": ["CQC registration fee", "Moving and handling course"],
    "transport": ["Business car insurance (first year)"],
    "pet_care": ["Dog walking licence and leads"],
}
_SPECIALISM_WORDS = {"parkinsons": "Parkinson's", "lgbtq+": "LGBTQ+ people",
                     "end of life": "end-of-life care"}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Ids and times


def _uuid7(rng: random.Random, ms: int) -> str:
    """A valid UUIDv7 whose timestamp is `ms` and whose other bits come from `rng`."""
    bits = rng.getrandbits(74)
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (bits >> 62) << 64
    value |= 0b10 << 62
    value |= bits & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def _day_ms(day: date) -> int:
    return (day - _EPOCH).days * 86_400_000


def _id_on(rng: random.Random, day: date) -> str:
    """An id minted during the working day of `day`."""
    return _uuid7(rng, _day_ms(day) + rng.randrange(8 * 3_600_000, 18 * 3_600_000))


@functools.lru_cache(maxsize=4096)
def _uk_offset_ms(day: date) -> int:
    if _LONDON is None:
        return 0
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=_LONDON).utcoffset()
    return int(offset.total_seconds() * 1000) if offset else 0


def _local_ms(day: date, seconds: int) -> int:
    """UTC epoch milliseconds of a UK wall-clock time on `day`."""
    return _day_ms(day) + seconds * 1000 - _uk_offset_ms(day)


def _iso(ms: int) -> str:
    """Epoch milliseconds as the store's timestamp text ('2026-03-02T10:15:00.000+00:00'),
    the same text `datetime.isoformat(timespec="milliseconds")` gives for a UTC time."""
    days, rest = divmod(ms, 86_400_000)
    seconds, millis = divmod(rest, 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_day_text(days)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}+00:00"


@functools.lru_cache(maxsize=4096)
def _day_text(days: int) -> str:
    return (_EPOCH + timedelta(days=days)).isoformat()


def _between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


# ---------------------------------------------------------------------------------------------
# The plan of a provider, kept in memory while the rest is generated


@dataclass(eq=False)
class _Plan:
    index: int
    id: str
    name: str
    legal: str
    lead: _Person
    phone: str
    area: int
    served: list[int]
    services: list[str]
    stage: str
    moves: list[tuple[str | None, str, date]]
    staff: int
    rate: int
    town: str
    start: date
    end: date  # the day it ceased, else today
    checks_on: date | None
    listed_from: date | None
    listed_until: date | None
    active_from: date | None
    active_until: date | None
    dp_share: float
    regulated: bool
    food: bool
    enquiry_id: str | None = None
    enquiry_ms: int = 0
    postcode: str | None = None
    days: frozenset[str] = frozenset()  # filled with the provider's row
    accepting: bool = True


@dataclass
class _Context:
    store: Store
    seed: int
    today: date
    progress: Progress
    areas: list[m.Area]
    area_index: dict[str, int]
    neighbours: list[list[int]]
    services: list[m.ServiceType]
    labels: dict[str, str]
    counts: dict[str, int]
    districts: list[list[str]]  # per area, the postcode districts that map back to it

    def rng(self, part: str) -> random.Random:
        """An independent stream per part, so changing one part leaves the others alone."""
        return random.Random(f"microcare-demo:{self.seed}:{part}")

    def town(self, rng: random.Random, area: int) -> str:
        name = self.areas[area].name
        return rng.choice(KENT_TOWNS.get(name) or [name])

    def write(self, table: str, rows: Iterable[dict[str, Any]], total: int,
              after: Callable[[list[dict[str, Any]]], None] | None = None) -> int:  # fmt: skip
        """Insert rows in batches, one transaction each, reporting progress."""
        done = 0
        self.progress(table, 0, total)
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            nonlocal done
            with self.store.transaction():
                self.store.insert_many(table, batch)
                if after is not None:
                    after(batch)
            done += len(batch)
            self.progress(table, done, max(total, done))
            batch.clear()

        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                flush()
        if batch:
            flush()
        self.counts[table] = self.counts.get(table, 0) + done
        return done


# ---------------------------------------------------------------------------------------------
# The entry point


def generate_demo(
    store: Store,
    scale: str = "small",
    seed: int = 1,
    progress: Progress | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Fill an open (migrated, seeded) database with deterministic realistic demo data.

    Refuses a database that already has providers or enquiries. Returns rows written per table.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    existing = store.scalar(
        "SELECT (SELECT COUNT(*) FROM providers) + (SELECT COUNT(*) FROM enquiries)"
    )
    if existing:
        raise MicrocareError(
            f"Demo data goes only into a new, empty database, and {store.path.name} already "
            "holds providers or enquiries. Create a new database for the demo."
        )
    areas = reference.areas(store)
    services = reference.service_types(store)
    if not areas or not services:
        raise MicrocareError(
            "The database has no areas or no service catalogue: open it with microcare once "
            "so the reference data is seeded, then make the demo."
        )
    target = SCALES[scale]
    area_index = {a.id: i for i, a in enumerate(areas)}
    district_owner = reference.district_map(store)
    ctx = _Context(
        store=store,
        seed=seed,
        today=today or date.today(),
        progress=progress or (lambda _stage, _done, _total: None),
        areas=areas,
        area_index=area_index,
        neighbours=[[area_index[n] for n in a.neighbours if n in area_index] for a in areas],
        services=services,
        labels={s.code: s.label for s in services},
        counts={},
        districts=[
            [d.upper() for d in a.postcode_districts if district_owner.get(d.upper()) == a.id]
            for a in areas
        ],  # fmt: skip
    )
    with store.transaction():
        reference.set_setting(store, "worker_name", DEMO_WORKER)
        reference.set_setting(store, "team_name", TEAM_NAME)
        reference.set_setting(store, "is_demo", True)

    # Indexes keyed by id and by (table, row) take inserts in no particular order; with
    # SQLite's default 2 MB page cache that turns into disk reads once the file is large.
    # A bigger cache for this run only (put back afterwards) keeps the large scale linear.
    cache = store.set_cache_size(DEMO_CACHE_KIB)
    try:
        plans = _plan_providers(ctx, target["providers"], target["enquiries"])
        _write_providers(ctx, plans)
        _write_stage_moves(ctx, plans)
        _write_evidence(ctx, plans)
        _write_qa_checks(ctx, plans, target["qa_checks"])
        _write_visits(ctx, plans, target["visits"])
        _write_training(ctx, plans, target["training_attendance"])
        _write_grants(ctx, plans, target["grants"])
        _write_returns(ctx, plans)
        _write_enquiries(ctx, plans, target["enquiries"])
    finally:
        store.restore_cache_size(cache)
    return dict(ctx.counts)


# ---------------------------------------------------------------------------------------------
# Providers


def _weighted(rng: random.Random, weights: Mapping[str, float], allowed: list[str]) -> str:
    return rng.choices(allowed, [weights.get(code, 3) for code in allowed])[0]


def _pick_services(rng: random.Random, codes: list[str], group: bool) -> list[str]:
    weights: Mapping[str, float] = _SERVICE_WEIGHT
    if group and any(code in _GROUP_NAMES for code in codes):
        weights = {code: _GROUP_SERVICE_WEIGHT.get(code, 0) for code in codes}
    first = _weighted(rng, weights, codes)
    chosen = [first]
    extra = rng.choices([0, 1, 2, 3], [40, 38, 17, 5])[0]
    for _ in range(extra):
        pool = [c for c in _GOES_WITH.get(chosen[-1], codes) if c in codes and c not in chosen]
        if not pool or rng.random() < 0.1:
            pool = [c for c in codes if c not in chosen]
        if not pool:
            break
        pick = _weighted(rng, _SERVICE_WEIGHT, pool)
        if pick == "personal_care" and rng.random() < 0.6:  # regulated: rarer still as an extra
            continue
        chosen.append(pick)
    return chosen


def _stage_path(rng: random.Random, stage: str) -> list[str]:
    to_checks = ["enquiry", "developing", "checks"]
    if stage == "enquiry":
        return ["enquiry"]
    if stage == "developing":
        return (["enquiry", "developing", "checks", "developing"] if rng.random() < 0.1
                else ["enquiry", "developing"])  # fmt: skip
    if stage == "checks":
        return to_checks
    if stage == "registered":
        return [*to_checks, "registered"]
    if stage == "active":
        if rng.random() < 0.1:
            return [*to_checks, "registered", "active", "paused", "active"]
        return [*to_checks, "registered", "active"]
    if stage == "paused":
        if rng.random() < 0.3:
            return ["enquiry", "developing", "paused"]
        return [*to_checks, "registered", "active", "paused"]
    roll = rng.random()  # ceased
    if roll < 0.6:
        return [*to_checks, "registered", "active", "ceased"]
    if roll < 0.85:
        return ["enquiry", "developing", "ceased"]
    return ["enquiry", "ceased"]


_GAP_DAYS = {
    ("enquiry", "developing"): (5, 45), ("developing", "checks"): (20, 120),
    ("checks", "developing"): (10, 40), ("checks", "registered"): (10, 60),
    ("registered", "active"): (3, 60), ("active", "paused"): (60, 400),
    ("paused", "active"): (20, 120), ("developing", "paused"): (30, 150),
}  # fmt: skip
_START_AGO = {
    "enquiry": (3, 90), "developing": (20, 400), "checks": (40, 500), "registered": (60, 900),
    "active": (90, 1100), "paused": (120, 1100), "ceased": (120, 1100),
}  # fmt: skip


def _plan_providers(ctx: _Context, count: int, enquiry_count: int) -> list[_Plan]:
    rng = ctx.rng("providers")
    codes = [s.code for s in ctx.services]
    regulated_codes = {s.code for s in ctx.services if s.regulated}
    area_weights = [_PROVIDER_AREA_WEIGHT.get(a.name, 1.0) for a in ctx.areas]
    stages = list(_STAGE_WEIGHT)
    legal_codes = {f.code for f in reference.legal_forms(ctx.store)}
    names: set[str] = set()
    plans: list[_Plan] = []
    window_start = ctx.today - timedelta(days=730)
    for index in range(count):
        stage = rng.choices(stages, [_STAGE_WEIGHT[s] for s in stages])[0]
        path = _stage_path(rng, stage)
        low, high = _START_AGO[stage]
        start = ctx.today - timedelta(days=rng.randrange(low, high + 1))
        steps = list(zip(path, path[1:], strict=False))
        gaps = [rng.randint(*_GAP_DAYS.get(step, (60, 500))) for step in steps]
        room = (ctx.today - start).days - 1
        if gaps and sum(gaps) > room:
            scale = room / sum(gaps)
            gaps = [max(1, int(g * scale)) for g in gaps]
            if sum(gaps) > room:
                start = ctx.today - timedelta(days=sum(gaps) + 1)
        moves: list[tuple[str | None, str, date]] = [(None, path[0], start)]
        day = start
        for (before, after), gap in zip(steps, gaps, strict=True):
            day += timedelta(days=gap)
            moves.append((before, after, day))
        first_on: dict[str, date] = {}
        for _, to_stage, on in moves:
            first_on.setdefault(to_stage, on)
        listed_from = first_on.get("registered")
        listed_until = None
        if listed_from:
            stops = [on for _, s, on in moves if s in ("paused", "ceased") and on > listed_from]
            listed_until = stops[0] if stops else ctx.today
        active_from = first_on.get("active")
        active_until = None
        if active_from:
            stops = [on for _, s, on in moves if s in ("paused", "ceased") and on > active_from]
            active_until = stops[0] if stops else ctx.today
        end = first_on.get("ceased", ctx.today)

        area = rng.choices(range(len(ctx.areas)), area_weights)[0]
        served = [area]
        near = ctx.neighbours[area]
        if near and rng.random() < 0.45:
            served += rng.sample(near, min(len(near), rng.choice([1, 1, 2, 3])))
        legal = rng.choices(list(_LEGAL_WEIGHT), list(_LEGAL_WEIGHT.values()))[0]
        chosen = _pick_services(rng, codes, group=legal == "community_group")
        if legal_codes and legal not in legal_codes:
            legal = "other" if "other" in legal_codes else sorted(legal_codes)[0]
        lead = _person(rng)
        town = ctx.town(rng, area)
        name = _provider_name(rng, legal, chosen, lead, town, ctx)
        tries = 0
        while name in names and tries < 20:
            name = _provider_name(rng, legal, chosen, lead, town, ctx)
            tries += 1
        if name in names:
            name = f"{name} ({town})"
        base, suffix = name, 2
        while name in names:
            name = f"{base} {suffix}"
            suffix += 1
        names.add(name)
        if legal == "sole_trader":
            staff = 1 if rng.random() < 0.85 else 2
        elif legal == "community_group":
            staff = rng.choice([0, 1, 2, 3, 4])
        else:
            staff = rng.choices([1, 2, 3, 4, 6, 8, 12], [20, 25, 20, 15, 10, 6, 4])[0]
        regulated = any(code in regulated_codes for code in chosen)
        rate = rng.randrange(1300, 2001, 25) + (200 if regulated else 0)
        phone = (_mobile(rng) if rng.random() < 0.65
                 else _landline(rng, ctx.areas[area].name))  # fmt: skip
        plan = _Plan(
            index=index, id=_id_on(rng, start), name=name, legal=legal, lead=lead, phone=phone,
            area=area, served=served, services=chosen, stage=stage, moves=moves, staff=staff,
            rate=min(rate, 2200), town=town, start=start, end=end,
            checks_on=first_on.get("checks"), listed_from=listed_from, listed_until=listed_until,
            active_from=active_from, active_until=active_until,
            dp_share=rng.uniform(0.2, 0.8) if rng.random() < 0.75 else 0.0,
            regulated=regulated, food="meals" in chosen or "day_activities" in chosen,
            postcode=_postcode(rng, ctx.districts[area]),
        )  # fmt: skip
        # About half of those who set up in the last two years first rang the team.
        in_window = window_start < start < ctx.today and enquiry_count > 0
        if in_window and rng.random() < 0.5:
            plan.enquiry_ms = _local_ms(start, rng.randrange(9 * 3600, 17 * 3600))
            plan.enquiry_id = _uuid7(rng, plan.enquiry_ms)
        plans.append(plan)
    # No more linked enquiries than there are enquiries to make.
    linked = [p for p in plans if p.enquiry_id]
    for p in linked[max(0, enquiry_count // 2) :]:
        p.enquiry_id = None
    return plans


def _provider_name(
    rng: random.Random, legal: str, services: list[str], lead: _Person, town: str, ctx: _Context
) -> str:
    main = services[0]
    phrase = rng.choice(_SERVICE_PHRASES.get(main) or [ctx.labels.get(main, main)])
    if legal == "sole_trader":
        roll = rng.random()
        if roll < 0.3:
            return f"{lead.first}'s {phrase}"
        if roll < 0.55:
            return f"{lead.name} {phrase}"
        if roll < 0.7 and main in _WITH_NAME:
            return f"{rng.choice(_WITH_NAME[main])} with {lead.first}"
        if roll < 0.9:
            return f"{rng.choice(_NATURE)} {phrase}"
        return f"{town} {phrase}"
    if legal == "partnership":
        other = _person(rng)
        if rng.random() < 0.5:
            return f"{lead.last} and {other.last} {phrase}"
        return f"{lead.first} and {other.first}'s {phrase}"
    if legal == "community_group":
        group_phrase = rng.choice(_GROUP_NAMES.get(main) or ["Friendship Group"])
        day = rng.choice(["", "", "Tuesday ", "Wednesday ", "Thursday ", "Friday "])
        return f"{town} {day}{group_phrase}"
    suffix = _LEGAL_SUFFIX.get(legal, "")
    if rng.random() < 0.45:
        return f"{town} {phrase}{suffix}"
    return f"{rng.choice(_NATURE)} {phrase}{suffix}"


def _provider_rows(ctx: _Context, plans: list[_Plan]) -> list[dict[str, Any]]:
    rng = ctx.rng("provider-details")
    threshold = int(reference.get_setting(ctx.store, "micro_threshold",
                                          rules.DEFAULT_MICRO_THRESHOLD))  # fmt: skip
    setting = reference.get_setting
    known_languages = {w.lower() for w in setting(ctx.store, "languages", defaults.LANGUAGES) or []}
    specialisms = [w.lower() for w in setting(ctx.store, "specialisms", defaults.SPECIALISMS) or []]
    rows = []
    for p in plans:
        legal = p.legal
        spoken = ["english"] if "english" in known_languages or not known_languages else []
        extra = _NAME_GROUPS[p.lead.group][4]
        if extra and rng.random() < 0.7:
            spoken.append(rng.choice(extra))
        elif rng.random() < 0.06:
            spoken.append(
                rng.choice(
                    [
                        "polish",
                        "urdu",
                        "punjabi",
                        "nepali",
                        "romanian",
                        "turkish",
                        "french",
                        "spanish",
                    ]
                )
            )
        if rng.random() < 0.02:
            spoken.append("bsl")
        spoken = [w for w in dict.fromkeys(spoken) if not known_languages or w in known_languages]
        how_many = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        special = rng.sample(specialisms, min(len(specialisms), how_many))
        if rng.random() < 0.2 and "dementia" in specialisms and "dementia" not in special:
            special.append("dementia")
        funding = ["self_funded"] if rng.random() < 0.9 or p.dp_share == 0 else []
        if p.dp_share > 0:  # decided with the plan: the returns report people on DPs
            funding.append("direct_payment")
        funding += [f for f, chance in (("personal_health_budget", 0.15), ("council", 0.1))
                    if rng.random() < chance]  # fmt: skip
        roll = rng.random()
        if roll < 0.5:
            days = _DAYS[:5]
        elif roll < 0.65:
            days = list(_DAYS)
        else:
            days = sorted(rng.sample(_DAYS, rng.randint(2, 5)), key=_DAYS.index)
        roll = rng.random()
        if roll < 0.5:
            times = ["morning", "afternoon"]
        elif roll < 0.7:
            times = ["morning", "afternoon", "evening"]
        elif roll < 0.85:
            times = ["morning"]
        else:
            times = ["afternoon"]
        if "sitting_respite" in p.services and rng.random() < 0.3:
            times = [*times, "evening", "night"] if "evening" not in times else [*times, "night"]
        if p.stage in ("paused", "ceased"):
            accepting = False
        elif p.stage in ("registered", "active"):
            accepting = rng.random() < 0.8
        else:
            accepting = True
        if p.services[0] in ("day_activities", "arts", "wellbeing") or legal == "community_group":
            approach = "day_activities" if legal != "community_group" else "community_group"
        else:
            approach = rng.choices(["home_support", "shared_lives", "homeshare", "other"],
                                   [92, 3, 2, 3])[0]  # fmt: skip
        ownership = {
            "sole_trader": "individual",
            "partnership": "family_business",
            "cooperative": "cooperative",
            "community_group": "community_group",
        }.get(legal) or rng.choice(["user_led", "family_business", "other", "individual"])
        labels = [ctx.labels.get(c, c) for c in p.services]
        labels = labels[:1] + [label.lower() for label in labels[1:]]
        words = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        where = rng.choice(["in {town} and nearby villages", "in {town} and the surrounding area",
                            "across {town} and beyond", "in and around {town}"])  # fmt: skip
        description = f"{words} {where.format(town=p.town)}."
        if special:
            shown = [_SPECIALISM_WORDS.get(w, w) for w in special[:2]]
            description += f" Experienced with {' and '.join(shown)}."
        if p.staff == 0:
            description += " Run by volunteers."
        notes = None
        if rng.random() < 0.15:
            notes = rng.choice(["Prefers email.", "Does not work school holidays.",
                                "Drives; has a car for escorts.", "Can start at short notice.",
                                "Wants to grow to two staff next year."])  # fmt: skip
        p.days, p.accepting = frozenset(days), accepting
        rows.append({
            "id": p.id, "name": p.name, "legal_form": legal, "lead_contact": p.lead.name,
            "phone": p.phone, "email": _email(rng, p.lead, p.name) if rng.random() < 0.85 else None,
            "postcode": p.postcode, "area_id": ctx.areas[p.area].id,
            "areas_served": [ctx.areas[a].id for a in p.served], "services": p.services,
            "staff_count": p.staff, "size_band": rules.size_band(p.staff, threshold).value,
            "ownership_model": ownership, "approach": approach,
            "regulated_activity": p.regulated, "funding_accepted": funding,
            "hourly_rate_pence": p.rate, "accepting_new_clients": accepting, "days": days,
            "times": times, "languages": spoken, "specialisms": special, "stage": p.stage,
            "stage_changed_on": p.moves[-1][2].isoformat(), "description": description,
            "notes": notes, "enquiry_id": p.enquiry_id,
        })  # fmt: skip
    return rows


def _write_providers(ctx: _Context, plans: list[_Plan]) -> None:
    rows = _provider_rows(ctx, plans)
    text = IndexText.load(ctx.store)

    def index(batch: list[dict[str, Any]]) -> None:
        # Validated through the app's own model: what the demo writes, a form could have.
        models = [m.Provider.model_validate(row) for row in batch]
        index_providers(ctx.store, models, text)

    ctx.write("providers", rows, len(rows), after=index)


def _write_stage_moves(ctx: _Context, plans: list[_Plan]) -> None:
    rng = ctx.rng("stage-moves")

    def rows() -> Iterator[dict[str, Any]]:
        for p in plans:
            for before, after, on in p.moves:
                yield {
                    "id": _id_on(rng, on), "provider_id": p.id, "from_stage": before,
                    "to_stage": after, "moved_on": on.isoformat(),
                    "note": rng.choice(_MOVE_NOTES[after]),
                }  # fmt: skip

    ctx.write("stage_moves", rows(), sum(len(p.moves) for p in plans))


# ---------------------------------------------------------------------------------------------
# Evidence, QA, visits


def _write_evidence(ctx: _Context, plans: list[_Plan]) -> None:
    rng = ctx.rng("evidence")
    types = reference.evidence_types(ctx.store)
    today = ctx.today
    with_checks = [p for p in plans if p.checks_on]

    def applies(p: _Plan, when: str, holds_data: bool) -> bool:
        return {
            "always": True, "staff": p.staff > 1, "personal_care": p.regulated,
            "food": p.food, "personal_data": holds_data, "never": False,
        }.get(when, True)  # fmt: skip

    def reference_for(code: str) -> str | None:
        if code == "dbs_enhanced":
            return f"{rng.randrange(10**11, 10**12):012d}"
        if code in ("public_liability", "employers_liability"):
            return f"{rng.choice(['PL', 'HX', 'SB', 'CA'])}-{rng.randrange(100000, 999999)}"
        if code == "ico_registration":
            return f"ZB{rng.randrange(100000, 999999)}"
        if code == "cqc_registration":
            return f"1-{rng.randrange(10**9, 10**10)}"
        return None

    def rows() -> Iterator[dict[str, Any]]:
        for p in with_checks:
            assert p.checks_on is not None
            pending = p.listed_from is None  # still gathering evidence
            anchor = p.end if p.end < today else today
            holds_data = rng.random() < 0.7
            applicable = [t for t in types if applies(p, t.mandatory_when, holds_data)]
            lasting = [t for t in applicable if t.validity_months]
            # A few listed providers have let something lapse; more have something lapsing soon.
            lapsed_code = lapsing_code = None
            if p.listed_from and p.end >= today and lasting:
                roll = rng.random()
                if roll < 0.06:
                    lapsed_code = rng.choice(lasting).code
                elif roll < 0.18:
                    lapsing_code = rng.choice(lasting).code
            for t in applicable:
                if pending and rng.random() < 0.35:
                    status, issued, expires = "not_met", None, None
                else:
                    status = "met"
                    if t.validity_months:
                        span = t.validity_months * 30
                        if t.code == lapsed_code:
                            expires = today - timedelta(days=rng.randint(1, 75))
                        elif t.code == lapsing_code:
                            expires = today + timedelta(days=rng.randint(0, 30))
                        else:
                            expires = anchor + timedelta(days=rng.randint(31, max(32, span - 5)))
                        issued = rules.add_months(expires, -t.validity_months)
                    else:
                        issued = None
                        if t.code != "identity":
                            issued = p.checks_on - timedelta(days=rng.randint(0, 60))
                        expires = None
                seen = None
                if status == "met":
                    base = min(max(p.checks_on, issued or p.checks_on), today)
                    seen = _between(rng, base, min(base + timedelta(days=14), today))
                yield {
                    "id": _id_on(rng, seen or p.checks_on), "provider_id": p.id,
                    "evidence_type_code": t.code, "status": status,
                    "reference": reference_for(t.code) if status == "met" else None,
                    "issued_on": issued.isoformat() if issued else None,
                    "expires_on": expires.isoformat() if expires else None,
                    "seen_by": _WORKER(rng) if seen else None,
                    "seen_on": seen.isoformat() if seen else None,
                    "note": "Waiting for the certificate" if status == "not_met" else None,
                }  # fmt: skip
            if p.staff <= 1 and any(t.code == "employers_liability" for t in types) \
                    and rng.random() < 0.5:  # fmt: skip
                yield {
                    "id": _id_on(rng, p.checks_on), "provider_id": p.id,
                    "evidence_type_code": "employers_liability", "status": "not_applicable",
                    "reference": None, "issued_on": None, "expires_on": None,
                    "seen_by": _WORKER(rng),
                    "seen_on": p.checks_on.isoformat(), "note": "No employees",
                }  # fmt: skip

    ctx.write("evidence_items", rows(), len(with_checks) * 10)


def _write_qa_checks(ctx: _Context, plans: list[_Plan], total: int) -> None:
    rng = ctx.rng("qa")
    months = int(reference.get_setting(ctx.store, "qa_review_months", 12) or 12)
    listed = [p for p in plans if p.listed_from]
    failing = [p for p in plans if p.stage == "checks" and p.checks_on and rng.random() < 0.25]
    checks: list[tuple[_Plan, date, str, str]] = []
    for p in listed:
        assert p.listed_from is not None
        outcome = "approved" if rng.random() < 0.85 else "approved_with_actions"
        checks.append((p, p.listed_from, "initial", outcome))
    for p in failing:
        assert p.checks_on is not None
        checks.append((p, _between(rng, p.checks_on, ctx.today), "initial", "not_approved"))
    checks = checks[:total]
    extra = total - len(checks)
    if extra > 0 and listed:
        weights = [max(1, ((p.listed_until or ctx.today) - (p.listed_from or ctx.today)).days)
                   for p in listed]  # fmt: skip
        for p in rng.choices(listed, weights, k=extra):
            assert p.listed_from is not None
            on = _between(rng, p.listed_from + timedelta(days=1), p.listed_until or ctx.today)
            kind = "annual_review" if rng.random() < 0.6 else "spot_check"
            outcome = rng.choices(["approved", "approved_with_actions", "not_approved"],
                                  [88, 10, 2])[0]  # fmt: skip
            checks.append((p, on, kind, outcome))
    notes: dict[str, list[str | None]] = {
        "approved": ["All evidence seen and in date.", "Approved; policies are clear.", None],
        "approved_with_actions": ["Actions: update lone working policy within 30 days.",
                                  "Actions: renew insurance before it lapses.",
                                  "Actions: add a complaints procedure to the leaflet."],
        "not_approved": ["Not approved: no public liability insurance in place.",
                         "Not approved: DBS check outstanding.",
                         "Not approved: references not received."],
    }  # fmt: skip

    def rows() -> Iterator[dict[str, Any]]:
        for p, on, kind, outcome in checks:
            yield {
                "id": _id_on(rng, on), "provider_id": p.id, "checked_on": on.isoformat(),
                "kind": kind, "outcome": outcome,
                "next_review_on": rules.add_months(on, months).isoformat(),
                "notes": rng.choice(notes[outcome]),
                "checked_by": _WORKER(rng),
            }  # fmt: skip

    ctx.write("qa_checks", rows(), len(checks))


def _stage_on(p: _Plan, day: date) -> str:
    current = p.moves[0][1]
    for _, to_stage, on in p.moves:
        if on <= day:
            current = to_stage
        else:
            break
    return current


def _write_visits(ctx: _Context, plans: list[_Plan], total: int) -> None:
    rng = ctx.rng("visits")
    if not plans or total <= 0:
        ctx.counts["visits"] = 0
        return
    weights = [max(30, (p.end - p.start).days) * (1.6 if p.stage in ("developing", "checks")
                                                   else 1.0) for p in plans]  # fmt: skip
    per = [0] * len(plans)
    for i in rng.choices(range(len(plans)), weights, k=total):
        per[i] += 1
    kinds_by_stage = {
        "enquiry": ["development"], "developing": ["development"], "checks": ["qa", "development"],
        "registered": ["review", "support"], "active": ["review", "support", "support"],
        "paused": ["support"], "ceased": ["closure"],
    }  # fmt: skip

    def rows() -> Iterator[dict[str, Any]]:
        for p, n in zip(plans, per, strict=True):
            if not n:
                continue
            days = sorted(_between(rng, p.start, p.end) for _ in range(n))
            days[0] = p.start
            if p.stage == "ceased" and n > 1:
                days[-1] = p.end
            for k, day in enumerate(days):
                if k == 0:
                    kind = "initial"
                elif p.stage == "ceased" and k == n - 1:
                    kind = "closure"
                else:
                    kind = rng.choice(kinds_by_stage.get(_stage_on(p, day), ["support"]))
                if k + 1 < n:
                    next_on: date | None = days[k + 1] if days[k + 1] > day else None
                elif p.stage != "ceased":
                    next_on = day + timedelta(days=rng.randint(14, 90))
                else:
                    next_on = None
                note = rng.choice(_VISIT_NOTES[kind]).format(town=p.town,
                                                              people=rng.randint(2, 9))  # fmt: skip
                yield {
                    "id": _id_on(rng, day), "provider_id": p.id, "visited_on": day.isoformat(),
                    "kind": kind, "notes": note,
                    "actions": rng.choice(_VISIT_ACTIONS) if rng.random() < 0.35 else None,
                    "next_visit_on": next_on.isoformat() if next_on else None,
                    "worker": _WORKER(rng),
                }  # fmt: skip

    ctx.write("visits", rows(), total)


# ---------------------------------------------------------------------------------------------
# Training, grants, returns


def _write_training(ctx: _Context, plans: list[_Plan], total: int) -> None:
    rng = ctx.rng("training")
    evidence_codes = {t.code for t in reference.evidence_types(ctx.store)}
    courses = []
    for title, topic, code, months in _COURSES:
        if code not in evidence_codes:
            code, months = None, None
        courses.append({
            "id": _id_on(rng, ctx.today - timedelta(days=760)), "title": title, "topic": topic,
            "evidence_type_code": code, "validity_months": months,
        })  # fmt: skip
    ctx.write("training_courses", courses, len(courses))

    sessions: list[dict[str, Any]] = []
    attendance: list[tuple[int, list[int]]] = []  # (session index, provider indexes)
    by_start = sorted(range(len(plans)), key=lambda i: plans[i].start)
    starts = [plans[i].start for i in by_start]
    remaining = total
    pick_course = _Choice(range(len(courses)), [9, 7, 5, 4, 4, 6, 5, 3, 3, 3])
    attempts = 0
    while remaining > 0 and plans and attempts < total * 4 + 100:
        attempts += 1
        when = _between(rng, ctx.today - timedelta(days=700), ctx.today + timedelta(days=60))
        if when.weekday() >= 5:
            when -= timedelta(days=when.weekday() - 4)
        course = pick_course(rng)
        area = rng.randrange(len(ctx.areas))
        capacity = rng.choice([8, 10, 12, 12, 14, 16])
        online = rng.random() < 0.25
        place = rng.choice(["Library", "Community Centre", "Gateway", "Village Hall"])
        venue = "Online (Teams)" if online else f"{ctx.town(rng, area)} {place}"
        start_s = rng.choice([9 * 3600 + 1800, 10 * 3600, 13 * 3600 + 1800, 18 * 3600])
        sessions.append({
            "id": _uuid7(rng, _local_ms(when, start_s)), "course_id": courses[course]["id"],
            "starts_at": _iso(_local_ms(when, start_s)), "venue": venue,
            "trainer": rng.choice(_TRAINERS), "capacity": capacity,
        })  # fmt: skip
        # Attendees: providers already started and not yet ceased on the day (drawn at random
        # from those started, rather than scanning them all: the large scale has 10,000).
        started = bisect.bisect_right(starts, when)
        size = min(remaining, capacity - rng.randint(0, 4), started)
        who: list[int] = []
        for _ in range(size * 3):
            if len(who) >= size:
                break
            i = by_start[rng.randrange(started)]
            alive = plans[i].stage != "ceased" or plans[i].end >= when
            if alive and i not in who:
                who.append(i)
        if who:
            attendance.append((len(sessions) - 1, who))
            remaining -= len(who)
    ctx.write("training_sessions", sessions, len(sessions))

    course_by_id = {c["id"]: c for c in courses}

    def rows() -> Iterator[dict[str, Any]]:
        for session_index, who in attendance:
            session = sessions[session_index]
            course = course_by_id[session["course_id"]]
            held = date.fromisoformat(session["starts_at"][:10])
            for i in who:
                p = plans[i]
                if held >= ctx.today:
                    status = "booked" if rng.random() < 0.8 else "invited"
                else:
                    status = rng.choices(["attended", "no_show", "cancelled"], [85, 8, 7])[0]
                name = p.lead.name if p.staff <= 1 or rng.random() < 0.6 else _person(rng).name
                expires = None
                if status == "attended" and course["validity_months"]:
                    expires = rules.add_months(held, int(course["validity_months"])).isoformat()
                yield {
                    "id": _id_on(rng, min(held, ctx.today)), "session_id": session["id"],
                    "provider_id": p.id, "attendee_name": name, "status": status,
                    "certificate_expires_on": expires,
                }  # fmt: skip

    ctx.write("training_attendance", rows(), total)


def _write_grants(ctx: _Context, plans: list[_Plan], total: int) -> None:
    rng = ctx.rng("grants")
    eligible = [p for p in plans if len(p.moves) > 1 and p.moves[1][1] == "developing"]
    if not eligible or total <= 0:
        ctx.counts["grants"] = 0
        return
    weights = [3.0 if p.listed_from else 1.0 for p in eligible]

    def rows() -> Iterator[dict[str, Any]]:
        for p in rng.choices(eligible, weights, k=total):
            purposes = _GRANT_PURPOSES + [
                purpose for code in p.services for purpose in _GRANT_PURPOSES_FOR.get(code, ())
            ] * 2  # fmt: skip
            developing_on = p.moves[1][2]
            latest = min(ctx.today, developing_on + timedelta(days=180))
            applied = _between(rng, developing_on, latest)
            requested = rng.randrange(100, 1001, 10) * 100
            awarded = decided = paid = None
            status = "applied"
            if (ctx.today - applied).days > 14:
                decided = min(ctx.today, applied + timedelta(days=rng.randint(7, 30)))
                if rng.random() < 0.1:
                    status = "declined"
                else:
                    awarded = requested
                    if rng.random() < 0.2:  # part-funded, to the nearest £10
                        awarded = int(requested * rng.uniform(0.5, 0.9)) // 1000 * 1000
                    paid_on = decided + timedelta(days=rng.randint(3, 21))
                    status, paid = ("paid", paid_on) if paid_on <= ctx.today else ("awarded", None)
            yield {
                "id": _id_on(rng, applied), "provider_id": p.id,
                "purpose": rng.choice(purposes), "amount_requested_pence": requested,
                "amount_awarded_pence": awarded, "status": status,
                "applied_on": applied.isoformat(),
                "decided_on": decided.isoformat() if decided else None,
                "paid_on": paid.isoformat() if paid else None,
            }  # fmt: skip

    ctx.write("grants", rows(), total)


def _quarters(start: date, end: date) -> Iterator[tuple[date, date]]:
    """Calendar quarters that end after `start` and on or before `end`."""
    q_start = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while True:
        q_end = rules.add_months(q_start, 3) - timedelta(days=1)
        if q_end > end:
            return
        yield q_start, q_end
        q_start = rules.add_months(q_start, 3)


def _write_returns(ctx: _Context, plans: list[_Plan]) -> None:
    rng = ctx.rng("returns")
    active = [p for p in plans if p.active_from]

    def rows() -> Iterator[dict[str, Any]]:
        for p in active:
            assert p.active_from is not None
            size = rng.triangular(1, 12, 5)
            until = min(p.active_until or ctx.today, ctx.today)
            for q_start, q_end in _quarters(p.active_from, until):
                if rng.random() > 0.8:
                    continue  # not every provider sends every return
                people = max(1, min(12, round(size + rng.uniform(-1.5, 1.5))))
                hours = max(5.0, min(60.0, round(people * rng.uniform(3.5, 7.0) * 2) / 2))
                on_dp = sum(1 for _ in range(people) if rng.random() < p.dp_share)
                yield {
                    "id": _id_on(rng, min(q_end + timedelta(days=14), ctx.today)),
                    "provider_id": p.id, "period_start": q_start.isoformat(),
                    "period_end": q_end.isoformat(), "people_supported": people,
                    "hours_per_week": hours, "people_on_direct_payments": on_dp,
                    "hourly_rate_pence": p.rate,
                }  # fmt: skip

    ctx.write("provider_returns", rows(), len(active) * 6)


# ---------------------------------------------------------------------------------------------
# Enquiries, signposts, unmet needs


_KIND = _Choice(["seeking_support", "family_carer", "professional", "would_be_provider",
                 "stakeholder", "other"], [28, 32, 20, 9, 5, 6])  # fmt: skip
_CHANNEL = _Choice(["phone", "email", "in_person", "other"], [70, 18, 9, 3])
_CHANNEL_PROFESSIONAL = _Choice(["referral", "email", "phone"], [50, 25, 25])
_URGENCY = _Choice(["routine", "soon", "urgent"], [75, 20, 5])
# Most gaps (no suitable provider) arise when nobody listed offers the need nearby.
_OUTCOME_HELP = _Choice(["signposted", "no_suitable_provider", "information_sent",
                         "referred_elsewhere", "follow_up", "closed"],
                        [62, 4, 9, 9, 12, 4])  # fmt: skip
_OUTCOME_WOULD_BE = _Choice(["information_sent", "follow_up", "closed", "referred_to_programme"],
                            [45, 20, 15, 20])  # fmt: skip
_OUTCOME_OTHER = _Choice(["information_sent", "closed", "follow_up", "referred_elsewhere"],
                         [55, 20, 15, 10])  # fmt: skip
_SIGNPOST_OUTCOME = _Choice(["unknown", "contacted", "started", "declined"], [40, 25, 25, 10])


@dataclass
class _Caller:
    female: bool
    name: str
    phone: str | None
    relationship: str | None
    postcode: str | None
    area: int | None
    kind: str
    last_id: str = ""
    role: str = ""
    subject: str = ""  # who the support is for, the same each time this caller rings
    age: int = 0


def _day_counts(rng: random.Random, first: date, days: int, total: int) -> list[int]:
    """Split `total` over `days` days: weekdays busy, weekends quiet, volume growing over time."""
    weights = []
    for k in range(days):
        day = first + timedelta(days=k)
        base = (1.0, 1.0, 1.0, 1.0, 0.9, 0.12, 0.06)[day.weekday()]
        weights.append(base * (0.6 + 0.8 * k / max(1, days - 1)) * rng.uniform(0.7, 1.3))
    scale = total / sum(weights)
    counts = []
    carried = 0.0
    for w in weights:
        carried += w * scale
        n = int(carried)
        counts.append(n)
        carried -= n
    counts[-1] += total - sum(counts)
    return counts


def _when_words(days: list[str], times: list[str]) -> str:
    text = ""
    if days == ["sat", "sun"]:
        text = " at weekends"
    elif len(days) == 1:
        text = f" on {_DAY_WORDS[_DAYS.index(days[0])]}"
    elif len(days) == 2:
        text = f" on {_DAY_WORDS[_DAYS.index(days[0])]} and {_DAY_WORDS[_DAYS.index(days[1])]}"
    if len(times) == 1:
        text += {"morning": " in the mornings", "afternoon": " in the afternoons",
                 "evening": " in the evenings", "night": " overnight"}[times[0]]  # fmt: skip
    return text


def _write_enquiries(ctx: _Context, plans: list[_Plan], total: int) -> None:
    rng = ctx.rng("enquiries")
    store, today = ctx.store, ctx.today
    first = today - timedelta(days=730)
    codes = [s.code for s in ctx.services]
    n_areas = len(ctx.areas)
    pick_area = _Choice(range(n_areas), [_ENQUIRY_AREA_WEIGHT.get(a.name, 1.0) for a in ctx.areas])
    pick_need = _Choice(codes, [_NEED_WEIGHT.get(code, 3) for code in codes])

    linked: dict[date, list[_Plan]] = {}
    for p in plans:
        if p.enquiry_id:
            linked.setdefault(p.start, []).append(p)
    n_linked = sum(len(v) for v in linked.values())
    counts = _day_counts(rng, first, 730, max(0, total - n_linked))

    # Providers that could be signposted: by (service, area) with the dates they were listed.
    listed: dict[tuple[str, int], list[_Plan]] = {}
    for p in plans:
        if p.listed_from:
            for code in p.services:
                for a in p.served:
                    listed.setdefault((code, a), []).append(p)

    # Professionals refer again and again; a team shares one landline.
    team_phones: dict[tuple[int, str], str] = {}
    roster: list[_Caller] = []
    for _ in range(max(8, total // 150)):
        area = pick_area(rng)
        role, _label = rng.choice(_PROFESSIONAL_ROLES)
        key = (area, role)
        if key not in team_phones:
            team_phones[key] = _landline(rng, ctx.areas[area].name)
        phone = team_phones[key] if rng.random() < 0.7 else _mobile(rng)
        worker = _person(rng)
        roster.append(_Caller(worker.female, worker.name, phone, role, None, area, "professional",
                              role=role))  # fmt: skip
    recent: list[_Caller] = []
    # A handful of follow-ups fall due today whatever the scale (the home screen shows them).
    recent_follow_ups = total * 21 / 730 * 0.2 * 1.3
    due_today_share = min(0.3, 3 / max(1.0, recent_follow_ups))

    enquiries: list[dict[str, Any]] = []
    signposts: list[dict[str, Any]] = []
    unmet: list[dict[str, Any]] = []
    fts: list[tuple[str, str, str, str]] = []
    done = 0
    ctx.counts.update(enquiries=0, signposts=0, unmet_needs=0)
    ctx.progress("enquiries", 0, total)

    def flush() -> None:
        nonlocal done
        with store.transaction():
            store.insert_many("enquiries", enquiries)
            store.insert_many("signposts", signposts)
            store.insert_many("unmet_needs", unmet)
            store.write_derived_many(
                "INSERT INTO enquiry_fts (rowid, enquiry_id, caller, summary, needs) "
                "VALUES ((SELECT rowid FROM enquiries WHERE id = ?1), ?1, ?2, ?3, ?4)",
                fts,
            )
        done += len(enquiries)
        ctx.counts["enquiries"] += len(enquiries)
        ctx.counts["signposts"] += len(signposts)
        ctx.counts["unmet_needs"] += len(unmet)
        ctx.progress("enquiries", done, total)
        for buffer in (enquiries, signposts, unmet, fts):
            buffer.clear()

    def sample_listed(
        code: str, area: int, on: date, days: list[str], want: int, chosen: list[_Plan]
    ) -> None:
        """Add up to `want` providers of `code` in `area`, listed on `on`, taking clients and
        working one of `days` (a few random draws, not a scan: at the large scale a list can
        hold hundreds of providers)."""
        pool = listed.get((code, area))
        if not pool:
            return
        for _ in range(min(len(pool) * 2, 12)):
            if len(chosen) >= want:
                return
            p = pool[rng.randrange(len(pool))]
            if not (p.listed_from and p.listed_from <= on <= (p.listed_until or today)):
                continue
            if p.accepting and (not days or not p.days.isdisjoint(days)) and p not in chosen:
                chosen.append(p)

    def make(day: date, ms: int, provider: _Plan | None) -> None:
        weekend = day.weekday() >= 5
        if provider is not None:
            kind = "would_be_provider"
        else:
            kind = _KIND(rng)
        if provider is not None:
            channel = "phone"
        elif weekend:
            channel = "email" if rng.random() < 0.8 else "other"
        elif kind == "professional":
            channel = _CHANNEL_PROFESSIONAL(rng)
        else:
            channel = _CHANNEL(rng)
        contact_id = None
        caller: _Caller
        if provider is not None:
            caller = _Caller(provider.lead.female, provider.lead.name, provider.phone, "self",
                             provider.postcode,
                             provider.area, kind)  # fmt: skip
        elif kind == "professional":
            caller = rng.choice(roster)
            contact_id = caller.last_id or None
        elif recent and rng.random() < 0.1:
            caller = recent[rng.randrange(max(0, len(recent) - 3000), len(recent))]
            contact_id = caller.last_id or None
            kind = caller.kind
        else:
            home = pick_area(rng)
            relationship = {
                "seeking_support": "self", "would_be_provider": "self",
                "family_carer": rng.choice(["daughter", "daughter", "son", "wife", "husband",
                                            "niece", "neighbour", "friend", "granddaughter"]),
                "stakeholder": rng.choice(_STAKEHOLDER)[0],
                "other": None,
            }[kind]  # fmt: skip
            female = {"daughter": True, "wife": True, "niece": True, "granddaughter": True,
                      "son": False, "husband": False}.get(relationship or "")  # fmt: skip
            person = _person(rng, female)
            has_phone = channel in ("phone", "other") or rng.random() < 0.5
            phone = (_mobile(rng) if rng.random() < 0.6
                     else _landline(rng, ctx.areas[home].name)) if has_phone else None  # fmt: skip
            roll = rng.random()
            districts = ctx.districts[home]
            if roll < 0.6:
                postcode = _postcode(rng, districts)
            elif roll < 0.85 and districts:
                postcode = rng.choice(districts).upper()
            else:
                postcode = None
            caller = _Caller(person.female, person.name, phone, relationship, postcode, home, kind)
            recent.append(caller)
            if len(recent) > 6000:
                del recent[:3000]

        area: int | None = caller.area
        if kind == "professional" and rng.random() < 0.5 and ctx.neighbours[area or 0]:
            area = rng.choice(ctx.neighbours[area or 0])  # a team covers more than one district
        town = ctx.town(rng, area) if area is not None else "Kent"
        # What is needed.
        if provider is not None:
            needs = list(provider.services[:2])
        elif kind in ("stakeholder", "other"):
            needs = [pick_need(rng)] if rng.random() < 0.6 else []
        else:
            needs = [pick_need(rng)]
            if rng.random() < 0.35:
                pool = [c for c in _GOES_WITH.get(needs[0], codes) if c in codes]
                if pool:
                    needs.append(rng.choice(pool))
            needs = list(dict.fromkeys(needs))
        days: list[str] = []
        times: list[str] = []
        if needs and kind not in ("stakeholder", "other", "would_be_provider"):
            roll = rng.random()
            if roll < 0.3:
                days = [rng.choice(_DAYS[:5])]
            elif roll < 0.45:
                days = sorted(rng.sample(_DAYS[:5], 2), key=_DAYS.index)
            elif roll < 0.5:
                days = ["sat", "sun"]
            if rng.random() < 0.4:
                times = [rng.choice(["morning", "morning", "afternoon", "evening"])]
        summary = _summary(rng, ctx, kind, caller, needs, days, times, town)
        urgency = _URGENCY(rng)
        if kind in ("stakeholder", "other", "would_be_provider"):
            urgency = "routine"

        # What was done.
        if provider is not None:
            outcome: str | None = "referred_to_programme"
        elif kind == "would_be_provider":
            outcome = _OUTCOME_WOULD_BE(rng)
        elif kind in ("stakeholder", "other"):
            outcome = _OUTCOME_OTHER(rng)
        else:
            outcome = _OUTCOME_HELP(rng)
        age_days = (today - day).days
        if age_days < 3 and rng.random() < 0.15:
            outcome = None  # still being dealt with
        enquiry_id = provider.enquiry_id if provider and provider.enquiry_id else _uuid7(rng, ms)
        chosen: list[_Plan] = []
        if outcome == "signposted":
            # Those listed then for the need, in the area first, then nearby: one to three.
            for code in needs:
                want = min(3, len(chosen) + rng.randint(1, 3))
                places = ([area, *ctx.neighbours[area]] if area is not None
                          else rng.sample(range(n_areas), min(3, n_areas)))  # fmt: skip
                for place in places:
                    sample_listed(code, place, day, days, want, chosen)
                if len(chosen) >= 3:
                    break
            if not chosen:
                outcome = "no_suitable_provider" if needs else "information_sent"
        if outcome == "no_suitable_provider" and not needs:
            outcome = "information_sent"

        follow_on: date | None = None
        follow_done: str | None = None
        follow_note: str | None = None
        if outcome == "follow_up" or (outcome == "signposted" and rng.random() < 0.15):
            follow_on = day + timedelta(days=rng.choice([1, 2, 3, 5, 7, 7, 14]))
            if age_days <= 21 and rng.random() < due_today_share:
                follow_on = today
            follow_note = (f"Check {chosen[0].name} have been in touch" if chosen
                           else rng.choice(["Ring back with options", "Send the information pack",
                                            "Check how things are going"]))  # fmt: skip
            overdue_days = (today - follow_on).days
            if overdue_days > 3 and rng.random() < (0.995 if overdue_days > 60 else 0.85):
                done_ms = _local_ms(follow_on, rng.randrange(9 * 3600, 17 * 3600))
                follow_done = _iso(done_ms)
                follow_note += "\n" + rng.choice([
                    "Rang back: all sorted.", "Spoke to the caller: now getting help.",
                    "Left a voicemail; emailed the details.", "No longer needed.",
                    "Caller has started with a provider.",
                ])  # fmt: skip
        duration = None
        if channel == "phone":
            duration = rng.randint(90, 1500)
        elif channel == "in_person":
            duration = rng.randint(300, 2400)

        caller.last_id = enquiry_id
        enquiries.append({
            "id": enquiry_id, "received_at": _iso(ms), "channel": channel,
            "enquirer_kind": kind, "caller_name": caller.name, "caller_phone": caller.phone,
            "relationship": caller.relationship, "postcode": caller.postcode,
            "area_id": ctx.areas[area].id if area is not None else None, "needs": needs,
            "days": days, "times": times, "summary": summary, "urgency": urgency,
            "outcome": outcome, "follow_up_on": follow_on.isoformat() if follow_on else None,
            "follow_up_done_at": follow_done, "follow_up_note": follow_note,
            "worker": _WORKER(rng), "duration_seconds": duration,
            "contact_enquiry_id": contact_id,
            "provider_id": provider.id if provider is not None else None,
        })  # fmt: skip
        fts.append((
            enquiry_id, " ".join(filter(None, [caller.name, caller.phone, caller.postcode])),
            summary, " ".join(ctx.labels.get(n, n) for n in needs),
        ))  # fmt: skip
        at = ms + (duration or 60) * 1000
        for p in chosen:
            outcome_later = "unknown"
            if age_days > 14:
                outcome_later = _SIGNPOST_OUTCOME(rng)
            signposts.append({
                "id": _uuid7(rng, at), "enquiry_id": enquiry_id, "provider_id": p.id,
                "signposted_at": _iso(at), "reported_outcome": outcome_later,
            })  # fmt: skip
        if outcome == "no_suitable_provider":
            for code in needs:
                unmet.append({
                    "id": _uuid7(rng, at), "enquiry_id": enquiry_id, "service_code": code,
                    "area_id": ctx.areas[area].id if area is not None else None,
                    "recorded_on": day.isoformat(),
                })  # fmt: skip

    for k, count in enumerate(counts):
        day = first + timedelta(days=k)
        weekend = day.weekday() >= 5
        low, high = (8 * 3600, 21 * 3600) if weekend else (8 * 3600 + 1800, 17 * 3600 + 1800)
        stamps = sorted(_local_ms(day, rng.randrange(low, high)) for _ in range(count))
        items: list[tuple[int, _Plan | None]] = [(s, None) for s in stamps]
        items += [(p.enquiry_ms, p) for p in linked.get(day, [])]
        items.sort(key=lambda item: item[0])
        for ms, provider in items:
            make(day, ms, provider)
            if len(enquiries) >= BATCH_ROWS:
                flush()
    if enquiries:
        flush()


def _summary(
    rng: random.Random,
    ctx: _Context,
    kind: str,
    caller: _Caller,
    needs: list[str],
    days: list[str],
    times: list[str],
    town: str,
) -> str:
    def phrase(code: str) -> str:
        options = _NEED_PHRASES.get(code)
        return rng.choice(options) if options else f"help with {ctx.labels.get(code, code).lower()}"

    need_text = " and ".join(phrase(c) for c in needs[:2]) or "some help at home"
    when = _when_words(days, times)
    label = ctx.labels.get(needs[0], needs[0]).lower() if needs else "support"
    if kind == "family_carer":
        subject_by_relationship = {
            "daughter": ("Mum", "Dad"), "son": ("Mum", "Dad"), "wife": ("My husband",) * 2,
            "husband": ("My wife",) * 2, "niece": ("My aunt", "My uncle"),
            "granddaughter": ("Nan", "Grandad"), "neighbour": ("My neighbour",) * 2,
            "friend": ("A friend",) * 2,
        }  # fmt: skip
        if not caller.subject:
            options = subject_by_relationship.get(caller.relationship or "", ("Mum", "Dad"))
            caller.subject, caller.age = rng.choice(options), rng.randint(68, 97)
        subject = caller.subject
        reasons = _REASONS
        if caller.relationship in ("daughter", "son", "granddaughter", "niece"):
            reasons = _REASONS + _FAMILY_REASONS
        reason = rng.choice(reasons)
        text = f"{subject} ({caller.age}) needs {need_text}{when}"
        return f"{text} {reason}".strip()
    if kind == "seeking_support":
        if not caller.age:
            caller.age = rng.randint(24, 60) if rng.random() < 0.15 else rng.randint(66, 95)
        if caller.age < 61:
            return f"Caller ({caller.age}) with a physical disability would like {need_text}{when}"
        reason = rng.choice(
            [*_SELF_REASONS, "since my husband died" if caller.female else "since my wife died"]
        )
        if rng.random() < 0.5:
            return f"Lives alone in {town}; would like {need_text}{when} {reason}".strip()
        return f"Caller ({caller.age}) would like {need_text}{when} {reason}".strip()
    if kind == "professional":
        heading = dict(_PROFESSIONAL_ROLES).get(caller.role, "Referral")
        if caller.role == "hospital discharge coordinator":
            heading = f"Hospital discharge ({rng.choice(_HOSPITALS)})"
        who = rng.choice(["man", "woman"])
        extra = rng.choice(_PROFESSIONAL_EXTRA)
        text = f"{heading}: {rng.randint(19, 96)}-year-old {who} in {town} needs {need_text}{when}."
        return f"{text} {extra}".strip()
    if kind == "would_be_provider":
        labels = [ctx.labels.get(c, c).lower() for c in needs] or ["support"]
        return f"{rng.choice(_BACKGROUNDS)}; wants to offer {' and '.join(labels)} in {town}"
    if kind == "stakeholder":
        template = dict(_STAKEHOLDER).get(caller.relationship or "", _STAKEHOLDER[-1][1])
    else:
        template = rng.choice(_OTHER)
    return template.format(town=town, label=label)
