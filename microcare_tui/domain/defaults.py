"""Default reference data: Kent's districts, a service catalogue, legal forms, evidence types.

These seed a new database; a council edits or replaces them (they are data, not code).
"""

from __future__ import annotations

# Kent's twelve districts and the postcode districts that mostly fall in them. A postcode
# district can straddle a boundary; the first district listing it wins.
KENT_AREAS: list[tuple[str, list[str], list[str]]] = [
    (
        "Ashford",
        ["TN23", "TN24", "TN25", "TN26", "TN27"],
        ["Canterbury", "Folkestone and Hythe", "Maidstone", "Swale", "Tunbridge Wells"],
    ),
    (
        "Canterbury",
        ["CT1", "CT2", "CT3", "CT4", "CT5", "CT6"],
        ["Ashford", "Dover", "Swale", "Thanet", "Folkestone and Hythe"],
    ),
    ("Dartford", ["DA1", "DA2", "DA4", "DA10"], ["Gravesham", "Sevenoaks"]),
    (
        "Dover",
        ["CT13", "CT14", "CT15", "CT16", "CT17"],
        ["Canterbury", "Folkestone and Hythe", "Thanet"],
    ),
    (
        "Folkestone and Hythe",
        ["CT18", "CT19", "CT20", "CT21", "TN28", "TN29"],
        ["Ashford", "Canterbury", "Dover"],
    ),
    ("Gravesham", ["DA11", "DA12", "DA13"], ["Dartford", "Sevenoaks", "Tonbridge and Malling"]),
    (
        "Maidstone",
        ["ME14", "ME15", "ME16", "ME17", "ME18"],
        ["Ashford", "Swale", "Tonbridge and Malling", "Tunbridge Wells"],
    ),
    (
        "Sevenoaks",
        ["TN13", "TN14", "TN15", "TN16", "BR8"],
        ["Dartford", "Gravesham", "Tonbridge and Malling", "Tunbridge Wells"],
    ),
    ("Swale", ["ME9", "ME10", "ME11", "ME12", "ME13"], ["Ashford", "Canterbury", "Maidstone"]),
    ("Thanet", ["CT7", "CT8", "CT9", "CT10", "CT11", "CT12"], ["Canterbury", "Dover"]),
    (
        "Tonbridge and Malling",
        ["ME6", "ME19", "ME20", "TN9", "TN10", "TN11", "TN12"],
        ["Gravesham", "Maidstone", "Sevenoaks", "Tunbridge Wells"],
    ),
    (
        "Tunbridge Wells",
        ["TN1", "TN2", "TN3", "TN4", "TN17", "TN18"],
        ["Ashford", "Maidstone", "Sevenoaks", "Tonbridge and Malling"],
    ),
]

# (code, label, regulated, synonyms a caller might use)
SERVICE_CATALOGUE: list[tuple[str, str, bool, list[str]]] = [
    (
        "personal_care",
        "Personal care",
        True,
        [
            "personal care",
            "washing",
            "dressing",
            "bathing",
            "toileting",
            "medication",
            "continence",
        ],
    ),
    (
        "home_help",
        "Home help",
        False,
        ["home help", "cleaning", "housework", "domestic", "laundry", "ironing", "tidying"],
    ),
    (
        "companionship",
        "Companionship",
        False,
        ["companion", "companionship", "company", "befriending", "social", "lonely", "chat"],
    ),
    (
        "shopping",
        "Shopping and errands",
        False,
        ["shopping", "errands", "groceries", "prescriptions", "supermarket"],
    ),
    ("meals", "Meal preparation", False, ["meals", "cooking", "food", "lunch", "dinner"]),
    (
        "sitting_respite",
        "Sitting and respite",
        False,
        ["sitting", "sitter", "respite", "carer break", "short break"],
    ),
    (
        "transport",
        "Transport and escort",
        False,
        ["transport", "lift", "lifts", "driving", "escort", "appointments", "hospital"],
    ),
    (
        "gardening",
        "Gardening and odd jobs",
        False,
        ["garden", "gardening", "lawn", "handyman", "handyperson", "odd jobs", "diy"],
    ),
    (
        "day_activities",
        "Day activities and groups",
        False,
        ["day activities", "activities", "group", "club", "lunch club", "day centre"],
    ),
    (
        "wellbeing",
        "Wellbeing and exercise",
        False,
        ["wellbeing", "exercise", "fitness", "yoga", "breathing", "walking", "movement"],
    ),
    ("arts", "Arts and music", False, ["art", "arts", "music", "singing", "craft", "dance"]),
    ("pet_care", "Pet care", False, ["pet", "pets", "dog walking", "dog", "cat"]),
]

SPECIALISMS: list[str] = [
    "dementia",
    "learning disability",
    "autism",
    "mental health",
    "physical disability",
    "sensory impairment",
    "stroke",
    "parkinsons",
    "end of life",
    "older people",
    "young adults",
    "lgbtq+",
    "veterans",
]

LANGUAGES: list[str] = [
    "english",
    "polish",
    "urdu",
    "punjabi",
    "gujarati",
    "bengali",
    "hindi",
    "romanian",
    "nepali",
    "turkish",
    "arabic",
    "lithuanian",
    "portuguese",
    "spanish",
    "french",
    "tamil",
    "somali",
    "bsl",
    "welsh",
    "cantonese",
    "mandarin",
    "kurdish",
    "farsi",
    "ukrainian",
]


# (code, label, validity in months or None, when it is mandatory)
EVIDENCE_TYPES: list[tuple[str, str, int | None, str]] = [
    ("identity", "Identity", None, "always"),
    ("dbs_enhanced", "Enhanced DBS check", 36, "always"),
    ("public_liability", "Public liability insurance", 12, "always"),
    ("employers_liability", "Employer's liability insurance", 12, "staff"),
    ("safeguarding_training", "Safeguarding training", 36, "always"),
    ("first_aid", "First aid", 36, "personal_care"),
    ("policy_safeguarding", "Safeguarding policy", 24, "always"),
    ("policy_complaints", "Complaints policy", 24, "always"),
    ("policy_data_protection", "Data protection policy", 24, "always"),
    ("policy_lone_working", "Lone working policy", 24, "always"),
    ("ico_registration", "ICO registration", 12, "personal_data"),
    ("references", "References", None, "always"),
    ("risk_assessment", "Risk assessments", 12, "always"),
    ("food_hygiene", "Food hygiene", 36, "food"),
    ("cqc_registration", "CQC registration", None, "personal_care"),
    # Added with the register (issue 9). Which evidence applies is now the evidence_rules
    # table (domain.applicability), so these say "rules" rather than a condition of their own.
    ("dbs_update_service", "DBS Update Service check", 12, "rules"),
    ("moving_handling", "Moving and handling training", 36, "rules"),
    ("medication", "Medication training", 36, "rules"),
    ("hmrc_registration", "HMRC registration", None, "rules"),
    ("quality_standards_agreement", "Quality standards agreement", None, "rules"),
]

DEFAULT_SETTINGS: dict[str, object] = {
    "micro_threshold": 5,
    "commissioned_rate_pence": 1968,
    "micro_rate_pence": 1568,
    "direct_payment_rate_pence": 1415,
    "qa_review_months": 12,
    "stalled_after_days": 60,  # no visit or contact for this long: "stalled" on the board
    "visit_days_ahead": 0,  # a visit may be dated this many days after today (0: not at all)
    "languages": LANGUAGES,
    "specialisms": SPECIALISMS,
}


def legal_forms() -> list[tuple[str, str]]:
    """(code, label) of every legal form, as seeded. A function, so opening a database (which
    checks the defaults are seeded before the app's first frame) does not import the enums."""
    from microcare_tui.domain.enums import LegalForm, label

    return [(f.value, label(f.value)) for f in LegalForm]
